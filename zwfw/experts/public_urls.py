from django.urls import path

from zwfw.experts import public_views

app_name = "public_experts"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("notices/", public_views.notices, name="notices"),
    path("notices/<int:pk>/", public_views.notice, name="notice"),
    path("schedule/", public_views.schedule, name="schedule"),
]
