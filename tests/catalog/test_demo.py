"""The demo catalog loads through the services and a second run adds nothing."""

import pytest

from zwfw.catalog.models import ItemVersion, ListStatus, PublishedList, ServiceItem
from zwfw.core.models import AuditEvent
from zwfw.org.models import Department

pytestmark = pytest.mark.django_db


def test_demo_catalog_is_complete_and_idempotent():
    from zwfw.catalog import demo
    from zwfw.org import demo as org_demo

    org_demo.load()
    demo.load()
    for code in ("QLGA", "QLJT", "QLZR", "QLSJ", "QLRS", "QLZJ"):
        assert ServiceItem.objects.filter(department__code=code).count() >= 15, code
    assert PublishedList.objects.filter(department__code="QLSJ").exists()
    statuses = dict(
        Department.objects.filter(chief_list__isnull=False).values_list(
            "code", "chief_list__status"
        )
    )
    assert statuses["QLSJ"] == ListStatus.APPROVED
    assert statuses["QLGA"] == ListStatus.SUBMITTED
    assert statuses["QLZJ"] == ListStatus.RETURNED
    assert (
        ServiceItem.objects.filter(chief_list_included=False).exclude(exclusion_reason="").exists()
    )
    assert ServiceItem.objects.get(code="QLSJ-XK-001-01").version_number == 2
    counts = (ServiceItem.objects.count(), ItemVersion.objects.count(), AuditEvent.objects.count())
    summary = demo.load()
    assert "新增事项0个" in summary
    assert (
        ServiceItem.objects.count(),
        ItemVersion.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
