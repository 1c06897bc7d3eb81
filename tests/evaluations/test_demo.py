"""The 好差评 demo: ratings on most completed demo cases, tickets at every step (one escalated),
appeals pending and upheld, a device per window, defaults; idempotent."""

import datetime

import pytest
import time_machine

from zwfw.evaluations import demo
from zwfw.evaluations.models import (
    Appeal,
    Evaluation,
    EvaluatorDevice,
    IntegratorAccount,
    Rectification,
)

pytestmark = pytest.mark.django_db


# The demos read today's date: a fixed Monday keeps the scenario dates reproducible.
@time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
def test_demo_loads_once(monkeypatch):
    from zwfw.cases import demo as cases_demo
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo
    from zwfw.org.models import Window

    assert demo.load().startswith("skipped")  # nothing to build on yet
    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    monkeypatch.setattr(cases_demo, "PER_DEPARTMENT", 16)
    cases_demo.load()
    summary = demo.load()
    count = Evaluation.objects.count()
    assert count > 20, summary
    assert EvaluatorDevice.objects.count() == Window.objects.filter(active=True).count()
    assert Evaluation.objects.filter(visit__isnull=False).exists()
    assert Evaluation.objects.filter(is_default=True).exists()
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert {"closed", "open", "called_back", "rectified", "excluded"} <= statuses, summary
    assert Rectification.objects.filter(escalated=True, status="open").count() == 1
    assert set(Appeal.objects.values_list("status", flat=True)) == {"pending", "upheld"}
    # Issue 11 point 7: national stars, tickets only for 1 and 2 stars; point 6: tickets only
    # for verified raters, and the integrator account exists.
    assert not Rectification.objects.filter(evaluation__level__gt=2).exists()
    assert not Rectification.objects.filter(evaluation__verified=False).exists()
    assert Evaluation.objects.filter(level=5).count() > Evaluation.objects.filter(level=1).count()
    assert IntegratorAccount.objects.filter(user__username="haochaping", active=True).exists()
    assert demo.load().startswith("skipped")
    assert Evaluation.objects.count() == count
