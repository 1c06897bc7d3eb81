"""The supervision demo: a pool, a completed and an in-progress draw, hotline tickets, one
interference report and one fault-tolerance record; idempotent."""

import pytest

from zwfw.core import audit
from zwfw.supervision import demo
from zwfw.supervision.models import (
    FaultToleranceRecord,
    HotlineFeedback,
    InspectionDraw,
    InspectionRectification,
    InspectorPoolMember,
    InterferenceReport,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_once(monkeypatch):
    """N-17, TW-10, N-7, N-21: the demo data exist after one run and a second adds nothing."""
    from zwfw.cases import demo as cases_demo
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    assert demo.load().startswith("skipped")
    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    monkeypatch.setattr(cases_demo, "PER_DEPARTMENT", 12)
    cases_demo.load()
    summary = demo.load()
    assert InspectorPoolMember.objects.count() == len(demo.POOL), summary
    statuses = dict(InspectionDraw.objects.values_list("title", "status"))
    assert statuses == {demo.COMPLETED_TITLE: "completed", demo.IN_PROGRESS_TITLE: "in_progress"}
    assert set(InspectionRectification.objects.values_list("status", flat=True)) == {
        "rectified",
        "open",
    }
    assert 20 <= HotlineFeedback.objects.count() <= 30
    assert not HotlineFeedback.objects.filter(case__isnull=True).exists()
    assert InterferenceReport.objects.count() == 1
    assert FaultToleranceRecord.objects.count() == 1
    counts = [
        m.objects.count()
        for m in (InspectionDraw, HotlineFeedback, InterferenceReport, FaultToleranceRecord)
    ]
    demo.load()
    assert counts == [
        m.objects.count()
        for m in (InspectionDraw, HotlineFeedback, InterferenceReport, FaultToleranceRecord)
    ]
    assert audit.verify().ok
