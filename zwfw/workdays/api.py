"""Working-day API (API.md "Working days"): day kind, add, count, a year's calendar.

Route order matters: /workdays/add, /workdays/count and /workdays/years/… are declared
before /workdays/{date}, so a literal segment is never read as a date.
"""

import datetime
from typing import Literal

from ninja import Router, Schema

from zwfw.workdays import calendar, selectors, services

router = Router(tags=["工作日历"])


class DayOut(Schema):
    date: datetime.date
    workday: bool
    kind: Literal["workday", "weekend", "holiday", "adjusted_workday"]
    name: str | None
    provisional: bool


class AddedOut(Schema):
    date: datetime.date
    provisional: bool


class CountedOut(Schema):
    count: int
    provisional: bool


class EntryIn(Schema):
    date: datetime.date
    name: str


class EntryOut(Schema):
    date: datetime.date
    name: str


class YearIn(Schema):
    holidays: list[EntryIn]
    adjusted_workdays: list[EntryIn] = []
    source: str = ""
    reason: str = ""  # required to correct a year that is already over


class YearOut(Schema):
    year: int
    official: bool
    provisional: bool
    source: str
    revision: int
    updated_at: datetime.datetime | None
    holidays: list[EntryOut]
    adjusted_workdays: list[EntryOut]


def year_out(view: selectors.YearCalendar) -> dict:
    return {
        "year": view.year,
        "official": view.official,
        "provisional": view.provisional,
        "source": view.row.source if view.row else "",
        "revision": view.row.revision if view.row else 0,
        "updated_at": view.row.updated_at if view.row else None,
        "holidays": [{"date": d, "name": n} for d, n in sorted(view.holidays.items())],
        "adjusted_workdays": [
            {"date": d, "name": n} for d, n in sorted(view.adjusted_workdays.items())
        ],
    }


@router.get("/workdays/add", response=AddedOut, summary="第N个工作日（起算日不计）")
def add(request, start: datetime.date, days: int):
    return calendar.add_workdays_detail(start, days)._asdict()


@router.get("/workdays/count", response=CountedOut, summary="区间(start, end]内的工作日数")
def count(request, start: datetime.date, end: datetime.date):
    return calendar.count_workdays_detail(start, end)._asdict()


@router.get("/workdays/years/{year}", response=YearOut, summary="某年度节假日安排")
def get_year(request, year: int):
    return year_out(selectors.year_calendar(year))


@router.put("/workdays/years/{year}", response=YearOut, summary="录入或替换某年度节假日安排")
def put_year(request, year: int, payload: YearIn):
    services.set_year(
        by=request.user,
        year=year,
        holidays=[(e.date, e.name) for e in payload.holidays],
        adjusted_workdays=[(e.date, e.name) for e in payload.adjusted_workdays],
        source=payload.source,
        reason=payload.reason,
    )
    return year_out(selectors.year_calendar(year))


@router.get("/workdays/{date}", response=DayOut, summary="某日是否工作日")
def day(request, date: datetime.date):
    return calendar.day_info(date)._asdict()
