"""Two grants for one department decided at the same moment (PostgreSQL only): the department
row lock makes the second see the first, so C-4.3 holds under concurrency."""

import threading

import pytest
from django.db import connection, connections

from tests.grants.factories import candidate, item, make_grant
from zwfw.core.errors import RuleViolation
from zwfw.grants.models import Grant

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_officers_at_once_give_one_grant_and_one_refusal(center_admin, department):
    """C-4.3: in principle one chief service officer per department, even when two
    decisions are recorded at the same time."""
    people = [candidate(department), candidate(department)]
    items = [item(department), item(department)]
    barrier = threading.Barrier(2)
    outcomes = []

    def record(person, service_item):
        try:
            barrier.wait()
            make_grant(center_admin, department, grantee=person, final=[service_item])
            outcomes.append("granted")
        except RuleViolation as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=record, args=pair) for pair in zip(people, items, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["C-4.3", "granted"]
    assert Grant.objects.filter(department=department).count() == 1
