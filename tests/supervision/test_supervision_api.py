"""Supervision API wiring (API.md): status codes, the error shape, permissions, idempotency,
query counts of lists."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.factories import officer
from tests.grants.factories import make_grant
from tests.supervision.factories import TZ, closed_case
from zwfw.core.models import AuditEvent
from zwfw.documents.xlsx import write_xlsx
from zwfw.supervision.models import HotlineFeedback, Inspection, InspectionDraw
from zwfw.supervision.services.hotline import TEMPLATE_HEADERS

D = datetime.date
pytestmark = pytest.mark.django_db
BODY = {"period_start": "2026-09-01", "period_end": "2026-09-30", "size": 6, "seed": 123456789}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=TZ), tick=False):
        yield


def _count(api, path, assert_max) -> int:
    # Counted inside the block: each request resets the connection's query log.
    with assert_max(30) as captured:
        assert api.get(path).status_code == 200
        return len(captured.captured_queries)


def test_post_draw_returns_seed_and_assignments(api, supervisor, population, pool):
    """N-17: POST /inspections/draws → {id, seed, assignments: [{case, inspector}]}; the same
    inputs and seed give the same assignments."""
    api.login(supervisor)
    first = api.post("/inspections/draws", BODY)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["id"] == InspectionDraw.objects.get().pk
    assert body["seed"] == 123456789
    assert len(body["assignments"]) == 6
    assert {"case", "inspector"} <= set(body["assignments"][0])
    second = api.post("/inspections/draws", BODY).json()
    pairs = [(a["case"], a["inspector"]) for a in body["assignments"]]
    assert pairs == [(a["case"], a["inspector"]) for a in second["assignments"]]
    assert api.get(f"/inspections/draws/{body['id']}").json()["assignments"] == body["assignments"]


def test_post_draw_is_idempotent_by_key(api, supervisor, population, pool):
    api.login(supervisor)
    body = {k: v for k, v in BODY.items() if k != "seed"}
    a = api.post("/inspections/draws", body, headers={"Idempotency-Key": "draw-1"})
    b = api.post("/inspections/draws", body, headers={"Idempotency-Key": "draw-1"})
    assert a.json() == b.json() and InspectionDraw.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**BODY, "period_end": "2026-10-09"}, 422, "period_end"),
        ({**BODY, "period_end": "2026-09-31"}, 422, "period_end"),
        ({**BODY, "size": 1000}, 422, "size"),
        ({**BODY, "departments": ["NOPE"]}, 422, "departments"),
        ({"period_start": "2026-09-01", "size": 3}, 422, "period_end"),
    ],
)
def test_post_draw_errors(api, supervisor, population, pool, body, status, field):
    """N-17: bad input → 4xx with {code, message (Chinese), field}; nothing written."""
    r = api.login(supervisor).post("/inspections/draws", body)
    assert r.status_code == status, r.content
    error = r.json()
    assert error["field"] == field and error["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert not InspectionDraw.objects.exists()


def test_post_draw_needs_a_supervisor(api, center_admin, population, pool):
    r = api.login(center_admin).post("/inspections/draws", BODY)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_replay_endpoint(api, supervisor, auditor, population, pool):
    """N-17: anyone who reads the draw can replay it and gets the same assignments."""
    draw = api.login(supervisor).post("/inspections/draws", BODY).json()
    r = api.login(auditor).post(f"/inspections/draws/{draw['id']}/replay")
    assert r.status_code == 200
    body = r.json()
    assert body["matches"] and not body["population_changed"]
    assert body["assignments"] == [
        {"case": a["case"], "inspector": a["inspector"]} for a in draw["assignments"]
    ]


def test_findings_by_the_assigned_inspector(api, supervisor, population, pool):
    """N-17: POST findings: the assigned inspector records; anyone else gets 403."""
    draw = api.login(supervisor).post("/inspections/draws", BODY).json()
    first = draw["assignments"][0]
    inspector = next(p for p in pool if p.pk == first["inspector"])
    other = next(p for p in pool if p.pk != first["inspector"])
    path = f"/inspections/draws/{draw['id']}/findings"
    finding = {
        "case": first["case"],
        "result": "problem",
        "category": "overdue",
        "note": "超期2个工作日",
    }
    assert api.login(other.user).post(path, finding).status_code == 403
    assert api.login(inspector.user).post(path, {**finding, "case": "NOPE"}).status_code == 404
    bad = api.post(path, {**finding, "category": ""})
    assert bad.status_code == 422 and bad.json()["field"] == "category"
    r = api.post(path, finding)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["result"] == "problem" and body["method"] == "case_file"
    # 10 working days from Friday 10-09, counting Saturday 10-10 (adjusted workday).
    assert body["rectification"]["due_date"] == "2026-10-22"
    assert api.post(path, finding).status_code == 409
    tasks = api.get("/inspections/tasks").json()
    assert first["case"] not in [t["case"] for t in tasks]


def test_rectification_endpoints(api, supervisor, population, pool, department):
    from tests.factories import staff

    draw = api.login(supervisor).post("/inspections/draws", BODY).json()
    row = Inspection.objects.filter(draw_id=draw["id"]).select_related("inspector__user").first()
    api.login(row.inspector.user).post(
        f"/inspections/draws/{draw['id']}/findings",
        {"case": row.case.number, "result": "problem", "category": "other", "note": "未归档"},
    )
    admin = staff("department_admin", department=row.department).user
    listed = api.login(admin).get("/inspections/rectifications", status="open").json()
    assert listed["count"] == 1
    rid = listed["items"][0]["id"]
    bad = api.post(f"/inspections/rectifications/{rid}/rectify", {"measures": ""})
    assert bad.status_code == 422 and bad.json()["field"] == "measures"
    ok = api.post(f"/inspections/rectifications/{rid}/rectify", {"measures": "已归档"})
    assert ok.status_code == 200 and ok.json()["status"] == "rectified"


def test_pool_endpoints(api, supervisor, clerk, dept_admin):
    api.login(supervisor)
    r = api.post("/inspections/pool", {"person": clerk.person.pk})
    assert r.status_code == 201 and r.json()["active"]
    assert api.post("/inspections/pool", {"person": clerk.person.pk}).status_code == 409
    r = api.patch(f"/inspections/pool/{clerk.person.pk}", {"active": False})
    assert r.status_code == 200 and not r.json()["active"]
    assert api.login(dept_admin).post("/inspections/pool", {"person": 1}).status_code in (403, 422)


def ticket(n=1, **kw):
    return {
        "ticket_number": f"12345-{n:05d}",
        "received_on": "2026-09-15",
        "kind": "complaint",
        "content": "反映办理时间过长",
        "caller_phone": "13800001111",
        **kw,
    }


def test_hotline_single_post_is_idempotent(api, supervisor, department):
    """TW-10: the same ticket posted twice gives one record (201 then 200)."""
    case = closed_case(department, on=D(2026, 9, 10))
    api.login(supervisor)
    first = api.post("/hotline/feedback", ticket(case=case.number))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["department"] == department.code and body["caller_phone"] == "138****1111"
    again = api.post("/hotline/feedback", ticket(case=case.number))
    assert again.status_code == 200 and again.json()["created"] is False
    assert HotlineFeedback.objects.count() == 1
    bad = api.post("/hotline/feedback", ticket(2, kind="骂人"))
    assert bad.status_code == 422 and bad.json()["field"] == "kind"


def test_hotline_batch_reports_row_errors(api, supervisor):
    """TW-10: a batch with bad rows saves nothing and lists every bad row."""
    api.login(supervisor)
    r = api.post("/hotline/feedback/batch", {"items": [ticket(1), ticket(2, content="")]})
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"row": 2, "code": "invalid", "message": "缺少诉求内容", "field": "content"}
    ]
    ok = api.post("/hotline/feedback/batch", {"items": [ticket(1), ticket(2)]})
    assert ok.json() == {"created": 2, "updated": 0, "unchanged": 0}
    again = api.post("/hotline/feedback/batch", {"items": [ticket(1), ticket(2)]})
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}


def test_hotline_import_endpoint(api, supervisor, client):
    content = write_xlsx(
        TEMPLATE_HEADERS, [["X-1", "2026-09-01", "建议", "建议增加窗口"] + [""] * 8]
    )
    api.login(supervisor)
    r = client.post(
        "/api/v1/hotline/import",
        {"file": SimpleUploadedFile("t.xlsx", content)},
        headers=api.headers,
    )
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 1, "updated": 0, "unchanged": 0}


def test_hotline_list_and_counts(
    api, supervisor, dept_admin, department, other_department, django_assert_max_num_queries
):
    """TW-10: departments see their tickets (phone masked); counts per department."""
    api.login(supervisor)
    api.post(
        "/hotline/feedback/batch",
        {
            "items": [
                ticket(1, department=department.code),
                ticket(2, department=other_department.code),
            ]
        },
    )
    body = api.login(dept_admin).get("/hotline/feedback").json()
    assert body["count"] == 1 and body["items"][0]["caller_phone"] == "138****1111"
    assert "13800001111" not in str(body)
    counts = api.login(supervisor).get(
        "/hotline/counts", group_by="department", start="2026-09-01", end="2026-09-30"
    )
    assert sorted(c["key"] for c in counts.json()) == sorted([department.pk, other_department.pk])
    assert (
        api.login(dept_admin)
        .get("/hotline/counts", group_by="department", start="2026-09-01", end="2026-09-30")
        .status_code
        == 403
    )
    api.login(supervisor)
    few = _count(api, "/hotline/feedback", django_assert_max_num_queries)
    # Tied to a department: a ticket with neither department nor center is for global roles
    # only (issue 11 point 9), and this supervisor is scoped to the center.
    more = [ticket(n, department=department.code) for n in range(3, 20)]
    api.post("/hotline/feedback/batch", {"items": more})
    with django_assert_max_num_queries(few):
        assert api.get("/hotline/feedback").json()["count"] == 19


def test_interference_endpoints(api, center_admin, department, discipline, auditor):
    """N-7: POST returns a receipt only; GET is for the discipline role alone."""
    person = officer(department)
    make_grant(center_admin, department, grantee=person)
    body = {
        "interferer_name": "王某",
        "occurred_on": "2026-10-08",
        "manner": "in_person",
        "content": "要求先批后补",
    }
    r = api.login(person.user).post("/interference-reports", body)
    assert r.status_code == 201, r.content
    assert set(r.json()) == {"receipt_number", "filed_at"}
    receipt = r.json()["receipt_number"]
    assert api.get("/interference-reports").status_code == 403
    for user in (center_admin, auditor):
        assert api.login(user).get("/interference-reports").status_code == 403
        assert api.get(f"/interference-reports/{receipt}").status_code == 403
    listed = api.login(discipline).get("/interference-reports").json()
    # GET never writes, so it answers without the content; reading it is a recorded POST.
    assert listed["count"] == 1 and listed["items"][0]["content"] is None
    detail = api.get(f"/interference-reports/{receipt}")
    assert detail.status_code == 200 and detail.json()["interferer_name"] is None
    assert not AuditEvent.objects.filter(action="view_interference").exists()
    opened = api.post(f"/interference-reports/{receipt}/open", {})
    assert opened.status_code == 200 and opened.json()["interferer_name"] == "王某"
    assert AuditEvent.objects.filter(action="view_interference").count() == 1
    handled = api.post(f"/interference-reports/{receipt}/handle", {"note": "已处理"})
    assert handled.status_code == 200 and handled.json()["status"] == "handled"


def test_interference_needs_a_chief_officer(api, clerk):
    body = {
        "interferer_name": "王某",
        "occurred_on": "2026-10-08",
        "manner": "phone",
        "content": "x",
    }
    r = api.login(clerk).post("/interference-reports", body)
    assert r.status_code == 403 and r.json()["code"] == "N-7"


def test_fault_tolerance_endpoints(api, discipline, clerk, center_admin):
    """N-21: the discipline role records and reads; others get 403."""
    body = {
        "person": clerk.person.pk,
        "event": "容缺受理超期",
        "innovation_context": "先行先试",
        "error": "未跟踪",
        "decision": "exempt",
        "basis": "符合容错情形",
        "decided_on": "2026-10-08",
    }
    assert api.login(center_admin).post("/fault-tolerance", body).status_code == 403
    r = api.login(discipline).post("/fault-tolerance", body)
    assert r.status_code == 201, r.content
    assert api.get(f"/fault-tolerance/{r.json()['id']}").json()["decision"] == "exempt"
    assert api.get("/fault-tolerance").json()["count"] == 1
    assert api.login(center_admin).get("/fault-tolerance").status_code == 403
    bad = api.login(discipline).post("/fault-tolerance", {**body, "decision": "x"})
    assert bad.status_code == 422 and bad.json()["field"] == "decision"


def test_draw_list_does_not_grow_with_rows(
    api, supervisor, population, pool, django_assert_max_num_queries
):
    api.login(supervisor)
    api.post("/inspections/draws", BODY)
    base = _count(api, "/inspections/draws", django_assert_max_num_queries)
    for seed in range(4):
        api.post("/inspections/draws", {**BODY, "seed": seed})
    with django_assert_max_num_queries(base):
        assert api.get("/inspections/draws").json()["count"] == 5
