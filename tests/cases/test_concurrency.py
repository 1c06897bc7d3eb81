"""Two officers deciding the same case at the same moment: one decision, one conflict (409).
Runs on PostgreSQL only (SQLite serialises writers at BEGIN IMMEDIATE anyway)."""

import datetime
import threading

import pytest
from django.db import connection

from tests.cases.factories import receive
from zwfw.cases import services
from zwfw.cases.models import Case, CaseEvent
from zwfw.core.errors import Conflict

D = datetime.date

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_officers_decide_at_once_one_wins_one_gets_409(clerk, chief, item):
    """N-13: the row lock lets exactly one decision land; the other is a clear conflict."""
    from django.db import connections

    case = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(result):
        try:
            barrier.wait()
            services.decide_case(
                case=case, by=chief, result=result, opinion="意见", on=D(2025, 9, 29)
            )
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(r,)) for r in ("approve", "deny")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == [409, "ok"]
    assert Case.objects.get(pk=case.pk).status == "decided"
    assert CaseEvent.objects.filter(case=case, action="decide").count() == 1
