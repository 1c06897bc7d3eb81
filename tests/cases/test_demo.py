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
    from zwfw.cases import demo_steps

    # 12 a department, and the normal-procedure cases of one excluded item (issue 12 point 1).
    from zwfw.cases.models_joint import JointPart

    # ... and the parts of the joint cases (issue 12 point 3), each an ordinary case.
    assert count == 72 + len(demo_steps.SCENARIOS) + JointPart.objects.count(), summary
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"accepted", "completed"} <= statuses and len(statuses) >= 5
    assert Case.objects.exclude(decided_by=None).filter(grant__isnull=False).exists()
    assert demo.load().startswith("skipped")
    assert Case.objects.count() == count


def test_demo_normal_procedure_cases_in_several_states(monkeypatch):
    """Issue 12 point 1 (N-4, R-15): an excluded item's cases wait for 承办, 审核 and 审批,
    one is paused, others are decided by the 审批 post holder on a post assignment."""
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    monkeypatch.setattr(demo, "PER_DEPARTMENT", 0)
    demo.load()
    cases = Case.objects.filter(item__name="民用爆炸物品购买许可", procedure="normal")
    assert {"accepted", "paused", "decided", "completed"} <= set(
        cases.values_list("status", flat=True)
    )
    decided = cases.filter(status__in=["decided", "completed"])
    assert decided.exists() and all(
        c.decided_by.user.username == "ga_shenpi" and c.post_assignment_id and not c.grant_id
        for c in decided
    )
    assert {"deny", "approve"} <= set(decided.values_list("result", flat=True))
