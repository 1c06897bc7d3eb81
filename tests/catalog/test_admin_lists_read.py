"""The department admin's list panel (catalog.selectors.admin_lists): the read compiled once
(core.prepared) answers the rows, counts and list states the queryset and the panel's
earlier query answered, for admins of one, two and no departments."""

import datetime

import pytest
from django.utils import timezone

from tests.catalog.factories import make_item
from tests.factories import DepartmentFactory, global_staff, staff
from tests.org.rows import same_rows
from zwfw.catalog import panels, selectors, services
from zwfw.catalog.selectors import _counts
from zwfw.core.permissions import Role
from zwfw.org.models import Department

pytestmark = pytest.mark.django_db
COUNTS = ("total", "included", "excluded", "undecided")


def _before(user):
    """The query the panel ran before the read was prepared."""
    ids = [
        a.department_id
        for a in user.role_assignments.all()
        if a.role == Role.DEPARTMENT_ADMIN and a.department_id
    ]
    return list(
        Department.objects.filter(id__in=ids)
        .annotate(**_counts())
        .select_related("chief_list__latest_submission")
        .order_by("code")
    )


@pytest.fixture
def users(dept_admin, other_admin, coordinator, department, other_department):
    """`department`: returned with a comment, a due date and an undecided item;
    `other_department`: never touched (no list row); a third: submitted."""
    make_item(dept_admin, department, chief_list_included=True)
    make_item(
        dept_admin,
        department,
        chief_list_included=False,
        exclusion_reason="public_safety",
        exclusion_note="涉及重大公共安全",
    )
    make_item(dept_admin, department, chief_list_included=None)
    make_item(other_admin, other_department, chief_list_included=True)
    third = DepartmentFactory(code="D-AA", center=department.center)
    third_admin = staff("department_admin", department=third).user
    make_item(third_admin, third, chief_list_included=True)
    services.submit_list(by=third_admin, department=third)
    services.decide_inclusion(
        by=dept_admin,
        item=department.items.get(chief_list_included__isnull=True),
        included=True,
    )
    services.submit_list(by=dept_admin, department=department)
    services.return_list(by=coordinator, department=department, comment="请补充未纳入说明")
    services.set_due_date(
        by=coordinator, department=department, due_date=timezone.localdate() + datetime.timedelta(3)
    )
    make_item(dept_admin, department, chief_list_included=None)
    both = staff("department_admin", department=department).user
    both.role_assignments.create(role=Role.DEPARTMENT_ADMIN, department=other_department)
    both.role_assignments.create(role=Role.DEPARTMENT_ADMIN, department=third)
    return {
        "dept_admin": dept_admin,
        "other_admin": other_admin,
        "third_admin": third_admin,
        "three_departments": both,
        "global_dept_admin": global_staff("department_admin").user,
        "coordinator": coordinator,
    }


def test_the_prepared_read_answers_the_queryset_s_rows(users):
    for name, user in users.items():
        got = selectors.admin_lists(user)
        ids = [
            a.department_id
            for a in user.role_assignments.all()
            if a.role == Role.DEPARTMENT_ADMIN and a.department_id
        ]
        same_rows(got, list(selectors._admin_lists(ids)), *COUNTS)
        before = _before(user)
        assert [(d.pk, *(getattr(d, c) for c in COUNTS)) for d in got] == [
            (d.pk, *(getattr(d, c) for c in COUNTS)) for d in before
        ], name
    assert len(selectors.admin_lists(users["three_departments"])) == 3
    assert selectors.admin_lists(users["global_dept_admin"]) == []


def test_the_panel_shows_what_it_showed(users, django_assert_num_queries):
    today = timezone.localdate()
    for name, user in users.items():
        want = [row for d in _before(user) for row in panels.department_rows(d, today)]
        panel = panels.chief_list_panel(user)
        assert (panel.rows if panel else []) == want, name
    rows = panels.chief_list_panel(users["dept_admin"]).rows
    assert [r["text"] for r in rows] == [
        "示范市公安局：1个事项未决定是否纳入清单",
        "示范市公安局首席服务员清单：已退回",
        "已退回：请补充未纳入说明",
        f"报送截止：{today + datetime.timedelta(3):%Y年%m月%d日}",
    ]
    assert panels.chief_list_panel(users["global_dept_admin"]) is None
    user = users["three_departments"]
    selectors.admin_lists(user)
    with django_assert_num_queries(1):  # nothing deferred is read again
        panels.chief_list_panel(user)
