"""The background recomputation never waits on a row another writer holds: it skips it
(SKIP LOCKED) and visits it once the writer is done (L-CAL). PostgreSQL only: SQLite has no
row locks (its writers queue at BEGIN IMMEDIATE, one short batch at a time)."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection, connections, transaction

from tests.cases.factories import receive
from tests.cases.test_recompute import HALF_2026, REAL_2026, from_scratch, stored
from zwfw.cases import services
from zwfw.cases.models import Case
from zwfw.core.models import AuditEvent
from zwfw.workdays import recompute
from zwfw.workdays import services as workday_services
from zwfw.workdays.models import CalendarRecompute

D = datetime.date

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def enter(admin, calendar):
    holidays, adjusted = calendar
    workday_services.set_year(
        by=admin,
        year=2026,
        holidays=sorted(holidays.items()),
        adjusted_workdays=sorted(adjusted.items()),
    )  # commits: the job runs on commit (Huey immediate mode)
    return CalendarRecompute.objects.filter(year=2026).latest("id")


def test_l_cal_a_row_held_by_another_writer_is_skipped_then_visited(
    platform_admin, clerk, item, monkeypatch
):
    """L-CAL: the job goes past a locked case instead of waiting, retries it after the
    range, and ends with every open case equal to a from-scratch computation."""
    monkeypatch.setattr(recompute, "BATCH_SIZE", 2)
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, 0), tick=True):
        enter(platform_admin, HALF_2026)
        ids = [
            services.accept_case(
                case=receive(clerk, item, on=D(2026, 9, day)), by=clerk, on=D(2026, 9, day)
            ).pk
            for day in (14, 15, 21, 22)
        ]
        held = ids[1]
        locked, release = threading.Event(), threading.Event()

        def writer():
            try:
                with transaction.atomic():
                    Case.objects.select_for_update().get(pk=held)
                    locked.set()
                    release.wait(10)
            finally:
                connections.close_all()

        thread = threading.Thread(target=writer)
        thread.start()
        assert locked.wait(10)
        # Let the writer go a moment after the job reached the retry phase.
        timer = threading.Timer(0.5, release.set)
        timer.start()
        job = enter(platform_admin, REAL_2026)
        thread.join(10)
        timer.cancel()

    job.refresh_from_db()
    assert job.state == "done" and job.done == 4 and job.retry == []
    batches = AuditEvent.objects.filter(action="recompute_due_dates", object_id=str(job.pk))
    assert [b.after["skipped"] for b in batches.order_by("id")][0] == [held]
    assert any(b.after["first_id"] == held == b.after["last_id"] for b in batches)
    for case_id in ids:
        assert stored(case_id) == from_scratch(case_id, D(2026, 9, 29))
