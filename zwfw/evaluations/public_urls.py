"""Public rating pages at /public/rate/ (namespace "public_evaluations"), no login."""

from django.urls import path

from zwfw.evaluations import public_views

urlpatterns = [
    path("case/<str:token>/", public_views.case_page, name="case"),
    path("visit/<str:token>/", public_views.visit_page, name="visit"),
    path("window/<str:key>/", public_views.window_page, name="window"),
    path("staff/<str:key>/", public_views.staff_page, name="staff"),
]
