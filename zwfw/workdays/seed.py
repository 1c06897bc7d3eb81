"""The official calendars 2004–2026 as the chinese-calendar package records them.

Used by the data migration 0002 and by `demo.load()`; pure (no database), so both can call
it with their own models. chinese-calendar names holidays in English; users see the Chinese
names of the State Council notices.
"""

import datetime
from collections import defaultdict

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
MERGED = "国庆节、中秋节"
# 2020: 中秋 fell on 10月1日 and the notice lists "国庆节、中秋节：10月1日至8日放假调休";
# chinese-calendar calls all of it National Day, so the merge is not visible in its names.
MERGED_WITHOUT_MARK = {2020}


def source_for(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinese-calendar 导入）"


def _merged_years(holidays: dict[datetime.date, str]) -> set[int]:
    """Years whose 国庆 and 中秋 form one holiday period (consecutive days, both names)."""
    years = set(MERGED_WITHOUT_MARK)
    run: list[datetime.date] = []
    for d in sorted(holidays) + [None]:
        if d is not None and run and (d - run[-1]).days == 1:
            run.append(d)
            continue
        names = {holidays[x] for x in run}
        if {"National Day", "Mid-autumn Festival"} <= names:
            years.add(run[0].year)
        run = [d] if d is not None else []
    return years


def _chinese(name: str, year: int, merged: set[int]) -> str:
    if year in merged and name in ("National Day", "Mid-autumn Festival"):
        return MERGED
    return NAMES.get(name, name)


def official_calendars() -> dict[int, tuple[dict, dict]]:
    """{year: ({date: holiday name}, {date: adjusted workday name})} for each covered year."""
    from chinese_calendar.constants import holidays, workdays

    raw_holidays = {d: str(v) for d, v in holidays.items()}
    merged = _merged_years(raw_holidays)
    years: dict[int, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
    for d, name in raw_holidays.items():
        years[d.year][0][d] = _chinese(name, d.year, merged)
    for d, name in workdays.items():
        years[d.year][1][d] = _chinese(str(name), d.year, merged)
    return dict(sorted(years.items()))


def seed_missing(calendar_year_model, holiday_model, adjusted_model) -> list[int]:
    """Create the covered years that have no row yet; entered or corrected years stay.

    Takes the model classes so the migration can pass its historical models.
    """
    existing = set(calendar_year_model.objects.values_list("year", flat=True))
    added = []
    for year, (holidays, adjusted) in official_calendars().items():
        if year in existing:
            continue
        row = calendar_year_model.objects.create(year=year, official=True, source=source_for(year))
        holiday_model.objects.bulk_create(
            holiday_model(calendar_year=row, date=d, name=n) for d, n in sorted(holidays.items())
        )
        adjusted_model.objects.bulk_create(
            adjusted_model(calendar_year=row, date=d, name=n) for d, n in sorted(adjusted.items())
        )
        added.append(year)
    return added
