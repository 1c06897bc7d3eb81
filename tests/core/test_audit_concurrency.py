"""Concurrent appends keep one unbroken audit chain (PostgreSQL: advisory lock and the head
read in one round trip, core migration 0002)."""

import threading

import pytest
from django.db import connection, connections, transaction

from zwfw.core import audit
from zwfw.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_concurrent_writers_never_fork_the_chain():
    """SEC (audit chain): eight writers at once, each appending in its own transaction while
    holding it open a moment, still give one chain that verifies."""
    threads, per_thread = 8, 10
    barrier = threading.Barrier(threads)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit.record(actor=None, action="concurrent", object_id=f"{n}-{i}")
                    # Keep the transaction open after the append: a stale head read by
                    # another writer would show up as a fork.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.002)")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    assert AuditEvent.objects.filter(action="concurrent").count() == threads * per_thread
    result = audit.verify()
    assert result.ok, result.reason
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two events share a parent
