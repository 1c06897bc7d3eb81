"""Demo data: the official calendars the migration seeds from chinese-calendar.

`load()` is idempotent: it only restores seeded years that are missing (e.g. after a
database flush) and leaves entered or corrected years alone.
"""

from zwfw.workdays import loader
from zwfw.workdays.models import AdjustedWorkday, CalendarYear, Holiday
from zwfw.workdays.seed import seed_missing


def load() -> str:
    added = seed_missing(CalendarYear, Holiday, AdjustedWorkday)
    if added:
        loader.mark_changed()
    official = sorted(CalendarYear.objects.filter(official=True).values_list("year", flat=True))
    span = f"{official[0]}–{official[-1]}" if official else "none"
    note = f" (restored {len(added)} seeded years)" if added else ""
    return f"calendar years {span} official{note}"
