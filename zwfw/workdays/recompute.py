"""Open cases follow a calendar edit in the background, batch after batch (L-CAL).

`services.set_year` commits the year's calendar and a `CalendarRecompute` job in one
transaction (`start`), then Huey runs `run(job_id)` (zwfw.workdays.tasks). Each `step` is
one short transaction:

1. lock the job row: a newer edit of the same year marks it superseded and stops it, and two
   runners of the same job (a resume while the first still lives) take turns instead of
   doing a batch twice;
2. hand the next ids after the cursor to `hooks.recomputer.batch`, which locks its rows with
   SKIP LOCKED (a row another writer holds is listed for a retry instead of waited for),
   recomputes them with the calendar as committed now and writes the changed ones;
3. move the cursor and write one audit event naming the batch's id range, counts and
   changes (last: the audit chain's lock is held only from there to the commit).

A crash loses at most the batch in flight (rolled back); `resume` (a periodic task and the
`recompute_due_dates` command) restarts jobs whose heartbeat stopped. Until the cursor
passes a case, its stored due date is the previous calendar's: `selectors.pending_recompute`
tells pages so.
"""

import datetime
import logging
import time

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.workdays import hooks, loader
from zwfw.workdays.models import CalendarRecompute, CalendarYear

log = logging.getLogger(__name__)

# Rows per transaction, at most: a batch holds the row locks of its cases until it commits,
# and another writer of one of them waits that long. `run` shrinks the batches when they
# take longer than TARGET_SECONDS (a loaded database: bench/recompute.py) and grows them back
# up to BATCH_SIZE, so no other write waits anywhere near a second.
# Measured at 1 M open cases (bench/recompute.py, 2 CPUs): 4,000-row batches gave the same
# whole time within noise but other writers' p99 wait 557 ms (2,000: about 250 ms). One worker
# per job: two processes on disjoint id ranges took as long as one doing both (a batch's time
# is the database's index writes for every moved case, which do not run faster side by side).
BATCH_SIZE = 2000
MIN_BATCH = 100
TARGET_SECONDS = 0.3
# A running job writes its heartbeat every batch; silent this long, it is taken as crashed.
STALE_SECONDS = 60
# When every row left to retry is still held by other writers, wait this long between tries.
RETRY_PAUSE = 0.05

State = CalendarRecompute.State
ACTIVE = (State.QUEUED, State.RUNNING)


