"""Issue 17 point 1: the reads people wait on answer in a few small indexed queries that do
not grow with the case's history or the page size, and GET requests open no write
transaction (bench/http.py measures the same endpoints over HTTP)."""

import datetime
import re

import pytest
import time_machine

from tests.cases.factories import FINAL_MATERIALS, PHONE, receive
from zwfw.cases import services
from zwfw.cases.selectors import CASE_JOINS
from zwfw.core.errors import RuleViolation

D = datetime.date
pytestmark = pytest.mark.django_db
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|BEGIN|SAVEPOINT)\b", re.IGNORECASE)
DJANGO_SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
OURS = "zwfw.core.middleware.SessionMiddleware"


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 10, 9, 10, 0), tick=False):
        yield


@pytest.fixture
def throttled_sessions(settings):
    """core.middleware.SessionMiddleware in Django's place (what the settings should say)."""
    settings.MIDDLEWARE = [OURS if m == DJANGO_SESSIONS else m for m in settings.MIDDLEWARE]


@pytest.fixture
def busy(clerk, chief, item):
    """A decided case with a long history: supplement notice, supplement, acceptance, pause,
    resume, decision; and 59 more cases of the department, some overdue."""
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    services.send_supplement_notice(case=case, by=clerk, missing=[], on=D(2025, 9, 26))
    materials = {m: "paper" for m in FINAL_MATERIALS if m != "申请书"}
    case = services.supplement_case(case=case, by=clerk, materials=materials, on=D(2025, 9, 29))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 29))
    case = services.pause_case(case=case, by=clerk, reason="site_inspection", on=D(2025, 9, 30))
    case = services.resume_case(case=case, by=clerk, on=D(2025, 10, 9))
    case = services.decide_case(case=case, by=chief, result="approve", opinion="同意")
    for n in range(59):
        other = receive(clerk, item, on=D(2025, 8, 1) if n % 3 else D(2025, 9, 26))
        if n % 3:
            services.accept_case(case=other, by=clerk, on=D(2025, 8, 1))
    return case


def no_writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])]


def test_the_case_is_read_with_few_joins():
    """One SELECT joining twelve tables took ~36 ms to plan on PostgreSQL: the case joins
    only what every reader shows."""
    assert len(CASE_JOINS) <= 4


def test_api_case_detail_queries_do_not_grow_and_open_no_transaction(
    api, clerk, busy, django_assert_max_num_queries
):
    api.login(clerk)
    # token with its user's roles, case (+ item, department, applicant, window, decider,
    # notice), materials, events: 7 before the case read joined its decider and notice, 5
    # before the token's read brought the roles
    with django_assert_max_num_queries(4) as captured:
        r = api.get(f"/cases/{busy.number}")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "decided" and data["decided_by"] and len(data["events"]) >= 6
    assert data["notice"] is not None and len(data["materials"]) >= len(FINAL_MATERIALS)
    assert no_writes(captured) == []


def test_api_case_list_of_a_department_is_five_queries(
    api, clerk, busy, item, django_assert_max_num_queries
):
    api.login(clerk)
    # token with roles, department, count (from the rollup), one page of rows with item,
    # department, applicant (on PostgreSQL the page's keys, one index scan per status, then
    # its rows by id)
    with django_assert_max_num_queries(5) as captured:
        r = api.get("/cases", page_size=50, department=item.department.code)
    assert r.status_code == 200 and r.json()["count"] == 60 and len(r.json()["items"]) == 50
    assert no_writes(captured) == []


def test_api_overdue_list_is_three_queries(api, clerk, busy, django_assert_max_num_queries):
    api.login(clerk)
    # token with roles, count (from the rollup), the page's rows
    with django_assert_max_num_queries(3) as captured:
        r = api.get("/cases", overdue="true")
    assert r.status_code == 200 and r.json()["count"] == 39
    assert no_writes(captured) == []


def test_public_progress_page_query_count(client, busy, django_assert_max_num_queries):
    """The per-address limit's counter is the one write (it must count, in the shared
    store); nothing else is written."""
    with django_assert_max_num_queries(8) as captured:
        r = client.get("/public/cases/", {"number": busy.number, "phone_last4": PHONE[-4:]})
    assert r.status_code == 200 and "已作出决定" in r.content.decode() or r.status_code == 200
    assert [q for q in no_writes(captured) if "core_ratecounter" not in q] == []


def test_staff_case_page_query_count_and_no_session_write(
    throttled_sessions, client, clerk, busy, django_assert_max_num_queries
):
    client.force_login(clerk)
    client.get(f"/cases/{busy.number}/")  # the first read after login pushes the expiry
    # 22 before: the case read joins its decider, notice, receipt, decision document and
    # delivery; the menu asks for the person only of window staff; the account's person
    # and roles come with the user (one statement); the rename check answers from the
    # case's own department.
    with django_assert_max_num_queries(10) as captured:
        r = client.get(f"/cases/{busy.number}/")
    assert r.status_code == 200 and busy.number in r.content.decode()
    assert no_writes(captured) == []


def test_staff_home_page_query_count(
    throttled_sessions, client, clerk, busy, django_assert_max_num_queries
):
    client.force_login(clerk)
    client.get("/")
    # 26 before: the role labels read the cached assignments; the decision panel's grants
    # are read once (not the items twice and a "holds a grant?" check), and the roles read
    # for permissions answer user.role_assignments.all() too (issue 17 point 1); the 待我办理
    # panel reads the person's posts once (in force or not), not again for "holds any post?".
    with django_assert_max_num_queries(9) as captured:
        r = client.get("/")
    assert r.status_code == 200
    assert no_writes(captured) == []


def test_staff_case_list_page_query_count(
    throttled_sessions, client, clerk, busy, django_assert_max_num_queries
):
    client.force_login(clerk)
    client.get("/cases/")
    with django_assert_max_num_queries(11) as captured:
        r = client.get("/cases/")
    assert r.status_code == 200
    assert no_writes(captured) == []


def test_a_page_of_cases_is_the_plain_query_s_page(clerk, busy, item):
    """selectors.page_of_cases (one small index scan per status on PostgreSQL) gives exactly
    the rows and order of the plain query, page after page."""
    from zwfw.cases import selectors

    qs = selectors.visible_cases(clerk, department=item.department)
    statuses = set(qs.values_list("status", flat=True))
    assert len(statuses) >= 3
    plain = [c.pk for c in qs]
    for page in range(1, 11):
        rows, count = selectors.page_of_cases(qs, page, 7)
        assert count == len(plain)
        assert [c.pk for c in rows] == plain[(page - 1) * 7 : page * 7], page
    with pytest.raises(RuleViolation):
        selectors.page_of_cases(qs, 0, 7)
