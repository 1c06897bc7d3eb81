"""Staff pages of supervision: wiring, errors beside fields, who sees what, home panels and
query counts of lists (no query per row)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.factories import officer
from tests.factories import staff
from tests.grants.factories import make_grant
from tests.supervision.factories import TZ
from zwfw.core.models import AuditEvent
from zwfw.documents.xlsx import write_xlsx
from zwfw.supervision import services
from zwfw.supervision.models import (
    HotlineFeedback,
    Inspection,
    InspectionDraw,
    InterferenceReport,
)
from zwfw.supervision.services.hotline import TEMPLATE_HEADERS, HotlineRow

D = datetime.date
pytestmark = pytest.mark.django_db
SEPT = {"period_start": D(2026, 9, 1), "period_end": D(2026, 9, 30)}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=TZ), tick=False):
        yield


def login(client, user):
    client.force_login(user)
    return client


def count(client, path, assert_max) -> int:
    with assert_max(60) as captured:
        r = client.get(path)
        assert r.status_code == 200, r.content[:500]
        return len(captured.captured_queries)


def test_new_draw_page_draws_and_shows_the_result(client, supervisor, population, pool):
    """N-17: the form draws, then the detail page lists cases, inspectors and the seed."""
    login(client, supervisor)
    assert "抽取并分派" in client.get("/supervision/draws/new/").content.decode()
    r = client.post(
        "/supervision/draws/new/",
        {
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
            "size": "4",
            "strata": "department",
            "method": "case_file",
            "seed": "99",
        },
    )
    draw = InspectionDraw.objects.get()
    assert r.status_code == 302 and r.url == f"/supervision/draws/{draw.pk}/"
    body = client.get(r.url).content.decode()
    assert "<code>99</code>" in body and draw.population_digest in body
    for row in Inspection.objects.filter(draw=draw).select_related("inspector", "case"):
        assert row.case.number in body and row.inspector.name in body
    replay = client.post(f"/supervision/draws/{draw.pk}/replay/").content.decode()
    assert "复核一致" in replay


def test_new_draw_error_is_shown_beside_the_field(client, supervisor, population, pool):
    """N-17: a period that is not over yet is refused beside the end date."""
    login(client, supervisor)
    r = client.post(
        "/supervision/draws/new/",
        {
            "period_start": "2026-09-01",
            "period_end": "2026-10-09",
            "size": "3",
            "strata": "none",
            "method": "on_site",
        },
    )
    assert r.status_code == 422
    assert "抽查期间须已结束" in r.content.decode()
    assert not InspectionDraw.objects.exists()


def test_new_draw_page_is_for_supervisors(client, center_admin):
    assert login(client, center_admin).get("/supervision/draws/new/").status_code == 403


def test_inspector_records_a_finding_on_the_task_page(client, supervisor, population, pool):
    """N-17: the inspector sees the task on the home page and records the finding."""
    draw = services.create_draw(by=supervisor, size=3, seed=5, **SEPT)
    row = Inspection.objects.filter(draw=draw).select_related("inspector__user", "case").first()
    login(client, row.inspector.user)
    home = client.get("/").content.decode()
    assert "待记录的抽查检查" in home and row.case.number in home
    page = client.get(f"/supervision/tasks/{row.pk}/").content.decode()
    assert row.case.number in page and "提交检查结论" in page
    bad = client.post(
        f"/supervision/tasks/{row.pk}/", {"result": "problem", "method": "case_file", "note": "x"}
    )
    assert bad.status_code == 422 and "存在问题时须选择问题类别" in bad.content.decode()
    ok = client.post(
        f"/supervision/tasks/{row.pk}/",
        {"result": "problem", "method": "case_file", "category": "overdue", "note": "超期"},
    )
    assert ok.status_code == 302
    row.refresh_from_db()
    assert row.result == "problem"
    # Someone else's task is not found.
    other = next(p for p in pool if p.pk != row.inspector_id)
    assert login(client, other.user).get(f"/supervision/tasks/{row.pk}/").status_code == 404


def test_department_sees_and_records_its_rectification(client, supervisor, population, pool):
    """N-17: the department admin's home panel lists the open rectification; the page records it."""
    draw = services.create_draw(by=supervisor, size=3, seed=5, **SEPT)
    row = Inspection.objects.filter(draw=draw).select_related("inspector__user").first()
    services.record_finding(
        by=row.inspector.user,
        inspection=row,
        result="problem",
        method="on_site",
        category="missing_materials",
        note="缺材料",
    )
    admin = staff("department_admin", department=row.department).user
    login(client, admin)
    home = client.get("/").content.decode()
    assert "抽查发现问题待整改" in home and "2026-10-22" in home
    r = row.rectification
    assert client.post(f"/supervision/rectifications/{r.pk}/", {"measures": ""}).status_code == 422
    ok = client.post(
        f"/supervision/rectifications/{r.pk}/",
        {"measures": "已补齐材料", "rectified_on": "2026-10-09"},
    )
    assert ok.status_code == 302
    r.refresh_from_db()
    assert r.status == "rectified"


