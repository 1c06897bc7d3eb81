"""Working-day API (API.md "Working days"): day kind, add, count, a year's calendar.

Route order matters: /workdays/add, /workdays/count and /workdays/years/… are declared
before /workdays/{date}, so a literal segment is never read as a date.
"""

import datetime
from typing import Literal

from ninja import Router, Schema

from zwfw.core.errors import NotFound
from zwfw.workdays import calendar, rules, selectors, services

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


class RecomputeOut(Schema):
    """The background recomputation of open cases' due dates after an edit (L-CAL)."""

    id: int
    year: int
    revision: int
    state: Literal["queued", "running", "done", "superseded"]
    state_label: str
    total: int
    done: int
    changed: int
    batches: int
    retry: int  # rows another writer held, still to visit
    error: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    heartbeat_at: datetime.datetime


class YearOut(Schema):
    year: int
    official: bool
    provisional: bool
    source: str
    revision: int
    updated_at: datetime.datetime | None
    holidays: list[EntryOut]
    adjusted_workdays: list[EntryOut]
    # The newest recomputation of this year's edits; null before any edit.
    recompute: RecomputeOut | None = None


def recompute_out(job) -> dict | None:
    if job is None:
        return None
    return {
        "id": job.pk,
        "year": job.year,
        "revision": job.revision,
        "state": job.state,
        "state_label": job.get_state_display(),
        "total": job.total,
        "done": job.done,
        "changed": job.changed,
        "batches": job.batches,
        "retry": len(job.retry),
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
    }


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
        "recompute": recompute_out(selectors.latest_recompute(view.year)),
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


@router.get(
    "/workdays/years/{year}/recompute",
    response=RecomputeOut,
    summary="某年度日历修改后在办件期限的重新计算进度",
)
def get_recompute(request, year: int):
    rules.check_supported_year(year)
    job = selectors.latest_recompute(year)
    if job is None:
        raise NotFound(f"{year}年日历尚未修改过，没有重新计算任务")
    return recompute_out(job)


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
