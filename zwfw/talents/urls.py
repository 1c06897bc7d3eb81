from django.urls import path

from zwfw.talents import views

app_name = "talents"
urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.home, name="home"),
    path("windows/<int:pk>/", views.window_page, name="window"),
    path("windows/<int:pk>/talents/", views.window_talents, name="window_talents"),
    path("windows/<int:pk>/filings/", views.file_archives, name="file_archives"),
    path("windows/<int:pk>/manage/", views.manage, name="manage"),
    path("windows/<int:pk>/grades/", views.grade_window, name="grade_window"),
    path(
        "windows/<int:pk>/grades/<int:grade_pk>/interview/",
        views.record_interview,
        name="interview",
    ),
    path("filings/<int:pk>/snapshot.docx", views.filing_document, name="filing_document"),
    path(
        "filings/<int:pk>/snapshot.pdf",
        views.filing_document,
        {"kind": "pdf"},
        name="filing_pdf",
    ),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("requests/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("requests/<int:pk>/notify/", views.notify, name="notify"),
    path("requests/<int:pk>/referrals/", views.referral, name="referral"),
    path("tasks/<int:pk>/complete/", views.complete, name="complete"),
    path("tasks/<int:pk>/delay/", views.delay, name="delay"),
    path("people/<int:pk>/", views.talent_page, name="talent"),
    path("commissioners/<int:pk>/", views.commissioner_page, name="commissioner"),
]
