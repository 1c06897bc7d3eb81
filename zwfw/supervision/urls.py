from django.urls import path

from zwfw.supervision import hotline_views, integrity_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("draws/", views.draw_list, name="draws"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:draw_id>/", views.draw_detail, name="draw"),
    path("draws/<int:draw_id>/replay/", views.draw_replay, name="draw_replay"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:inspection_id>/", views.task_detail, name="task"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:rectification_id>/",
        views.rectification_detail,
        name="rectification",
    ),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:person_id>/toggle/", views.pool_toggle, name="pool_toggle"),
    path("hotline/", hotline_views.hotline_list, name="hotline"),
    path("hotline/new/", hotline_views.hotline_new, name="hotline_new"),
    path("hotline/import/", hotline_views.hotline_import, name="hotline_import"),
    path("hotline/template.xlsx", hotline_views.hotline_template, name="hotline_template"),
    path("hotline/summary/", hotline_views.hotline_summary, name="hotline_summary"),
    path("hotline/<int:pk>/", hotline_views.hotline_detail, name="hotline_detail"),
    path("interference/", integrity_views.interference_list, name="interference"),
    path("interference/new/", integrity_views.interference_new, name="interference_new"),
    path(
        "interference/receipt/<str:receipt_number>/",
        integrity_views.interference_receipt,
        name="interference_receipt",
    ),
    path(
        "interference/<str:receipt_number>/",
        integrity_views.interference_detail,
        name="interference_detail",
    ),
    path("fault-tolerance/", integrity_views.fault_list, name="faults"),
    path("fault-tolerance/new/", integrity_views.fault_new, name="fault_new"),
    path("fault-tolerance/<int:record_id>/", integrity_views.fault_detail, name="fault"),
]
