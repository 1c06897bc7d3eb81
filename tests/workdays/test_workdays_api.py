"""Working-day API: paths and fields of API.md, error shape, permissions (L-CAL)."""

import pytest

from tests.workdays.factories import ADJUSTED_2027, HOLIDAYS_2027

pytestmark = pytest.mark.django_db

BODY_2027 = {
    "holidays": [{"date": str(d), "name": n} for d, n in HOLIDAYS_2027],
    "adjusted_workdays": [{"date": str(d), "name": n} for d, n in ADJUSTED_2027],
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
}


@pytest.fixture
def user_api(api, clerk):
    return api.login(clerk)


def test_day_kind(user_api):
    """L-CAL: GET /workdays/{date} gives kind and name."""
    r = user_api.get("/workdays/2025-10-06")
    assert r.status_code == 200
    assert r.json() == {
        "date": "2025-10-06",
        "workday": False,
        "kind": "holiday",
        "name": "国庆节、中秋节",
        "provisional": False,
    }
    assert user_api.get("/workdays/2025-09-28").json()["kind"] == "adjusted_workday"
    assert user_api.get("/workdays/2026-03-01").json()["kind"] == "weekend"
    assert user_api.get("/workdays/2026-03-02").json()["kind"] == "workday"
    assert user_api.get("/workdays/2027-03-01").json()["provisional"] is True


def test_add(user_api):
    """L-CAL: GET /workdays/add: the N-th working day after start, start not counted."""
    r = user_api.get("/workdays/add", start="2025-09-30", days=1)
    assert r.status_code == 200
    assert r.json() == {"date": "2025-10-09", "provisional": False}
    r = user_api.get("/workdays/add", start="2026-12-25", days=10)
    assert r.json()["provisional"] is True


def test_count(user_api):
    """L-CAL: GET /workdays/count: working days in (start, end]."""
    r = user_api.get("/workdays/count", start="2026-02-13", end="2026-02-28")
    assert r.status_code == 200
    assert r.json() == {"count": 6, "provisional": False}
    r = user_api.get("/workdays/count", start="2026-02-13", end="2026-02-13")
    assert r.json() == {"count": 0, "provisional": False}


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("/workdays/2025-13-01", {}, "date"),
        ("/workdays/yesterday", {}, "date"),
        ("/workdays/1999-01-01", {}, "date"),
        ("/workdays/add", {"start": "2025-02-30", "days": 1}, "start"),
        ("/workdays/add", {"start": "2025-01-01"}, "days"),
        ("/workdays/add", {"days": 1}, "start"),
        ("/workdays/add", {"start": "2025-01-01", "days": 0}, "days"),
        ("/workdays/add", {"start": "2025-01-01", "days": -3}, "days"),
        ("/workdays/add", {"start": "2025-01-01", "days": "many"}, "days"),
        ("/workdays/add", {"start": "2025-01-01", "days": 10**7}, "days"),
        ("/workdays/add", {"start": "2003-12-31", "days": 1}, "start"),
        ("/workdays/count", {"start": "2025-01-10", "end": "2025-01-01"}, "end"),
        ("/workdays/count", {"start": "2025-01-10"}, "end"),
        ("/workdays/count", {"start": "2025-01-01", "end": "2100-01-01"}, "end"),
        ("/workdays/count", {"start": "x", "end": "2025-01-01"}, "start"),
        ("/workdays/years/2003", {}, "year"),
        ("/workdays/years/abcd", {}, "year"),
    ],
)
def test_bad_input_is_4xx_with_error_shape(user_api, path, params, field):
    """L-CAL: bad dates, days < 1, end before start, years out of range: 422, never 500."""
    r = user_api.get(path, **params)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["field"] == field
    assert body["code"] in ("invalid", "L-CAL") and body["message"]


def test_endpoints_need_authentication(client):
    for path in (
        "/workdays/2025-10-01",
        "/workdays/add?start=2025-01-01&days=1",
        "/workdays/years/2025",
    ):
        assert client.get(f"/api/v1{path}").status_code == 401


