"""Org API: /auth/token, /departments, /people — wiring, error shape, permissions."""

import pytest

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "钱晓光",
    "gender": "female",
    "birth_date": "1990-02-03",
    "phone": "13800138000",
    "id_number": "11010519491231002X",
    "department": "D-GA",
    "established": True,
    "unit_start_date": "2015-07-01",
    "service_start_date": "2019-01-01",
}


def test_create_department_as_center_admin(api, center_admin, center):
    r = api.login(center_admin).post(
        "/departments", {"code": "D-NEW", "name": "新局", "center": center.code}
    )
    assert r.status_code == 201, r.content
    assert r.json()["code"] == "D-NEW" and r.json()["center"] == center.code


def test_create_department_refused_to_department_admin(api, dept_admin):
    r = api.login(dept_admin).post("/departments", {"code": "D-NEW", "name": "新局"})
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden" and r.json()["message"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": "缺代码"}, "code"),
        ({"code": "", "name": "空代码"}, "code"),
        ({"code": "X", "name": "x", "center": "NOPE"}, "center"),
    ],
)
def test_bad_department_input_gives_422_with_field(api, platform_admin, body, field):
    r = api.login(platform_admin).post("/departments", body)
    assert r.status_code == 422
    assert r.json()["field"] == field
    assert set(r.json()) >= {"code", "message"}


def test_duplicate_department_is_409(api, platform_admin, department):
    r = api.login(platform_admin).post("/departments", {"code": department.code, "name": "x"})
    assert r.status_code == 409


def test_create_and_get_person_masks_personal_data(api, dept_admin, department):
    r = api.login(dept_admin).post(
        "/people",
        {**PERSON, "username": "qianxg", "password": "Qxg#2026ok", "roles": ["window_staff"]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["phone"] == "138****8000"
    assert body["id_number"] == "110105********002X"
    assert body["roles"] == ["window_staff"]
    got = api.get(f"/people/{body['id']}")
    assert got.status_code == 200 and got.json()["name"] == "钱晓光"


def test_idempotency_key_returns_first_person(api, dept_admin, department):
    api.login(dept_admin)
    first = api.post("/people", PERSON, headers={"Idempotency-Key": "k-1"})
    again = api.post("/people", PERSON, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert api.get("/people").json()["count"] == 2  # the admin and this one person


@pytest.mark.parametrize(
    "change,field",
    [
        ({"birth_date": "1990-13-01"}, "birth_date"),
        ({"gender": "unknown"}, "gender"),
        ({"id_number": "110105194912310021"}, "id_number"),
        ({"phone": "1"}, "phone"),
        ({"department": "NOPE"}, None),
    ],
)
def test_bad_person_input_gives_4xx_with_error_shape(api, dept_admin, department, change, field):
    r = api.login(dept_admin).post("/people", {**PERSON, **change})
    assert 400 <= r.status_code < 500
    assert r.json()["message"]
    if field:
        assert r.json()["field"] == field


def test_department_admin_sees_only_own_department(api, dept_admin, department, outsider):
    r = api.login(dept_admin).get("/people")
    assert {p["department"] for p in r.json()["items"]} == {department.code}
    assert api.get(f"/people/{outsider.person.id}").status_code == 404


def test_people_list_has_no_query_per_row(
    api, center_admin, department, django_assert_max_num_queries
):
    from tests.factories import staff

    for _ in range(15):
        staff("window_staff", department=department)
    api.login(center_admin)
    with django_assert_max_num_queries(8):
        r = api.get("/people", page_size=200)
    assert r.json()["count"] >= 15


def test_page_size_over_200_is_refused(api, center_admin):
    r = api.login(center_admin).get("/people", page_size=500)
    assert r.status_code == 422 and r.json()["field"] == "page_size"


def test_openapi_document_is_served(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and "/api/v1/people" in r.json()["paths"]
