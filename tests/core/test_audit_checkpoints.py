"""Issue 11 point 14: an audit chain that survives a database writer (SEC audit chain).

Links are HMAC-SM3 with a key outside the database; signed checkpoints of the head are kept
outside the database; `zwfw audit verify` and the 审计日志 page report rewrites, deletions
after a checkpoint and forged checkpoints; PostgreSQL refuses UPDATE and DELETE."""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tests.core.test_audit_chain import as_table_owner
from zwfw.core import audit, tasks
from zwfw.core.crypto import sm3
from zwfw.core.models import AuditEvent
from zwfw.org import services

SENT = []


def collect(record):
    """A dotted-path checkpoint sink for the tests."""
    SENT.append(record)


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    settings.ZWFW_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def five_events(center_admin, center):
    for i in range(5):
        services.create_department(
            by=center_admin, code=f"CP{i}", name=f"检查点局{i}", center=center
        )
    return list(AuditEvent.objects.order_by("id"))


def _rewrite_plain(events, target_id):
    """What a database writer without the key can do: change one event and recompute every
    later link with plain SM3, exactly as the old unkeyed chain was computed."""
    prev = None
    with as_table_owner() as cursor:
        for event in events:
            if event.id == target_id:
                event.actor_name = "篡改者"
            if prev is not None and event.id >= target_id:
                event.prev_hash = prev
            if event.id >= target_id:
                event.hash = "x" * 64  # make room under the unique constraint
                event.hash = audit.plain_hash(event)
                cursor.execute(
                    "UPDATE core_auditevent SET actor_name=%s, prev_hash=%s, hash=%s WHERE id=%s",
                    [event.actor_name, event.prev_hash, event.hash, event.id],
                )
            prev = event.hash


def test_point14_links_are_keyed_hmac_sm3_not_plain_sm3(five_events):
    event = five_events[-1]
    assert event.hash == audit.compute_hash(event)
    assert event.hash != audit.plain_hash(event) == sm3(audit._canonical(event))
    assert audit.verify().ok


def test_point14_link_depends_on_key_outside_database(settings, five_events):
    """A different audit key (ZWFW_AUDIT_KEY) no longer verifies: the key, not the data,
    makes a link valid."""
    settings.ZWFW_AUDIT_KEY = "another key, not the one the chain was written with"
    result = audit.verify()
    assert not result.ok and result.broken_id == five_events[0].id


def test_point14_rewrite_with_every_later_plain_sm3_hash_recomputed_is_reported(
    five_events, client, platform_auditor
):
    """The old attack: rewrite one event and recompute all later hashes. Without the key the
    rewritten event's link does not verify."""
    target = five_events[2]
    _rewrite_plain(five_events, target.id)
    result = audit.verify()
    assert not result.ok
    assert result.broken_id == target.id
    assert "篡改" in result.reason
    with pytest.raises(CommandError, match=f"broken at event {target.id}"):
        call_command("audit", "verify")
    client.force_login(platform_auditor)
    body = client.get("/audit/?verify=1").content.decode()
    assert f"哈希链在第 {target.id} 号记录处断开" in body


def test_point14_deleting_newest_events_after_a_checkpoint_is_reported(
    five_events, checkpoint_file, client, platform_auditor
):
    call_command("audit", "checkpoint")
    assert audit.verify().ok
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id >= %s", [five_events[3].id])
    result = audit.verify()
    assert not result.ok
    assert result.broken_id is None  # the remaining chain is intact: only checkpoints tell
    assert any("被删除" in p for p in result.problems)
    with pytest.raises(CommandError, match="checkpoints"):
        call_command("audit", "verify")
    client.force_login(platform_auditor)
    body = client.get("/audit/?verify=1").content.decode()
    assert "检查点之后最新的记录被删除" in body


def test_point14_deleting_newest_then_appending_new_events_is_reported(
    five_events, center_admin, center
):
    """Deleting the tail and letting the application append again gives a valid chain, but
    the checkpoint's head event is gone."""
    call_command("audit", "checkpoint")
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id >= %s", [five_events[3].id])
    for i in range(3):
        services.create_department(by=center_admin, code=f"NEW{i}", name=f"新局{i}", center=center)
    result = audit.verify()
    assert not result.ok and result.broken_id is None
    assert any(f"第 {five_events[-1].id} 号记录已不存在" in p for p in result.problems)


def test_point14_truncating_the_table_after_a_checkpoint_is_reported(five_events):
    """TRUNCATE passes the PostgreSQL row trigger; the checkpoint still shows the loss."""
    call_command("audit", "checkpoint")
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    result = audit.verify()
    assert not result.ok and any("被删除" in p for p in result.problems)


def test_point14_forged_checkpoint_signature_is_reported(five_events, checkpoint_file):
    call_command("audit", "checkpoint")
    record = json.loads(checkpoint_file.read_text())
    record["count"] = 2  # hide a later deletion by lowering what the checkpoint saw
    checkpoint_file.write_text(json.dumps(record) + "\n")
    result = audit.verify()
    assert not result.ok
    assert any("签名无效" in p for p in result.problems)
    checkpoint_file.write_text("not json\n")
    assert any("第 1 行签名无效" in p for p in audit.verify().problems)


