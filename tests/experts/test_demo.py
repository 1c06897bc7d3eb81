"""Demo of the chief experts: this year's campaign in every state, last year's experts with
studios and logs, a revoked title, a title expiring within 90 days, 5 years of coverage;
a second load adds nothing."""

import pytest
from django.test import Client

from zwfw.experts import demo, selectors
from zwfw.experts.models import ChiefExpert, Nomination, StudioLog

pytestmark = pytest.mark.django_db


def test_demo_loads_every_state_once():
    from zwfw.org import demo as org_demo

    assert demo.load().startswith("skipped")
    org_demo.load()
    summary = demo.load()
    assert "16 sectors, 5 campaigns" in summary, summary
    statuses = set(Nomination.objects.values_list("status", flat=True))
    assert set(Nomination.Status.values) <= statuses, set(Nomination.Status.values) - statuses
    assert ChiefExpert.objects.filter(status="revoked").count() == 1
    assert StudioLog.objects.exists()
    assert selectors.expiring().count() == 1
    assert len(selectors.coverage()["uncovered"]) == 3
    assert selectors.open_notices().count() >= 3
    count = Nomination.objects.count()
    assert demo.load() == "experts: already loaded"
    assert Nomination.objects.count() == count
    client = Client()
    assert "已取消资格" in client.get("/public/experts/").content.decode()
    for username in ("zhuanjia", "zj_weiyuan", "zj_tuijian"):
        assert any(row[0] == username for row in org_demo.accounts_table())
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))
        assert client.get("/experts/").status_code == 200
