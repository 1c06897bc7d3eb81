from django.urls import path

from zwfw.cases import ledger_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("summary/", views.summary, name="summary"),
    path("new/", views.new_case, name="new"),
    path("new/<str:code>/", views.intake, name="intake"),
    path("ledgers/", ledger_views.ledgers, name="ledgers"),
    path(
        "ledgers/applicants/<int:applicant_id>/",
        ledger_views.applicant_ledger,
        name="applicant_ledger",
    ),
    path("ledgers/projects/<int:project_id>/", ledger_views.project_ledger, name="project_ledger"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/documents/<str:kind>.pdf", views.document, name="document"),
    path("<str:number>/applicant/rename/", views.rename_applicant, name="rename_applicant"),
    path("<str:number>/<str:action>/", views.act, name="act"),
]
