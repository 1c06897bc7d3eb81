from django.urls import path

from zwfw.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("years/<int:year>/edit/", views.edit_year, name="edit_year"),
]
