"""Issue 12 point 2 (Organisation API): /centers and /windows per API.md, so an integrator
sets up a center, its windows and stationed departments without the admin site (R-25)."""

import pytest

from tests.catalog.factories import item_data
from tests.factories import DepartmentFactory, RegionFactory
from zwfw.core.models import AuditEvent
from zwfw.org.models import ServiceCenter, Window

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(db):
    return RegionFactory(code="371399", name="青岚市")


def _center(api, **body):
    return api.post("/centers", {"code": "CX", "name": "青岚市政务服务中心", **body})


# --- centers -----------------------------------------------------------------------------------


def test_point2_create_top_level_center_needs_global_admin(
    api, platform_admin, center_admin, region
):
    """R-25 / point 9 semantics: a center without a parent is platform-wide, so only a global
    center admin creates one; a center admin scoped to one center is refused."""
    refused = _center(api.login(center_admin), region=region.code)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    r = _center(api.login(platform_admin), region=region.code)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "CX" and body["level"] == "city" and body["parent"] is None
    assert body["region"] == region.code
    assert AuditEvent.objects.filter(action="create_center").exists()


def test_point2_r25_county_center_names_its_parent(api, platform_admin, center_admin, center):
    """R-25: a county or township center hangs under its parent; the level follows the
    parent's (city → county → township) and the region defaults to the parent's."""
    orphan = api.login(platform_admin).post(
        "/centers", {"code": "CTY", "name": "某县中心", "level": "county"}
    )
    assert orphan.status_code == 422, orphan.content
    assert orphan.json()["code"] == "R-25" and orphan.json()["field"] == "parent"
    api.login(center_admin)
    county = api.post("/centers", {"code": "CTY", "name": "某县中心", "parent": center.code})
    assert county.status_code == 201, county.content
    assert county.json()["level"] == "county" and county.json()["parent"] == center.code
    assert county.json()["region"] == center.region.code
    town = api.post("/centers", {"code": "TWN", "name": "某镇便民服务中心", "parent": "CTY"})
    assert town.json()["level"] == "township"
    below_town = api.post("/centers", {"code": "X", "name": "再下一级", "parent": "TWN"})
    assert below_town.status_code == 422 and below_town.json()["code"] == "R-25"
    upside_down = api.post(
        "/centers", {"code": "Y", "name": "倒挂", "parent": "TWN", "level": "county"}
    )
    assert upside_down.status_code == 422 and upside_down.json()["code"] == "R-25"


