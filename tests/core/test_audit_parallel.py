"""Issue 17 point 3: writers in parallel. One audit chain per service center (core.audit):
writers of different centers do not queue behind one another, every chain still verifies,
and tampering, deleting an event and deleting the newest events after a checkpoint are each
still detected, chain by chain (SEC audit chain)."""

import threading

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction

from tests.core.test_audit_chain import as_table_owner
from tests.factories import CenterFactory, DepartmentFactory
from zwfw.core import audit
from zwfw.core.models import AuditEvent
from zwfw.org import services


@pytest.fixture(autouse=True)
def checkpoint_file(settings, tmp_path):
    settings.ZWFW_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"


# --- which chain an event goes to (both databases) ----------------------------------------


def test_event_goes_to_the_chain_of_its_objects_center(center_admin, center):
    department = services.create_department(by=center_admin, code="CH1", name="链局", center=center)
    event = AuditEvent.objects.get(action="create_department", object_id=str(department.pk))
    assert event.chain == str(center.pk)
    assert audit.chain_of(obj=center) == str(center.pk)
    other = CenterFactory(code="C2", name="另一中心")
    assert audit.chain_of(obj=DepartmentFactory(code="D2", center=other)) == str(other.pk)


def test_event_without_a_center_goes_to_the_actors_then_the_platform_chain(center_admin, center):
    assert audit.chain_of(actor=center_admin) == str(center_admin.person.department.center_id)
    assert audit.record(actor=None, action="nothing_of_a_center").chain == audit.PLATFORM
    assert audit.record(actor=None, action="named", center=center).chain == str(center.pk)


def test_one_transaction_writes_one_chain(center):
    """A transaction's events share the chain of its first event: it holds one chain lock, so
    two transactions never wait on each other's chain locks in opposite orders."""
    other = CenterFactory(code="C3", name="第三中心")
    with transaction.atomic():
        first = audit.record(actor=None, action="first", center=center)
        second = audit.record(actor=None, action="second", center=other)
    assert first.chain == second.chain == str(center.pk)
    third = audit.record(actor=None, action="third", center=other)  # a new transaction
    assert third.chain == str(other.pk)
    assert audit.verify().ok


def test_chains_link_within_themselves_and_verify_per_chain(center):
    other = CenterFactory(code="C4", name="第四中心")
    a1 = audit.record(actor=None, action="a", center=center)
    b1 = audit.record(actor=None, action="b", center=other)
    a2 = audit.record(actor=None, action="a", center=center)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == events[1].prev_hash == audit.GENESIS  # two chains start
    assert events[2].prev_hash == events[0].hash  # a2 follows a1, not b1
    assert (a1.chain, b1.chain, a2.chain) == (str(center.pk), str(other.pk), str(center.pk))
    result = audit.verify()
    assert result.ok and result.checked == 3
    assert {(r.chain, r.checked) for r in result.chains} == {(a1.chain, 2), (b1.chain, 1)}
    assert {r.label for r in result.chains} == {center.name, other.name}
    only = audit.verify(chains=[b1.chain])
    assert only.ok and only.checked == 1
    call_command("audit", "verify", "--chain", b1.chain)


def test_moving_an_event_to_another_chain_is_detected(center):
    other = CenterFactory(code="C5", name="第五中心")
    audit.record(actor=None, action="a", center=center)
    event = audit.record(actor=None, action="b", center=other)
    stored = AuditEvent.objects.get(action="b")
    with as_table_owner() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET chain = %s WHERE id = %s", [str(center.pk), stored.id]
        )
    result = audit.verify()
    assert not result.ok and result.broken_id == stored.id
    assert event.chain == str(other.pk)


def test_audit_page_lists_every_chain(client, platform_auditor, center):
    CenterFactory(code="C6", name="第六中心")
    audit.record(actor=None, action="a", center=center)
    client.force_login(platform_auditor)
    body = client.get("/audit/?verify=1").content.decode()
    assert "哈希链完整" in body and 'id="audit-chains"' in body and center.name in body


# --- parallel writers (PostgreSQL) ----------------------------------------------------------


