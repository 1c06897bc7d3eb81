"""Two online ratings of one case at the same moment (SMS and the website): one lands, the
other is a clear conflict (N-18). PostgreSQL only (SQLite serialises writers at BEGIN)."""

import datetime
import threading

import pytest
from django.db import connection

from zwfw.core.errors import Conflict
from zwfw.evaluations import services
from zwfw.evaluations.models import Evaluation, Rectification

D = datetime.date

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_n18_racing_online_ratings_one_wins_one_gets_409(case):
    """N-18: both pass the friendly check; the unique index lets exactly one rating in."""
    from django.db import connections

    barrier = threading.Barrier(2)
    outcomes = []

    def rate(channel, level):
        try:
            barrier.wait()
            services.rate_case(case=case, level=level, channel=channel, on=D(2026, 9, 30))
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rate, args=args) for args in (("sms", 5), ("web", 4))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == [409, "ok"]
    assert Evaluation.objects.filter(case=case).count() == 1
    assert Rectification.objects.count() == 1  # the loser's ticket rolled back with it
