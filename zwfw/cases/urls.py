from django.urls import path

from zwfw.cases import docs_views, ledger_views, steps_views, views

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
    # 首问登记 (issue 12 point 5): before the case number patterns, which would take them.
    path("inquiries/", docs_views.inquiries, name="inquiries"),
    path("inquiries/stats/", docs_views.inquiry_stats, name="inquiry_stats"),
    path("inquiries/<int:pk>/notice.pdf", docs_views.inquiry_notice, name="inquiry_notice"),
    path("<str:number>/", views.detail, name="detail"),
    # Receipt, decision document and delivery (point 6): before documents/<kind> and actions.
    path(
        "<str:number>/documents/decision.pdf",
        docs_views.decision_document,
        name="decision_document",
    ),
    path("<str:number>/documents/receipt.pdf", docs_views.intake_receipt, name="intake_receipt"),
    path("<str:number>/delivery/", docs_views.deliver, name="deliver"),
    path("<str:number>/documents/<str:kind>.pdf", views.document, name="document"),
    path("<str:number>/applicant/rename/", views.rename_applicant, name="rename_applicant"),
    # Normal-procedure steps (issue 12 point 1): before the generic action pattern.
    path("<str:number>/steps/", steps_views.record_step, name="record_step"),
    path("<str:number>/<str:action>/", views.act, name="act"),
]
