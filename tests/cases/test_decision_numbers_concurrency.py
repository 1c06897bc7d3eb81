"""Issue 12 point 6: decisions of two cases at the same moment draw different decision
document numbers of the same sequence, without gaps. PostgreSQL only (SQLite serialises
writers at BEGIN IMMEDIATE anyway)."""

import datetime
import threading

import pytest
from django.db import connection

from tests.cases.factories import receive
from zwfw.cases import services
from zwfw.cases.models import DecisionDocument

D = datetime.date

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_point6_parallel_decisions_draw_distinct_numbers(clerk, chief, item):
    from django.db import connections

    cases = [
        services.accept_case(
            case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
        )
        for _ in range(4)
    ]
    barrier = threading.Barrier(len(cases))
    errors = []

    def decide(case):
        try:
            barrier.wait()
            services.decide_case(
                case=case, by=chief, result="approve", opinion="同意", on=D(2025, 9, 29)
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    seqs = sorted(DecisionDocument.objects.values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4]
