from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from zwfw.core import views

urlpatterns = [
    path("", views.home_page, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_page, name="audit"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
]
