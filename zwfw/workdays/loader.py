"""Keeps the process-wide `WorkCalendar` in step with the database.

- First use loads the three calendar tables (four small queries) and builds the arrays.
- At most every CHECK_SECONDS, a call compares the loaded version with the published one:
  the cache key VERSION_KEY, filled from the database (one aggregate query) when missing and
  kept VERSION_TTL seconds. With Redis every process shares the key and `set_year` updates
  it on commit, so other processes see an edit within CHECK_SECONDS; with the local-memory
  cache each process re-reads the database version at most every VERSION_TTL seconds, so
  within CHECK_SECONDS + VERSION_TTL.
- Inside the transaction of `set_year`, `mark_changed()` gives that thread a private
  snapshot read from its own uncommitted rows, so the calendar hooks (open cases' due dates)
  compute with the new calendar while other threads keep the committed one. On commit the
  shared snapshot is dropped and the cache key updated; on rollback the private snapshot is
  discarded the next time it is asked for (its commit callback is gone).
"""

import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum

from zwfw.workdays.calendar import WorkCalendar
from zwfw.workdays.models import AdjustedWorkday, CalendarYear, Holiday

CHECK_SECONDS = 2.0
VERSION_TTL = 5
VERSION_KEY = "workdays:calendar_version"

# Tests replace the clock to step past CHECK_SECONDS without sleeping.
clock = time.monotonic


class _Shared:
    calendar: WorkCalendar | None = None
    checked_at: float = 0.0


_shared = _Shared()
_reload_lock = threading.Lock()
_local = threading.local()  # .callback, .calendar: the private snapshot of a set_year


def db_version() -> str:
    """Changes with every edit: each set_year bumps one year's revision or adds a year."""
    agg = CalendarYear.objects.aggregate(years=Count("id"), revisions=Sum("revision"))
    return f"{agg['years']}:{agg['revisions'] or 0}"


def load() -> WorkCalendar:
    """Build a snapshot from the database as this connection sees it."""
    version = db_version()
    official = CalendarYear.objects.filter(official=True).values_list("year", flat=True)
    return WorkCalendar(
        holidays=dict(Holiday.objects.values_list("date", "name")),
        adjusted_workdays=dict(AdjustedWorkday.objects.values_list("date", "name")),
        official_years=list(official),
        version=version,
    )


def _published_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = db_version()
        cache.set(VERSION_KEY, version, VERSION_TTL)
    return version


def _private() -> WorkCalendar | None:
    callback = getattr(_local, "callback", None)
    if callback is None:
        return None
    connection = transaction.get_connection()
    # The publish callback is still queued only while the transaction (or savepoint) that
    # changed the calendar is open; Django drops it on rollback and runs it on commit.
    if connection.in_atomic_block and any(
        entry[1] is callback for entry in connection.run_on_commit
    ):
        if _local.calendar is None:
            _local.calendar = load()
        return _local.calendar
    _local.callback = _local.calendar = None
    return None


def _reload(now: float) -> WorkCalendar:
    with _reload_lock:
        calendar = load()
        _shared.calendar = calendar
        _shared.checked_at = now
    return calendar


def current() -> WorkCalendar:
    """The snapshot this thread should compute with now."""
    if getattr(_local, "callback", None) is not None:  # only during a set_year
        private = _private()
        if private is not None:
            return private
    calendar = _shared.calendar
    now = clock()
    if calendar is None:
        return _reload(now)
    if now - _shared.checked_at >= CHECK_SECONDS:
        _shared.checked_at = now
        if _published_version() != calendar.version:
            return _reload(now)
    return calendar


def publish() -> None:
    """After a committed change: every process reloads at its next version check."""
    _local.callback = _local.calendar = None
    _shared.calendar = None
    cache.set(VERSION_KEY, db_version(), VERSION_TTL)


def mark_changed() -> None:
    """Called by services right after writing calendar rows, inside their transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        publish()
        return

    def published():
        publish()

    transaction.on_commit(published)
    _local.callback = published
    _local.calendar = None


def reset() -> None:
    """Forget every snapshot (tests, and after loading data behind the services' back)."""
    _local.callback = _local.calendar = None
    _shared.calendar = None
    _shared.checked_at = 0.0
    cache.delete(VERSION_KEY)
