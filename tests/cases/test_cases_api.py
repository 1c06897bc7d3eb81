"""The case API: wiring, status codes, the error shape, permissions, query counts."""

import datetime

import pytest
import time_machine

from tests.cases.factories import FINAL_MATERIALS, receive
from tests.factories import valid_id_number
from zwfw.cases.models import Case

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    # A Friday before 国庆 2025; every endpoint reads today from the clock.
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        yield


def body(the_item, **over):
    data = {
        "item": the_item.code,
        "channel": "window",
        "materials": FINAL_MATERIALS,
        "applicant": {
            "kind": "person",
            "name": "张三",
            "id_number": valid_id_number(D(1990, 1, 1), 11),
            "phone": "13912345678",
        },
    }
    data.update(over)
    return data


def test_create_case_returns_number_and_status(api, clerk, item):
    r = api.login(clerk).post("/cases", body(item))
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["number"].endswith("-20250926-00001") and data["status"] == "received"
    assert data["acceptance_deadline"] == "2025-10-10"
    assert data["applicant"] == "张*"
    assert {m["name"] for m in data["materials"]} == {"申请书", "营业执照", "场地租赁合同"}


def test_idempotency_key_returns_the_first_case(api, clerk, item):
    api.login(clerk)
    first = api.post("/cases", body(item), headers={"Idempotency-Key": "k-1"})
    again = api.post("/cases", body(item), headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "change,field",
    [
        ({"item": "NOPE"}, "item"),
        ({"channel": "fax"}, "channel"),
        ({"materials": [{"name": "申请书", "form": "both"}]}, "materials"),
        (
            {
                "applicant": {
                    "kind": "person",
                    "name": "张三",
                    "id_number": "123",
                    "phone": "13912345678",
                }
            },
            "applicant.id_number",
        ),
        (
            {
                "applicant": {
                    "kind": "organisation",
                    "name": "某公司",
                    "credit_code": "X",
                    "phone": "13912345678",
                }
            },
            "applicant.credit_code",
        ),
        (
            {
                "applicant": {
                    "kind": "person",
                    "name": "张三",
                    "id_number": valid_id_number(D(1990, 1, 1), 3),
                }
            },
            "applicant.phone",
        ),
        ({"project": 999}, "project"),
    ],
)
def test_create_case_bad_input_gives_4xx_error_shape(api, clerk, item, change, field):
    r = api.login(clerk).post("/cases", body(item, **change))
    assert r.status_code == 422, r.content
    data = r.json()
    assert set(data) >= {"code", "message"} and data.get("field", "").startswith(field)


def test_r18_form_both_is_refused_with_rule_code(api, clerk, item):
    """R-18: one form per material."""
    r = api.login(clerk).post("/cases", body(item, materials=[{"name": "申请书", "form": "both"}]))
    assert r.json()["code"] == "R-18"


