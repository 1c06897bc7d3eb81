from django.urls import path

from zwfw.talents import public_views

app_name = "public_talents"
urlpatterns = [
    path("", public_views.items, name="items"),
    path("rate/<str:token>/", public_views.rate, name="rate"),
]
