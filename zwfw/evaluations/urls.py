from django.urls import path

from zwfw.evaluations import tool_views, views

app_name = "evaluations"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/appeal/", views.file_appeal, name="file_appeal"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/<str:action>/",
        views.rectification_act,
        name="rectification_act",
    ),
    path("appeals/", views.appeal_list, name="appeals"),
    path("appeals/<int:pk>/decide/", views.decide_appeal, name="decide_appeal"),
    path("statistics/", tool_views.statistics_page, name="statistics"),
    path("devices/", tool_views.devices, name="devices"),
    path("devices/<int:pk>/deactivate/", tool_views.deactivate_device, name="deactivate_device"),
    path("qr/windows/", tool_views.qr_windows, name="qr_windows"),
    path("qr/staff/", tool_views.qr_staff, name="qr_staff"),
    path("visits/new/", tool_views.new_visit, name="new_visit"),
]
