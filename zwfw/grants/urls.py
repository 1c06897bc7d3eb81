from django.urls import path

from zwfw.grants import committee_views, views

app_name = "grants"
urlpatterns = [
    path("", views.grant_list, name="grants"),
    path("roster.xlsx", views.roster_xlsx, name="roster"),
    path("<int:grant_id>/", views.grant_detail, name="grant"),
    path("<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("<int:grant_id>/renew/", views.grant_renew, name="grant_renew"),
    path("<int:grant_id>/letter.docx", views.letter_docx, name="letter_docx"),
    path("<int:grant_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/decision/", views.proposal_decide, name="proposal_decide"),
    path("section-heads/", views.section_heads, name="section_heads"),
    path("committee/", committee_views.committee_list, name="committees"),
    path("committee/<int:committee_id>/", committee_views.committee_detail, name="committee"),
    path("committee/<int:committee_id>/members/", committee_views.member_add, name="member_add"),
    path(
        "committee/<int:committee_id>/members/<int:member_id>/remove/",
        committee_views.member_remove,
        name="member_remove",
    ),
    path(
        "committee/<int:committee_id>/meetings/",
        committee_views.meeting_create,
        name="meeting_create",
    ),
    path("committee/meetings/<int:meeting_id>/", committee_views.meeting_detail, name="meeting"),
    path(
        "committee/meetings/<int:meeting_id>/attendance/",
        committee_views.meeting_attendance,
        name="meeting_attendance",
    ),
    path(
        "committee/meetings/<int:meeting_id>/agenda/", committee_views.agenda_add, name="agenda_add"
    ),
    path(
        "committee/meetings/<int:meeting_id>/agenda/<int:item_id>/decide/",
        committee_views.agenda_decide,
        name="agenda_decide",
    ),
]
