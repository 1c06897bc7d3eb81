"""The data migration's calendars, as the database holds them (L-CAL)."""

import datetime

import chinese_calendar
import pytest

from tests.workdays.conftest import d
from zwfw.workdays import calendar, loader
from zwfw.workdays.models import AdjustedWorkday, CalendarYear, Holiday

pytestmark = pytest.mark.django_db


def days(first: str, last: str) -> set[datetime.date]:
    a, b = d(first), d(last)
    return {a + datetime.timedelta(days=i) for i in range((b - a).days + 1)}


def year_rows(year: int) -> tuple[dict, dict]:
    return (
        dict(Holiday.objects.filter(calendar_year__year=year).values_list("date", "name")),
        dict(AdjustedWorkday.objects.filter(calendar_year__year=year).values_list("date", "name")),
    )


def test_every_covered_year_is_seeded_official():
    """L-CAL: 2004–2026 are official, each with its notice as source."""
    rows = list(CalendarYear.objects.order_by("year"))
    assert [r.year for r in rows] == list(range(2004, 2027))
    assert all(r.official and "国务院办公厅关于" in r.source for r in rows)


def test_2025_matches_national_md():
    """L-CAL: 2025 as NATIONAL.md lists it."""
    holidays, adjusted = year_rows(2025)
    expected = (
        days("2025-01-01", "2025-01-01")
        | days("2025-01-28", "2025-02-04")
        | days("2025-04-04", "2025-04-06")
        | days("2025-05-01", "2025-05-05")
        | days("2025-05-31", "2025-06-02")
        | days("2025-10-01", "2025-10-08")
    )
    assert set(holidays) == expected
    assert set(adjusted) == {
        d(x) for x in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")
    }
    assert holidays[d("2025-01-01")] == "元旦" and holidays[d("2025-01-28")] == "春节"
    assert holidays[d("2025-04-05")] == "清明节" and holidays[d("2025-05-03")] == "劳动节"
    assert holidays[d("2025-06-01")] == "端午节"
    assert {holidays[x] for x in days("2025-10-01", "2025-10-08")} == {"国庆节、中秋节"}
    assert adjusted[d("2025-09-28")] == "国庆节、中秋节"


def test_2026_matches_national_md():
    """L-CAL: 2026 as NATIONAL.md lists it."""
    holidays, adjusted = year_rows(2026)
    expected = (
        days("2026-01-01", "2026-01-03")
        | days("2026-02-15", "2026-02-23")
        | days("2026-04-04", "2026-04-06")
        | days("2026-05-01", "2026-05-05")
        | days("2026-06-19", "2026-06-21")
        | days("2026-09-25", "2026-09-27")
        | days("2026-10-01", "2026-10-07")
    )
    assert set(holidays) == expected
    assert set(adjusted) == {
        d(x)
        for x in (
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        )
    }
    assert holidays[d("2026-06-20")] == "端午节" and holidays[d("2026-09-26")] == "中秋节"
    assert holidays[d("2026-10-07")] == "国庆节" and adjusted[d("2026-05-09")] == "劳动节"


def test_merged_national_day_names():
    """L-CAL: 国庆 and 中秋 in one period are named 国庆节、中秋节 (2020 included)."""
    for year in (2009, 2012, 2017, 2020, 2023, 2025):
        holidays, _ = year_rows(year)
        assert holidays[datetime.date(year, 10, 3)] == "国庆节、中秋节", year
    holidays, _ = year_rows(2015)
    assert holidays[d("2015-09-27")] == "中秋节" and holidays[d("2015-10-01")] == "国庆节"
    assert holidays[d("2015-09-03")].startswith("中国人民抗日战争")


def test_loaded_calendar_agrees_with_chinese_calendar_every_day():
    """L-CAL: the database calendar answers like chinese-calendar, 2004–2026."""
    cal = loader.load()
    day = datetime.date(2004, 1, 1)
    while day.year <= 2026:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)
    assert calendar.add_workdays(d("2025-09-30"), 1) == d("2025-10-09")
