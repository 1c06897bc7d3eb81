"""Reads of the working-day calendar for pages, the API and the home panel."""

import calendar as std_calendar
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from zwfw.core.permissions import Role, require_role
from zwfw.core.prepared import PreparedRead
from zwfw.workdays import calendar, entry_text, hooks, recompute, rules
from zwfw.workdays.models import CalendarRecompute, CalendarYear

MONTH_NAMES = [f"{m}月" for m in range(1, 13)]


def year_from_query(value: str | None, *, today: datetime.date) -> int:
    """The ?year= of the calendar page; a missing or malformed value means this year."""
    try:
        year = int(value) if value else today.year
    except ValueError:
        year = today.year
    return rules.check_supported_year(year)


@dataclass
class YearCalendar:
    year: int
    row: CalendarYear | None
    official: bool
    holidays: dict[datetime.date, str]
    adjusted_workdays: dict[datetime.date, str]
    months: list[dict] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return not self.official

    @property
    def holiday_periods(self) -> list[dict]:
        return [
            {"first": first, "last": last, "name": name, "days": (last - first).days + 1}
            for first, last, name in entry_text.group_runs(self.holidays)
        ]

    @property
    def adjusted_list(self) -> list[tuple[datetime.date, str]]:
        return sorted(self.adjusted_workdays.items())


def year_calendar(year: int, *, with_months: bool = False) -> YearCalendar:
    """One year as entered (or weekends alone when not official), from the in-memory snapshot."""
    rules.check_supported_year(year)
    snapshot = calendar.current()
    row = CalendarYear.objects.filter(year=year).select_related("updated_by__person").first()
    view = YearCalendar(
        year=year,
        row=row,
        official=snapshot.is_official(year),
        holidays=snapshot.holidays_in(year),
        adjusted_workdays=snapshot.adjusted_workdays_in(year),
    )
    if with_months:
        view.months = _months(year, snapshot)
    return view


def _months(year: int, snapshot) -> list[dict]:
    grid = std_calendar.Calendar(firstweekday=0)  # weeks start on Monday, as in China
    months = []
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                info = snapshot.day_info(day)
                cells.append(
                    {
                        "day": day,
                        "kind": info.kind,
                        "name": info.name,
                        "workday": info.workday,
                        "label": _label(snapshot, info),
                    }
                )
            weeks.append(cells)
        months.append({"number": month, "name": MONTH_NAMES[month - 1], "weeks": weeks})
    return months


def _label(snapshot, info) -> str | None:
    """The name under a day: on adjusted workdays, and where a holiday run starts in a month."""
    if info.kind == calendar.ADJUSTED_WORKDAY:
        return info.name
    if info.kind != calendar.HOLIDAY or info.date == datetime.date(calendar.MIN_YEAR, 1, 1):
        return None
    previous = snapshot.day_info(info.date - datetime.timedelta(days=1))
    continues = previous.name == info.name and previous.date.month == info.date.month
    return None if continues else info.name


def year_for_edit(*, user, year: int) -> YearCalendar:
    """The edit page is for those who may call set_year."""
    require_role(user, Role.CENTER_ADMIN)
    return year_calendar(year)


def year_range(*, today: datetime.date) -> list[int]:
    """Years the switcher offers: every entered year, and up to next year."""
    last = max(
        [today.year + 1, *CalendarYear.objects.values_list("year", flat=True)],
    )
    return list(range(calendar.MIN_YEAR, min(last, calendar.MAX_YEAR) + 1))


def missing_official_years(*, today: datetime.date | None = None) -> list[int]:
    """Years an administrator should enter now: this year, and next year from 1 November."""
    today = today or timezone.localdate()
    wanted = [today.year]
    if today.month >= 11:
        wanted.append(today.year + 1)
    snapshot = calendar.current()
    return [y for y in wanted if not snapshot.is_official(y)]


# --- the background recomputation of due dates (L-CAL) --------------------------------------


# Every case page and public progress page asks (the recompute notice): compiled once.
_ACTIVE = PreparedRead(
    CalendarRecompute,
    lambda: CalendarRecompute.objects.filter(state__in=recompute.ACTIVE).order_by("id"),
)


def active_recomputes() -> list[CalendarRecompute]:
    """Jobs still queued or running, oldest first (one small indexed query)."""
    return _ACTIVE()


def latest_recompute(year: int) -> CalendarRecompute | None:
    """The newest job of a year, whatever its state (the API and the calendar page)."""
    return CalendarRecompute.objects.filter(year=year).order_by("-id").first()


def pending_recompute(case, *, jobs: list[CalendarRecompute] | None = None):
    """The job that has yet to reach this case, or None: until then its stored due date is
    the one of the calendar before the edit. Compares the id with the job's cursor (and its
    short retry list), so no per-case column is needed."""
    recomputer = hooks.recomputer
    if recomputer is None or getattr(case, "pk", None) is None:
        return None
    for job in active_recomputes() if jobs is None else jobs:
        ahead = job.cursor < case.pk <= job.until_id or case.pk in job.retry
        if ahead and recomputer.affects(case, job.year):
            return job
    return None