def _write_in_parallel(centers, per_center_threads=2, per_thread=10):
    errors = []
    threads = len(centers) * per_center_threads
    barrier = threading.Barrier(threads)

    def write(center_id, n):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit.record(
                        actor=None, action="parallel", object_id=f"{n}-{i}", center=center_id
                    )
                    # Keep the transaction open after the append: a stale head read by a
                    # writer of the same chain would show up as a fork.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.002)")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [
        threading.Thread(target=write, args=(c.pk, n))
        for n, c in enumerate(centers * per_center_threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    return per_center_threads * per_thread


@pytest.fixture
def four_centers(db):
    return [CenterFactory(code=f"P{i}", name=f"并行中心{i}") for i in range(4)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_parallel_writers_of_different_centers_give_chains_that_verify(four_centers):
    """Eight writers, two per center, append at once: every center's chain verifies, holds
    all its events and never forks."""
    per_center = _write_in_parallel(four_centers)
    result = audit.verify()
    assert result.ok, result.problems
    assert {(r.chain, r.checked) for r in result.chains} == {
        (str(c.pk), per_center) for c in four_centers
    }
    for c in four_centers:
        parents = list(AuditEvent.objects.filter(chain=str(c.pk)).values_list("prev_hash"))
        assert len(parents) == len(set(parents)) == per_center  # no two share a parent


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_a_writer_of_another_center_does_not_wait(four_centers):
    """While one transaction holds center A's chain (appended, not committed), a writer of
    center B appends at once, and a second writer of A waits (lock_timeout)."""
    a, b = four_centers[0], four_centers[1]
    appended, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                audit.record(actor=None, action="holder", center=a)
                appended.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert appended.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            audit.record(actor=None, action="other_center", center=b)
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            audit.record(actor=None, action="same_center", center=a)
    finally:
        release.set()
        holder.join()
    assert audit.verify().ok
    assert not AuditEvent.objects.filter(action="same_center").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_parallel_chains_detect_tampering_deletion_and_deleted_newest(four_centers):
    """After parallel writes: a rewritten event, a deleted event, and the newest events of a
    chain deleted after a checkpoint are each reported, in the chain where they happened;
    the other chains still verify."""
    _write_in_parallel(four_centers, per_center_threads=2, per_thread=4)
    call_command("audit", "checkpoint")
    chains = [str(c.pk) for c in four_centers]
    ids = {c: list(AuditEvent.objects.filter(chain=c).values_list("id", flat=True)) for c in chains}

    with as_table_owner() as cursor:  # tamper with one event of the first chain
        cursor.execute(
            "UPDATE core_auditevent SET actor_name = '篡改者' WHERE id = %s", [ids[chains[0]][3]]
        )
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [ids[chains[1]][2]])
        cursor.execute(
            "DELETE FROM core_auditevent WHERE id >= %s AND chain = %s",
            [ids[chains[2]][-2], chains[2]],
        )
    result = audit.verify()
    assert not result.ok
    by_chain = {r.chain: r for r in result.chains}
    assert by_chain[chains[0]].broken_id == ids[chains[0]][3]
    assert "篡改" in by_chain[chains[0]].reason
    assert by_chain[chains[1]].broken_id == ids[chains[1]][3]  # the link after the gap
    assert by_chain[chains[2]].ok and by_chain[chains[3]].ok
    deleted_newest = [p for p in result.problems if "检查点之后最新的记录被删除" in p]
    assert len(deleted_newest) == 1 and four_centers[2].name in deleted_newest[0]
    assert result.broken_id == min(ids[chains[0]][3], ids[chains[1]][3])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_call_of_a_decorated_service_picks_its_own_chain(superuser, center):
    """@transaction.atomic reuses one Atomic object for every call: the chain pin still
    lasts one transaction only (committed here, no test wrapper)."""
    other = CenterFactory(code="C7", name="第七中心")
    first = services.create_department(by=superuser, code="T1", name="甲局", center=center)
    second = services.create_department(by=superuser, code="T2", name="乙局", center=other)
    chains = dict(
        AuditEvent.objects.filter(action="create_department").values_list("object_id", "chain")
    )
    assert chains[str(first.pk)] == str(center.pk)
    assert chains[str(second.pk)] == str(other.pk)
    assert audit.verify().ok
