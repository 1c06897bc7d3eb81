"""Callbacks of other apps when a year's official calendar is entered or changed (L-CAL).

Two kinds:

- `on_calendar_change`: callables taking the year, run by `services.set_year` inside its own
  transaction, after the new rows are written and after `zwfw.workdays.calendar` already
  answers with the new calendar; an exception rolls the whole edit back. For small,
  bounded work only: the edit's transaction stays open while they run.

- `recomputer`: the one batch recomputation of stored due dates (registered by the case
  handling app). A calendar edit commits a `CalendarRecompute` job and a Huey task calls
  `batch` again and again, one short transaction each, until every open row was visited
  (zwfw.workdays.recompute). Holding one transaction over a million open cases would stop
  every other writer for minutes; batches keep each lock short.

    # zwfw/cases/apps.py
    def ready(self):
        from zwfw.workdays import hooks
        from zwfw.cases.services import timing
        hooks.recomputer = hooks.Recomputer(
            scope=timing.recompute_scope, batch=timing.recompute_batch,
            affects=timing.recompute_affects,
        )

Side effects outside the database (SMS, e-mail) belong in `transaction.on_commit`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Batch:
    """What one call of `Recomputer.batch` did (all counts are rows)."""

    cursor: int = 0  # where the range goes on: every id up to it was visited or skipped
    first_id: int | None = None  # lowest and highest id visited
    last_id: int | None = None
    visited: int = 0
    changed: int = 0  # rows whose due date (or acceptance deadline) moved
    skipped: list[int] = field(default_factory=list)  # held by another writer: try later
    # {row id: [old due date, new due date]} for the audit event of the batch
    changes: dict[str, list] = field(default_factory=dict)


@dataclass(frozen=True)
class Recomputer:
    # year -> (rows to visit, highest id among them): read when the edit commits
    scope: Callable[[int], tuple[int, int]]
    # (*, year, after_id, until_id, size, ids, calendar, on) -> Batch, in the caller's
    # transaction: rows with after_id < id <= until_id (at most `size`), or exactly `ids`
    batch: Callable[..., Batch]
    # (row, year) -> whether the job visits this row (the "being recomputed" hint of a page)
    affects: Callable[[object, int], bool]
    # (year) -> None, after the job's last batch committed: counts kept from due dates
    # (the dashboards' rollups) are recounted then rather than at their next period
    finished: Callable[[int], None] | None = None


on_calendar_change: list[Callable[[int], None]] = []
recomputer: Recomputer | None = None


def calendar_changed(year: int) -> None:
    for callback in list(on_calendar_change):
        callback(year)
