"""Pages of the resident-staff app: forms reach the services, documents carry the data,
lists do not query per row."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from zwfw.staff.models import Admission, AnnualGrade, ChangeLetter, LeaveRequest, MonthlyAssessment

D = datetime.date
pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    d = docx.Document(io.BytesIO(content))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def test_menu_entry_and_index_for_readers_only(client, center_admin, dept_admin, outsider):
    from zwfw.staff.selectors import may_open

    assert may_open(center_admin) and may_open(dept_admin) and not may_open(outsider)
    client.force_login(outsider)
    assert client.get("/staff/").status_code == 403
    client.force_login(center_admin)
    assert client.get("/staff/").status_code == 200


@time_machine.travel("2025-09-20 10:00 +0800", tick=False)
def test_apply_and_review_through_pages(
    client, dept_admin, center_admin, department, young, make_person
):
    client.force_login(dept_admin)
    old = make_person(name="超龄", birth_date=D(1970, 1, 1))
    r = client.post(
        "/staff/admissions/new/",
        {"department": department.pk, "person": old.pk, "start_date": "2025-10-09"},
    )
    assert r.status_code == 200 and "进驻人员管理办法》第六条" in r.content.decode()
    r = client.post(
        "/staff/admissions/new/",
        {"department": department.pk, "person": young.pk, "start_date": "2025-10-09"},
    )
    a = Admission.objects.get(person=young)
    assert r.status_code == 302 and r.url == f"/staff/admissions/{a.pk}/"
    page = client.get(r.url).content.decode()
    assert "form-review" not in page
    client.force_login(center_admin)
    assert "form-review" in client.get(r.url).content.decode()
    r = client.post(
        f"/staff/admissions/{a.pk}/",
        {
            "result": "pass",
            "hr_reviewer": "组织部 王",
            "reviewed_on": "2025-09-20",
            "union_transferred": "on",
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "admitted" and a.union_transferred
    assert "李青" in client.get("/staff/residents/").content.decode()


@time_machine.travel("2025-09-20 10:00 +0800", tick=False)
def test_R_11_change_letter_scan_reply_documents(
    client, dept_admin, center_admin, resident, make_person
):
    newcomer = make_person(name="接任")
    client.force_login(dept_admin)
    scan = SimpleUploadedFile("函.pdf", b"%PDF-1.4 test scan", content_type="application/pdf")
    r = client.post(
        "/staff/changes/",
        {
            "assignment": resident.pk,
            "new_person": newcomer.pk,
            "letter_no": "示公函〔2025〕11号",
            "reason": "原进驻人员借调",
            "scan": scan,
        },
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    letter = ChangeLetter.objects.get()
    assert letter.scan_kind == "pdf"
    r = client.get(f"/staff/changes/{letter.pk}/scan/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert client.get(f"/staff/changes/{letter.pk}/reply.pdf").status_code == 404
    client.force_login(center_admin)
    r = client.post(f"/staff/changes/{letter.pk}/", {"approved": "1", "reply_no": "", "note": ""})
    assert r.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "approved"
    r = client.get(f"/staff/changes/{letter.pk}/reply.docx")
    text = docx_text(r.content)
    assert "同意上述调整" in text and "接任" in text and "示公函〔2025〕11号" in text
    text = pdf_text(client.get(f"/staff/changes/{letter.pk}/reply.pdf").content)
    assert "接任" in text


@time_machine.travel("2025-09-25 10:00 +0800", tick=False)
def test_R_19_leave_page_center_approves(client, dept_admin, center_admin, resident):
    client.force_login(dept_admin)
    r = client.post(
        "/staff/leave/",
        {
            "action": "request",
            "person": resident.person_id,
            "kind": "sick",
            "start": "2025-09-26",
            "end": "2025-09-30",
            "reason": "病",
        },
    )
    assert r.status_code == 302
    leave = LeaveRequest.objects.get()
    assert leave.workdays == 4  # 26 (Fri), 28 (adjusted Sunday), 29, 30
    assert "批准</button>" not in client.get("/staff/leave/").content.decode()
    client.force_login(center_admin)
    client.post("/staff/leave/", {"action": "approve", "leave": leave.pk})
    leave.refresh_from_db()
    assert leave.status == "approved"


def _month_rows(center, department, people):
    now = datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC)
    for i, p in enumerate(people):
        MonthlyAssessment.objects.create(
            person=p,
            center=center,
            department=department,
            month=D(2025, 10, 1),
            score=Decimal(80 + i),
            parts={
                "facts": {"received": 3},
                "parts": [
                    {"code": "base", "name": "基础分", "formula": "基础分 60", "points": "60.00"}
                ],
            },
            computed_at=now,
        )


@time_machine.travel("2025-11-03 10:00 +0800", tick=False)
def test_R_21_bulletin_page_pdf_xlsx(
    client, center_admin, dept_admin, center, resident, django_assert_max_num_queries
):
    client.force_login(center_admin)
    r = client.post(
        "/staff/assessments/", {"action": "publish", "month": "2025-10", "center": center.code}
    )
    assert r.status_code == 302
    bulletin_url = r.url
    page = client.get(bulletin_url).content.decode()
    assert "李青" in page
    pk = bulletin_url.rstrip("/").split("/")[-1]
    text = pdf_text(client.get(f"/staff/bulletins/{pk}.pdf").content)
    assert "考核情况通报" in text and "李青" in text
    wb = load_workbook(io.BytesIO(client.get(f"/staff/bulletins/{pk}.xlsx").content))
    rows = list(wb.active.values)
    # No cases and no ratings: base 60 + the two rates at full weight (15 + 10).
    assert rows[2][1] == "李青" and rows[2][3] == 85.0
    with django_assert_max_num_queries(20):
        client.get("/staff/bulletins/")
    with django_assert_max_num_queries(25):
        client.get("/staff/assessments/?month=2025-10")
    client.force_login(dept_admin)
    assert client.get(bulletin_url).status_code == 200


def test_R_22_R_23_grades_page_and_letters(client, center_admin, center, department, make_person):
    """R-22, R-23: annual grades within the 优秀 quota, and a results letter to each home
    department (docx and PDF)."""
    people = [make_person(name=f"进驻{i}") for i in range(7)]
    _month_rows(center, department, people)
    client.force_login(center_admin)
    r = client.post(
        "/staff/grades/",
        {
            "year": "2025",
            "center": center.code,
            "action": "assign",
            **{f"grade_{p.pk}": "excellent" for p in people[:2]},
        },
    )
    assert r.status_code == 302 and not AnnualGrade.objects.exists()
    r = client.post("/staff/grades/", {"year": "2025", "center": center.code, "action": "propose"})
    assert AnnualGrade.objects.filter(grade="excellent").count() == 1
    page = client.get("/staff/grades/?year=2025").content.decode()
    assert f"/staff/grades/2025/{department.pk}.docx" in page
    text = docx_text(client.get(f"/staff/grades/2025/{department.pk}.docx").content)
    assert "进驻6" in text and "优秀" in text and department.name in text
    assert "进驻6" in pdf_text(client.get(f"/staff/grades/2025/{department.pk}.pdf").content)


def test_R_24_half_year_report_draft(client, center_admin, resident, dept_admin):
    """R-24: the half-year report draft counts the period's admissions (docx and PDF)."""
    applied = timezone.localtime(resident.admission.applied_at).date()
    year, half = applied.year, 1 if applied.month <= 6 else 2
    q = f"?year={year}&half={half}"
    client.force_login(center_admin)
    page = client.get("/staff/report/" + q).content.decode()
    assert f"{year}年{'上' if half == 1 else '下'}半年" in page
    text = docx_text(client.get("/staff/report.docx" + q).content)
    assert "进驻人员选进" in text and "审核进驻1人" in text
    assert "执行情况" in pdf_text(client.get("/staff/report.pdf" + q).content)
    client.force_login(dept_admin)
    assert client.get("/staff/report/").status_code == 403


