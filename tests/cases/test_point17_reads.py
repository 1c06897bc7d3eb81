"""Issue 11 point 17: GET requests never write. The catch-up (deemed acceptance L-ACCEPT, the
clock's alert level L-LIMIT) runs in the periodic task and in write paths; the case page,
the API and the public progress query show the computed state without writing."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.factories import PHONE, receive
from zwfw.cases import selectors, services
from zwfw.cases.models import Case, CaseEvent

D = datetime.date
pytestmark = pytest.mark.django_db
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Sessions (the idle timeout pushes their expiry) and the shared rate-limit counters (the
# public query's per-address limit must count) are not case data.
IGNORED = ("django_session", "core_ratecounter")


def writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if WRITE.match(q["sql"]) and not any(t in q["sql"] for t in IGNORED)
    ]


def get_everything(client, api, clerk, number):
    client.force_login(clerk)
    api.login(clerk)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/cases/{number}/")
        data = api.get(f"/cases/{number}")
        public = client.get("/public/cases/", {"number": number, "phone_last4": PHONE[-4:]})
        public_api = client.get(f"/api/v1/public/cases/{number}", {"phone_last4": PHONE[-4:]})
    for r in (page, data, public, public_api):
        assert r.status_code == 200
    return captured, page.content.decode(), data.json(), public.content.decode(), public_api.json()


def test_point17_get_shows_deemed_acceptance_without_writing(client, api, clerk, item):
    """L-ACCEPT: 5 working days after receipt (10/10 over 国庆) the case counts as accepted;
    on 10/13 every GET shows it so, and none of them writes."""
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        case = receive(clerk, item, on=D(2025, 9, 26))
    api.login(clerk)  # the token is written before the clock moves on
    with time_machine.travel(datetime.datetime(2025, 10, 13, 10, 0), tick=False):
        captured, page, data, public, public_api = get_everything(client, api, clerk, case.number)
    assert writes(captured) == []
    row = Case.objects.get(pk=case.pk)
    assert row.status == "received" and not row.deemed_accepted  # nothing stored by a GET
    assert not CaseEvent.objects.filter(case=case, action="deemed_accept").exists()
    assert "已受理" in page and "逾期未告知，视为自收件之日起受理" in page
    assert data["status"] == "accepted" and data["deemed_accepted"] is True
    assert data["accepted_on"] == "2025-09-26" and data["due_date"] == "2025-10-30"
    assert "视为自收件之日起受理" in public and public_api["deemed_accepted"] is True


def test_point17_get_shows_the_alert_level_of_today_without_writing(client, api, clerk, item):
    """L-LIMIT: accepted 9/26 with 20 working days, due 10/30; the stored alert (green, read
    on 9/26) is stale on 10/29 (yellow) and 10/31 (red, overdue): pages and API show today's."""
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        case = services.accept_case(
            case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
        )
    assert case.alert_level == "green"
    api.login(clerk)
    for day, level, remaining in ((D(2025, 10, 29), "yellow", 1), (D(2025, 10, 31), "red", -1)):
        moment = datetime.datetime.combine(day, datetime.time(10, 0))
        with time_machine.travel(moment, tick=False):
            captured, page, data, _public, _api = get_everything(client, api, clerk, case.number)
        assert writes(captured) == []
        assert data["alert_level"] == level and data["remaining_workdays"] == remaining
        assert f"level-{level}" in page
    row = Case.objects.get(pk=case.pk)
    assert row.alert_level == "green" and row.clock_read_on == D(2025, 9, 26)


def test_point17_the_periodic_task_stores_what_the_pages_showed(clerk, item):
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        case = receive(clerk, item, on=D(2025, 9, 26))
    shown = selectors.as_of(Case.objects.get(pk=case.pk), on=D(2025, 10, 13))
    services.refresh_open_cases(on=D(2025, 10, 13))
    stored = Case.objects.get(pk=case.pk)
    for field in ("status", "deemed_accepted", "accepted_on", "due_date", "alert_level"):
        assert getattr(stored, field) == getattr(shown, field), field
    assert stored.remaining_workdays == shown.remaining_workdays


def test_point17_a_write_path_still_catches_up_first(client, clerk, item):
    """A POST (a write path) applies the due deemed acceptance before its own step."""
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        case = receive(clerk, item, on=D(2025, 9, 26))
    client.force_login(clerk)
    with time_machine.travel(datetime.datetime(2025, 10, 13, 10, 0), tick=False):
        r = client.post(f"/cases/{case.number}/pause/", {"reason": "site_inspection"})
    assert r.status_code == 302
    row = Case.objects.get(pk=case.pk)
    assert row.deemed_accepted and row.status == "paused"