def test_get_year(user_api):
    r = user_api.get("/workdays/years/2026")
    assert r.status_code == 200
    body = r.json()
    assert body["year"] == 2026 and body["official"] is True and body["provisional"] is False
    assert {"date": "2026-02-14", "name": "春节"} in body["adjusted_workdays"]
    assert len(body["holidays"]) == 33
    r = user_api.get("/workdays/years/2027")
    assert r.json()["official"] is False and r.json()["holidays"] == []


def test_put_year_as_center_admin(api, platform_admin, time_machine):
    """L-CAL: PUT /workdays/years/{year} replaces the year; the next answers use it."""
    time_machine.move_to("2026-11-20 10:00 +08:00", tick=False)
    api.login(platform_admin)
    assert api.get("/workdays/add", start="2027-02-04", days=1).json() == {
        "date": "2027-02-05",
        "provisional": True,
    }
    r = api.put("/workdays/years/2027", BODY_2027)
    assert r.status_code == 200, r.content
    assert r.json()["official"] is True and r.json()["revision"] == 1
    assert len(r.json()["holidays"]) == len(HOLIDAYS_2027)
    assert api.get("/workdays/add", start="2027-02-04", days=1).json() == {
        "date": "2027-02-15",
        "provisional": False,
    }
    again = api.put("/workdays/years/2027", {**BODY_2027, "adjusted_workdays": []})
    assert again.json()["revision"] == 2 and again.json()["adjusted_workdays"] == []


@pytest.mark.parametrize("who", ["clerk", "dept_admin", "auditor"])
def test_put_year_refused_to_other_roles(request, api, who, time_machine):
    """L-CAL: only a center administrator enters the notice: 403 with the error shape."""
    time_machine.move_to("2026-11-20 10:00 +08:00", tick=False)
    r = api.login(request.getfixturevalue(who)).put("/workdays/years/2027", BODY_2027)
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden" and r.json()["message"]


@pytest.mark.parametrize(
    "year,body,field,code",
    [
        (
            2027,
            {**BODY_2027, "adjusted_workdays": [{"date": "2027-03-01", "name": "x"}]},
            "adjusted_workdays",
            "L-CAL",
        ),
        (
            2027,
            {**BODY_2027, "holidays": [{"date": "2027-02-30", "name": "春节"}]},
            "holidays.0.date",
            "invalid",
        ),
        (
            2027,
            {**BODY_2027, "holidays": [{"date": "2026-01-01", "name": "元旦"}]},
            "holidays",
            "L-CAL",
        ),
        (2027, {"adjusted_workdays": []}, "holidays", "invalid"),
        (2027, {**BODY_2027, "holidays": [{"date": "2027-01-01"}]}, "holidays.0.name", "invalid"),
        (2003, BODY_2027, "year", "L-CAL"),
        (2030, BODY_2027, "year", "L-CAL"),
        (
            2025,
            {**BODY_2027, "holidays": [{"date": "2025-01-01", "name": "元旦"}]},
            "reason",
            "L-CAL",
        ),
    ],
)
def test_put_year_bad_input(api, platform_admin, time_machine, year, body, field, code):
    """L-CAL: refusals name their field; a past year needs a reason."""
    time_machine.move_to("2026-11-20 10:00 +08:00", tick=False)
    r = api.login(platform_admin).put(f"/workdays/years/{year}", body)
    assert r.status_code == 422, r.content
    assert (r.json()["field"], r.json()["code"]) == (field, code)


def test_put_year_bad_json_is_4xx(api, platform_admin, client):
    api.login(platform_admin)
    r = client.put(
        "/api/v1/workdays/years/2027",
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert 400 <= r.status_code < 500


def test_api_answers_without_query_per_call(user_api, django_assert_max_num_queries):
    user_api.get("/workdays/2026-01-01")  # loads the calendar
    with django_assert_max_num_queries(4):  # token lookup and its user, no calendar query
        assert (
            user_api.get("/workdays/count", start="2004-01-01", end="2026-12-31").json()["count"]
            > 5000
        )
