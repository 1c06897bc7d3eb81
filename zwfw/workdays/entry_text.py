"""The text form of a year's entries: one line per day or date range, then the name.

    2026-02-15~2026-02-23 春节      (also "至" or "—" between the dates)
    2026-02-14 春节

Blank lines and lines starting with # are ignored. Pure functions, used by the edit page.
"""

import datetime
import re

from zwfw.core.errors import RuleViolation

_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|—|--)\s*{_DATE})?\s+(\S.*)$")
MAX_RANGE_DAYS = 31  # no notice gives a longer period; a longer one is a typing error


def _date(parts, line_no: int, field: str) -> datetime.date:
    try:
        return datetime.date(*(int(p) for p in parts))
    except ValueError:
        raise RuleViolation(
            "invalid", f"第{line_no}行：{'-'.join(parts)} 不是有效日期", field=field
        )


def parse_entries(text: str, field: str) -> list[tuple[datetime.date, str]]:
    entries: list[tuple[datetime.date, str]] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise RuleViolation(
                "invalid",
                f"第{line_no}行格式不对：应为“YYYY-MM-DD 名称”或“YYYY-MM-DD~YYYY-MM-DD 名称”",
                field=field,
            )
        groups = match.groups()
        first = _date(groups[0:3], line_no, field)
        last = _date(groups[3:6], line_no, field) if groups[3] else first
        if last < first:
            raise RuleViolation("invalid", f"第{line_no}行：结束日期早于开始日期", field=field)
        if (last - first).days >= MAX_RANGE_DAYS:
            raise RuleViolation(
                "invalid", f"第{line_no}行：日期范围超过{MAX_RANGE_DAYS}天", field=field
            )
        name = groups[6].strip()
        for offset in range((last - first).days + 1):
            entries.append((first + datetime.timedelta(days=offset), name))
    return entries


def group_runs(entries: dict[datetime.date, str]) -> list[tuple[datetime.date, datetime.date, str]]:
    """Consecutive days of one name as (first, last, name), in date order."""
    runs: list[tuple[datetime.date, datetime.date, str]] = []
    for day in sorted(entries):
        if runs and (day - runs[-1][1]).days == 1 and entries[day] == runs[-1][2]:
            runs[-1] = (runs[-1][0], day, runs[-1][2])
        else:
            runs.append((day, day, entries[day]))
    return runs


def format_entries(entries: dict[datetime.date, str]) -> str:
    """One line per run of days (the reverse of parse_entries)."""
    return "\n".join(
        f"{first} {name}" if first == last else f"{first}~{last} {name}"
        for first, last, name in group_runs(entries)
    )
