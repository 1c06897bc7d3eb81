"""Deadlines of a bad review's rectification (L-EVAL; NATIONAL.md 好差评). No queries.

The calendar is passed in (any object with `add_workdays(start, n)` and
`count_workdays(a, b)`, working days in (a, b]), so the rules are tested without a database
and the services pass the official calendar.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol

from zwfw.core.errors import RuleViolation


class Calendar(Protocol):
    def add_workdays(self, start: datetime.date, n: int) -> datetime.date: ...

    def count_workdays(self, start: datetime.date, end: datetime.date) -> int: ...


@dataclass(frozen=True)
class Budget:
    """Working days from the review to each step (settings; NATIONAL.md defaults 1, 5, 5, 15)."""

    callback: int = 1
    rectify: int = 5
    report: int = 5
    cap: int = 15

    def check(self) -> None:
        # A misconfigured deployment fails loudly instead of opening tickets past the cap.
        if not 1 <= self.callback <= self.rectify <= self.report <= self.cap:
            raise ValueError(
                "evaluation deadlines must satisfy 1 <= callback <= rectify <= report <= cap"
            )


@dataclass(frozen=True)
class Deadlines:
    callback: datetime.date
    rectify: datetime.date
    report: datetime.date


def deadlines(
    cal: Calendar, opened_on: datetime.date, budget: Budget, extended_days: int = 0
) -> Deadlines:
    """Due dates of the three steps; an extension moves rectify and report, never past the cap."""
    budget.check()
    if extended_days < 0 or budget.report + extended_days > budget.cap:
        raise RuleViolation(
            "L-EVAL",
            f"差评整改和反馈最长不得超过{budget.cap}个工作日",
            field="days",
        )
    return Deadlines(
        callback=cal.add_workdays(opened_on, budget.callback),
        rectify=cal.add_workdays(opened_on, budget.rectify + extended_days),
        report=cal.add_workdays(opened_on, budget.report + extended_days),
    )


def step_alert(
    cal: Calendar, due: datetime.date, done_on: datetime.date | None, today: datetime.date
) -> str:
    """Colour of one step: done ("done", or "late" when finished after its due date); open and
    overdue "red"; open with at most one working day left "yellow"; else "green"."""
    if done_on is not None:
        return "late" if done_on > due else "done"
    if today > due:
        return "red"
    if cal.count_workdays(today, due) <= 1:
        return "yellow"
    return "green"


RANK = {"green": 0, "yellow": 1, "red": 2}


def worst(levels) -> str:
    """The ticket's colour: the worst colour among its open steps (green when none is open)."""
    open_levels = [lv for lv in levels if lv in RANK]
    return max(open_levels, key=RANK.__getitem__, default="green")


def on_time(steps: list[tuple[datetime.date, datetime.date | None]]) -> bool:
    """A ticket is on time when every step was finished by its due date."""
    return all(done is not None and done <= due for due, done in steps)
