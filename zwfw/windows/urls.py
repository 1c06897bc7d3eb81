from django.urls import path

from zwfw.windows import views

app_name = "windows"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.window_page, name="window"),
    path("<int:pk>/intake/", views.intake_list, name="intake_list"),
    path("<int:pk>/intake/<str:code>/", views.intake, name="intake"),
    path("cases/<str:number>/agency/", views.agency, name="agency"),
]
