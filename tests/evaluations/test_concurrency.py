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

    threads = [threading.Thread(target=rate, args=args) for args in (("sms", 1), ("web", 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == [409, "ok"]
    assert Evaluation.objects.filter(case=case).count() == 1
    assert Rectification.objects.count() == 1  # the loser's ticket rolled back with it


def test_point6_25_parallel_bad_reviews_against_one_person_open_at_most_the_limit(clerk, settings):
    """Issue 11 point 6 (reproduces "25 parallel posts opened 25 tickets against one
    person"): 25 verified 非常不满意 posted at the same moment through one staff member's QR
    sheet, from 25 addresses: the shared-store counter lets ZWFW_EVAL_BAD_LIMIT (3) in, the
    rest answer 429."""
    import re

    from django.test import Client

    from zwfw.evaluations import links
    from zwfw.notifications.codes import latest_code_for_tests

    url = links.staff_url(clerk.person.pk).split("127.0.0.1:8000", 1)[-1]
    ready = []
    for i in range(25):
        client, ip, phone = Client(), f"203.0.113.{i + 1}", f"1391234{i:04d}"
        page = client.get(url, REMOTE_ADDR=ip).content.decode()
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        sent = client.post(
            url,
            {"form_token": token, "action": "send_code", "rater_phone": phone},
            REMOTE_ADDR=ip,
        ).content.decode()
        token = re.search(r'name="form_token" value="([^"]+)"', sent).group(1)
        data = {
            "form_token": token,
            "level": "1",
            "rater_phone": phone,
            "sms_code": latest_code_for_tests(phone),
        }
        ready.append((client, ip, data))
    barrier = threading.Barrier(len(ready))
    statuses = []

    def post(client, ip, data):
        from django.db import connections

        try:
            barrier.wait()
            statuses.append(client.post(url, data, REMOTE_ADDR=ip).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=args) for args in ready]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(statuses).count(201) == 3 and statuses.count(429) == 22, statuses
    assert Evaluation.objects.count() == 3 and Rectification.objects.count() == 3
