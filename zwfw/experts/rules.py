"""Pure rule helpers of seed 000 (no database): character counts, full years, notice ends,
ballot ordering. Services call these; tests check them at their edges."""

import datetime
import re

from zwfw.workdays.calendar import add_workdays

MIN_DEEDS_CHARS = 500  # E-8: 事迹材料不少于500字
MIN_YEARS = 5  # E-6.2
MAX_AGE = 55  # E-6.6: 一般不超过55周岁
PREFERRED_UNDER = 50  # E-6.6: 同等条件下优先从50周岁以下
NOTICE_WORKDAYS = 5  # E-9.2, E-9.5
TERM_YEARS = 4  # E-11.1
MIN_SECTORS = 10  # E-11.1
COVERAGE_YEARS = 5  # E-11.1

# CJK ideographs: the basic block, extension A, compatibility ideographs and the
# supplementary-plane extensions B onwards. Punctuation, digits, Latin letters and spaces do
# not count as 字.
_CJK = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f]"
)


def chinese_chars(text: str) -> int:
    """E-8: the number of Chinese characters (not bytes, spaces or punctuation)."""
    return len(_CJK.findall(text or ""))


def full_years(start: datetime.date, day: datetime.date) -> int:
    """Completed years from `start` to `day` (age on `day` for a birth date)."""
    years = day.year - start.year
    if (day.month, day.day) < (start.month, start.day):
        years -= 1
    return years


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def notice_end(start: datetime.date) -> datetime.date:
    """E-9.2: the last day of a notice of 5 working days that opens on `start` (counted when
    it is a working day; else the notice's first day is the next working day)."""
    return add_workdays(start - datetime.timedelta(days=1), NOTICE_WORKDAYS)


def term_end(approved_on: datetime.date) -> datetime.date:
    """E-11.1: the last day of a 4-year term that starts on the approval day."""
    return add_years(approved_on, TERM_YEARS) - datetime.timedelta(days=1)


def quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def ballot_order(candidates: list[dict]) -> list[dict]:
    """E-9.4 / E-6.6: rank by votes; at equal votes a candidate under 50 at the nomination
    deadline first; then the nomination submitted earlier (created_at, then id).

    Each candidate: {"votes", "under_50", "created_at", "id"}; returns them ranked, each with
    "rank" (1, 2, ...) and "tie_note" (which rule separated it from the one above)."""
    ranked = sorted(
        candidates,
        key=lambda c: (-c["votes"], not c["under_50"], c["created_at"], c["id"]),
    )
    for i, c in enumerate(ranked):
        c["rank"] = i + 1
        c["tie_note"] = ""
        if i and ranked[i - 1]["votes"] == c["votes"]:
            above = ranked[i - 1]
            if above["under_50"] and not c["under_50"]:
                c["tie_note"] = "同票：50周岁以下者优先"
            else:
                c["tie_note"] = "同票：推荐在先者优先"
    return ranked
