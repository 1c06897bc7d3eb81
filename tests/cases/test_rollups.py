"""R-21 (monthly circulation) and L-LIMIT (alerts): the department dashboards read the case
rollup (zwfw.cases.rollups), which must equal a full recount after any sequence of
transitions made through the real services."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.factories import (
    FINAL_MATERIALS,
    deliver_and_complete,
    grant_for,
    make_item,
    officer,
    receive,
)
from zwfw.cases import rollups, selectors, services
from zwfw.cases.models import Case, CaseCount
from zwfw.cases.states import CaseState
from zwfw.core.errors import RuleViolation

D = datetime.date
START = D(2025, 9, 22)  # a Monday


class _Rollback(Exception):
    pass


@pytest.fixture
def setup(clerk, center_admin, department, dept_admin):
    item = make_item(dept_admin, department, name="保安服务公司设立许可", promised=3)
    chief = officer(department, name="陆文博")
    grant_for(center_admin, department, chief, final=[item])
    return item, chief.user


ACTIONS = [
    "receive",
    "receive_incomplete",
    "accept",
    "notice",
    "supplement",
    "refuse",
    "pause",
    "resume",
    "decide",
    "complete",
    "withdraw",
    "terminate",
    "night",
]


def _apply(action, case, *, item, clerk, chief, on):
    if action == "receive":
        return receive(clerk, item, materials=FINAL_MATERIALS, on=on)
    if action == "receive_incomplete":
        return receive(clerk, item, materials=["申请书"], on=on)
    if case is None:
        return None
    case = Case.objects.get(pk=case.pk)
    if action == "accept":
        services.accept_case(case=case, by=clerk, on=on)
    elif action == "notice":
        services.send_supplement_notice(case=case, by=clerk, missing=["营业执照"], on=on)
    elif action == "supplement":
        services.supplement_case(case=case, by=clerk, materials={"营业执照": "paper"}, on=on)
    elif action == "refuse":
        services.refuse_case(case=case, by=clerk, reason="不属于本机关职权范围", on=on)
    elif action == "pause":
        services.pause_case(case=case, by=clerk, reason="site_inspection", on=on)
    elif action == "resume":
        services.resume_case(case=case, by=clerk, on=on)
    elif action == "decide":
        services.decide_case(case=case, by=chief, result="approve", opinion="符合条件", on=on)
    elif action == "complete":
        deliver_and_complete(case, clerk, on=on)
    elif action == "withdraw":
        services.withdraw_case(case=case, by=clerk, reason="申请人申请撤回", on=on)
    elif action == "terminate":
        services.terminate_case(case=case, by=clerk, reason="申请人未按期补正", on=on)
    return None


def _list_filters(department):
    """Every filter of the case lists (API and page) that the rollup counts."""
    yield {}
    yield {"department": department}
    yield {"open_only": True, "department": department}
    yield {"overdue": True}
    for status in CaseState.values:
        yield {"status": status}
    for level in ("green", "yellow", "red"):
        yield {"alert_level": level, "department": department}


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 7), st.integers(0, 2)),
        min_size=1,
        max_size=14,
    )
)
def test_r21_case_rollup_equals_a_full_recount_after_random_transitions(setup, clerk, steps):
    """R-21, L-LIMIT: after any sequence of intakes, acceptances, notices, pauses, decisions,
    completions, withdrawals and nightly clock refreshes (each followed by the periodic
    recount, as the Huey task runs it), the case and completion rollups equal a recount
    of cases_case, and the dashboard counts and every case list's count from them equal
    the full-scan counts on any day."""
    item, chief = setup
    try:
        with transaction.atomic():
            cases: list = []
            day = START
            for action, pick, advance in steps:
                day += datetime.timedelta(days=advance)
                if action == "night":
                    services.refresh_open_cases(on=day)
                    rollups.recount()  # the periodic task that follows the nightly refresh
                else:
                    case = cases[pick % len(cases)] if cases else None
                    try:
                        with transaction.atomic():
                            new = _apply(action, case, item=item, clerk=clerk, chief=chief, on=day)
                    except RuleViolation:
                        new = None  # not allowed in this state: nothing written
                    if new is not None:
                        cases.append(new)
                assert rollups.recounted() == rollups.counted_from_cases(), (action, day)
                assert rollups.completions_recounted() == (
                    rollups.completions_counted_from_cases()
                ), (action, day)
            for on in (START, day, day + datetime.timedelta(days=30)):
                assert rollups.department_counts(clerk, on=on) == (
                    selectors.counts_by_department(clerk, on=on)
                )
                for filters in _list_filters(item.department):
                    assert rollups.visible_count(clerk, on=on, **filters) == (
                        selectors.visible_cases(clerk, on=on, **filters).count()
                    ), filters
            raise _Rollback
    except _Rollback:
        pass


def test_r21_recount_folds_the_delta_rows(setup, clerk):
    """R-21: the periodic recount leaves one row per key and the same net counts."""
    item, _chief = setup
    for n in range(3):
        case = receive(clerk, item, materials=FINAL_MATERIALS, on=START)
        if n:
            services.accept_case(case=case, by=clerk, on=START)
    before = rollups.recounted()
    assert CaseCount.objects.count() > len(before)  # deltas: +1 received, -1, +1 accepted
    rollups.recount()
    assert rollups.recounted() == before
    assert CaseCount.objects.count() == len(before)


def test_r21_summary_page_and_home_panel_read_the_rollup_in_few_queries(
    client, setup, clerk, dept_admin, django_assert_max_num_queries
):
    """R-21, L-LIMIT: /cases/summary/ and the home panel 办件预警 answer from the rollup with
    a bounded number of queries, whatever the number of cases; the page shows its counts."""
    item, _chief = setup
    for _ in range(4):
        case = receive(clerk, item, materials=FINAL_MATERIALS, on=START)
        services.accept_case(case=case, by=clerk, on=START)
    client.force_login(dept_admin)
    with django_assert_max_num_queries(12) as captured:
        page = client.get("/cases/summary/")
    assert page.status_code == 200
    assert not [q for q in captured if 'FROM "cases_case"' in q["sql"]]
    body = page.content.decode()
    assert item.department.name in body and "<td>4</td>" in body
    with django_assert_max_num_queries(60) as captured:
        assert client.get("/").status_code == 200
    panel_sql = [q["sql"] for q in captured if "cases_casecount" in q["sql"]]
    assert len(panel_sql) == 1


def test_r21_summary_export_reads_the_rollup(client, setup, clerk, dept_admin):
    """R-21: the summary's .xlsx has the rollup's counts (the same rows as the page)."""
    item, _chief = setup
    receive(clerk, item, materials=FINAL_MATERIALS, on=START)
    client.force_login(dept_admin)
    reply = client.get("/cases/summary/", {"format": "xlsx"})
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")


def test_r21_a_case_written_without_lock_still_moves_in_the_rollup(setup, clerk):
    """R-21: save_step on a case read some other way (a batch job) reads its stored key
    first, so the delta still leaves the rollup equal to a recount."""
    from zwfw.cases.services.base import save_step

    item, _chief = setup
    receive(clerk, item, materials=FINAL_MATERIALS, on=START)
    case = Case.objects.get()  # not through services.base.lock
    case.status = "withdrawn"
    case.closed_on = START
    save_step(
        case,
        action="withdraw",
        by=clerk,
        on=START,
        at=case.received_at,
        fields=["closed_on"],
        before_status="received",
    )
    withdrawn = {(case.center_id, case.department_id, "withdrawn", None, ""): 1}
    assert rollups.recounted() == rollups.counted_from_cases() == withdrawn


def test_r21_rebuild_counts_every_case_from_the_rows(setup, clerk):
    """R-21: a bulk load's `rebuild` (bench/datagen.py) counts open and closed cases from
    cases_case alone: the same net counts as the deltas, with one row per key."""
    item, _chief = setup
    for n in range(4):
        case = receive(clerk, item, materials=FINAL_MATERIALS, on=START)
        if n % 2:
            services.withdraw_case(case=case, by=clerk, reason="申请人申请撤回", on=START)
    before = rollups.recounted()
    assert any(key[2] == "withdrawn" for key in before)
    CaseCount.objects.all().delete()
    rollups.rebuild()
    assert rollups.recounted() == before == rollups.counted_from_cases()
    assert CaseCount.objects.count() == len(before)
