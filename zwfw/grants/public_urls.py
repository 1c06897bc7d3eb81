from django.urls import path

from zwfw.grants import public_views

urlpatterns = [
    path("", public_views.officers, name="officers"),
]
