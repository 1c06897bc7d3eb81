from django.urls import path

from zwfw.cases import public_views

urlpatterns = [
    path("", public_views.progress, name="progress"),
    path("apply/<str:code>/", public_views.apply, name="apply"),
    path("notice/<str:token>/", public_views.notice, name="notice"),
    path("withdraw/<str:token>/", public_views.withdraw, name="withdraw"),
]
