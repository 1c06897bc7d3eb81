"""The resident-staff reads of the home panels (staff.selectors.ending_soon, open_assignment,
own_leave): compiled once (core.prepared), they answer the rows, in the order, of their
querysets and of the queries the panels ran before, in every scope."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CenterFactory, DepartmentFactory, PersonFactory, global_staff, staff
from tests.org.rows import same_rows
from zwfw.staff import home, selectors
from zwfw.staff.models import LeaveRequest, ResidentAssignment

D = datetime.date
ON = D(2026, 1, 10)
pytestmark = pytest.mark.django_db


def _posting(department, term_end, **fields):
    person = PersonFactory(department=department)
    return ResidentAssignment.objects.create(
        person=person,
        department=department,
        center=department.center,
        start_date=D(2023, 1, 2),
        term_end=term_end,
        **fields,
    )


@pytest.fixture
def users(center, department, other_department, center_admin, dept_admin, clerk):
    for n in range(12):  # more than the panel shows
        _posting(department, ON + datetime.timedelta(days=(n * 7) % 61))
    _posting(department, ON + datetime.timedelta(days=61))  # later
    _posting(department, ON - datetime.timedelta(days=1))  # past
    _posting(department, ON + datetime.timedelta(days=5), ended_on=D(2025, 12, 1))  # ended
    _posting(other_department, ON + datetime.timedelta(days=3))
    _posting(other_department, ON + datetime.timedelta(days=60))
    elsewhere = DepartmentFactory(code="D-ZZ")
    _posting(elsewhere, ON + datetime.timedelta(days=9))
    return {
        "center_admin": center_admin,
        "dept_admin": dept_admin,
        "other_admin": staff("department_admin", department=other_department).user,
        "supervisor": global_staff("supervisor").user,
        "empty_center_admin": staff("center_admin", center=CenterFactory()).user,
        "clerk": clerk,
    }


def _before(user, on):
    """The query ending_soon ran before the read was prepared."""
    return list(
        ResidentAssignment.objects.filter(selectors.rows_q(user))
        .select_related("person", "department", "center")
        .filter(ended_on__isnull=True)
        .filter(term_end__gte=on, term_end__lte=on + datetime.timedelta(days=60))
        .order_by("term_end", "id")
    )


def test_ending_soon_answers_the_queryset_s_rows_in_every_scope(users, superuser):
    last = ON + datetime.timedelta(days=60)
    for name, user in {**users, "superuser": superuser}.items():
        got = selectors.ending_soon(user, on=ON)
        same_rows(got, list(selectors._ending(selectors.rows_q(user), ON, last)))
        assert [a.pk for a in got] == [a.pk for a in _before(user, ON)], name
    assert len(selectors.ending_soon(users["dept_admin"], on=ON)) == 12
    assert len(selectors.ending_soon(users["center_admin"], on=ON)) == 14
    assert len(selectors.ending_soon(users["supervisor"], on=ON)) == 15
    assert selectors.ending_soon(users["empty_center_admin"], on=ON) == []
    assert selectors.ending_soon(users["clerk"], on=ON) == []


def test_the_ending_panel_shows_the_same_rows(users, django_assert_num_queries):
    today = timezone.localdate()
    for days in range(0, 60, 4):  # postings ending within 60 days of the real today
        _posting(DepartmentFactory(center=users["dept_admin"].person.department.center), today)
        _posting(users["dept_admin"].person.department, today + datetime.timedelta(days=days))
    for name, user in users.items():
        panel = home.ending_panel(user)
        if panel is None:
            assert name in ("supervisor", "clerk")
            continue
        want = _before(user, today)[:10]
        assert [r["text"] for r in panel.rows] == [
            f"{a.department.short_name or a.department.name} {a.person.name}进驻期将于"
            f"{a.term_end:%Y-%m-%d}届满"
            for a in want
        ], name
        assert [r["meta"] for r in panel.rows] == [
            f"剩余{(a.term_end - today).days}天" for a in want
        ]
    home.ending_panel(users["dept_admin"])
    with django_assert_num_queries(1):  # nothing deferred is read again
        home.ending_panel(users["dept_admin"])


def test_open_assignment_and_own_leave_answer_the_querysets(department, dept_admin):
    posting = _posting(department, D(2027, 1, 1))
    person = posting.person
    for n in range(7):  # more than the panel shows, two on one day
        start = D(2025, 3, 2) + datetime.timedelta(days=10 * (n % 6))
        LeaveRequest.objects.create(
            person=person,
            assignment=posting,
            department=department,
            center=department.center,
            kind="personal" if n % 2 else "annual",
            start=start,
            end=start + datetime.timedelta(days=1),
            workdays=2,
            reason="家事",
            requested_at=timezone.now(),
        )
    ended = _posting(department, D(2026, 1, 1), ended_on=D(2025, 6, 1)).person
    nobody = PersonFactory(department=department)
    for p in (person, ended, nobody):
        got = selectors.open_assignment(p)
        want = (
            ResidentAssignment.objects.filter(person=p, ended_on__isnull=True)
            .select_related("department", "center")
            .first()
        )
        same_rows([got] if got else [], [want] if want else [])
        leave = selectors.own_leave(p)
        same_rows(leave, list(selectors._own_leave(p.pk)))
        before = LeaveRequest.objects.filter(person=p).order_by("-start", "-id")[:5]
        assert [x.pk for x in leave] == [x.pk for x in before]
    assert selectors.open_assignment(person) == posting
    assert selectors.open_assignment(None) is None
    assert len(selectors.own_leave(person)) == 5 and selectors.own_leave(nobody) == []


def test_the_resident_panel_shows_the_same_rows(department, django_assert_num_queries):
    posting = _posting(department, D(2027, 1, 1))
    user = staff(None, department=department).user
    posting.person = user.person
    ResidentAssignment.objects.filter(pk=posting.pk).update(person=user.person)
    LeaveRequest.objects.create(
        person=user.person,
        assignment=posting,
        department=department,
        center=department.center,
        kind="annual",
        start=D(2025, 3, 3),
        end=D(2025, 3, 4),
        workdays=2,
        reason="家事",
        requested_at=timezone.now(),
    )
    panel = home.resident_panel(user)
    assert panel.rows[0] == {
        "text": "年休假 03-03至03-04（2个工作日）：待中心审批",
        "url": "/staff/leave/",
    }
    assert [r["text"] for r in panel.rows[1:]] == [
        "请假（由中心审批）",
        "我的考勤（R-21）",
        "反映进驻单位安排的无关任务",
    ]
    with django_assert_num_queries(2):  # the posting, the leave: nothing deferred read again
        home.resident_panel(user)
    assert home.resident_panel(staff(None, department=department).user) is None