def test_outsider_and_anonymous_are_refused(api, client, outsider, item):
    assert (
        client.post("/api/v1/cases", body(item), content_type="application/json").status_code == 401
    )
    r = api.login(outsider).post("/cases", body(item))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_full_flow_through_the_api(api, clerk, chief, item, dept_admin):
    """L-ACCEPT, R-16, L-PAUSE, L-LIMIT, N-13 through every action endpoint."""
    api.login(clerk)
    number = api.post("/cases", body(item, materials=["申请书"])).json()["number"]
    r = api.post(
        f"/cases/{number}/supplement-notice",
        {"missing": [{"name": "申请书", "problem": "未签字"}], "note": "请补齐"},
    )
    assert r.status_code == 200 and r.json()["status"] == "awaiting_supplement"
    assert [i["name"] for i in r.json()["notice"]["items"]] == ["申请书", "营业执照"]
    r = api.post(f"/cases/{number}/supplement-notice", {"missing": ["营业执照"]})
    assert r.status_code == 409  # not in the state any more
    r = api.post(f"/cases/{number}/supplement", {"materials": ["申请书", "营业执照"]})
    assert r.json()["status"] == "received"
    r = api.post(f"/cases/{number}/accept")
    assert r.json()["status"] == "accepted" and r.json()["due_date"] == "2025-10-30"
    r = api.post(f"/cases/{number}/pause", {"reason": "site_inspection", "note": "踏勘"})
    assert r.json()["status"] == "paused"
    r = api.post(f"/cases/{number}/pause", {"reason": "site_inspection"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    assert api.post(f"/cases/{number}/resume").json()["status"] == "accepted"
    r = api.post(f"/cases/{number}/extend", {"days": 5, "reason": "复杂"})
    assert r.status_code == 403 and r.json()["code"] == "L-LIMIT"
    r = api.post(f"/cases/{number}/decide", {"result": "approve"})
    assert r.status_code == 422 and r.json()["code"] == "N-13"
    api.login(dept_admin)
    r = api.post(f"/cases/{number}/extend", {"days": 5, "reason": "需要会商"})
    assert r.json()["extension_days"] == 5
    r = api.post(f"/cases/{number}/extend", {"days": 5, "reason": "再延"})
    assert r.status_code == 422 and r.json()["code"] == "L-LIMIT"
    api.login(chief)
    r = api.post(
        f"/cases/{number}/decide", {"result": "approve", "opinion": "同意", "use_seal": True}
    )
    data = r.json()
    assert data["status"] == "decided" and data["decided_by"] == chief.person.name
    assert data["grant"] is not None
    r = api.post(f"/cases/{number}/complete")
    assert r.status_code == 422 and r.json()["code"] == "delivery_required"
    assert api.post(f"/cases/{number}/delivery", {"method": "window"}).status_code == 201
    assert api.post(f"/cases/{number}/complete").json()["status"] == "completed"
    r = api.get(f"/cases/{number}")
    assert [e["action"] for e in r.json()["events"]][:3] == [
        "receive",
        "supplement_notice",
        "supplement",
    ]


def test_refuse_withdraw_terminate_first_review_and_refer_errors(api, clerk, dept_admin, item):
    api.login(clerk)
    a = api.post("/cases", body(item)).json()["number"]
    assert api.post(f"/cases/{a}/refuse", {}).status_code == 422
    r = api.post(
        f"/cases/{a}/refuse", {"reason": "不属于本部门职权", "competent_authority": "应急局"}
    )
    assert r.json()["status"] == "refused"
    b = api.post("/cases", body(item)).json()["number"]
    assert (
        api.post(f"/cases/{b}/withdraw", {"reason": "申请人撤回"}).json()["status"] == "withdrawn"
    )
    c = api.post("/cases", body(item)).json()["number"]
    assert api.post(f"/cases/{c}/terminate", {"reason": "主体注销"}).status_code == 403
    api.post(f"/cases/{c}/accept")
    r = api.post(f"/cases/{c}/first-review", {"opinion": "同意"})
    assert r.status_code == 422 and r.json()["code"] == "N-13"
    r = api.post(f"/cases/{c}/refer", {"meeting": 9999})
    assert r.status_code == 422 and r.json()["field"] == "meeting"
    assert api.post(f"/cases/{c}/fly", {}).status_code == 404
    assert api.post("/cases/NOPE/accept").status_code == 404
    api.login(dept_admin)
    assert (
        api.post(f"/cases/{c}/terminate", {"reason": "主体注销"}).json()["status"] == "terminated"
    )


def test_list_filters_and_query_count(api, clerk, item, django_assert_max_num_queries):
    api.login(clerk)
    for _ in range(3):
        receive(clerk, item, on=D(2025, 9, 26))
    accepted = receive(clerk, item, on=D(2025, 9, 26))
    api.post(f"/cases/{accepted.number}/accept")
    with django_assert_max_num_queries(8):
        r = api.get("/cases", status="received")
    assert r.json()["count"] == 3
    assert api.get("/cases", alert_level="green").json()["count"] == 4
    assert api.get("/cases", overdue="true").json()["count"] == 0
    assert api.get("/cases", department=item.department.code).json()["count"] == 4
    for bad in (
        {"status": "x"},
        {"alert_level": "blue"},
        {"department": "NONE"},
        {"page_size": 500},
    ):
        r = api.get("/cases", **bad)
        assert r.status_code == 422 and "code" in r.json()


def test_list_is_scoped_to_department(api, clerk, outsider, item):
    receive(clerk, item, on=D(2025, 9, 26))
    assert api.login(outsider).get("/cases").json()["count"] == 0
    r = api.get(f"/cases/{Case.objects.get().number}")
    assert r.status_code == 404


def test_public_query_shows_status_and_nothing_personal(client, clerk, item):
    """R-16: progress queries are answered; the same 未找到 for a wrong number or phone."""
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26), phone="13912345678")
    from zwfw.cases import services

    services.send_supplement_notice(case=case, by=clerk, missing=[], on=D(2025, 9, 26))
    r = client.get(f"/api/v1/public/cases/{case.number}", {"phone_last4": "5678"})
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "awaiting_supplement"
    assert data["notice"]["items"][0]["name"] == "营业执照"
    assert "13912345678" not in r.content.decode() and data["applicant"].endswith("公司")
    wrong = client.get(f"/api/v1/public/cases/{case.number}", {"phone_last4": "0000"})
    missing = client.get("/api/v1/public/cases/QL-19990101-00001", {"phone_last4": "5678"})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json()


def test_public_query_is_rate_limited(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.CASES_PUBLIC_QUERY_LIMIT = (3, 60)
    codes = [
        client.get("/api/v1/public/cases/X", {"phone_last4": "1234"}).status_code for _ in range(5)
    ]
    assert codes == [404, 404, 404, 429, 429]
    cache.clear()
