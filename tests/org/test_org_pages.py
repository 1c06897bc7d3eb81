"""Org pages: scoped lists with masked personal data, forms that show refusals."""

import pytest

from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_people_page_masks_phone_and_has_no_query_per_row(
    client, center_admin, department, django_assert_max_num_queries
):
    for _ in range(20):
        staff("window_staff", department=department, phone="13812345678")
    client.force_login(center_admin)
    with django_assert_max_num_queries(12):
        body = client.get("/org/people/").content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_person_form_shows_checksum_error_beside_field(client, dept_admin, department):
    client.force_login(dept_admin)
    r = client.post(
        "/org/people/new/",
        {
            "name": "孙测试",
            "gender": "male",
            "birth_date": "1990-01-01",
            "phone": "13800001111",
            "id_number": "110105194912310021",
            "department": department.pk,
            "unit_start_date": "2015-01-01",
        },
    )
    assert r.status_code == 200
    assert "GB 11643" in r.content.decode()


def test_person_form_creates_person(client, dept_admin, department):
    client.force_login(dept_admin)
    r = client.post(
        "/org/people/new/",
        {
            "name": "孙测试",
            "gender": "male",
            "birth_date": "1990-01-01",
            "phone": "13800001111",
            "id_number": "11010519491231002X",
            "department": department.pk,
            "unit_start_date": "2015-01-01",
            "established": "on",
        },
    )
    assert r.status_code == 302
    detail = client.get(r["Location"]).content.decode()
    assert "110105********002X" in detail


def test_department_page_refuses_creation_by_window_staff(client, clerk):
    client.force_login(clerk)
    r = client.post("/org/departments/", {"code": "X", "name": "某局"})
    assert r.status_code == 200
    assert "需要以下角色之一" in r.content.decode()


def test_centers_page_lists_windows(client, clerk, center):
    from tests.factories import WindowFactory

    WindowFactory(center=center, number="A09", name="测试窗口")
    client.force_login(clerk)
    body = client.get("/org/centers/").content.decode()
    assert "A09" in body and center.name in body


def test_person_edit_page_updates_and_audits(client, dept_admin, department):
    from zwfw.core.models import AuditEvent

    person = staff("window_staff", department=department)
    client.force_login(dept_admin)
    assert client.get(f"/org/people/{person.pk}/edit/").status_code == 200
    r = client.post(
        f"/org/people/{person.pk}/edit/",
        {
            "name": person.name,
            "gender": "male",
            "birth_date": "1985-06-01",
            "phone": "13711112222",
            "position": "副科长",
            "established": "on",
            "unit_start_date": "2015-03-01",
            "service_start_date": "2018-03-01",
            "active": "on",
        },
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.position == "副科长" and person.phone == "13711112222"
    assert AuditEvent.objects.filter(action="update_person", object_id=str(person.pk)).exists()


def test_person_edit_refused_outside_scope(client, dept_admin, outsider):
    client.force_login(dept_admin)
    assert client.get(f"/org/people/{outsider.person.pk}/edit/").status_code == 404


def test_home_panel_lists_people_missing_service_start(client, dept_admin, department):
    """N-9 needs the date approval work started: admins are asked to fill it in."""
    staff("window_staff", department=department, name="缺日期", service_start_date=None)
    client.force_login(dept_admin)
    body = client.get("/").content.decode()
    assert "待补全的人员信息" in body and "缺日期" in body
