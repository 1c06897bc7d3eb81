"""Issue 17 point 3: statements per case transition through the service layer, capped so the
write path's savings stay (bench/cases.py runs the same sequence). Each cap is the count
measured when it was set; a new read or write on the hot path has to raise it here, on
purpose. The caller holds the user's roles and person, as a request does after login."""

import datetime

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from tests.cases.factories import org_applicant, receive
from zwfw.cases import services
from zwfw.cases.services.delivery import record_delivery
from zwfw.notifications.models import OutboxMessage, Status
from zwfw.notifications.services import queue_sms, send_message

D = datetime.date
pytestmark = pytest.mark.django_db

# Statements of the transaction only (its savepoint included, the SMS sent after commit left
# out). Before issue 17 point 3's write pass, on both backends: take_in 16, accept 12,
# pause 10, resume 10, decide 15, deliver 9, complete 13; the outbox's send 7 (two
# transactions: BEGIN, SELECT … FOR UPDATE, UPDATE, COMMIT; BEGIN, UPDATE, COMMIT).
# PostgreSQL sends a step's unread writes as one statement (core.fastsql.together). Issue 17
# point 6: the chain's head is read with the case row's lock (intake: with the case number),
# never again in the same transaction; intake's three catalog reads are one; a pause's clock
# entry goes with the step's writes; the decision document's "numbered once" check is part
# of its counter's UPDATE. Caps before that pass: PostgreSQL 11, 8, 6, 6, 11, 7, 7; SQLite
# 16, 12, 10, 10, 15, 8, 12.
CAPS = {
    "postgresql": {
        "take_in": 8,
        "accept": 7,
        "pause": 4,
        "resume": 4,
        "decide": 8,
        "deliver": 6,
        "complete": 6,
    },
    "sqlite": {
        "take_in": 13,
        "accept": 11,
        "pause": 9,
        "resume": 9,
        "decide": 12,
        "deliver": 7,
        "complete": 11,
    },
}


def _count(fn):
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return result, [q["sql"] for q in queries.captured_queries]


def _one_case(clerk, chief, item, applicant) -> dict[str, list[str]]:
    """receive → accept → pause → resume → decide → deliver → complete, as bench/cases.py."""
    counts = {}
    case, counts["take_in"] = _count(
        lambda: receive(clerk, item, applicant=applicant, on=D(2025, 9, 26))
    )
    steps = [
        ("accept", lambda c: services.accept_case(case=c, by=clerk, on=D(2025, 9, 26))),
        (
            "pause",
            lambda c: services.pause_case(
                case=c, by=clerk, reason="site_inspection", on=D(2025, 9, 29)
            ),
        ),
        ("resume", lambda c: services.resume_case(case=c, by=clerk, on=D(2025, 10, 10))),
        (
            "decide",
            lambda c: services.decide_case(case=c, by=chief, result="approve", on=D(2025, 10, 13)),
        ),
        (
            "deliver",
            lambda c: record_delivery(case=c, by=clerk, method="window", on=D(2025, 10, 14)) and c,
        ),
        ("complete", lambda c: services.complete_case(case=c, by=clerk, on=D(2025, 10, 14))),
    ]
    for name, step in steps:
        case, counts[name] = _count(lambda step=step, case=case: step(case))
    case.refresh_from_db()
    assert case.status == "completed"
    return counts


def test_point3_statements_per_transition_are_capped(clerk, chief, item):
    prefetch_related_objects([clerk, chief], "role_assignments", "person")
    applicant = org_applicant()
    # The first case creates the day's counters and the applicant and loads the calendar.
    _one_case(clerk, chief, item, applicant)
    counts = _one_case(clerk, chief, item, applicant)
    caps = CAPS[connection.vendor]
    over = {n: (len(q), caps[n], q) for n, q in counts.items() if len(q) > caps[n]}
    assert not over, over


def test_point3_the_outbox_send_is_two_statements(django_capture_on_commit_callbacks):
    """Claim (a conditional UPDATE … RETURNING) and outcome (a conditional UPDATE): no read
    of its own, no transaction block around either."""
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_sms(phone="13912345678", text="您的办件有新进展", kind="other")
    sent, queries = _count(lambda: send_message(message_id=message.pk))
    assert sent is not None and sent.status == Status.SENT
    assert len(queries) <= 2, queries
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (Status.SENT, 1, None)
    # A second worker finds nothing to claim.
    assert send_message(message_id=message.pk) is None
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL setting")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_point3_the_unflushed_claim_leaves_the_session_setting_alone():
    """The claim's commit does not wait for the disk; the setting ends with it."""
    message = OutboxMessage.objects.create(phone="13912345678", text="您的办件有新进展")
    assert send_message(message_id=message.pk).status == Status.SENT
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_point3_two_audit_events_in_one_write_block_keep_the_chain(center_admin, center):
    """core.fastsql.together holds the first event's INSERT: the second event reads the
    chain's head only after it went out, so each links to the one before (one statement
    fewer is never worth a fork of the chain)."""
    from zwfw.core import audit, fastsql
    from zwfw.core.models import AuditEvent

    with fastsql.together():
        first = audit.record(actor=center_admin, action="first", obj=center)
        second = audit.record(actor=center_admin, action="second", obj=center)
    assert second.prev_hash == first.hash
    stored = list(AuditEvent.objects.filter(chain=str(center.pk)).order_by("id"))
    assert [e.action for e in stored[-2:]] == ["first", "second"]
    assert stored[-1].prev_hash == stored[-2].hash
    assert audit.verify(chains=[center.pk]).ok
