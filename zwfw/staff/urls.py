from django.urls import path

from zwfw.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("admissions/", views.admissions, name="admissions"),
    path("admissions/new/", views.admission_new, name="admission_new"),
    path("admissions/<int:pk>/", views.admission, name="admission"),
    path("residents/", views.residents, name="residents"),
    path("gaps/", views.gaps, name="gaps"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("changes/", views.changes, name="changes"),
    path("changes/<int:pk>/", views.change, name="change"),
    path("changes/<int:pk>/scan/", views.change_scan, name="change_scan"),
    path("changes/<int:pk>/reply.docx", views.reply_docx, name="reply_docx"),
    path("changes/<int:pk>/reply.pdf", views.reply_pdf, name="reply_pdf"),
    path("leave/", views.leave, name="leave"),
    path("complaints/", views.complaints, name="complaints"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/template.xlsx", views.attendance_template, name="attendance_template"),
    path("assessments/", views.assessments, name="assessments"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/<int:pk>.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("bulletins/<int:pk>.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("grades/", views.grades, name="grades"),
    path(
        "grades/<int:year>/<int:department_id>.docx", views.grades_letter_docx, name="grades_docx"
    ),
    path("grades/<int:year>/<int:department_id>.pdf", views.grades_letter_pdf, name="grades_pdf"),
    path("report/", views.report, name="report"),
    path("report.docx", views.report_docx, name="report_docx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("officers/", views.officers, name="officers"),
]
