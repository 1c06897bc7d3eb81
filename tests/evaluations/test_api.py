"""The 好差评 API (API.md): status codes, error shape, devices, permissions. Wiring only."""

import datetime

import pytest
import time_machine

from zwfw.evaluations import services
from zwfw.evaluations.models import Evaluation, EvaluatorDevice, Rectification

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 9, 30, 10, 0), tick=False):
        yield


def test_n18_post_evaluation_then_409_on_the_same_channel(api, case, integrator):
    """N-18 / API.md: POST /cases/{number}/evaluation → 201; the same channel again → 409."""
    api.login(integrator)
    r = api.post(
        f"/cases/{case.number}/evaluation", {"level": 5, "channel": "sms", "comment": "好"}
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["level"] == 5 and body["level_name"] == "very_satisfied"
    assert body["level_label"] == "非常满意" and body["case"] == case.number and body["good"]
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 1, "channel": "sms"})
    assert r.status_code == 409 and r.json()["code"] == "N-18" and r.json()["message"]
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 1, "channel": "web"})
    assert r.status_code == 409
    assert Evaluation.objects.count() == 1


def test_bad_input_gives_422_in_chinese(api, case, integrator):
    api.login(integrator)
    for payload, field in [
        ({"level": 9, "channel": "sms"}, "level"),
        ({"level": "很好", "channel": "sms"}, "level"),
        ({"level": 5}, "channel"),
        ({"level": 5, "channel": "carrier_pigeon"}, "channel"),
        ({"level": 5, "channel": "sms", "tags": ["nope"]}, "tags"),
        ({"channel": "sms"}, "level"),
    ]:
        r = api.post(f"/cases/{case.number}/evaluation", payload)
        assert r.status_code == 422, payload
        assert r.json()["field"] == field and any(
            "\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"]
        )
    assert api.post("/cases/NOPE-1/evaluation", {"level": 5, "channel": "sms"}).status_code == 404
    assert not Evaluation.objects.exists()


def test_l_eval_label_level_opens_a_ticket_listed_with_due_dates(api, case, integrator, dept_admin):
    """L-EVAL / API.md: an integrator's 非常不满意 (confirmed) opens a ticket;
    GET /rectifications?case=&department=&status= lists it with its status and each step's
    due_date."""
    api.login(integrator)
    r = api.post(f"/cases/{case.number}/evaluation", {"level": "非常不满意", "channel": "mobile"})
    assert r.status_code == 201 and r.json()["level"] == 1 and r.json()["rectification"]
    api.login(dept_admin)
    r = api.get("/rectifications", case=case.number, department=case.department.code, status="open")
    assert r.status_code == 200 and r.json()["count"] == 1
    item = r.json()["items"][0]
    assert item["status"] == "open" and item["case"] == case.number
    assert [(s["kind"], s["due_date"]) for s in item["steps"]] == [
        ("callback", "2026-10-08"),
        ("rectify", "2026-10-13"),
        ("report_back", "2026-10-13"),
    ]
    assert api.get("/rectifications", status="closed").json()["count"] == 0
    r = api.get("/rectifications", status="whatever")
    assert r.status_code == 422 and r.json()["field"] == "status"