def test_pages_render_for_department_admin(client, dept_admin, resident):
    client.force_login(dept_admin)
    for url in [
        "/staff/",
        "/staff/admissions/",
        "/staff/residents/",
        "/staff/gaps/",
        "/staff/changes/",
        "/staff/leave/",
        "/staff/assessments/",
        "/staff/bulletins/",
        "/staff/grades/",
        "/staff/officers/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/staff/complaints/").status_code == 403


def test_lists_do_not_query_per_row(
    client, center_admin, dept_admin, department, make_person, django_assert_max_num_queries
):
    """GET lists: the number of queries does not grow with the rows."""
    from zwfw.staff.models import Admission

    for i in range(6):
        p = make_person(name=f"批量{i}")
        a = services_apply(dept_admin, p, department)
        if i % 2:
            from zwfw.staff import services as staff_services

            staff_services.review_admission(
                by=center_admin, admission=a, result="pass", hr_reviewer="组织部"
            )
    assert Admission.objects.count() == 6
    client.force_login(center_admin)
    for url in [
        "/staff/admissions/",
        "/staff/residents/",
        "/staff/changes/",
        "/staff/leave/",
        "/staff/gaps/",
        "/staff/",
    ]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url


def services_apply(dept_admin, person, department):
    from zwfw.staff import services as staff_services

    return staff_services.apply_admission(
        by=dept_admin, person=person, department=department, start_date=D(2025, 9, 1)
    )
