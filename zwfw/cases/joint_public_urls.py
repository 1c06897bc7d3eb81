"""The applicant's progress page of a joint case, mounted at /public/joint/."""

from django.urls import path

from zwfw.cases import joint_views

app_name = "public_joint"
urlpatterns = [
    path("", joint_views.public_progress, name="progress"),
    path("code/", joint_views.public_code, name="code"),
]
