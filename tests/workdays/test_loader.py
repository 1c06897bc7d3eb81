"""The in-memory calendar follows the database: at once here, within seconds elsewhere."""

import datetime
import threading

import pytest
from django.core.cache import cache

from tests.workdays.conftest import d
from tests.workdays.factories import ADJUSTED_2027, HOLIDAYS_2027, LATE_2026
from zwfw.workdays import calendar, loader, services
from zwfw.workdays.models import CalendarYear, Holiday

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(loader, "clock", fake)
    return fake


def other_process_adds_a_holiday(day: datetime.date, name: str = "测试假日") -> None:
    """What another process's set_year leaves behind: new rows and a new revision."""
    row = CalendarYear.objects.get(year=day.year)
    Holiday.objects.create(calendar_year=row, date=day, name=name)
    CalendarYear.objects.filter(pk=row.pk).update(revision=row.revision + 1)


def test_arithmetic_runs_from_memory(django_assert_num_queries, clock):
    """L-CAL: after the first load, a thousand sums cost no query."""
    calendar.is_workday(d("2026-01-05"))
    with django_assert_num_queries(0):
        for i in range(1000):
            calendar.add_workdays(d("2026-01-01") + datetime.timedelta(days=i % 300), 5)
            calendar.count_workdays(d("2026-01-01"), d("2026-12-31"))


def test_other_process_edit_seen_after_version_check_shared_cache(clock):
    """L-CAL: with a shared cache (Redis) a published version is seen within CHECK_SECONDS."""
    assert calendar.is_workday(d("2026-03-02"))
    other_process_adds_a_holiday(d("2026-03-02"))
    cache.set(loader.VERSION_KEY, loader.db_version())  # the other process's publish()
    clock.now += loader.CHECK_SECONDS / 2
    assert calendar.is_workday(d("2026-03-02"))  # not checked yet
    clock.now += loader.CHECK_SECONDS
    assert not calendar.is_workday(d("2026-03-02"))


def test_other_process_edit_seen_after_cached_version_expires(clock):
    """L-CAL: with a per-process cache the database version is re-read every few seconds."""
    assert calendar.is_workday(d("2026-03-02"))
    clock.now += loader.CHECK_SECONDS
    assert calendar.is_workday(d("2026-03-02"))  # caches the current version
    other_process_adds_a_holiday(d("2026-03-02"))
    cache.delete(loader.VERSION_KEY)  # expired after VERSION_TTL seconds
    clock.now += loader.CHECK_SECONDS
    assert not calendar.is_workday(d("2026-03-02"))


def test_commit_publishes_the_new_version(platform_admin, django_capture_on_commit_callbacks):
    """L-CAL: on commit the shared snapshot is dropped and the cache carries the version."""
    calendar.is_workday(d("2027-01-01"))
    with django_capture_on_commit_callbacks(execute=True):
        services.set_year(
            by=platform_admin,
            year=2027,
            holidays=HOLIDAYS_2027,
            adjusted_workdays=ADJUSTED_2027,
            on=LATE_2026,
        )
    assert cache.get(loader.VERSION_KEY) == loader.db_version()
    assert loader._shared.calendar is None or loader._shared.calendar.is_official(2027)
    assert calendar.day_info(d("2027-01-01")).kind == "holiday"


def test_other_threads_keep_the_committed_calendar_during_an_edit(platform_admin, clock):
    """L-CAL: an uncommitted edit is visible only in the transaction that made it."""
    calendar.is_workday(d("2027-01-01"))  # the shared snapshot, loaded before the edit
    services.set_year(by=platform_admin, year=2027, holidays=HOLIDAYS_2027, on=LATE_2026)
    assert calendar.is_workday(d("2027-02-08")) is False
    seen = {}

    def other_thread():
        # The clock stands still, so this thread needs no database: memory only.
        seen["answer"] = calendar.is_workday(d("2027-02-08"))

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen == {"answer": True}
