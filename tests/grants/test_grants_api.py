"""Grants API wiring (API.md): status codes, error shape, permissions, query counts."""

import datetime
import io

import docx
import pytest
from openpyxl import load_workbook

from tests.factories import staff
from tests.grants.factories import candidate, item, make_grant
from zwfw.grants.models import Grant, GrantProposal

D = datetime.date
POWERS = ["decide", "review_and_report", "use_seal", "coordinate"]


def grant_payload(department, person, finals, **overrides):
    body = {
        "role": "chief_service_officer",
        "grantee": person.pk,
        "department": department.code,
        "final_items": [i.code for i in finals],
        "preliminary_items": [],
        "powers": POWERS,
        "valid_from": "2025-01-01",
        "valid_to": "2026-12-31",
        "justification": "业务骨干",
        "decided_on": "2024-12-20",
        "decision_note": "领导小组2024年第5次会议",
    }
    body.update(overrides)
    return body


@pytest.fixture
def finals(department):
    return [item(department, name="保安服务公司设立许可"), item(department)]


def test_center_admin_posts_a_grant(api, center_admin, department, finals):
    """N-10: POST /grants records a decided grant and returns its id and status."""
    person = candidate(department)
    r = api.login(center_admin).post("/grants", grant_payload(department, person, finals))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["id"] == Grant.objects.get().pk
    assert body["status"] in ("active", "expiring", "expired")
    assert body["final_items"] == [i.code for i in finals]
    assert body["decided_on"] == "2024-12-20"
    assert body["decision_note"] == "领导小组2024年第5次会议"


def test_post_grant_is_idempotent(api, center_admin, department, finals):
    person = candidate(department)
    payload = grant_payload(department, person, finals)
    api.login(center_admin)
    first = api.post("/grants", payload, headers={"Idempotency-Key": "k1"})
    second = api.post("/grants", payload, headers={"Idempotency-Key": "k1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Grant.objects.count() == 1


def test_rule_refusal_has_the_error_shape(api, center_admin, department, finals):
    """C-4.3: a short term answers 422 with the rule code and the field."""
    person = candidate(department)
    r = api.login(center_admin).post(
        "/grants", grant_payload(department, person, finals, valid_to="2026-06-30")
    )
    assert r.status_code == 422
    assert r.json()["code"] == "C-4.3"
    assert r.json()["field"] == "valid_to"
    assert r.json()["message"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"final_items": ["NO-SUCH-CODE"]}, "final_items"),
        ({"valid_from": "2025-13-01"}, "valid_from"),
        ({"role": "king"}, "role"),
        ({"powers": ["everything"]}, "powers"),
        ({"department": "NOPE"}, None),
        ({"grantee": 999999}, None),
    ],
)
def test_bad_input_is_a_4xx_never_a_500(api, center_admin, department, finals, change, field):
    person = candidate(department)
    r = api.login(center_admin).post(
        "/grants", {**grant_payload(department, person, finals), **change}
    )
    assert 400 <= r.status_code < 500, r.content
    assert "code" in r.json() and "message" in r.json()
    if field:
        assert r.json()["field"].startswith(field)


def test_department_admin_cannot_post_a_grant(api, dept_admin, department, finals):
    """N-10: departments propose; they do not record grants."""
    r = api.login(dept_admin).post(
        "/grants", grant_payload(department, candidate(department), finals)
    )
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"


def test_anonymous_is_401(client):
    assert client.get("/api/v1/grants").status_code == 401


