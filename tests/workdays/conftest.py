import datetime

import pytest

from zwfw.workdays import loader
from zwfw.workdays.calendar import WorkCalendar
from zwfw.workdays.seed import official_calendars

SEEDED_YEARS = range(2004, 2027)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test starts from the database it sees, not a snapshot another test loaded."""
    loader.reset()
    yield
    loader.reset()


def seeded_calendar(extra_official=()) -> WorkCalendar:
    """The pure calendar built from chinese-calendar's data, without a database."""
    holidays, adjusted = {}, {}
    for off, on in official_calendars().values():
        holidays.update(off)
        adjusted.update(on)
    return WorkCalendar(
        holidays=holidays,
        adjusted_workdays=adjusted,
        official_years=[*SEEDED_YEARS, *extra_official],
    )


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
