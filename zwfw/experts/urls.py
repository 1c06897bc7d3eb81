from django.urls import path

from zwfw.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("sectors/", views.sectors, name="sectors"),
    path("coverage/", views.coverage, name="coverage"),
    path("nominations/", views.nomination_list, name="nominations"),
    path("nominations/new/", views.nomination_new, name="nomination_new"),
    path("nominations/<int:pk>/", views.nomination, name="nomination"),
    path(
        "nominations/<int:pk>/form.<str:fmt>",
        views.nomination_document,
        name="nomination_document",
    ),
    path("nominations/<int:pk>/attachments/<int:aid>/", views.attachment, name="attachment"),
    path("pools/<int:campaign>/<int:sector>/", views.pool, name="pool"),
    path("ballots/<int:pk>/tally.<str:fmt>", views.tally_document, name="tally_document"),
    path("list/", views.expert_list, name="experts"),
    path("list/<int:pk>/", views.expert, name="expert"),
    path("list/<int:pk>/agreements/<int:aid>/", views.agreement, name="agreement"),
    path("list/<int:pk>/report-<int:year>.<str:fmt>", views.studio_report, name="studio_report"),
]
