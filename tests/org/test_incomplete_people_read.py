"""The home panel's people with incomplete records (org.selectors.incomplete_people) and the
scope it is read in: a read compiled once (core.prepared) answers exactly what the queryset
and the panel's earlier query answered, in every scope; the scope's ids
(core.permissions.scope_ids) let through what department_scope names."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CenterFactory, DepartmentFactory, global_staff, staff
from tests.org.rows import same_rows
from zwfw.core.permissions import Role, department_scope, scope_filter, scope_ids
from zwfw.org import panels, selectors
from zwfw.org.models import Person

pytestmark = pytest.mark.django_db
ADMINS = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)
CENTER = "department__center_id"  # people have no center column: their department's


@pytest.fixture
def people(center, department, other_department):
    """Incomplete records in two departments of the center (more than a panel shows) and
    in a department elsewhere; complete and inactive ones that never show."""
    elsewhere = DepartmentFactory(code="D-ZZ")
    for n in range(7):
        staff("window_staff", department=department, name=f"乙{n}", service_start_date=None)
        staff(None, department=other_department, name=f"甲{n}", service_start_date=None)
    staff(None, department=elsewhere, name="丙", service_start_date=None)
    staff(None, department=department, name="完整")
    staff(None, department=department, name="离岗", service_start_date=None, active=False)
    return elsewhere


@pytest.fixture
def users(center, department, other_department, people):
    empty_center = CenterFactory()
    return {
        "dept_admin": staff("department_admin", department=department).user,
        "two_departments": _with(
            staff("department_admin", department=department).user, other_department
        ),
        "center_admin": staff("center_admin", department=department, center=center).user,
        "platform_admin": global_staff("center_admin").user,
        "empty_center_admin": staff("center_admin", center=empty_center).user,
        "clerk": staff("window_staff", department=department).user,
    }


def _with(user, department):
    user.role_assignments.create(role=Role.DEPARTMENT_ADMIN, department=department)
    return user


def _before(user):
    """The query the panel ran before the read was prepared."""
    scope = department_scope(user, *ADMINS)
    qs = Person.objects.filter(active=True, service_start_date__isnull=True)
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    return list(qs.select_related("department").order_by("department__code", "name")[:10])


def test_the_prepared_read_answers_the_queryset_s_rows_in_every_scope(users, superuser):
    for name, user in {**users, "superuser": superuser}.items():
        got = selectors.incomplete_people(user)
        scope = department_scope(user, *ADMINS)
        built = selectors._incomplete_people(None if scope is None else sorted(scope))
        same_rows(got, list(built))
        assert [p.pk for p in got] == [p.pk for p in _before(user)], name
    assert len(selectors.incomplete_people(users["platform_admin"])) == 10
    assert selectors.incomplete_people(users["empty_center_admin"]) == []


def test_the_panel_shows_the_same_rows_and_links(users, department):
    panel = panels.incomplete_people(users["dept_admin"])
    want = _before(users["dept_admin"])
    assert [r["url"] for r in panel.rows] == [f"/org/people/{p.pk}/edit/" for p in want]
    assert panel.rows[0]["text"] == f"乙0（{department.name}）缺少从事审批工作日期"
    assert panels.incomplete_people(users["clerk"]) is None


def test_an_empty_scope_reads_no_people(users):
    with CaptureQueriesContext(connection) as captured:
        assert selectors.incomplete_people(users["empty_center_admin"]) == []
    assert not [q for q in captured.captured_queries if '"org_person"' in q["sql"]]


def test_scope_ids_name_the_rows_of_the_departments_in_scope(users, superuser):
    """core.permissions.scope_ids (what prepared reads bind, and scope_q is built from)
    lets through the people of exactly the departments department_scope names."""
    everyone = {**users, "superuser": superuser}
    for roles in (ADMINS, (Role.DEPARTMENT_ADMIN,), (Role.CENTER_ADMIN,), (Role.WINDOW_STAFF,)):
        for name, user in everyone.items():
            ids = scope_ids(user, roles)
            got = Person.objects.filter(scope_filter(**ids, center=CENTER))
            departments = department_scope(user, *roles)
            want = Person.objects.all()
            if departments is not None:
                want = want.filter(department_id__in=departments)
            assert sorted(p.pk for p in got) == sorted(p.pk for p in want), (name, roles)
    assert scope_ids(superuser, ADMINS) == {}
    assert scope_ids(AnonymousUser(), ADMINS) == {"departments": []}
    assert Person.objects.filter(scope_filter(departments=[])).count() == 0
