from django.urls import path

from zwfw.catalog import channel_views, list_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("new/", views.item_create, name="item_create"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("items/<str:code>/edit/", views.item_edit, name="item_edit"),
    path("items/<str:code>/history/", views.item_history, name="item_history"),
    path("items/<str:code>/inclusion/", views.item_inclusion, name="item_inclusion"),
    path("lists/", list_views.list_overview, name="lists"),
    path("lists/campaigns/new/", list_views.campaign_create, name="campaign_create"),
    path("lists/<str:department_code>/", list_views.list_detail, name="list"),
    path("lists/<str:department_code>/submit/", list_views.list_submit, name="list_submit"),
    path("lists/<str:department_code>/review/", list_views.list_review, name="list_review"),
    path("lists/<str:department_code>/due-date/", list_views.list_due_date, name="list_due_date"),
    path("import/", list_views.import_items, name="import"),
    path("export.xlsx", list_views.export_items, name="export"),
    path("phrases/", list_views.phrases, name="phrases"),
    path("channels/", channel_views.channel_list, name="channels"),
    path("channels/<str:code>/", channel_views.channel_edit, name="channel_edit"),
    path("phrases/<int:phrase_id>/toggle/", list_views.phrase_toggle, name="phrase_toggle"),
]
