"""Callbacks run when a year's official calendar is entered or changed (L-CAL).

The case-handling app registers here to recompute the due dates of open cases whose clock
crosses the changed year, and to record each change (ARCHITECTURE.md, "Lessons from peer
systems": a forgotten holiday entered late must move deadlines):

    # zwfw/cases/apps.py
    def ready(self):
        from zwfw.workdays import hooks
        from zwfw.cases import services
        hooks.on_calendar_change.append(services.recompute_due_dates_for_year)

A callback takes the year (int). `services.set_year` calls every callback inside its own
transaction, after the new rows are written and after `zwfw.workdays.calendar` already
answers with the new calendar; an exception in a callback rolls the whole edit back, so the
calendar and the due dates computed from it never disagree. Side effects outside the
database (SMS, e-mail) belong in `transaction.on_commit` inside the callback.
"""

from collections.abc import Callable

on_calendar_change: list[Callable[[int], None]] = []


def calendar_changed(year: int) -> None:
    for callback in list(on_calendar_change):
        callback(year)
