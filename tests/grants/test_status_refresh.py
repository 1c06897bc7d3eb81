"""The stored status column: kept current by services and the daily task (N-12)."""

import datetime
import itertools

import time_machine

from tests.grants.factories import make_grant
from zwfw.core.models import AuditEvent
from zwfw.grants import selectors, services, tasks
from zwfw.grants.models import Grant
from zwfw.grants.terms import GrantStatus, status_on

D = datetime.date


def test_task_moves_statuses_on_their_days(db, center_admin, department):
    """N-12: active → expiring 30 days before the end → expired the day after, by the task."""
    with time_machine.travel(datetime.datetime(2025, 1, 1, 10), tick=False):
        grant = make_grant(
            center_admin,
            department,
            valid_from=D(2025, 1, 1),
            valid_to=D(2026, 12, 31),
            decided_on=D(2025, 1, 1),
        )
    assert grant.status == GrantStatus.ACTIVE
    with time_machine.travel(datetime.datetime(2026, 12, 1, 0, 5), tick=False):
        tasks.refresh_grant_statuses.call_local()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.EXPIRING
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 5), tick=False):
        assert services.refresh_grant_statuses() == 1
        assert services.refresh_grant_statuses() == 0
    grant.refresh_from_db()
    assert grant.status == GrantStatus.EXPIRED
    event = AuditEvent.objects.filter(action="refresh_grant_status").last()
    assert event.after["status"] == "expired"


def test_scheduled_grant_becomes_active(db, center_admin, department):
    with time_machine.travel(datetime.datetime(2025, 1, 1, 10), tick=False):
        grant = make_grant(
            center_admin,
            department,
            valid_from=D(2025, 3, 1),
            valid_to=D(2027, 2, 28),
            decided_on=D(2025, 1, 1),
        )
        assert grant.status == GrantStatus.SCHEDULED
    services.refresh_grant_statuses(on=D(2025, 3, 1))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE


def test_status_filter_agrees_with_the_pure_rule(db, center_admin, department):
    """N-12: status_q (list filters) partitions grants exactly as terms.status_on."""
    grants = [
        make_grant(
            center_admin,
            department,
            valid_from=D(2025, 1, 1),
            valid_to=D(2026, 12, 31),
            decided_on=D(2025, 1, 1),
            business_domain="甲",
            justification="多领域",
        ),
        make_grant(
            center_admin,
            department,
            valid_from=D(2025, 2, 1),
            valid_to=D(2027, 1, 31),
            decided_on=D(2025, 1, 1),
            business_domain="乙",
            justification="多领域",
        ),
        make_grant(
            center_admin,
            department,
            valid_from=D(2025, 3, 1),
            valid_to=D(2027, 2, 28),
            decided_on=D(2025, 1, 1),
            business_domain="丙",
            justification="多领域",
        ),
    ]
    Grant.objects.filter(pk=grants[1].pk).update(revoked_on=D(2025, 8, 1))
    Grant.objects.filter(pk=grants[2].pk).update(revoked_on=D(2026, 1, 20))
    days = [
        D(2024, 12, 31),
        D(2025, 1, 1),
        D(2025, 7, 2),
        D(2025, 7, 3),
        D(2025, 8, 1),
        D(2025, 12, 20),
        D(2025, 12, 21),
        D(2026, 12, 1),
        D(2026, 12, 31),
        D(2027, 1, 1),
    ]
    for on, status in itertools.product(days, GrantStatus.values):
        expected = {
            g.pk
            for g in Grant.objects.all()
            if status_on(g.valid_from, g.valid_to, g.revoked_on, on) == status
        }
        found = set(
            Grant.objects.filter(selectors.status_q(status, on)).values_list("pk", flat=True)
        )
        assert found == expected, (on, status)
