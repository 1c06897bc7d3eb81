"""The pure calendar (zwfw.workdays.calendar.WorkCalendar): no database.

Checked against a plain day-by-day reference over chinese-calendar's own answers, and on
the holiday periods of NATIONAL.md (L-CAL; 行政许可法第82条).
"""

import datetime

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.slow import examples
from tests.workdays.conftest import SEEDED_YEARS, d, seeded_calendar
from zwfw.core.errors import RuleViolation
from zwfw.workdays.calendar import MAX_YEAR, MIN_YEAR, WorkCalendar

CAL = seeded_calendar()
ONE_DAY = datetime.timedelta(days=1)
dates = st.dates(datetime.date(2004, 1, 1), datetime.date(2030, 12, 31))


def _reference_days() -> dict[datetime.date, bool]:
    """chinese-calendar's answer where it has one, else Monday to Friday (2004–2033)."""
    days = {}
    day = datetime.date(2004, 1, 1)
    while day.year <= 2033:
        if day.year in SEEDED_YEARS:
            days[day] = chinese_calendar.is_workday(day)
        else:
            days[day] = day.weekday() < 5
        day += ONE_DAY
    return days


REFERENCE = _reference_days()


def ref_is_workday(day: datetime.date) -> bool:
    return REFERENCE[day]


def ref_add(start: datetime.date, n: int) -> datetime.date:
    day = start
    while n:
        day += ONE_DAY
        if ref_is_workday(day):
            n -= 1
    return day


def ref_count(start: datetime.date, end: datetime.date) -> int:
    return sum(ref_is_workday(start + ONE_DAY * i) for i in range(1, (end - start).days + 1))


def ref_provisional(first: datetime.date, last: datetime.date) -> bool:
    return (
        any(y not in SEEDED_YEARS for y in range(first.year, last.year + 1))
        if first <= last
        else False
    )


@settings(max_examples=examples(400), deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_add_workdays_matches_day_by_day_reference(start, n):
    """L-CAL: add → the N-th working day after start; start itself never counts."""
    result = CAL.add_workdays_detail(start, n)
    assert result.date == ref_add(start, n)
    assert result.provisional == ref_provisional(start + ONE_DAY, result.date)


@settings(max_examples=examples(400), deadline=None)
@given(a=dates, b=dates)
def test_count_workdays_matches_day_by_day_reference(a, b):
    """L-CAL: count → working days in (A, B]."""
    start, end = min(a, b), max(a, b)
    result = CAL.count_workdays_detail(start, end)
    assert result.count == ref_count(start, end)
    assert result.provisional == ref_provisional(start + ONE_DAY, end)


@settings(max_examples=examples(200), deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=300))
def test_add_and_count_are_inverse(start, n):
    """L-CAL: the N-th working day after D is N working days after D."""
    end = CAL.add_workdays(start, n)
    assert CAL.count_workdays(start, end) == n
    assert CAL.is_workday(end)
    assert CAL.count_workdays(start, end - ONE_DAY) == n - 1


def test_every_day_2004_to_2026_agrees_with_chinese_calendar():
    """L-CAL: the seeded calendar answers like chinese-calendar on all 8,401 days."""
    day = datetime.date(2004, 1, 1)
    while day.year <= 2026:
        assert CAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += ONE_DAY


def test_2025_national_day():
    """L-CAL: 2025 国庆+中秋 10月1日至8日放假, 9月28日(日) and 10月11日(六) 上班."""
    assert CAL.add_workdays(d("2025-09-30"), 1) == d("2025-10-09")
    assert CAL.add_workdays(d("2025-09-26"), 1) == d("2025-09-28")  # Friday → the worked Sunday
    assert CAL.add_workdays(d("2025-10-09"), 2) == d("2025-10-11")  # the worked Saturday
    assert CAL.count_workdays(d("2025-09-30"), d("2025-10-08")) == 0
    assert CAL.count_workdays(d("2025-09-27"), d("2025-10-12")) == 6  # 9/28–30, 10/9–11
    info = CAL.day_info(d("2025-10-06"))
    assert (info.kind, info.name, info.workday) == ("holiday", "国庆节、中秋节", False)
    worked = CAL.day_info(d("2025-09-28"))
    assert (worked.kind, worked.workday, worked.provisional) == ("adjusted_workday", True, False)


def test_2026_spring_festival():
    """L-CAL: 2026 春节 2/15–2/23 off; 2/14 (六) and 2/28 (六) worked."""
    for day in range(15, 24):
        assert not CAL.is_workday(datetime.date(2026, 2, day))
        assert CAL.day_info(datetime.date(2026, 2, day)).name == "春节"
    assert CAL.is_workday(d("2026-02-14")) and CAL.is_workday(d("2026-02-28"))
    assert CAL.add_workdays(d("2026-02-13"), 1) == d("2026-02-14")
    assert CAL.add_workdays(d("2026-02-14"), 1) == d("2026-02-24")
    assert CAL.count_workdays(d("2026-02-13"), d("2026-02-28")) == 6  # 14, 24–27, 28


