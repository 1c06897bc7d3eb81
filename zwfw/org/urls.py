from django.urls import path

from zwfw.org import views

app_name = "org"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/posts/", views.person_posts, name="person_posts"),
    path("departments/", views.departments, name="departments"),
    path("centers/", views.centers, name="centers"),
]
