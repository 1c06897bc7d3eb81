from django.urls import path

from zwfw.catalog import public_views

urlpatterns = [
    path("", public_views.items, name="items"),
    path("items/<str:code>/", public_views.guide, name="guide"),
    path(
        "items/<str:code>/v<int:number>/materials/<int:position>/sample/",
        public_views.sample,
        name="sample",
    ),
    path("lists/", public_views.lists, name="lists"),
    path("lists/<str:department_code>/", public_views.chief_list, name="list"),
]
