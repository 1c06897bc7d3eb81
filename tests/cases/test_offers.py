"""Issue 16 point 4: the case page offers exactly what may happen now — the state table
(`states.allowed`) narrowed by the services' own checks — and asks before irreversible ones."""

import datetime
import re

import pytest
import time_machine

from tests.cases.factories import deliver
from zwfw.cases import offers, services
from zwfw.cases.models import Case
from zwfw.cases.states import Action, CaseState, allowed

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 9, 29, 10, 0), tick=False):
        yield


@pytest.mark.parametrize("state", list(CaseState))
def test_offers_equal_the_state_table_when_every_check_passes(state, monkeypatch):
    """For every state: with all services' checks passing, the page offers exactly the
    actions states.allowed gives (no view keeps a list of its own)."""
    monkeypatch.setattr(offers, "CHECKS", {a: (lambda c, u, o: None) for a in offers.PAGE_ACTIONS})
    case = Case(status=state)
    expected = [a for a in offers.PAGE_ACTIONS if allowed(state, a)]
    assert offers.offered(case, user=None) == expected


def test_every_page_action_has_a_check():
    assert set(offers.CHECKS) == set(offers.PAGE_ACTIONS)
    assert {
        Action.DECIDE,
        Action.REFUSE,
        Action.COMPLETE,
        Action.WITHDRAW,
        Action.TERMINATE,
    } == offers.IRREVERSIBLE


def _page_actions(client, user, case) -> set[str]:
    client.force_login(user)
    html = client.get(f"/cases/{case.number}/").content.decode()
    return set(re.findall(rf'action="/cases/{re.escape(case.number)}/([a-z_]+)/"', html))


def test_page_shows_what_offers_gives_for_each_person(client, clerk, chief, received):
    """N-13: the clerk is not offered 作出决定 (no authority for the item); the chief is."""
    case = services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))
    for user in (clerk, chief):
        assert _page_actions(client, user, case) == {a.value for a in offers.offered(case, user)}
    assert Action.DECIDE not in offers.offered(case, clerk)
    assert Action.DECIDE in offers.offered(case, chief)
    # L-LIMIT: an extension is approved by a chief representative or the department admin.
    assert Action.EXTEND not in offers.offered(case, clerk)


def test_complete_offered_only_after_delivery(clerk, chief, received):
    """行政许可法第44条: 办结 waits for 送达 — the page does not offer what would be refused."""
    case = services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))
    case = services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))
    assert allowed(CaseState(case.status), Action.COMPLETE)
    assert Action.COMPLETE not in offers.offered(case, clerk)
    deliver(case, clerk, on=D(2025, 9, 29))
    assert Action.COMPLETE in offers.offered(Case.objects.get(pk=case.pk), clerk)


def test_accept_offered_only_with_complete_materials(clerk, incomplete):
    """L-ACCEPT: 受理 needs the required materials; the notice and refusal are offered."""
    offered = offers.offered(incomplete, clerk)
    assert Action.ACCEPT not in offered
    assert {Action.SUPPLEMENT_NOTICE, Action.REFUSE} <= set(offered)


def test_irreversible_actions_ask_first_and_errors_show_in_a_banner(client, clerk, chief, received):
    case = services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))
    client.force_login(chief)
    html = client.get(f"/cases/{case.number}/").content.decode()
    decide = re.search(r'<form[^>]*id="form-decide"[^>]*>', html).group(0)
    assert 'data-confirm="确定作出决定吗？此操作不可撤销。"' in decide
    pause = re.search(r'<form[^>]*id="form-pause"[^>]*>', html).group(0)
    assert "data-confirm" not in pause
    r = client.post(f"/cases/{case.number}/decide/", {"result": "deny", "opinion": ""})
    page = r.content.decode()
    assert r.status_code == 422 and 'id="error-banner"' in page and "不予许可须写明理由" in page
    r = client.post(f"/cases/{case.number}/pause/", {})
    page = r.content.decode()
    assert r.status_code == 422 and 'id="error-banner"' in page  # 暂停事由 not chosen


def test_refused_action_posted_anyway_gets_the_services_reason(client, clerk, received):
    """A POST of an action the page did not offer is refused by the service, not by a list."""
    case = services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))
    client.force_login(clerk)
    r = client.post(f"/cases/{case.number}/decide/", {"result": "approve"}, follow=True)
    assert "无权" in r.content.decode() or "授权" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == "accepted"