def test_proposal_and_leading_group_decision(api, dept_admin, lg, department, finals):
    """N-10: POST /grants/proposals then POST /grants/proposals/{id}/decision."""
    person = candidate(department)
    body = grant_payload(department, person, finals, valid_from="2026-12-01", valid_to="2028-11-30")
    for key in ("decided_on", "decision_note"):
        body.pop(key)
    r = api.login(dept_admin).post("/grants/proposals", body)
    assert r.status_code == 201, r.content
    proposal_id = r.json()["id"]
    assert r.json()["status"] == "pending"
    r = api.post(f"/grants/proposals/{proposal_id}/decision", {"result": "approve"})
    assert r.status_code == 403
    r = api.login(lg).post(
        f"/grants/proposals/{proposal_id}/decision",
        {"result": "approve", "members_present": [lg.person.pk], "note": "同意"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["proposal"]["status"] == "approved"
    assert r.json()["grant"]["grantee"] == person.pk
    assert r.json()["decision"]["members_present"] == [lg.person.pk]
    r = api.post(f"/grants/proposals/{proposal_id}/decision", {"result": "reject", "note": "x"})
    assert r.status_code == 409
    assert api.get("/grants/proposals").json()["count"] == 1
    assert api.get(f"/grants/proposals/{proposal_id}").json()["grant"] == Grant.objects.get().pk


def test_proposal_refusals(api, dept_admin, department, other_department, finals):
    """N-9 and C-2.1 through the API."""
    api.login(dept_admin)
    newcomer = candidate(department, service_start_date=D(2026, 6, 1))
    body = grant_payload(
        department, newcomer, finals, valid_from="2026-12-01", valid_to="2028-11-30"
    )
    r = api.post("/grants/proposals", body)
    assert (r.status_code, r.json()["code"]) == (422, "N-9")
    body = grant_payload(
        department,
        candidate(department),
        [item(other_department)],
        valid_from="2026-12-01",
        valid_to="2028-11-30",
    )
    r = api.post("/grants/proposals", body)
    assert (r.status_code, r.json()["code"]) == (422, "C-2.1")
    assert GrantProposal.objects.count() == 0


def test_list_and_detail(
    api, center_admin, department, other_department, django_assert_max_num_queries
):
    for _ in range(3):
        make_grant(center_admin, department, business_domain=f"领域{_}", justification="多领域")
    make_grant(center_admin, other_department)
    api.login(center_admin)
    with django_assert_max_num_queries(12):
        r = api.get("/grants", page_size=50)
    assert r.status_code == 200
    assert r.json()["count"] == 4
    r = api.get("/grants", department=department.code, role="chief_service_officer")
    assert r.json()["count"] == 3
    grant_id = r.json()["items"][0]["id"]
    detail = api.get(f"/grants/{grant_id}").json()
    assert detail["decisions"][0]["kind"] == "appoint"
    assert api.get("/grants", status="nonsense").status_code == 422
    assert api.get("/grants", page_size=500).status_code == 422


def test_list_query_count_does_not_grow_with_rows(
    api, center_admin, department, other_department, django_assert_max_num_queries
):
    make_grant(center_admin, department)
    api.login(center_admin)
    with django_assert_max_num_queries(12) as few:
        api.get("/grants")
    baseline = len(few.captured_queries)
    for n in range(4):
        make_grant(center_admin, other_department, business_domain=f"d{n}", justification="j")
    with django_assert_max_num_queries(baseline):
        assert api.get("/grants").json()["count"] == 5


def test_department_admin_sees_only_own_department(
    api, center_admin, department, other_department, dept_admin
):
    make_grant(center_admin, department)
    other = make_grant(center_admin, other_department)
    api.login(dept_admin)
    assert api.get("/grants").json()["count"] == 1
    assert api.get(f"/grants/{other.pk}").status_code == 404


def test_revoke_and_renew(api, lg, center_admin, department):
    """N-12: POST /grants/{id}/revoke {"reason"} and /renew {"valid_to"}."""
    grant = make_grant(center_admin, department, valid_from=D(2025, 1, 1), valid_to=D(2026, 12, 31))
    api.login(lg)
    r = api.post(
        f"/grants/{grant.pk}/renew", {"valid_to": "2028-12-31", "decided_on": "2026-06-01"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["valid_to"] == "2028-12-31"
    r = api.post(f"/grants/{grant.pk}/revoke", {})
    assert r.status_code == 422
    r = api.post(f"/grants/{grant.pk}/revoke", {"reason": ""})
    assert (r.status_code, r.json()["code"]) == (422, "N-12")
    r = api.post(
        f"/grants/{grant.pk}/revoke", {"reason": "调离审批岗位", "decided_on": "2026-06-02"}
    )
    assert r.status_code == 200
    assert r.json()["status"] == "revoked"
    assert r.json()["revocation_reason"] == "调离审批岗位"
    assert api.post(f"/grants/{grant.pk}/revoke", {"reason": "again"}).status_code == 409


def test_window_staff_cannot_revoke(api, clerk, center_admin, department):
    grant = make_grant(center_admin, department)
    r = api.login(clerk).post(f"/grants/{grant.pk}/revoke", {"reason": "x"})
    assert r.status_code == 403


def test_letter_downloads(api, center_admin, department, finals):
    """C-A2: GET /grants/{id}/letter.docx and letter.pdf."""
    grant = make_grant(center_admin, department, final=finals)
    api.login(center_admin)
    r = api.get(f"/grants/{grant.pk}/letter.docx")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "保安服务公司设立许可" in text
    r = api.get(f"/grants/{grant.pk}/letter.pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert api.get("/grants/999999/letter.pdf").status_code == 404


def test_roster_route_is_not_taken_for_an_id(api, center_admin, department, dept_admin, clerk):
    """C-A3: GET /grants/roster.xlsx?department= ; phones in full for admins only."""
    make_grant(center_admin, department, grantee=candidate(department, phone="13712345678"))
    for user, phone in ((dept_admin, "13712345678"), (clerk, "137****5678")):
        r = api.login(user).get("/grants/roster.xlsx", department=department.code)
        assert r.status_code == 200, r.content
        sheet = load_workbook(io.BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[2][4] == phone
    assert api.get("/grants/roster.xlsx", department="NOPE").status_code == 404


def test_authority_endpoint(api, center_admin, department, finals):
    """N-13: the authority query names the grant and its scope."""
    grant = make_grant(center_admin, department, final=finals)
    api.login(center_admin)
    r = api.get("/grants/authority", person=grant.grantee_id, item=finals[0].code, on="2025-06-01")
    assert r.json() == {
        "authorized": True,
        "grant": grant.pk,
        "scope": "final",
        "powers": sorted(POWERS),
        "valid_from": "2025-01-01",
        "valid_to": "2026-12-31",
    }
    r = api.get("/grants/authority", person=grant.grantee_id, item=finals[0].code, on="2027-01-01")
    assert r.json()["authorized"] is False


def test_section_head_filing_api(api, dept_admin, department):
    """R-12: POST /grants/section-heads files the section head."""
    person = candidate(department)
    r = api.login(dept_admin).post(
        "/grants/section-heads",
        {"department": department.code, "person": person.pk, "filed_on": "2025-01-01"},
    )
    assert r.status_code == 201, r.content
    assert api.get("/grants/section-heads").json()[0]["person"] == person.pk
    outsider = staff(None, department=department)
    r = api.post("/grants/section-heads", {"department": department.code, "person": outsider.pk})
    assert (r.status_code, r.json()["code"]) == (422, "R-12")
