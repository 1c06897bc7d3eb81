"""Org services: people, departments, centers, scopes (R-25) and personal data."""

import datetime

import pytest

from tests.factories import RegionFactory
from zwfw.core.errors import RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.org import services
from zwfw.org.models import ServiceCenter

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def person_kwargs(department, **extra):
    return {
        "name": "赵一鸣",
        "gender": "male",
        "birth_date": datetime.date(1988, 5, 4),
        "phone": "13912345678",
        "department": department,
        "unit_start_date": datetime.date(2012, 9, 1),
        "service_start_date": datetime.date(2019, 9, 1),
        "today": TODAY,
        **extra,
    }


def test_department_admin_creates_person_with_account_and_role(dept_admin, department):
    person = services.create_person(
        by=dept_admin,
        username="zhaoyiming",
        password="Zyx#2026ok",
        roles=["window_staff"],
        **person_kwargs(department),
    )
    assert person.user.username == "zhaoyiming"
    assert person.user.check_password("Zyx#2026ok")
    assert list(person.user.role_assignments.values_list("role", "department_id")) == [
        ("window_staff", department.pk)
    ]
    event = AuditEvent.objects.get(action="create_person")
    assert "13912345678" not in str(event.after)


def test_department_admin_cannot_touch_another_department(dept_admin, other_department):
    with pytest.raises(RuleViolation) as exc:
        services.create_person(by=dept_admin, **person_kwargs(other_department))
    assert exc.value.status == 403


def test_center_admin_covers_departments_of_sub_centers(center_admin, center):
    """R-25: branch and township centers follow the same rules, under their parent center."""
    county = services.create_center(
        by=center_admin,
        code="CTY",
        name="某县中心",
        level=ServiceCenter.Level.COUNTY,
        region=RegionFactory(),
        parent=center,
    )
    department = services.create_department(
        by=center_admin, code="CTYD", name="某县某局", center=county
    )
    person = services.create_person(by=center_admin, **person_kwargs(department))
    assert person.department == department


def test_county_center_needs_a_parent(platform_admin):
    """R-25: a county or township center hangs under a parent center."""
    with pytest.raises(RuleViolation) as exc:
        services.create_center(
            by=platform_admin,
            code="X",
            name="孤立中心",
            level=ServiceCenter.Level.COUNTY,
            region=RegionFactory(),
        )
    assert exc.value.code == "R-25"


def test_center_path_allows_scope_without_recursion(center_admin, center):
    county = services.create_center(
        by=center_admin,
        code="C2",
        name="县中心",
        level=ServiceCenter.Level.COUNTY,
        region=RegionFactory(),
        parent=center,
    )
    town = services.create_center(
        by=center_admin,
        code="C3",
        name="镇中心",
        level=ServiceCenter.Level.TOWNSHIP,
        region=RegionFactory(),
        parent=county,
    )
    assert town.path_ids() == [center.pk, county.pk, town.pk]
    assert set(center.descendant_ids()) >= {center.pk, county.pk, town.pk}


@pytest.mark.parametrize(
    "field,value,code",
    [
        ("id_number", "110105194912310021", "invalid_id_number"),
        ("phone", "12345", "invalid_phone"),
        ("gender", "x", "invalid"),
        ("birth_date", datetime.date(2030, 1, 1), "invalid"),
        ("unit_start_date", datetime.date(1970, 1, 1), "invalid"),
    ],
)
def test_bad_person_fields_are_refused_with_field(dept_admin, department, field, value, code):
    with pytest.raises(RuleViolation) as exc:
        services.create_person(by=dept_admin, **person_kwargs(department, **{field: value}))
    assert exc.value.code == code
    assert exc.value.field == field


def test_duplicate_id_number_is_refused(dept_admin, department):
    services.create_person(
        by=dept_admin, id_number="11010519491231002X", **person_kwargs(department)
    )
    with pytest.raises(RuleViolation) as exc:
        services.create_person(
            by=dept_admin,
            id_number="11010519491231002x",
            **person_kwargs(department, name="另一人"),
        )
    assert exc.value.status == 409


def test_weak_password_is_refused(dept_admin, department):
    with pytest.raises(RuleViolation) as exc:
        services.create_person(
            by=dept_admin, username="weak", password="abcdefgh", **person_kwargs(department)
        )
    assert exc.value.field == "password"


def test_refused_person_leaves_no_account(dept_admin, department):
    from django.contrib.auth import get_user_model

    with pytest.raises(RuleViolation):
        services.create_person(
            by=dept_admin,
            username="ghost",
            password="Ghost#2026",
            roles=["nonsense"],
            **person_kwargs(department),
        )
    assert not get_user_model().objects.filter(username="ghost").exists()


def test_update_person_reencrypts_and_audits(dept_admin, department):
    person = services.create_person(by=dept_admin, **person_kwargs(department))
    services.update_person(
        by=dept_admin, person=person, phone="13700001111", position="科长", today=TODAY
    )
    person.refresh_from_db()
    assert person.phone == "13700001111" and person.position == "科长"
    event = AuditEvent.objects.get(action="update_person")
    assert event.after["position"] == "科长"
    assert "13700001111" not in str(event.after)


def test_center_roles_need_center_admin(dept_admin, department, center):
    person = services.create_person(
        by=dept_admin, username="u1", password="Abc#12345", **person_kwargs(department)
    )
    with pytest.raises(RuleViolation):
        services.assign_role(by=dept_admin, user=person.user, role="center_admin", center=center)
