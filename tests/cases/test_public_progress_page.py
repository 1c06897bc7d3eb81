"""Issue 16 point 6: the public progress page — a step bar from the state table, no stale
supplement block, the rating invitation gone once rated, numbers in any letter case, and a
quick honest rating never refused for its speed."""

import datetime

import pytest
import time_machine

from tests.cases.factories import deliver_and_complete, receive
from zwfw.cases import services
from zwfw.cases.states import PUBLIC_STAGES, CaseState, public_stage

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 9, 30, 10, 0), tick=False):
        yield


def test_every_state_has_its_place_on_the_bar_or_none():
    expected = {
        "received": "收件",
        "awaiting_supplement": "收件",
        "refused": "收件",
        "accepted": "受理",
        "paused": "受理",
        "referred": "审批",
        "decided": "审批",
        "completed": "办结",
        "withdrawn": None,
        "terminated": None,
    }
    assert set(expected) == set(CaseState.values)
    for state, label in expected.items():
        stage = public_stage(CaseState(state))
        assert (PUBLIC_STAGES[stage] if stage is not None else None) == label, state


def _progress(client, case):
    return client.get("/public/cases/", {"number": case.number, "phone_last4": "5678"})


def _completed_after_notice(clerk, chief, item):
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    services.send_supplement_notice(case=case, by=clerk, missing=[], on=D(2025, 9, 26))
    page_data = {"营业执照": "paper"}
    case = services.supplement_case(case=case, by=clerk, materials=page_data, on=D(2025, 9, 29))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 29))
    services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))
    return deliver_and_complete(case, clerk, on=D(2025, 9, 30))


def test_notice_shown_while_awaited_then_gone_and_bar_at_the_end(client, clerk, chief, item):
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    services.send_supplement_notice(case=case, by=clerk, missing=[], on=D(2025, 9, 26))
    html = _progress(client, case).content.decode()
    assert "一次性告知" in html and 'class="current" aria-current="step">收件' in html
    case = _completed_after_notice(clerk, chief, item)
    html = _progress(client, case).content.decode()
    assert "请补正以下材料" not in html  # the notice was answered: no stale block
    assert 'aria-current="step">办结' in html and html.count('class="done"') == 3


def test_rating_invitation_disappears_once_rated(client, clerk, chief, item):
    from zwfw.evaluations.models import Evaluation

    case = _completed_after_notice(clerk, chief, item)
    html = _progress(client, case).content.decode()
    assert 'id="rate-link"' in html
    rate_url = html.split('id="rate-link" href="')[1].split('"')[0]
    page = client.get(rate_url)
    token = (
        page.context["form"].initial.get("form_token") or page.context["form"]["form_token"].value()
    )
    # Sent back at once: an honest quick rating is accepted (no minimum fill time).
    reply = client.post(rate_url, {"level": "5", "form_token": token, "website": ""})
    assert reply.status_code == 201 and "感谢您的评价" in reply.content.decode()
    assert Evaluation.objects.filter(case=case).exists()
    assert 'id="rate-link"' not in _progress(client, case).content.decode()


def test_case_numbers_match_in_any_letter_case(client, clerk, item, api):
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    lower = case.number.lower()
    assert lower != case.number
    page = client.get("/public/cases/", {"number": f"  {lower} ", "phone_last4": "5678"})
    assert page.status_code == 200 and case.number in page.content.decode()
    reply = client.get(f"/api/v1/public/cases/{lower}", {"phone_last4": "5678"})
    assert reply.status_code == 200 and reply.json()["number"] == case.number
