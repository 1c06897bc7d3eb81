"""Writes of the working-day calendar (L-CAL)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.workdays import hooks, loader, recompute, rules
from zwfw.workdays.models import AdjustedWorkday, CalendarYear, Holiday

SOURCE_MAX = 300


def default_source(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def year_summary(row: CalendarYear | None, holidays: dict, adjusted: dict) -> dict | None:
    """What the audit trail keeps of a year: enough to restore it exactly."""
    if row is None:
        return None
    return {
        "official": row.official,
        "source": row.source,
        "revision": row.revision,
        "holidays": {d.isoformat(): n for d, n in sorted(holidays.items())},
        "adjusted_workdays": {d.isoformat(): n for d, n in sorted(adjusted.items())},
    }


@transaction.atomic
def set_year(
    *,
    by,
    year: int,
    holidays: Iterable[tuple[datetime.date, str]],
    adjusted_workdays: Iterable[tuple[datetime.date, str]] = (),
    source: str = "",
    reason: str = "",
    on: datetime.date | None = None,
) -> CalendarYear:
    """Enter or replace a year's official calendar from the State Council notice (L-CAL).

    Center administrators (or a superuser) only. A year that is already over is kept as it
    was unless `reason` states why it is corrected; the reason goes into the audit event.
    Open cases follow in the background: this transaction commits a `CalendarRecompute` job
    (superseding the year's unfinished one) and Huey recomputes their due dates batch after
    batch (zwfw.workdays.recompute); `hooks.on_calendar_change` callbacks run inside it.
    """
    require_role(by, Role.CENTER_ADMIN)
    today = on or timezone.localdate()
    rules.check_year(year, today=today)
    rules.check_past_year(year, today=today, reason=reason)
    off, on_days = rules.check_entries(year, holidays, adjusted_workdays)
    source = source.strip() or default_source(year)
    if len(source) > SOURCE_MAX:
        raise RuleViolation("invalid", f"依据最多{SOURCE_MAX}个字", field="source")

    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = None
    if row is not None:
        before = year_summary(
            row,
            dict(row.holidays.values_list("date", "name")),
            dict(row.adjusted_workdays.values_list("date", "name")),
        )
        unchanged = (
            row.official
            and row.source == source
            and before["holidays"] == {d.isoformat(): n for d, n in sorted(off.items())}
            and before["adjusted_workdays"]
            == {d.isoformat(): n for d, n in sorted(on_days.items())}
        )
        if unchanged:
            return row  # nothing to record: the same notice entered twice
        row.revision += 1
        row.holidays.all().delete()
        row.adjusted_workdays.all().delete()
    else:
        row = CalendarYear(year=year, revision=1)
    row.official = True
    row.source = source
    row.updated_by = by if getattr(by, "is_authenticated", False) else None
    row.save()
    Holiday.objects.bulk_create(
        Holiday(calendar_year=row, date=d, name=n) for d, n in sorted(off.items())
    )
    AdjustedWorkday.objects.bulk_create(
        AdjustedWorkday(calendar_year=row, date=d, name=n) for d, n in sorted(on_days.items())
    )
    # Counting the open cases first: the audit record below takes the chain's lock, which
    # should be held only until the commit.
    job = recompute.start(year=year, revision=row.revision, by=by)
    after = year_summary(row, off, on_days)
    if reason.strip():
        after["reason"] = reason.strip()
    if job is not None:
        after["recompute_job"] = job.pk
    audit.record(actor=by, action="set_calendar_year", obj=row, before=before, after=after)
    # From here on this transaction computes with the new calendar, hooks included.
    loader.mark_changed()
    hooks.calendar_changed(year)
    # After the publish callback of mark_changed: an in-process (immediate) run reads the
    # committed calendar either way, other code of this process then reads it too.
    recompute.enqueue_on_commit(job)
    return row
