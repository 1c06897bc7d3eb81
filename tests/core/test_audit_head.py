"""The chain's head in hand (core.audit, issue 17 point 6): a transaction that read its
chain's head with a statement of its own (cases.services.base.lock), or appended an event
already, links the next event without reading the head again; wherever that event may be
gone (a rolled-back savepoint, held writes dropped by an exception) the head is read anew,
so the chain never forks (SEC audit chain)."""

import pytest
from django.db import connection, transaction

from tests.factories import CenterFactory
from zwfw.core import audit, fastsql
from zwfw.core.models import AuditEvent


def _head(chain: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {audit.head_sql()}", [chain])
        return cursor.fetchone()[0]


def _stored(center) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(chain=str(center.pk)).order_by("id"))


def test_audit_chain_a_primed_head_is_linked_without_reading_it_again(center_admin, center):
    audit.record(actor=center_admin, action="before", obj=center)
    chain = str(center.pk)
    with transaction.atomic():
        assert audit.head_to_read(center) == chain
        audit.prime(chain, _head(chain))
        # The head is in hand: nothing more to read with the next lock of this transaction.
        assert audit.head_to_read(center) is None
        with connection.execute_wrapper(_no_head_read):
            first = audit.record(actor=center_admin, action="first", obj=center)
            second = audit.record(actor=center_admin, action="second", obj=center)
    stored = _stored(center)
    assert [e.action for e in stored[-3:]] == ["before", "first", "second"]
    assert first.prev_hash == stored[-3].hash and second.prev_hash == first.hash
    assert audit.verify(chains=[center.pk]).ok


def _no_head_read(execute, sql, params, many, context):
    assert "zwfw_audit_chain_head" not in sql and "ORDER BY id DESC" not in sql, sql
    return execute(sql, params, many, context)


def test_audit_chain_a_transaction_on_another_chain_reads_no_head_for_a_lock(center_admin, center):
    """One chain lock per transaction: a lock in a transaction pinned to another chain
    neither reads nor locks its own center's chain."""
    other = CenterFactory(code="C2", name="另一中心")
    with transaction.atomic():
        audit.record(actor=center_admin, action="first", obj=other)
        assert audit.head_to_read(center) is None


def test_audit_chain_an_event_rolled_back_with_its_savepoint_is_not_linked_to(center_admin, center):
    with transaction.atomic():
        first = audit.record(actor=center_admin, action="first", obj=center)
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record(actor=center_admin, action="gone", obj=center)
            raise RuntimeError
        third = audit.record(actor=center_admin, action="third", obj=center)
    assert third.prev_hash == first.hash
    assert [e.action for e in _stored(center)[-2:]] == ["first", "third"]
    assert audit.verify(chains=[center.pk]).ok


def test_audit_chain_an_event_dropped_with_held_writes_is_not_linked_to(center_admin, center):
    """PostgreSQL holds the event in core.fastsql.together() and drops it with the block's
    exception; SQLite wrote it at once. Either way the next event links to what is stored."""
    with transaction.atomic():
        audit.record(actor=center_admin, action="first", obj=center)
        with pytest.raises(RuntimeError), fastsql.together():
            audit.record(actor=center_admin, action="maybe", obj=center)
            raise RuntimeError
        last = audit.record(actor=center_admin, action="last", obj=center)
    stored = _stored(center)
    assert stored[-1].action == "last" and last.prev_hash == stored[-2].hash
    assert audit.verify(chains=[center.pk]).ok
