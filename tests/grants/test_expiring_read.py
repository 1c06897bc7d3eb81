"""The expiring-grants panel's read (grants.selectors.expiring_for, N-12): compiled once
(core.prepared) with the day and the two days status_q derives from it bound as values, it
answers the rows of the queryset and of the date rule (terms.status_on) in every scope."""

import datetime
import itertools

import pytest
import time_machine
from django.utils import timezone

from tests.factories import CenterFactory, DepartmentFactory, global_staff, staff
from tests.grants.factories import make_grant
from tests.org.rows import same_rows
from zwfw.core.permissions import Role, department_scope
from zwfw.grants import home, selectors
from zwfw.grants.models import Grant
from zwfw.grants.terms import GrantStatus

D = datetime.date
TODAY = datetime.datetime(2026, 12, 10, 9, 0)
ADMINS = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)


_domains = itertools.count(1)


def _term(valid_to):
    """The shortest term C-4.3 allows, ending on `valid_to` (each in a business domain of its
    own: C-4.3 allows more than one officer of a department so)."""
    return {
        "business_domain": f"业务领域{next(_domains)}",
        "justification": "业务量大，分领域设置",
        "valid_from": valid_to.replace(year=valid_to.year - 2) + datetime.timedelta(days=1),
        "valid_to": valid_to,
    }


@pytest.fixture
def users(db, center, center_admin, department, other_department):
    elsewhere = DepartmentFactory(code="D-ZZ")
    ends = [D(2026, 12, 11) + datetime.timedelta(days=2 * n) for n in range(11)]
    for valid_to in ends:  # eleven expiring: more than the panel shows
        make_grant(center_admin, department, **_term(valid_to))
    make_grant(center_admin, other_department, **_term(D(2027, 1, 9)))  # day 30: in
    make_grant(center_admin, other_department, **_term(D(2027, 1, 10)))  # day 31: out
    revoked_in = make_grant(center_admin, other_department, **_term(D(2028, 1, 1)))
    revoked_out = make_grant(center_admin, other_department, **_term(D(2028, 1, 1)))
    Grant.objects.filter(pk=revoked_in.pk).update(revoked_on=D(2027, 1, 10))  # last day 1-9
    Grant.objects.filter(pk=revoked_out.pk).update(revoked_on=D(2027, 1, 11))
    expired = make_grant(center_admin, other_department, **_term(D(2027, 12, 31)))
    Grant.objects.filter(pk=expired.pk).update(valid_to=D(2026, 12, 9))
    platform_admin = global_staff("center_admin").user
    make_grant(platform_admin, elsewhere, **_term(D(2026, 12, 20)))
    return {
        "center_admin": center_admin,
        "dept_admin": staff("department_admin", department=department).user,
        "other_admin": staff("department_admin", department=other_department).user,
        "elsewhere_admin": staff("department_admin", department=elsewhere).user,
        "platform_admin": platform_admin,
        "empty_center_admin": staff("center_admin", center=CenterFactory()).user,
        "clerk": staff("window_staff", department=department).user,
    }


def _by_the_date_rule(user, on):
    scope = department_scope(user, *ADMINS)
    grants = [
        g
        for g in Grant.objects.order_by("valid_to", "id")
        if g.status_on(on) == GrantStatus.EXPIRING and (scope is None or g.department_id in scope)
    ]
    return [g.pk for g in grants[:10]]


def test_the_prepared_read_answers_the_queryset_s_rows_in_every_scope(users, superuser):
    with time_machine.travel(TODAY, tick=False):
        on = timezone.localdate()
        for name, user in {**users, "superuser": superuser}.items():
            got = selectors.expiring_for(user, on=on)
            scope = department_scope(user, *ADMINS)
            values = selectors.status_dates(on)
            if scope is not None:
                values["departments"] = sorted(scope)
            same_rows(got, list(selectors._expiring_first(**values)))
            assert [g.pk for g in got] == _by_the_date_rule(user, on), name
        assert len(selectors.expiring_for(users["platform_admin"], on=on)) == 10
        other = selectors.expiring_for(users["other_admin"], on=on)
        assert [g.last_day for g in other] == [D(2027, 1, 9), D(2027, 1, 9)]
        assert selectors.expiring_for(users["empty_center_admin"], on=on) == []
        # the whole list (grants page, demo) is the same rule
        assert [g.pk for g in selectors.expiring_grants(None, on=on)][:10] == _by_the_date_rule(
            superuser, on
        )


def test_another_day_binds_other_dates(users):
    for day in (D(2026, 12, 25), D(2027, 1, 9), D(2027, 1, 10)):
        got = selectors.expiring_for(users["other_admin"], on=day)
        assert [g.pk for g in got] == _by_the_date_rule(users["other_admin"], day), day


def test_the_panel_shows_the_same_rows(users, department):
    with time_machine.travel(TODAY, tick=False):
        on = timezone.localdate()
        panel = home.expiring_panel(users["dept_admin"])
        want = _by_the_date_rule(users["dept_admin"], on)
        assert [r["url"] for r in panel.rows] == [f"/grants/{pk}/" for pk in want]
        first = Grant.objects.select_related("grantee").get(pk=want[0])
        assert panel.rows[0] == {
            "text": f"{department.name} {first.grantee.name}（首席服务员）授权将于2026-12-11到期",
            "url": f"/grants/{first.pk}/",
            "level": "red",
            "meta": "剩余1天",
        }
        assert home.expiring_panel(users["clerk"]) is None
        assert home.expiring_panel(users["empty_center_admin"]).rows == []