def test_l_eval_rectification_actions_through_the_api(api, case, dept_admin, clerk):
    services.rate_case(case=case, level=2, channel="sms")
    rect = Rectification.objects.get()
    from tests.factories import staff

    api.login(clerk)  # window staff do not see tickets at all
    assert (
        api.post(
            f"/rectifications/{rect.pk}/callback", {"finding": "true", "note": "x"}
        ).status_code
        == 404
    )
    api.login(staff("supervisor", center=case.center).user)  # sees, may not act
    assert (
        api.post(
            f"/rectifications/{rect.pk}/callback", {"finding": "true", "note": "x"}
        ).status_code
        == 403
    )
    api.login(dept_admin)
    r = api.post(f"/rectifications/{rect.pk}/close", {"result": "好了"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    r = api.post(f"/rectifications/{rect.pk}/callback", {"finding": "true", "note": "已回访"})
    assert r.status_code == 200 and r.json()["status"] == "called_back"
    assert r.json()["steps"][0]["state"] in ("done", "late")
    r = api.post(f"/rectifications/{rect.pk}/extend", {"days": 20, "reason": "太忙"})
    assert r.status_code == 422 and r.json()["code"] == "L-EVAL"
    r = api.post(f"/rectifications/{rect.pk}/rectify", {"note": ""})
    assert r.status_code == 422 and r.json()["field"] == "note"
    assert api.get(f"/rectifications/{rect.pk}").json()["status"] == "called_back"


def test_device_token_is_hashed_and_rates_on_site(api, case, center_admin, window):
    """The center registers an evaluator device; its token is shown once, stored hashed; the
    device rates a case and a visit with the X-Device-Token header (N-18 一次一评)."""
    api.login(center_admin)
    r = api.post("/evaluations/devices", {"window": window.pk, "name": "A01评价器"})
    assert r.status_code == 201
    token = r.json()["token"]
    device = EvaluatorDevice.objects.get()
    assert device.token_digest != token and token not in device.token_digest
    assert "token" not in api.get("/evaluations/devices").json()[0]
    api.headers = {"X-Device-Token": token}
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 4})
    assert (
        r.status_code == 201 and r.json()["channel"] == "device" and r.json()["window"] == window.pk
    )
    r = api.post("/evaluations/visits", {})
    assert r.status_code == 201 and "/public/rate/visit/" in r.json()["url"]
    visit_token = r.json()["token"]
    r = api.post(f"/evaluations/visits/{visit_token}/evaluation", {"level": 5})
    assert r.status_code == 201 and r.json()["visit"]
    r = api.post(f"/evaluations/visits/{visit_token}/evaluation", {"level": 5})
    assert r.status_code == 409 and r.json()["code"] == "N-18"
    api.headers = {"X-Device-Token": "wrong"}
    assert api.post(f"/cases/{case.number}/evaluation", {"level": 4}).status_code == 401
    services.deactivate_device(by=center_admin, device=device)
    api.headers = {"X-Device-Token": token}
    assert api.post("/evaluations/visits", {}).status_code == 401


def test_idempotency_key_gives_one_rating(api, case, integrator):
    api.login(integrator)
    payload = {"level": 3, "channel": "web"}
    first = api.post(f"/cases/{case.number}/evaluation", payload, headers={"Idempotency-Key": "k1"})
    again = api.post(f"/cases/{case.number}/evaluation", payload, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Evaluation.objects.count() == 1


def test_lists_appeals_and_statistics(api, case, clerk, dept_admin, center_admin):
    """L-EVAL (申诉复核) and the statistics, through the API."""
    bad = services.rate_case(case=case, level=1, channel="sms")
    api.login(dept_admin)
    r = api.get("/evaluations", bad=True)
    assert r.status_code == 200 and r.json()["count"] == 1 and r.json()["items"][0]["id"] == bad.pk
    assert api.get("/evaluations", month="2026-13").status_code == 422
    r = api.post(f"/evaluations/{bad.pk}/appeal", {"reason": "恶意差评"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    assert api.post(f"/evaluations/{bad.pk}/appeal", {"reason": "again"}).status_code == 409
    appeal_id = r.json()["id"]
    assert (
        api.post(f"/appeals/{appeal_id}/decide", {"upheld": True, "opinion": "x"}).status_code
        == 403
    )
    api.login(center_admin)
    assert api.get("/appeals", status="pending").json()["count"] == 1
    r = api.post(f"/appeals/{appeal_id}/decide", {"upheld": True, "opinion": "成立"})
    assert r.status_code == 200 and r.json()["status"] == "upheld"
    assert api.get(f"/evaluations/{bad.pk}").json()["excluded"] is True
    r = api.get("/evaluations/statistics", dimension="department", month="2026-09")
    assert r.status_code == 200 and r.json()["total"]["excluded"] == 1
    r = api.get("/evaluations/statistics.xlsx", dimension="item", month="2026-09")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    r = api.get("/evaluations/statistics", dimension="planet")
    assert r.status_code == 422 and r.json()["field"] == "dimension"
    api.login(clerk)
    assert api.get("/evaluations/statistics").status_code == 403
    assert api.get(f"/cases/{case.number}/evaluations").status_code == 200


def test_unauthenticated_calls_are_refused(client, case):
    r = client.post(
        f"/api/v1/cases/{case.number}/evaluation",
        {"level": 5, "channel": "sms"},
        content_type="application/json",
    )
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    assert client.get("/api/v1/rectifications").status_code == 401
    assert not Evaluation.objects.exists()


def test_openapi_documents_the_paths_of_api_md(client):
    """API.md: the rating and rectification paths are in the OpenAPI document."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases/{number}/evaluation",
        "/api/v1/rectifications",
        "/api/v1/evaluations/visits",
        "/api/v1/evaluations/statistics",
    ):
        assert path in paths