def start(*, year: int, revision: int, by) -> CalendarRecompute | None:
    """Inside `set_year`'s transaction: supersede the year's unfinished job and create the
    new one (enqueued by `enqueue_on_commit`). None when no app stores computed dates."""
    recomputer = hooks.recomputer
    if recomputer is None:
        return None
    # Waits at most for the batch the old job is in (it holds its row while it works).
    CalendarRecompute.objects.filter(year=year, state__in=ACTIVE).update(
        state=State.SUPERSEDED, finished_at=timezone.now()
    )
    total, until_id = recomputer.scope(year)
    return CalendarRecompute.objects.create(
        year=year,
        revision=revision,
        total=total,
        until_id=until_id,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _revision(year: int) -> int:
    return CalendarYear.objects.filter(year=year).values_list("revision", flat=True).first() or 0


def run_now(year: int, *, by=None, size: int | None = None) -> CalendarRecompute | None:
    """Recompute every open case for `year` in this process, through a job like the one a
    calendar edit queues (superseding an unfinished one)."""
    with transaction.atomic():
        job = start(year=year, revision=_revision(year), by=by)
    return run(job.pk, size=size) if job is not None else None


def enqueue_on_commit(job: CalendarRecompute | None) -> None:
    if job is not None:
        job_id = job.pk
        transaction.on_commit(lambda: enqueue(job_id))


def enqueue(job_id: int) -> None:
    from zwfw.workdays.tasks import recompute_due_dates

    recompute_due_dates(job_id)


def _fresh(snapshot):
    """The calendar as committed now: a task may run in a process whose shared snapshot is
    seconds behind (loader.CHECK_SECONDS), and another year may be edited while we run."""
    version = loader.db_version()
    if snapshot is None or snapshot.version != version:
        snapshot = loader.load()
    return snapshot


def step(job_id: int, *, size: int | None = None, snapshot=None):
    """One batch in one transaction. Returns (job, snapshot, more)."""
    recomputer = hooks.recomputer
    size = size or BATCH_SIZE
    with transaction.atomic():
        job = CalendarRecompute.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.active or recomputer is None:
            return job, snapshot, False
        now = timezone.now()
        if _revision(job.year) != job.revision:  # a newer edit of the year took over
            job.state, job.finished_at = State.SUPERSEDED, now
            job.save(update_fields=["state", "finished_at", "heartbeat_at"])
            return job, snapshot, False
        snapshot = _fresh(snapshot)
        if job.state == State.QUEUED:
            job.state, job.started_at = State.RUNNING, now
        common = {"year": job.year, "calendar": snapshot, "on": timezone.localdate()}
        if job.cursor < job.until_id:
            after_id = job.cursor
            batch = recomputer.batch(
                **common, after_id=after_id, until_id=job.until_id, size=size, ids=None
            )
            job.cursor = batch.cursor
            job.retry = [*job.retry, *batch.skipped]
        elif job.retry:
            after_id = None  # a retry: the rows of `ids`, not a range
            ids = job.retry[:size]
            batch = recomputer.batch(
                **common, after_id=0, until_id=job.until_id, size=size, ids=ids
            )
            job.retry = [*job.retry[len(ids) :], *batch.skipped]
        else:
            job.state, job.finished_at = State.DONE, now
            job.save()
            if recomputer.finished is not None:
                year = job.year
                transaction.on_commit(lambda: recomputer.finished(year))
            audit.record(
                actor=None,
                action="finish_due_date_recompute",
                obj=job,
                after={
                    "year": job.year,
                    "revision": job.revision,
                    "visited": job.done,
                    "changed": job.changed,
                    "batches": job.batches,
                },
            )
            return job, snapshot, False
        idle = after_id is None and not batch.visited
        if not idle:  # a retry that found every row still held did nothing to audit
            job.done += batch.visited
            job.changed += batch.changed
            job.batches += 1
            job.error = ""
        job.save()
        if not idle:
            # Last: the audit chain's lock is held from here to the commit only.
            audit.record(
                actor=None,
                action="recompute_due_dates",
                obj=job,
                after={
                    "year": job.year,
                    "revision": job.revision,
                    "batch": job.batches,
                    # The range (after_id, through_id] this batch covered; null for a retry.
                    "after_id": after_id,
                    "through_id": job.cursor if after_id is not None else None,
                    "first_id": batch.first_id,
                    "last_id": batch.last_id,
                    "visited": batch.visited,
                    "changed": batch.changed,
                    "skipped": batch.skipped,
                    "changes": batch.changes,
                },
            )
    if idle:
        time.sleep(RETRY_PAUSE)  # only rows other writers hold are left: let them finish
    return job, snapshot, True


def next_size(size: int, seconds: float, *, largest: int | None = None) -> int:
    """The batch size that should take about TARGET_SECONDS, judging by the last batch
    (halfway there each time, so one slow batch does not swing it)."""
    largest = largest or BATCH_SIZE
    wanted = size * TARGET_SECONDS / max(seconds, 0.001)
    return max(min(MIN_BATCH, largest), min(largest, int((size * wanted) ** 0.5)))


def run(job_id: int, *, size: int | None = None, max_batches: int | None = None):
    """Work through the job until it is done or superseded (or after `max_batches`).
    Without `size`, batches adapt to the database's pace (next_size)."""
    snapshot = None
    batches = 0
    job = None
    current = size or BATCH_SIZE
    while max_batches is None or batches < max_batches:
        started = time.perf_counter()
        try:
            job, snapshot, more = step(job_id, size=current, snapshot=snapshot)
        except Exception as exc:
            # The batch rolled back; the job keeps its cursor and says why on the page.
            CalendarRecompute.objects.filter(pk=job_id).update(error=repr(exc)[:2000])
            log.exception("calendar recompute %s failed", job_id)
            raise
        if not more:
            break
        batches += 1
        if size is None:
            current = next_size(current, time.perf_counter() - started)
    return job


def unfinished(*, stale_seconds: float = STALE_SECONDS) -> list[int]:
    """Jobs still queued or running whose heartbeat is older than `stale_seconds`."""
    cutoff = timezone.now() - datetime.timedelta(seconds=stale_seconds)
    return list(
        CalendarRecompute.objects.filter(state__in=ACTIVE, heartbeat_at__lte=cutoff)
        .order_by("id")
        .values_list("id", flat=True)
    )


def resume(*, stale_seconds: float = STALE_SECONDS) -> list[int]:
    """Queue again the jobs a crash (or a lost queue) left unfinished."""
    ids = unfinished(stale_seconds=stale_seconds)
    for job_id in ids:
        log.warning("resuming calendar recompute %s", job_id)
        enqueue(job_id)
    return ids
