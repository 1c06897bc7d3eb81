"""API.md "Talent services (seed 003)": the documented requests and answers."""

import datetime

import pytest

from tests.factories import staff, valid_id_number
from tests.talents.conftest import TODAY
from zwfw.talents.models import CardCheck, Talent
from zwfw.workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db


def test_create_talent_with_card_masked_and_encrypted(api, center_admin, county_window):
    body = {
        "name": "韩知远",
        "id_number": valid_id_number(datetime.date(1979, 3, 3), 21),
        "employer": "示范智能装备有限公司",
        "level": "A",
        "card": {"kind": "shandong", "number": "SD-0099", "valid_to": "2027-01-01", "level": "A"},
        "window": "R01",
        "center": "C370321",
    }
    r = api.login(center_admin).post("/talents", body)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["name"] == "韩**" and "*" in data["id_number"]
    assert data["cards"][0]["number"] == "SD-0099"
    talent = Talent.objects.get(pk=data["id"])
    assert talent.archive.window == county_window
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT name, id_number FROM talents_talent WHERE id = %s", [talent.pk])
        raw = c.fetchone()
    assert "韩知远" not in raw[0] and body["id_number"] not in raw[1]
    again = api.post("/talents", body)
    assert again.status_code == 409


def test_create_talent_without_card_is_ok(api, center_admin, county_window):
    body = {
        "name": "陶安然",
        "id_number": valid_id_number(datetime.date(1985, 3, 3), 22),
        "employer": "示范大学",
        "level": "C",
        "window": "R01",
        "center": "C370321",
    }
    assert api.login(center_admin).post("/talents", body).status_code == 201


def test_TC_16_card_check_answers_and_the_served_check_is_logged(
    api, setup, center_admin, county_window
):
    """TC-16: the GET answers (and writes nothing: GET never writes); the check made when
    the talent is served is a POST, logged with the card, the item and the answer."""
    item = setup["items"]["direct"]
    r = api.login(setup["wc"].person.user).get(
        f"/talents/{setup['talent'].pk}/card-check", item=item.code
    )
    assert r.status_code == 200, r.content
    assert r.json()["allowed"] is True and r.json()["reason"]
    assert CardCheck.objects.count() == 0
    r = api.post(f"/talents/{setup['talent'].pk}/card-checks", {"item": item.code})
    assert r.status_code == 201 and r.json()["allowed"] is True
    assert CardCheck.objects.count() == 1
    card = setup["talent"].cards.get()
    card.valid_to = TODAY - datetime.timedelta(days=1)
    card.save()
    r = api.get(f"/talents/{setup['talent'].pk}/card-check", item=item.code)
    assert r.json()["allowed"] is False


def test_TC_19_commissioner_endpoint_flags_late(api, center_admin, county_window, department):
    person = staff(None, department=department)
    r = api.login(center_admin).post(
        "/talents/commissioners",
        {
            "person": person.pk,
            "kind": "department",
            "department": "D-GA",
            "window": "R01",
            "center": "C370321",
            "appointed_on": "2025-09-01",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["filing_late"] is True and r.json()["filing_workdays"] == 10


def test_TC_17_request_dispatch_delay_complete_via_api(api, setup):
    it = setup["items"]
    uc = setup["uc"]
    r = api.login(uc.person.user).post(
        "/talents/requests",
        {
            "talent": setup["talent"].pk,
            "items": [it["a"].code, it["b"].code, it["c"].code],
            "by": uc.pk,
        },
    )
    assert r.status_code == 201, r.content
    req = r.json()
    assert req["status"] == "awaiting_dispatch" and req["tasks"] == []
    api.login(setup["wc"].person.user)
    d = api.post(f"/talents/requests/{req['id']}/dispatch")
    assert d.status_code == 200, d.content
    tasks = {t["department"]: t for t in d.json()["tasks"]}
    assert set(tasks) == {"D-GA", "D-JT"}
    assert tasks["D-JT"]["due_date"] == add_workdays(TODAY, 10).isoformat()
    assert api.post(f"/talents/requests/{req['id']}/dispatch").status_code == 409
    api.login(setup["dc"]["D-GA"].person.user)
    c = api.post(f"/talents/tasks/{tasks['D-GA']['id']}/complete", {"result": "已办结"})
    assert c.status_code == 200, c.content
    assert (
        api.post(f"/talents/tasks/{tasks['D-JT']['id']}/complete", {"result": "x"}).status_code
        == 403
    )
    api.login(setup["dc"]["D-JT"].person.user)
    new = (add_workdays(TODAY, 10) + datetime.timedelta(days=7)).isoformat()
    dl = api.post(
        f"/talents/tasks/{tasks['D-JT']['id']}/delay",
        {"explanation": "待省级审核", "new_due_date": new},
    )
    assert dl.status_code == 200, dl.content
    jt = [t for t in dl.json()["tasks"] if t["department"] == "D-JT"][0]
    assert jt["status"] == "delayed" and jt["due_date"] == new


def test_TC_17_single_item_request_via_api(api, setup):
    uc = setup["uc"]
    r = api.login(uc.person.user).post(
        "/talents/requests",
        {"talent": setup["talent"].pk, "items": [setup["items"]["c"].code], "by": uc.pk},
    )
    assert r.status_code == 201
    assert r.json()["status"] == "in_progress"
    assert r.json()["tasks"][0]["commissioner"] == setup["dc"]["D-JT"].pk


def test_request_by_someone_else_is_forbidden(api, setup, outsider):
    uc = setup["uc"]
    r = api.login(outsider).post(
        "/talents/requests",
        {"talent": setup["talent"].pk, "items": [setup["items"]["c"].code], "by": uc.pk},
    )
    assert r.status_code == 403
    assert api.get(f"/talents/{setup['talent'].pk}/card-check", item="nope").status_code in (
        403,
        422,
    )


def test_TC_4_coverage_endpoint(api, center_admin, county_window, talent):
    r = api.login(center_admin).get("/talents/windows/R01/coverage", center="C370321")
    assert r.status_code == 200, r.content
    assert {g["kind"] for g in r.json()["items"]} == {"unit", "window"}
    assert api.get("/talents/windows/R01/coverage").status_code == 422  # two centers have R01


def test_TW_10_referral_endpoint_links_request(api, setup):
    from zwfw.talents import services

    req = services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[setup["items"]["a"]],
        unit_commissioner=setup["uc"],
    )
    body = {"source": "12345", "ticket": "GD-1", "summary": "催办", "request": req.pk}
    r = api.login(setup["wc"].person.user).post("/talents/referrals", body)
    assert r.status_code == 201, r.content
    assert r.json()["department"] == "D-GA" and r.json()["commissioner"] == setup["dc"]["D-GA"].pk
    assert api.post("/talents/referrals", body).status_code == 409
