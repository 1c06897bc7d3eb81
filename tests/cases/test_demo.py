"""The case demo: cases in many states, decided by the demo chief officers; idempotent."""

import pytest

from zwfw.cases import demo
from zwfw.cases.models import Case

pytestmark = pytest.mark.django_db


def test_demo_loads_cases_once(monkeypatch):
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    assert demo.load().startswith("skipped")  # nothing to build on yet
    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    monkeypatch.setattr(demo, "PER_DEPARTMENT", 12)
    summary = demo.load()
    count = Case.objects.count()
    assert count == 72, summary
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"accepted", "completed"} <= statuses and len(statuses) >= 5
    assert Case.objects.exclude(decided_by=None).filter(grant__isnull=False).exists()
    assert demo.load().startswith("skipped")
    assert Case.objects.count() == count