def test_2026_national_day():
    """L-CAL: 2026 国庆 10/1–10/7 off, 9/20 (日) and 10/10 (六) worked; 中秋 9/25–27 apart."""
    assert CAL.add_workdays(d("2026-09-30"), 1) == d("2026-10-08")
    assert CAL.add_workdays(d("2026-10-09"), 1) == d("2026-10-10")
    assert CAL.day_info(d("2026-09-20")).kind == "adjusted_workday"
    assert CAL.day_info(d("2026-09-25")).name == "中秋节"
    assert CAL.day_info(d("2026-10-01")).name == "国庆节"
    assert CAL.count_workdays(d("2026-09-30"), d("2026-10-10")) == 3  # 10/8, 10/9, 10/10


def test_day_kinds():
    """L-CAL: four kinds of day; holidays and adjusted days carry their festival's name."""
    assert CAL.day_info(d("2026-03-02")) == (d("2026-03-02"), True, "workday", None, False)
    assert CAL.day_info(d("2026-03-01")).kind == "weekend"
    assert CAL.day_info(d("2026-01-01"))[2:4] == ("holiday", "元旦")
    assert CAL.day_info(d("2026-01-04"))[2:4] == ("adjusted_workday", "元旦")


def test_2027_is_provisional_until_official():
    """L-CAL: a year without an official calendar is weekends alone and flagged provisional."""
    assert CAL.day_info(d("2027-02-08")).provisional is True
    assert CAL.is_workday(d("2027-02-08"))  # Monday in 春节 2027, unknown until entered
    added = CAL.add_workdays_detail(d("2026-12-30"), 2)
    assert added == (d("2027-01-01"), True)
    within_2026 = CAL.add_workdays_detail(d("2026-12-29"), 2)
    assert within_2026 == (d("2026-12-31"), False)
    assert CAL.count_workdays_detail(d("2026-12-01"), d("2026-12-31")).provisional is False
    assert CAL.count_workdays_detail(d("2026-12-31"), d("2027-01-01")).provisional is True
    assert CAL.count_workdays_detail(d("2027-03-01"), d("2027-03-01")) == (0, False)

    entered = WorkCalendar(
        holidays={d("2027-01-01"): "元旦"}, adjusted_workdays={}, official_years=[2027]
    )
    assert entered.add_workdays_detail(d("2026-12-31"), 1) == (d("2027-01-04"), False)


def test_start_never_counts_even_when_a_workday():
    """L-CAL: D itself never counts; from a holiday the next working day is step 1."""
    assert CAL.add_workdays(d("2026-03-02"), 1) == d("2026-03-03")
    assert CAL.add_workdays(d("2026-10-01"), 1) == d("2026-10-08")


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_add_refuses_fewer_than_one_day(n):
    """L-CAL: N ≥ 1."""
    with pytest.raises(RuleViolation) as err:
        CAL.add_workdays(d("2026-03-02"), n)
    assert err.value.field == "days"


def test_count_refuses_end_before_start():
    with pytest.raises(RuleViolation) as err:
        CAL.count_workdays(d("2026-03-02"), d("2026-03-01"))
    assert (err.value.code, err.value.field) == ("invalid", "end")


@pytest.mark.parametrize(
    "call,field",
    [
        (lambda: CAL.is_workday(datetime.date(MIN_YEAR - 1, 12, 31)), "date"),
        (lambda: CAL.is_workday(datetime.date(MAX_YEAR + 1, 1, 1)), "date"),
        (lambda: CAL.add_workdays(datetime.date(2003, 12, 31), 1), "start"),
        (lambda: CAL.add_workdays(datetime.date(MAX_YEAR, 12, 30), 5), "days"),
        (lambda: CAL.count_workdays(datetime.date(2026, 1, 1), datetime.date(2100, 1, 1)), "end"),
    ],
)
def test_out_of_range_is_a_rule_refusal(call, field):
    """L-CAL: outside 2004–2099 the calendar refuses instead of guessing."""
    with pytest.raises(RuleViolation) as err:
        call()
    assert (err.value.code, err.value.field) == ("L-CAL", field)


def test_last_supported_day_works():
    assert CAL.add_workdays(datetime.date(MAX_YEAR, 12, 28), 1) == datetime.date(MAX_YEAR, 12, 29)
    total = CAL.count_workdays(datetime.date(MIN_YEAR, 1, 1), datetime.date(MAX_YEAR, 12, 31))
    assert total > 20000


def test_entries_of_unofficial_years_are_ignored():
    """L-CAL: only an official calendar changes working days."""
    cal = WorkCalendar(
        holidays={d("2030-10-01"): "国庆节"}, adjusted_workdays={}, official_years=[]
    )
    assert cal.is_workday(d("2030-10-01")) and cal.day_info(d("2030-10-01")).provisional