def test_lists_do_not_grow_with_rows(
    client, supervisor, population, pool, django_assert_max_num_queries
):
    """Draw list, draw detail, tasks, rectifications, pool: no query per row."""
    first = services.create_draw(by=supervisor, size=2, seed=1, **SEPT)
    row = Inspection.objects.filter(draw=first).select_related("inspector__user").first()
    services.record_finding(
        by=row.inspector.user,
        inspection=row,
        result="problem",
        method="case_file",
        category="other",
        note="问题",
    )
    login(client, supervisor)
    draws = count(client, "/supervision/draws/", django_assert_max_num_queries)
    small = count(client, f"/supervision/draws/{first.pk}/", django_assert_max_num_queries)
    rects = count(client, "/supervision/rectifications/?status=all", django_assert_max_num_queries)
    pool_page = count(client, "/supervision/pool/", django_assert_max_num_queries)
    big = services.create_draw(by=supervisor, size=12, seed=2, **SEPT)
    for row in Inspection.objects.filter(draw=big).select_related("inspector__user")[:4]:
        services.record_finding(
            by=row.inspector.user,
            inspection=row,
            result="problem",
            method="case_file",
            category="other",
            note="问题",
        )
    for n in range(3):
        services.create_draw(by=supervisor, size=2, seed=10 + n, **SEPT)
    login(client, supervisor)
    with django_assert_max_num_queries(draws):
        client.get("/supervision/draws/")
    with django_assert_max_num_queries(small):
        client.get(f"/supervision/draws/{big.pk}/")
    with django_assert_max_num_queries(rects):
        client.get("/supervision/rectifications/?status=all")
    with django_assert_max_num_queries(pool_page):
        client.get("/supervision/pool/")


def test_task_list_does_not_grow_with_rows(
    client, supervisor, department, other_department, django_assert_max_num_queries
):
    from tests.supervision.factories import closed_case, inspector

    person = inspector(other_department)
    for i in range(8):
        closed_case(department, on=D(2026, 9, 1 + i))
    services.create_draw(by=supervisor, size=1, seed=1, **SEPT)
    login(client, person.user)
    base = count(client, "/supervision/tasks/", django_assert_max_num_queries)
    services.create_draw(by=supervisor, size=7, seed=2, **SEPT)
    with django_assert_max_num_queries(base):
        assert client.get("/supervision/tasks/").content.decode().count("记录检查结论") >= 8


def test_pool_page_adds_and_removes(client, supervisor, clerk):
    login(client, supervisor)
    r = client.post("/supervision/pool/", {"person": clerk.person.pk, "since": "2026-10-01"})
    assert r.status_code == 302
    assert clerk.person.name in client.get("/supervision/pool/").content.decode()
    client.post(f"/supervision/pool/{clerk.person.pk}/toggle/")
    clerk.person.inspector_membership.refresh_from_db()
    assert not clerk.person.inspector_membership.active


def _tickets(supervisor, department, n, start=1):
    services.save_hotline(
        by=supervisor,
        rows=[
            HotlineRow(
                ticket_number=f"H-{i:05d}",
                received_on=D(2026, 9, 1 + i % 28),
                kind="complaint" if i % 2 else "praise",
                content=f"工单内容{i}",
                caller_phone="13800001111",
                department=department.code,
            )
            for i in range(start, start + n)
        ],
    )


def test_hotline_pages(client, supervisor, department, django_assert_max_num_queries):
    """TW-10: list with filters (phone masked), detail, monthly summary; no query per row."""
    _tickets(supervisor, department, 2)
    login(client, supervisor)
    base = count(client, "/supervision/hotline/", django_assert_max_num_queries)
    summary = count(
        client, "/supervision/hotline/summary/?year=2026", django_assert_max_num_queries
    )
    _tickets(supervisor, department, 20, start=10)
    with django_assert_max_num_queries(base):
        body = client.get("/supervision/hotline/").content.decode()
    assert "138****1111" in body and "13800001111" not in body
    with django_assert_max_num_queries(summary):
        body = client.get("/supervision/hotline/summary/?year=2026").content.decode()
    assert department.name in body and "echarts" in body
    filtered = client.get("/supervision/hotline/?kind=praise").content.decode()
    assert "H-00002" in filtered and "H-00001" not in filtered
    t = HotlineFeedback.objects.get(ticket_number="H-00001")
    assert "工单内容1" in client.get(f"/supervision/hotline/{t.pk}/").content.decode()


def test_hotline_import_page_lists_row_errors(client, supervisor):
    """TW-10: the import page shows every bad row and imports nothing."""
    login(client, supervisor)
    template = client.get("/supervision/hotline/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd")
    content = write_xlsx(
        TEMPLATE_HEADERS,
        [
            ["A-1", "2026-09-01", "投诉", "内容"] + [""] * 8,
            ["A-2", "2026-09-01", "吐槽", "内容"] + [""] * 8,
        ],
    )
    r = client.post("/supervision/hotline/import/", {"file": SimpleUploadedFile("t.xlsx", content)})
    assert r.status_code == 422
    body = r.content.decode()
    assert "第3行" in body and "诉求类型须为" in body
    assert not HotlineFeedback.objects.exists()


