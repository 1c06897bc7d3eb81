"""Working-day arithmetic over the official calendar (L-CAL; 行政许可法第82条).

The stable interface other apps call (cases, evaluations, experts, talents …):

    from zwfw.workdays import calendar

    calendar.is_workday(d) -> bool
    calendar.add_workdays(start, n) -> date     # the n-th working day after start (n >= 1);
                                                # start itself never counts
    calendar.count_workdays(a, b) -> int        # working days in (a, b]; b >= a
    calendar.day_info(d) -> DayInfo(date, workday, kind, name, provisional)
    calendar.add_workdays_detail(start, n) -> Added(date, provisional)
    calendar.count_workdays_detail(a, b) -> Counted(count, provisional)
    calendar.current() -> WorkCalendar          # one snapshot: use it for a batch of sums

`provisional` is True when any day the answer depends on lies in a year without an official
calendar: such a year is computed from weekends alone, and a deadline that crosses it must
say so (ARCHITECTURE.md, "Lessons from peer systems"). For add that is every day in
(start, result], for count every day in (a, b], for day_info the day itself.

Dates from MIN_YEAR-01-01 to MAX_YEAR-12-31 are supported; outside that range, and for
bad arguments (n < 1, b before a), the functions raise `RuleViolation` (code "L-CAL" or
"invalid", with the API field name), which the API and pages show as a 422.

`WorkCalendar` is pure: it is built from plain dicts and answers every call in O(1) from
precomputed arrays (a prefix sum of working days and the sorted list of working days), never
by walking day by day. The module-level functions use the process-wide snapshot that
`zwfw.workdays.loader` keeps in step with the database: an edit is seen at once in the
process (and the transaction) that made it, and within a few seconds in other processes.
"""

import datetime
from collections.abc import Iterable, Mapping
from itertools import accumulate
from typing import NamedTuple

from zwfw.core.errors import RuleViolation

MIN_YEAR = 2004  # the first year of the seeded official calendars (chinese-calendar)
MAX_YEAR = 2099  # far enough for any legal deadline; arrays stay ~35,000 entries

_FIRST = datetime.date(MIN_YEAR, 1, 1)
_BASE = _FIRST.toordinal()
_DAYS = datetime.date(MAX_YEAR, 12, 31).toordinal() - _BASE + 1

WORKDAY = "workday"
WEEKEND = "weekend"
HOLIDAY = "holiday"
ADJUSTED_WORKDAY = "adjusted_workday"
KIND_LABELS = {
    WORKDAY: "工作日",
    WEEKEND: "周末",
    HOLIDAY: "法定节假日",
    ADJUSTED_WORKDAY: "调休上班",
}


class DayInfo(NamedTuple):
    date: datetime.date
    workday: bool
    kind: str  # workday | weekend | holiday | adjusted_workday
    name: str | None  # the holiday a holiday or adjusted workday belongs to
    provisional: bool


class Added(NamedTuple):
    date: datetime.date
    provisional: bool


class Counted(NamedTuple):
    count: int
    provisional: bool


def _out_of_range(d, field: str) -> RuleViolation:
    return RuleViolation(
        "L-CAL",
        f"日期 {d} 超出工作日历支持的范围（{MIN_YEAR}年1月1日至{MAX_YEAR}年12月31日）",
        field=field,
    )


