"""Issue 16 point 3: the chief officer's 待我决定 queue and, at intake, who may decide today."""

import datetime

import pytest
import time_machine

from tests.cases.factories import receive
from zwfw.cases import offers, selectors, services
from zwfw.cases.states import Action

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 9, 29, 10, 0), tick=False):
        yield


def test_n13_queue_holds_what_the_chief_may_decide_and_nothing_else(client, clerk, chief, item):
    """N-4, N-13: accepted cases of items the chief decides are in 待我决定; a received one is
    not (it must be accepted first), and the clerk, holding no grant, has no such queue."""
    accepted = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    waiting = receive(clerk, item, on=D(2025, 9, 29))
    queue = selectors.awaiting_my_decision(chief)
    assert [c.number for c in queue] == [accepted.number]
    for case in queue:  # the queue's query agrees with the services' own checks
        assert Action.DECIDE in offers.offered(case, chief)
    assert waiting.number not in {c.number for c in queue}
    assert selectors.awaiting_my_decision(clerk) == []
    client.force_login(chief)
    html = client.get("/").content.decode()
    assert "待我决定" in html and accepted.number in html
    client.force_login(clerk)
    assert "待我决定" not in client.get("/").content.decode()
    services.decide_case(case=accepted, by=chief, result="approve", on=D(2025, 9, 29))
    assert selectors.awaiting_my_decision(chief) == []


def test_intake_page_names_who_may_decide_today(client, clerk, chief, item):
    client.force_login(clerk)
    html = client.get(f"/cases/new/{item.code}/").content.decode()
    assert 'id="deciders"' in html and "今日可作出决定：陆文博" in html