def test_point2_scoped_admin_cannot_hang_a_center_under_another(api, center_admin, region):
    from tests.factories import CenterFactory

    elsewhere = CenterFactory(code="ELSE")
    r = api.login(center_admin).post(
        "/centers", {"code": "CTY", "name": "别处县中心", "parent": elsewhere.code}
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "body,status,field",
    [
        ({"code": "", "name": "空代码"}, 422, "code"),
        ({"code": "Z", "name": "z", "parent": "NOPE"}, 422, "parent"),
        ({"code": "Z", "name": "z", "region": "NOPE"}, 422, "region"),
        ({"code": "Z", "name": "z"}, 422, "region"),  # a city center without a region
        ({"code": "Z", "name": "z", "level": "province"}, 422, "level"),
        ({"name": "缺代码"}, 422, "code"),
    ],
)
def test_point2_bad_center_input_is_4xx_in_chinese(api, platform_admin, body, status, field):
    r = api.login(platform_admin).post("/centers", body)
    assert r.status_code == status, r.content
    assert r.json()["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["message"])


def test_point2_center_idempotency_and_duplicate(api, platform_admin, center):
    api.login(platform_admin)
    body = {"code": "CTY", "name": "某县中心", "parent": center.code}
    first = api.post("/centers", body, headers={"Idempotency-Key": "c-1"})
    again = api.post("/centers", body, headers={"Idempotency-Key": "c-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert ServiceCenter.objects.filter(code="CTY").count() == 1
    duplicate = api.post("/centers", body)
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"


def test_point2_list_centers_paginated_and_filtered(api, platform_admin, center):
    api.login(platform_admin)
    for n in range(3):
        api.post("/centers", {"code": f"CT{n}", "name": f"县中心{n}", "parent": center.code})
    everything = api.get("/centers", page_size=2)
    assert everything.status_code == 200
    assert everything.json()["count"] == 4 and len(everything.json()["items"]) == 2
    children = api.get("/centers", parent=center.code).json()
    assert children["count"] == 3 and {c["level"] for c in children["items"]} == {"county"}
    assert api.get("/centers", level="city").json()["count"] == 1
    assert api.get("/centers", page_size=500).status_code == 422


# --- windows -----------------------------------------------------------------------------------


def _window(api, hall, **body):
    return api.post(
        "/windows",
        {"code": "8", "name": "公安窗口", "center": hall.code, "kind": "department", **body},
    )


def test_point2_create_department_window(api, center_admin, center, department):
    r = _window(api.login(center_admin), center, departments=[department.code])
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "8" and body["kind"] == "department"
    assert body["departments"] == [department.code] and body["center"] == center.code
    window = Window.objects.get(pk=body["id"])
    assert window.department == department  # the single department the older code reads
    assert AuditEvent.objects.filter(action="create_window").exists()


def test_point2_comprehensive_window_serves_several_departments(
    api, center_admin, center, department, other_department
):
    r = api.login(center_admin).post(
        "/windows",
        {
            "code": "Z09",
            "name": "无差别综合受理窗口",
            "center": center.code,
            "kind": "comprehensive",
            "departments": [department.code, other_department.code],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["departments"] == sorted([department.code, other_department.code])


def test_point2_county_talent_window_names_the_city_window(api, center_admin, center):
    """TW-3: a county talent window's parent is the city's; the parent code is looked up in
    the window's own center, then the centers above it."""
    api.login(center_admin)
    city_window = api.post(
        "/windows", {"code": "R01", "name": "人才窗口", "center": center.code, "kind": "talent"}
    )
    assert city_window.status_code == 201
    api.post("/centers", {"code": "CTY", "name": "某县中心", "parent": center.code})
    r = api.post(
        "/windows",
        {"code": "R01", "name": "县人才窗口", "center": "CTY", "kind": "talent", "parent": "R01"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["parent"] == "R01" and r.json()["parent_center"] == center.code


@pytest.mark.parametrize(
    "body,field",
    [
        ({"departments": []}, "departments"),  # a department window names its department
        ({"departments": ["D-GA", "D-JT"]}, "departments"),
        ({"departments": ["NOPE"]}, "departments"),
        ({"departments": ["D-GA"], "kind": "hall"}, "kind"),
        ({"departments": ["D-GA"], "parent": "NOPE"}, "parent"),
        ({"departments": ["D-GA"], "code": ""}, "code"),
        ({"departments": ["D-GA"], "center": "NOPE"}, "center"),
    ],
)
def test_point2_bad_window_input_is_422_with_field(
    api, center_admin, center, department, other_department, body, field
):
    r = _window(api.login(center_admin), center, **body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field and r.json()["message"]


def test_point2_window_department_must_be_stationed_here(api, platform_admin, center):
    elsewhere = DepartmentFactory(code="D-ELSE")  # stationed at another center
    r = _window(api.login(platform_admin), center, departments=[elsewhere.code])
    assert r.status_code == 422 and "未进驻" in r.json()["message"]


def test_point2_window_needs_center_admin_of_that_center(api, dept_admin, center, department):
    r = _window(api.login(dept_admin), center, departments=[department.code])
    assert r.status_code == 403


def test_point2_window_idempotency_duplicate_and_list(
    api, center_admin, center, department, other_department
):
    api.login(center_admin)
    first = _window(api, center, departments=[department.code])
    assert first.status_code == 201
    again = _window(api, center, departments=[department.code])
    assert again.status_code == 409 and again.json()["field"] == "code"
    key = {"Idempotency-Key": "w-1"}
    body = {"code": "9", "name": "交通窗口", "center": center.code, "kind": "department"}
    body["departments"] = [other_department.code]
    one = api.post("/windows", body, headers=key)
    two = api.post("/windows", body, headers=key)
    assert one.json()["id"] == two.json()["id"]
    listed = api.get("/windows", center=center.code, page_size=1).json()
    assert listed["count"] == 2 and len(listed["items"]) == 1
    mine = api.get("/windows", department=other_department.code).json()
    assert [w["code"] for w in mine["items"]] == ["9"]
    assert api.get("/windows", kind="talent").json()["count"] == 0
    assert api.get("/windows", center="NOPE").status_code == 422


# --- end to end --------------------------------------------------------------------------------


def test_point2_integrator_sets_up_a_center_that_takes_cases_at_once(api, platform_admin, region):
    """Point 2 end to end through the API only: center → county center → stationed
    department → window → item → window staff → a case received and accepted (R-25)."""
    api.login(platform_admin)
    assert _center(api, region=region.code).status_code == 201
    county = api.post("/centers", {"code": "CX-1", "name": "青岚县政务服务中心", "parent": "CX"})
    assert county.status_code == 201, county.content
    dept = api.post(
        "/departments", {"code": "D-CX-SC", "name": "青岚县市场监管局", "center": "CX-1"}
    )
    assert dept.status_code == 201, dept.content
    window = api.post(
        "/windows",
        {
            "code": "3",
            "name": "市场监管窗口",
            "center": "CX-1",
            "kind": "department",
            "departments": ["D-CX-SC"],
        },
    )
    assert window.status_code == 201, window.content
    item = api.post("/items", {**item_data(code="CX-ITEM-1"), "department": "D-CX-SC"})
    assert item.status_code == 201, item.content
    person = api.post(
        "/people",
        {
            "name": "窗口员",
            "gender": "female",
            "birth_date": "1992-05-06",
            "phone": "13900139001",
            "department": "D-CX-SC",
            "unit_start_date": "2016-01-01",
            "username": "cx_clerk",
            "password": "Zwfw#2026pass",
            "roles": ["window_staff"],
        },
    )
    assert person.status_code == 201, person.content

    clerk = type("Account", (), {"username": "cx_clerk"})
    api.login(clerk)
    case = api.post(
        "/cases",
        {
            "item": "CX-ITEM-1",
            "applicant": {
                "kind": "person",
                "name": "申请人",
                "id_number": "11010519491231002X",
                "phone": "13800138000",
            },
            "channel": "window",
            "materials": ["申请书", "营业执照"],
        },
    )
    assert case.status_code == 201, case.content
    number = case.json()["number"]
    assert number.startswith("CX-1-")
    accepted = api.post(f"/cases/{number}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"


def test_point2_scoped_admin_sets_up_a_sub_center(api, center_admin, center):
    """A center admin scoped to the city center sets up a county center under it, with its
    department and window (the scope covers sub-centers, R-25)."""
    api.login(center_admin)
    r = api.post("/centers", {"code": "CTY", "name": "县中心", "parent": center.code})
    assert r.status_code == 201
    dept = api.post("/departments", {"code": "D-CTY", "name": "县某局", "center": "CTY"})
    assert dept.status_code == 201
    window = _window(api, ServiceCenter.objects.get(code="CTY"), departments=["D-CTY"])
    assert window.status_code == 201, window.content


# --- the staff page ----------------------------------------------------------------------------


def test_point2_centers_page_adds_a_county_center_and_a_window(
    client, center_admin, center, department
):
    """R-25 on the page: the same services as the API (a scoped admin adds under its own
    center; without a parent it is refused with the reason)."""
    client.force_login(center_admin)
    page = client.get("/org/centers/").content.decode()
    assert "新增中心" in page and "新增窗口" in page
    orphan = client.post("/org/centers/", {"form": "center", "c-code": "CTY", "c-name": "县中心"})
    assert orphan.status_code == 422 and not ServiceCenter.objects.filter(code="CTY").exists()
    r = client.post(
        "/org/centers/",
        {"form": "center", "c-code": "CTY", "c-name": "县中心", "c-parent": center.pk},
    )
    assert r.status_code == 302
    county = ServiceCenter.objects.get(code="CTY")
    assert county.level == "county" and county.region == center.region
    r = client.post(
        "/org/centers/",
        {
            "form": "window",
            "w-center": center.pk,
            "w-code": "12",
            "w-name": "公安窗口",
            "w-kind": "department",
            "w-departments": [department.pk],
        },
    )
    assert r.status_code == 302, r.content.decode()[-800:]
    window = Window.objects.get(center=center, number="12")
    assert list(window.departments.all()) == [department]
    assert department.name in client.get("/org/centers/").content.decode()


def test_point2_centers_page_has_no_forms_for_a_department_admin(client, dept_admin):
    client.force_login(dept_admin)
    page = client.get("/org/centers/").content.decode()
    assert "新增中心" not in page
