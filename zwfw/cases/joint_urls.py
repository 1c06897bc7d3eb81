"""Staff pages of joint cases, mounted at /joint-cases/."""

from django.urls import path

from zwfw.cases import joint_views

app_name = "joint_cases"
urlpatterns = [
    path("", joint_views.joint_list, name="list"),
    path("new/", joint_views.joint_new, name="new"),
    path("new/<str:code>/", joint_views.joint_intake, name="intake"),
    path("themes/", joint_views.themes, name="themes"),
    path("<str:number>/", joint_views.joint_detail, name="detail"),
    path("<str:number>/<str:action>/", joint_views.joint_act, name="act"),
]
