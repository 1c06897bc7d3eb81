"""The hash-chained audit trail (SEC: every state change audited, tamper evident)."""

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.org import services


@contextmanager
def as_table_owner():
    """A database writer with superuser rights: on PostgreSQL it first switches off the
    append-only trigger (core migration 0005), as such a writer could."""
    pg = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if pg:
            cursor.execute("SET session_replication_role = replica")  # no triggers fire
        try:
            yield cursor
        finally:
            if pg:
                cursor.execute("SET session_replication_role = origin")


@pytest.fixture
def three_events(center_admin, center):
    for i in range(3):
        services.create_department(
            by=center_admin, code=f"AUD{i}", name=f"审计测试局{i}", center=center
        )
    return list(AuditEvent.objects.order_by("id"))


def test_service_writes_audit_event_with_actor_role_department(center_admin, center):
    department = services.create_department(by=center_admin, code="X1", name="某局", center=center)
    event = AuditEvent.objects.get(action="create_department", object_id=str(department.pk))
    assert event.actor_id == center_admin.pk
    assert event.actor_name == center_admin.person.name
    assert "center_admin" in event.actor_role
    assert event.actor_department == center_admin.person.department.name
    assert event.after["code"] == "X1"


def test_chain_verifies_when_untouched(three_events):
    assert audit.verify().ok
    call_command("audit", "verify")


def test_altering_a_row_with_raw_sql_breaks_verify(three_events):
    target = three_events[1]
    with as_table_owner() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["篡改者", target.id]
        )
    result = audit.verify()
    assert not result.ok
    assert result.broken_id == target.id
    with pytest.raises(CommandError, match=f"broken at event {target.id}"):
        call_command("audit", "verify")


def test_deleting_a_row_breaks_the_link_of_the_next(three_events):
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [three_events[1].id])
    result = audit.verify()
    assert not result.ok
    assert result.broken_id == three_events[2].id


def test_events_link_to_previous_hash(three_events):
    for prev, event in zip(three_events, three_events[1:], strict=False):
        assert event.prev_hash == prev.hash


def test_failed_service_leaves_no_audit_event(center_admin, center):
    """A use case runs in one transaction: a refusal writes nothing, audit included."""
    services.create_department(by=center_admin, code="DUP", name="甲局", center=center)
    count = AuditEvent.objects.count()
    with pytest.raises(RuleViolation):
        services.create_department(by=center_admin, code="DUP", name="乙局", center=center)
    assert AuditEvent.objects.count() == count


def test_admin_cannot_change_or_delete_audit_events(client, superuser, three_events):
    client.force_login(superuser)
    event = three_events[0]
    assert client.get(f"/admin/core/auditevent/{event.id}/delete/").status_code == 403
    response = client.post(f"/admin/core/auditevent/{event.id}/change/", {"actor_name": "x"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.actor_name != "x"


def test_audit_page_for_auditor_reports_broken_link(client, platform_auditor, three_events):
    client.force_login(platform_auditor)
    assert "哈希链完整" in client.get("/audit/?verify=1").content.decode()
    with as_table_owner() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET action = 'x' WHERE id = %s", [three_events[0].id]
        )
    body = client.get("/audit/?verify=1").content.decode()
    assert f"哈希链在第 {three_events[0].id} 号记录处断开" in body


def test_audit_page_refused_to_window_staff(client, clerk):
    client.force_login(clerk)
    assert client.get("/audit/").status_code == 403
