"""demo.load(): the seeded years exist; a second run adds nothing (L-CAL)."""

import pytest

from zwfw.workdays import demo
from zwfw.workdays.models import CalendarYear, Holiday

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_restores_missing_years():
    assert demo.load() == "calendar years 2004–2026 official"
    holidays = Holiday.objects.count()
    CalendarYear.objects.filter(year=2010).delete()
    assert demo.load() == "calendar years 2004–2026 official (restored 1 seeded years)"
    assert Holiday.objects.count() == holidays
    assert demo.load() == "calendar years 2004–2026 official"