class WorkCalendar:
    """An immutable calendar snapshot: official years and their special days.

    Days of years not in `official_years` are workdays Monday to Friday and nothing else;
    their entries, if any were passed, are ignored.
    """

    def __init__(
        self,
        *,
        holidays: Mapping[datetime.date, str],
        adjusted_workdays: Mapping[datetime.date, str],
        official_years: Iterable[int],
        version: object = None,
    ):
        self.version = version
        self.official_years = frozenset(y for y in official_years if MIN_YEAR <= y <= MAX_YEAR)
        self._holidays = {d: n for d, n in holidays.items() if d.year in self.official_years}
        self._adjusted = {
            d: n for d, n in adjusted_workdays.items() if d.year in self.official_years
        }
        first_weekday = _FIRST.weekday()
        week = [1 if (first_weekday + i) % 7 < 5 else 0 for i in range(7)]
        flags = bytearray(week * (_DAYS // 7 + 1))[:_DAYS]
        for d in self._holidays:
            flags[d.toordinal() - _BASE] = 0
        for d in self._adjusted:
            flags[d.toordinal() - _BASE] = 1
        self._flags = bytes(flags)
        # _before[i]: working days strictly before day i; _before[i + 1] includes day i.
        self._before = list(accumulate(flags, initial=0))
        # _workdays[k]: the day index of the (k+1)-th working day since _FIRST.
        self._workdays = [i for i, f in enumerate(flags) if f]
        unofficial = [0 if y in self.official_years else 1 for y in range(MIN_YEAR, MAX_YEAR + 1)]
        self._unofficial_before = list(accumulate(unofficial, initial=0))

    # -- single days ---------------------------------------------------------------------

    @staticmethod
    def _index(d: datetime.date, field: str) -> int:
        i = d.toordinal() - _BASE
        if not 0 <= i < _DAYS:
            raise _out_of_range(d, field)
        return i

    def is_workday(self, d: datetime.date) -> bool:
        return self._flags[self._index(d, "date")] == 1

    def is_official(self, year: int) -> bool:
        return year in self.official_years

    def day_info(self, d: datetime.date) -> DayInfo:
        workday = self.is_workday(d)
        if d in self._adjusted:
            kind, name = ADJUSTED_WORKDAY, self._adjusted[d]
        elif d in self._holidays:
            kind, name = HOLIDAY, self._holidays[d]
        else:
            kind, name = (WORKDAY if workday else WEEKEND), None
        return DayInfo(d, workday, kind, name, d.year not in self.official_years)

    def holidays_in(self, year: int) -> dict[datetime.date, str]:
        return {d: n for d, n in self._holidays.items() if d.year == year}

    def adjusted_workdays_in(self, year: int) -> dict[datetime.date, str]:
        return {d: n for d, n in self._adjusted.items() if d.year == year}

    # -- arithmetic ----------------------------------------------------------------------

    def add_workdays(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (start itself never counts; n >= 1)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise RuleViolation("invalid", "工作日天数须为不小于1的整数", field="days")
        i = self._index(start, "start")
        k = self._before[i + 1] + n - 1
        if k >= len(self._workdays):
            raise RuleViolation(
                "L-CAL",
                f"自 {start} 起第{n}个工作日超出工作日历支持的范围（至{MAX_YEAR}年底）",
                field="days",
            )
        return datetime.date.fromordinal(_BASE + self._workdays[k])

    def count_workdays(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]: start excluded, end included; end >= start."""
        i = self._index(start, "start")
        j = self._index(end, "end")
        if j < i:
            raise RuleViolation("invalid", "结束日期不能早于开始日期", field="end")
        return self._before[j + 1] - self._before[i + 1]

    def provisional_between(self, first: datetime.date, last: datetime.date) -> bool:
        """True when a day in [first, last] lies in a year without an official calendar."""
        if last < first:
            return False
        a = first.year - MIN_YEAR
        b = last.year - MIN_YEAR
        return self._unofficial_before[b + 1] - self._unofficial_before[a] > 0

    def add_workdays_detail(self, start: datetime.date, n: int) -> Added:
        result = self.add_workdays(start, n)
        following = datetime.date.fromordinal(start.toordinal() + 1)
        return Added(result, self.provisional_between(following, result))

    def count_workdays_detail(self, start: datetime.date, end: datetime.date) -> Counted:
        count = self.count_workdays(start, end)
        if end == start:
            return Counted(0, False)  # an empty interval depends on no day
        following = datetime.date.fromordinal(start.toordinal() + 1)
        return Counted(count, self.provisional_between(following, end))


# -- the process-wide snapshot (see zwfw.workdays.loader) -------------------------------------


_loader_current = None


def current() -> WorkCalendar:
    """The calendar as the database holds it now (for this transaction)."""
    global _loader_current
    if _loader_current is None:
        # Imported on first use: the loader needs Django, the class above does not.
        from zwfw.workdays.loader import current as loader_current

        _loader_current = loader_current
    return _loader_current()


def is_workday(d: datetime.date) -> bool:
    return current().is_workday(d)


def day_info(d: datetime.date) -> DayInfo:
    return current().day_info(d)


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    return current().add_workdays(start, n)


def count_workdays(start: datetime.date, end: datetime.date) -> int:
    return current().count_workdays(start, end)


def add_workdays_detail(start: datetime.date, n: int) -> Added:
    return current().add_workdays_detail(start, n)


def count_workdays_detail(start: datetime.date, end: datetime.date) -> Counted:
    return current().count_workdays_detail(start, end)
