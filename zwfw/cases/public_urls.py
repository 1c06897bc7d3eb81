from django.urls import path

from zwfw.cases import public_docs_views, public_views

urlpatterns = [
    path("", public_views.progress, name="progress"),
    path("code/", public_views.query_code, name="query_code"),
    path("apply/<str:code>/", public_views.apply, name="apply"),
    path("notice/<str:token>/", public_views.notice, name="notice"),
    path("withdraw/<str:token>/", public_views.withdraw, name="withdraw"),
    path("documents/<str:token>/<str:kind>.pdf", public_docs_views.document, name="document"),
    path("withdraw/<str:token>/code/", public_views.withdraw_code, name="withdraw_code"),
]
