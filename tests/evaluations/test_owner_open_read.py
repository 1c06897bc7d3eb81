"""The department admin's open-tickets panel (evaluations.selectors.owner_open_rectifications):
compiled once (core.prepared) from the scope scope_q decides, it answers the rows, in the
order, of the queryset and of the panel's earlier query, in every scope."""

import datetime

import pytest

from tests.factories import global_staff, staff
from tests.org.rows import same_rows
from zwfw.core.permissions import Role, scope_q
from zwfw.evaluations import home, selectors, services
from zwfw.evaluations.models import OPEN_RECTIFICATION, Evaluation, Rectification

D = datetime.date


def _copy(rect, **fields):
    """Another ticket like `rect`, of its own rating (no case: no rating constraint applies)."""
    evaluation = Evaluation.objects.get(pk=rect.evaluation_id)
    evaluation.pk = evaluation.id = None
    evaluation.case = None
    evaluation.department_id = fields.get("department_id", rect.department_id)
    evaluation.save()
    copy = Rectification.objects.get(pk=rect.pk)
    copy.pk = copy.id = None
    copy.evaluation = evaluation
    copy.case = None
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy


@pytest.fixture
def rect(case):
    """A 非常不满意 of the case on 2026-09-30 (as tests/evaluations/test_rectification.py)."""
    services.rate_case(case=case, level=1, channel="sms", comment="多跑了两趟", on=D(2026, 9, 30))
    return Rectification.objects.get()


@pytest.fixture
def users(rect, center, department, other_department, dept_admin, center_admin, clerk):
    for n in range(11):  # more than the panel shows, due in an order of their own
        _copy(rect, next_due_date=D(2026, 10, 20) - datetime.timedelta(days=(n * 7) % 11))
    _copy(rect, next_due_date=None, alert_level="red", escalated=True)
    _copy(rect, status="closed", next_due_date=D(2026, 9, 1))
    _copy(rect, department_id=other_department.pk, next_due_date=D(2026, 10, 2))
    _copy(rect, department_id=other_department.pk, status="reported")
    _copy(rect, department_id=None, center_id=center.pk, next_due_date=D(2026, 10, 1))
    return {
        "dept_admin": dept_admin,
        "other_admin": staff("department_admin", department=other_department).user,
        "center_scoped": staff("department_admin", center=center).user,
        "global": global_staff("department_admin").user,
        "center_admin": center_admin,
        "clerk": clerk,
    }


def _before(user):
    """The query the panel ran before the read was prepared."""
    return list(
        Rectification.objects.filter(
            scope_q(user, (Role.DEPARTMENT_ADMIN,)), status__in=OPEN_RECTIFICATION
        )
        .select_related("department", "evaluation")
        .order_by("next_due_date", "id")[:10]
    )


def test_the_prepared_read_answers_the_queryset_s_rows_in_every_scope(users, superuser):
    for name, user in {**users, "superuser": superuser}.items():
        got = selectors.owner_open_rectifications(user)
        same_rows(got, list(selectors._owner_open(scope_q(user, (Role.DEPARTMENT_ADMIN,)))))
        assert [r.pk for r in got] == [r.pk for r in _before(user)], name
    assert len(selectors.owner_open_rectifications(users["dept_admin"])) == 10
    assert len(selectors.owner_open_rectifications(users["other_admin"])) == 2
    owners = {r.department_id for r in selectors.owner_open_rectifications(users["center_scoped"])}
    assert None in owners  # the center's own ticket, by its center column
    assert selectors.owner_open_rectifications(users["clerk"]) == []
    assert selectors.owner_open_rectifications(users["center_admin"]) == []


def test_the_panel_shows_the_same_rows(users, django_assert_num_queries):
    for name, user in users.items():
        panel = home.open_rectifications_panel(user)
        if panel is None:
            assert name in ("center_admin", "clerk")
            continue
        assert panel.rows == [home._row(r) for r in _before(user)], name
    home.open_rectifications_panel(users["center_scoped"])
    with django_assert_num_queries(2):  # the center's sub-centers, the tickets: nothing deferred
        home.open_rectifications_panel(users["center_scoped"])
