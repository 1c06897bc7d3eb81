"""Findings recorded at the same moment (PostgreSQL only): the draw row lock serialises them,
so the last finding completes the draw exactly once and a finding is never recorded twice."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, connections

from tests.supervision.factories import TZ
from zwfw.core.errors import RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.supervision import services
from zwfw.supervision.models import Inspection, InspectionDraw

D = datetime.date
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=TZ), tick=False):
        yield


def _at_once(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except RuleViolation as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def _finding(row):
    return lambda: services.record_finding(
        by=row.inspector.user, inspection=row, result="passed", method="case_file"
    )


def test_last_two_findings_at_once_complete_the_draw_once(supervisor, population, pool):
    """N-17: the draw is completed when all findings are in, even when the last two arrive
    together."""
    draw = services.create_draw(
        by=supervisor, size=2, seed=1, period_start=D(2026, 9, 1), period_end=D(2026, 9, 30)
    )
    rows = list(Inspection.objects.filter(draw=draw).select_related("inspector__user"))
    assert _at_once([_finding(r) for r in rows]) == ["ok", "ok"]
    assert InspectionDraw.objects.get().status == "completed"
    assert AuditEvent.objects.filter(action="complete_inspection_draw").count() == 1


def test_same_finding_twice_at_once_lands_once(supervisor, population, pool):
    """N-17: one finding per drawn case: a double submit gives one finding and one conflict."""
    draw = services.create_draw(
        by=supervisor, size=2, seed=1, period_start=D(2026, 9, 1), period_end=D(2026, 9, 30)
    )
    row = Inspection.objects.filter(draw=draw).select_related("inspector__user").first()
    assert _at_once([_finding(row), _finding(row)]) == ["already_recorded", "ok"]
    assert AuditEvent.objects.filter(action="record_inspection_finding").count() == 1
