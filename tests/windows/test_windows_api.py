"""Issue 12 point 4 (R-17) through the API: the center records the authorization
(POST/GET /api/v1/windows/{code}/authorizations), posts staff, the clerk takes in through
POST /api/v1/cases with "window", and agency is recorded per case."""

import datetime

import pytest

from tests.cases.factories import PHONE, org_applicant
from zwfw.windows.models import ComprehensiveAuthorization

D = datetime.date
pytestmark = pytest.mark.django_db


def _application(item, window="Z01"):
    a = org_applicant()
    return {
        "item": item.code,
        "applicant": {
            "kind": "organisation",
            "name": a.name,
            "credit_code": a.credit_code,
            "phone": PHONE,
        },
        "channel": "window",
        "materials": ["申请书", "营业执照"],
        "window": window,
    }


def test_point4_r17_api_center_admin_records_authorization(
    api, center_admin, dept_admin, window, department, item
):
    """R-17: date, approver and items recorded by the center; the department cannot."""
    body = {
        "department": department.code,
        "items": [item.code],
        "approved_on": "2025-08-29",
        "approval_ref": "示政服〔2025〕12号",
    }
    r = api.login(dept_admin).post("/windows/Z01/authorizations", body)
    assert r.status_code == 403, r.content
    r = api.login(center_admin).post("/windows/Z01/authorizations", body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["items"] == [item.code] and out["approved_by"] == center_admin.person.pk
    assert out["department"] == department.code and out["in_force"] is True
    listed = api.get("/windows/Z01/authorizations").json()
    assert listed["count"] == 1 and listed["items"][0]["approved_on"] == "2025-08-29"
    r = api.post(f"/windows/Z01/authorizations/{out['id']}/revoke", {"reason": "调整"})
    assert r.status_code == 200 and r.json()["in_force"] is False
    assert ComprehensiveAuthorization.objects.get().revoke_reason == "调整"


def test_point4_r17_api_bad_input_is_4xx(api, center_admin, window, department, other_item):
    api.login(center_admin)
    r = api.post(
        "/windows/Z01/authorizations",
        {"department": department.code, "items": [other_item.code], "approved_on": "2025-08-29"},
    )
    assert r.status_code == 422 and r.json()["field"] == "items"
    r = api.post(
        "/windows/NOPE/authorizations",
        {"department": department.code, "items": [], "approved_on": "2025-08-29"},
    )
    assert r.status_code == 404


def test_point4_r17_api_intake_at_the_window(api, zclerk, item, other_item, window, authorization):
    """R-17: POST /cases with "window" takes in an authorized item; another department's item
    is refused with the rule's code."""
    api.login(zclerk)
    r = api.post("/cases", _application(item))
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["window"] == "Z01" and case["department"] == item.department.code
    assert api.get(f"/cases/{case['number']}").json()["window"] == "Z01"
    r = api.post("/cases", _application(other_item))
    assert r.status_code == 403 and r.json()["code"] == "R-17"
    r = api.post("/cases", _application(item, window="Q99"))
    assert r.status_code == 422 and r.json()["field"] == "window"


def test_point4_r17_api_agency_record(api, zclerk, item, window, authorization):
    """R-17 全程代办 through the API: who, what, when."""
    api.login(zclerk)
    number = api.post("/cases", _application(item)).json()["number"]
    r = api.post(f"/cases/{number}/agency", {"task": "代为递交后台并领取证照"})
    assert r.status_code == 201, r.content
    assert r.json()["agent"] == zclerk.person.pk and r.json()["task"] == "代为递交后台并领取证照"
    listed = api.get(f"/cases/{number}/agency").json()
    assert listed["count"] == 1 and listed["items"][0]["agent_name"] == zclerk.person.name
    assert api.post(f"/cases/{number}/agency", {"task": ""}).status_code == 422


def test_point4_r17_api_staff_posting(api, center_admin, office, window):
    from tests.factories import staff

    person = staff("window_staff", department=office)
    api.login(center_admin)
    r = api.post("/windows/Z01/staff", {"person": person.pk, "valid_from": "2025-09-01"})
    assert r.status_code == 201, r.content
    assert api.get("/windows/Z01/staff").json()["items"][0]["person"] == person.pk