def test_hotline_new_page(client, supervisor, department):
    login(client, supervisor)
    r = client.post(
        "/supervision/hotline/new/",
        {
            "ticket_number": "N-1",
            "received_on": "2026-10-08",
            "kind": "help",
            "content": "求助",
            "department": department.code,
        },
    )
    assert r.status_code == 302
    bad = client.post(
        "/supervision/hotline/new/",
        {
            "ticket_number": "N-2",
            "received_on": "2026-10-08",
            "kind": "help",
            "content": "求助",
            "case": "NOPE",
        },
    )
    assert bad.status_code == 422 and "未找到办件" in bad.content.decode()


def test_interference_form_receipt_and_discipline_list(
    client, center_admin, department, discipline, auditor, django_assert_max_num_queries
):
    """N-7: the chief officer files and sees the receipt only; the discipline role lists and
    reads; center admin and auditor get 403; reading is audited without content."""
    person = officer(department)
    make_grant(center_admin, department, grantee=person)
    login(client, person.user)
    assert "登记干预记录" in client.get("/supervision/").content.decode()
    data = {
        "interferer_name": "王某",
        "occurred_on": "2026-10-08",
        "manner": "phone",
        "content": "要求先批后补",
    }
    bad = client.post("/supervision/interference/new/", {**data, "case": "NOPE"})
    assert bad.status_code == 422 and "未找到办件" in bad.content.decode()
    r = client.post("/supervision/interference/new/", data)
    report = InterferenceReport.objects.get()
    assert r.url == f"/supervision/interference/receipt/{report.receipt_number}/"
    receipt = client.get(r.url).content.decode()
    assert report.receipt_number in receipt and "要求先批后补" not in receipt
    assert client.get("/supervision/interference/").status_code == 403
    for user in (center_admin, auditor):
        login(client, user)
        assert client.get("/supervision/interference/").status_code == 403
        assert client.get(f"/supervision/interference/{report.receipt_number}/").status_code == 403
        assert client.get(r.url).status_code == 404
    login(client, discipline)
    base = count(client, "/supervision/interference/", django_assert_max_num_queries)
    url = f"/supervision/interference/{report.receipt_number}/"
    detail = client.get(url).content.decode()
    # GET never writes: the content shows after the recorded 查看干预内容 POST.
    assert "要求先批后补" not in detail and "查看干预内容" in detail
    assert not AuditEvent.objects.filter(action="view_interference").exists()
    detail = client.post(url, {"reveal": "1"}).content.decode()
    assert "要求先批后补" in detail
    assert AuditEvent.objects.filter(action="view_interference").count() == 1
    login(client, person.user)
    for _ in range(3):
        client.post("/supervision/interference/new/", data)
    login(client, discipline)
    with django_assert_max_num_queries(base):
        assert client.get("/supervision/interference/").content.decode().count("GY2026") >= 4


def test_interference_form_is_for_chief_officers(client, clerk):
    """N-7: the form is offered to chief officers in office only."""
    login(client, clerk)
    assert client.get("/supervision/interference/new/").status_code == 403
    assert "登记干预记录" not in client.get("/supervision/").content.decode()


def test_fault_tolerance_pages(
    client, discipline, clerk, center_admin, django_assert_max_num_queries
):
    """N-21: the discipline role records, lists and reads; nobody else."""
    login(client, discipline)
    data = {
        "person": clerk.person.pk,
        "event": "容缺受理超期",
        "innovation_context": "先行先试",
        "error": "未跟踪",
        "decision": "mitigate",
        "basis": "符合情形",
        "decided_on": "2026-10-08",
    }
    r = client.post("/supervision/fault-tolerance/new/", data)
    assert r.status_code == 302
    assert "减责" in client.get(r.url).content.decode()
    bad = client.post("/supervision/fault-tolerance/new/", {**data, "decided_on": "2026-10-10"})
    assert bad.status_code == 422 and "认定日期不能晚于今天" in bad.content.decode()
    base = count(client, "/supervision/fault-tolerance/", django_assert_max_num_queries)
    for _ in range(3):
        client.post("/supervision/fault-tolerance/new/", data)
    with django_assert_max_num_queries(base):
        client.get("/supervision/fault-tolerance/")
    login(client, center_admin)
    assert client.get("/supervision/fault-tolerance/").status_code == 403
    assert client.get(r.url).status_code == 403
    assert client.get("/supervision/fault-tolerance/new/").status_code == 403


def test_supervisor_home_panel(client, supervisor, population, pool):
    services.create_draw(by=supervisor, size=2, seed=3, title="十月抽查", **SEPT)
    body = login(client, supervisor).get("/").content.decode()
    assert "进行中的双随机抽查" in body and "十月抽查" in body