def test_point14_checkpoint_record_is_signed_head_count_and_time(five_events, checkpoint_file):
    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")
    lines = checkpoint_file.read_text().splitlines()
    assert len(lines) == 2  # appended, never rewritten
    record = json.loads(lines[-1])
    head = five_events[-1]
    assert record["v"] == 2 and list(record["chains"]) == [head.chain]  # one chain per center
    assert record["chains"][head.chain] == {"head_id": head.id, "head_hash": head.hash, "count": 5}
    assert record["at"] and len(record["sig"]) == 64
    assert record["sig"] == audit.sign_checkpoint(record)
    result = audit.verify()
    assert result.ok and result.checkpoints == 2 and result.checked == 5


def test_point14_events_after_the_last_checkpoint_still_verify(five_events, center_admin, center):
    call_command("audit", "checkpoint")
    services.create_department(by=center_admin, code="AFTER", name="之后局", center=center)
    result = audit.verify()
    assert result.ok and result.checked == 6


def test_point14_periodic_task_writes_a_checkpoint(five_events, checkpoint_file):
    tasks.audit_checkpoint.call_local()
    record = json.loads(checkpoint_file.read_text().splitlines()[-1])
    assert record["chains"][five_events[-1].chain]["head_id"] == five_events[-1].id


def test_point14_checkpoint_is_sent_to_the_remote_sink(settings, five_events):
    settings.ZWFW_AUDIT_CHECKPOINT_SINK = "tests.core.test_audit_checkpoints.collect"
    SENT.clear()
    call_command("audit", "checkpoint")
    assert SENT and SENT[-1]["chains"][five_events[-1].chain]["head_id"] == five_events[-1].id


def test_point14_failing_sink_keeps_the_file_copy(settings, five_events, checkpoint_file):
    settings.ZWFW_AUDIT_CHECKPOINT_SINK = "http://127.0.0.1:9/unreachable"
    with pytest.raises(CommandError, match="remote sink failed"):
        call_command("audit", "checkpoint")
    record = json.loads(checkpoint_file.read_text())
    assert record["chains"][five_events[-1].chain]["head_id"] == five_events[-1].id


def _old_single_chain(events, link, tampered_id=None):
    """Write the trail as the code before the per-center chains did: one chain over every
    event, links without the chain in the content (plain SM3 before migration 0004, keyed
    after). `tampered_id`: that event's stored content differs from what its link covers."""
    prev = audit.GENESIS
    with as_table_owner() as cursor:
        for event in events:
            if event.id == tampered_id:
                event.action = "tampered_before_upgrade"
            event.prev_hash = prev
            event.hash = prev = link(event, with_chain=False)
            if event.id == tampered_id:
                event.action = "create_department"
            cursor.execute(
                "UPDATE core_auditevent SET chain='platform', prev_hash=%s, hash=%s WHERE id=%s",
                [event.prev_hash, event.hash, event.id],
            )


def _upgrade():
    migration = importlib.import_module("zwfw.core.migrations.0007_audit_chains")
    with as_table_owner():
        migration.forwards(django_apps, None)


@pytest.mark.parametrize("link", [audit.plain_hash, audit.compute_hash])
def test_point14_upgrade_rechains_the_old_single_chain_per_center(five_events, center, link):
    """Core migration 0007 (after 0004's keyed re-chain): every event goes to its center's
    chain and every link is rewritten with the key, so verify passes after the upgrade; the
    re-chain is recorded at the head of the platform chain."""
    _old_single_chain(five_events, link)
    assert not audit.verify().ok
    _upgrade()
    result = audit.verify()
    assert result.ok, result.problems
    events = list(AuditEvent.objects.order_by("id"))
    assert {e.chain for e in events[:5]} == {str(center.pk)}  # the departments' center
    last = events[-1]
    assert last.action == "audit_rechain" and last.chain == audit.PLATFORM
    assert last.after == {"events": 5, "old_chain_broken_at": None}


def test_point14_upgrade_records_where_the_old_chain_was_already_broken(five_events):
    _old_single_chain(five_events, audit.plain_hash, tampered_id=five_events[1].id)
    _upgrade()
    last = AuditEvent.objects.order_by("-id").first()
    assert last.after["old_chain_broken_at"] == five_events[1].id


def test_point14_checkpoints_from_before_the_per_center_chains_still_count(
    five_events, checkpoint_file
):
    """A checkpoint of the old single head (v1) is still checked by id and count after the
    upgrade: deleting an event it saw is reported."""
    record = {"v": 1, "head_id": five_events[3].id, "head_hash": "x" * 64, "count": 4}
    record["at"] = "2026-01-01T00:00:00+00:00"
    record["sig"] = audit.sign_checkpoint(record)
    checkpoint_file.write_text(json.dumps(record) + "\n")
    assert audit.verify().ok
    with as_table_owner() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [five_events[0].id])
    problems = audit.verify().problems
    assert any("现截至第" in p and "（记录被删除）" in p for p in problems)


def test_point14_rechain_after_a_change_of_key(settings, five_events, checkpoint_file):
    """A new audit key: the old links no longer verify until `zwfw audit rechain` rewrites
    them, which records that the old links did not hold under the new key."""
    settings.ZWFW_AUDIT_KEY = "a new audit key"
    assert not audit.verify().ok
    call_command("audit", "rechain")
    assert audit.verify().ok
    last = AuditEvent.objects.order_by("-id").first()
    assert last.action == "audit_rechain"
    assert last.after == {"events": 5, "old_chain_broken_at": five_events[0].id}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET actor_name = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_point14_postgresql_refuses_update_and_delete_of_audit_rows(five_events, statement):
    with (
        pytest.raises(DatabaseError, match="审计日志只允许追加"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [five_events[0].id])
    assert AuditEvent.objects.filter(id=five_events[0].id, actor_name="x").count() == 0
    assert AuditEvent.objects.count() == 5
