"""The legal clock of a case (L-LIMIT, L-PAUSE) over working-day arithmetic. No queries.

The calendar is passed in (any object with `add_workdays(start, n)` and
`count_workdays(a, b)`, working days in (a, b]), so the rules are tested without a database
and the case services pass the official calendar.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


class Calendar(Protocol):
    def add_workdays(self, start: date, n: int) -> date: ...

    def count_workdays(self, start: date, end: date) -> int: ...


@dataclass(frozen=True)
class Pause:
    reason: str
    start: date
    end: date | None = None  # None: still paused


@dataclass(frozen=True)
class ClockReading:
    due_date: date
    paused_workdays: int
    remaining_workdays: int  # negative when overdue
    alert_level: str  # green, yellow, red


def paused_workdays(calendar: Calendar, pauses: list[Pause], today: date) -> int:
    """Working days not counted (L-PAUSE): each pause's days in (start, end]; an open one runs
    to today."""
    total = 0
    for pause in pauses:
        end = pause.end or today
        if end > pause.start:
            total += calendar.count_workdays(pause.start, end)
    return total


def alert_level(remaining: int, limit_days: int) -> str:
    """Red when overdue; yellow when at most 20% of the limit or 2 working days remain."""
    if remaining < 0:
        return "red"
    if remaining <= 2 or remaining * 5 <= limit_days:
        return "yellow"
    return "green"


def read_clock(
    calendar: Calendar,
    *,
    accepted_on: date,
    limit_days: int,
    today: date,
    pauses: list[Pause] = (),
    extension_days: int = 0,
    earlier_paused_workdays: int = 0,
) -> ClockReading:
    """Due date = limit (+ extension + paused working days) working days after acceptance.

    `earlier_paused_workdays` carries pauses already closed and summed (the case services keep
    that sum on the row, so a reading needs no look at the ledger)."""
    if limit_days < 1:
        raise ValueError("limit_days must be at least 1 working day")
    paused = earlier_paused_workdays + paused_workdays(calendar, list(pauses), today)
    due = calendar.add_workdays(accepted_on, limit_days + extension_days + paused)
    if today <= due:
        remaining = calendar.count_workdays(today, due)
    else:
        remaining = -calendar.count_workdays(due, today)
    return ClockReading(
        due_date=due,
        paused_workdays=paused,
        remaining_workdays=remaining,
        alert_level=alert_level(remaining, limit_days + extension_days),
    )
