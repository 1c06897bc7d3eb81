"""Issue 15 demo: a city window with two county windows, 40 talents with cards, commissioners
of every kind with one gap, requests in every state, one 不达标 window with its interview;
a second load adds nothing."""

import pytest

from zwfw.talents import demo, selectors
from zwfw.talents.models import (
    Commissioner,
    Interview,
    Talent,
    TalentCard,
    TalentRequest,
    TalentTask,
    TalentWindow,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_day():
    """The demo runs on the real clock (overrides the package's frozen day)."""
    yield


def test_issue15_demo():
    from zwfw.catalog import demo as catalog_demo
    from zwfw.org import demo as org_demo

    assert demo.load().startswith("skipped")
    org_demo.load()
    catalog_demo.load()
    summary = demo.load()
    city = TalentWindow.objects.get(level="city")
    assert TalentWindow.objects.filter(parent=city, level="county").count() == 2, summary
    assert Talent.objects.count() == 40 and TalentCard.objects.count() == 40
    assert {c.kind for c in Commissioner.objects.all()} == {
        "unit",
        "department",
        "undertaking",
        "window",
    }
    gaps = [g for w in TalentWindow.objects.all() for g in selectors.coverage(w)]
    assert len(gaps) == 1 and gaps[0]["kind"] == "unit", gaps
    assert set(TalentRequest.objects.values_list("status", flat=True)) == set(
        TalentRequest.Status.values
    )
    assert set(TalentTask.objects.values_list("status", flat=True)) == set(TalentTask.Status.values)
    from django.utils import timezone

    assert any(t.is_overdue(timezone.localdate()) for t in TalentTask.objects.all())
    fail = TalentWindow.objects.get(grades__grade="fail")
    assert Interview.objects.get(grade__window=fail).meeting_explanation
    states = {
        p["state"]
        for w in TalentWindow.objects.all()
        for p in selectors.filing_periods(w, timezone.localdate())
    }
    assert "overdue" in states and "filed" in states
    assert any(row[0] == "rc_yx" for row in org_demo.accounts_table())
    assert demo.load() == "already loaded"
    assert Talent.objects.count() == 40
