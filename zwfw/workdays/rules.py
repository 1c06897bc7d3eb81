"""Checks of an entered year calendar (L-CAL): pure functions, no database.

`services.set_year` runs them before writing; the form and the API show their refusals
beside the field they name.
"""

import datetime
from collections.abc import Iterable

from zwfw.core.errors import RuleViolation
from zwfw.workdays.calendar import MAX_YEAR, MIN_YEAR

WEEKDAYS = "一二三四五六日"
NAME_MAX = 50
Entry = tuple[datetime.date, str]


def check_supported_year(year: int) -> int:
    """A year the in-memory calendar covers."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(
            "L-CAL", f"年度须在{MIN_YEAR}年至{MAX_YEAR}年之间，收到：{year}", field="year"
        )
    return year


def check_year(year: int, *, today: datetime.date) -> None:
    """A year the calendar supports, and no later than next year (notices come yearly)."""
    check_supported_year(year)
    if year > today.year + 1:
        raise RuleViolation(
            "L-CAL",
            f"国务院办公厅每年只公布下一年度的节假日安排，现在不能录入{year}年的安排",
            field="year",
        )


def check_past_year(year: int, *, today: datetime.date, reason: str) -> None:
    """Past years are kept as they were: correcting one needs a stated reason."""
    if year < today.year and not reason.strip():
        raise RuleViolation(
            "L-CAL",
            f"{year}年已经结束，往年安排应保持原样；确需更正录入错误的，请填写更正理由",
            field="reason",
        )


def _entries(year: int, entries: Iterable[Entry], field: str, label: str) -> dict:
    found: dict[datetime.date, str] = {}
    for day, raw_name in entries:
        name = (raw_name or "").strip()
        if day.year != year:
            raise RuleViolation("L-CAL", f"{label} {day} 不在{year}年内", field=field)
        if not name:
            raise RuleViolation("L-CAL", f"{label} {day} 须填写所属节日名称", field=field)
        if len(name) > NAME_MAX:
            raise RuleViolation(
                "L-CAL", f"{label} {day} 的名称过长（最多{NAME_MAX}个字）", field=field
            )
        if day in found:
            raise RuleViolation("L-CAL", f"{label} {day} 重复录入", field=field)
        found[day] = name
    return found


def check_entries(
    year: int, holidays: Iterable[Entry], adjusted_workdays: Iterable[Entry]
) -> tuple[dict[datetime.date, str], dict[datetime.date, str]]:
    """Validate one year's lists; returns them as {date: name}."""
    off = _entries(year, holidays, "holidays", "法定节假日")
    on = _entries(year, adjusted_workdays, "adjusted_workdays", "调休上班日")
    if not off:
        raise RuleViolation(
            "L-CAL", "至少须录入一天法定节假日（每年都有元旦、春节等假期）", field="holidays"
        )
    both = sorted(set(off) & set(on))
    if both:
        days = "、".join(str(d) for d in both)
        raise RuleViolation(
            "L-CAL",
            f"{days} 不能同时是法定节假日和调休上班日",
            field="adjusted_workdays",
        )
    for day in sorted(on):
        if day.weekday() < 5:
            raise RuleViolation(
                "L-CAL",
                f"调休上班日 {day}（星期{WEEKDAYS[day.weekday()]}）本来就是工作日："
                "调休上班只能安排在周六或周日",
                field="adjusted_workdays",
            )
    return off, on
