"""Issue 12 point 4 demo (R-17): Z01 serves two small departments with the center's
approval, the clerk `zonghe` takes in there, cases wait in the back office or are handed out
at Z01, with agency records; a second load adds nothing."""

import pytest

from zwfw.cases.models import Delivery
from zwfw.windows import demo
from zwfw.windows.models import AgencyRecord, ComprehensiveAuthorization, IntakeWindow

pytestmark = pytest.mark.django_db


def test_point4_r17_demo_comprehensive_window():
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    assert demo.load().startswith("skipped")
    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    summary = demo.load()
    auths = ComprehensiveAuthorization.objects.filter(revoked_at=None)
    assert sorted(a.department.code for a in auths) == ["QLJT", "QLZJ"], summary
    assert IntakeWindow.objects.count() == 5
    statuses = {i.case.status for i in IntakeWindow.objects.select_related("case")}
    assert {"received", "accepted", "decided", "completed"} <= statuses, statuses
    assert AgencyRecord.objects.exists()
    assert Delivery.objects.filter(recorded_by__username="zonghe").exists(), statuses
    assert any(row[0] == "zonghe" for row in org_demo.accounts_table())
    assert demo.load().startswith("skipped")
    assert IntakeWindow.objects.count() == 5
