"""The home panels' reads compiled once (core.prepared) or written in SQL answer what the
querysets they come from answer: the same rows in the same order, for readers of every
scope (a department, a center, a center without departments, every department, none)."""

import datetime

import pytest
import time_machine

from tests.cases.factories import FINAL_MATERIALS, grant_for, make_item, officer, receive
from tests.factories import CenterFactory, staff
from zwfw.cases import home, rollups, selectors, services
from zwfw.cases.models import Case
from zwfw.cases.services import steps
from zwfw.cases.states import CaseState
from zwfw.grants.models import Grant
from zwfw.grants.selectors import in_force_q, posts_in_force_q
from zwfw.org import posts
from zwfw.org.models import PostAssignment

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = D(2025, 10, 20)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 10, 20, 10, 0), tick=False):
        yield


@pytest.fixture
def readers(center, department, other_department, dept_admin, clerk, center_admin, superuser):
    """Users of every scope the panels meet (an outsider holds no role)."""
    empty_center = CenterFactory(parent=center)  # no departments: an empty scope
    return {
        "department admin": dept_admin,
        "clerk": clerk,
        "other department's admin": staff("department_admin", department=other_department).user,
        "center admin": center_admin,
        "supervisor of the center": staff("supervisor", center=center).user,
        "center admin of an empty center": staff(
            "center_admin", department=department, center=empty_center
        ).user,
        "superuser": superuser,
        "no role": staff(None, department=department).user,
    }


@pytest.fixture
def open_cases(clerk, dept_admin, department, other_department):
    """Open cases in two departments: received, accepted long ago (overdue, red) and a few
    days ago (yellow)."""
    item = make_item(dept_admin, department, promised=5)
    other_admin = staff("department_admin", department=other_department).user
    other_clerk = staff("window_staff", department=other_department).user
    other_item = make_item(other_admin, other_department, promised=5)
    for by, it, n in ((clerk, item, 5), (other_clerk, other_item, 3)):
        for i in range(n):
            day = (D(2025, 10, 16), D(2025, 9, 1), D(2025, 10, 14))[i % 3]
            case = receive(by, it, materials=FINAL_MATERIALS, on=day)
            if i:
                services.accept_case(case=case, by=by, on=day)
    services.refresh_open_cases(on=TODAY)  # the nightly refresh: yellow and red levels
    rollups.recount()
    return item


def test_department_counts_in_sql_are_the_full_scans_rows(readers, open_cases):
    """R-21: the rollup's SQL gives what counts_by_department counts over the cases, in the
    same order, in every reader's scope (none for an empty one)."""
    seen = set()
    for name, user in readers.items():
        for on in (TODAY, D(2025, 9, 1), D(2026, 3, 1)):
            got = rollups.department_counts(user, on=on)
            assert got == selectors.counts_by_department(user, on=on), (name, on)
            seen.add(len(got))
    assert {0, 1, 2} <= seen  # empty, one department and the whole center were all read
    everything = rollups.department_counts(readers["superuser"], on=TODAY)
    assert all(c.overdue and c.yellow and c.red for c in everything)


def test_department_alerts_panel_reads_nothing_for_an_empty_scope(readers, open_cases):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert rollups.department_counts(readers["center admin of an empty center"]) == []
    assert not [q for q in captured if "casecount" in q["sql"]]  # (only the scope's reads)
    assert home.department_alerts_panel(readers["clerk"]) is None  # not an administrator
    panel = home.department_alerts_panel(readers["center admin"])
    assert [r["text"].split("：")[0] for r in panel.rows] == ["示范市交通运输局", "示范市公安局"]


def test_grants_in_force_prepared_are_the_querysets(center_admin, department, readers):
    item = make_item(center_admin, department)
    chief = officer(department, name="陆文博")
    grant_for(center_admin, department, chief, final=[item])
    users = [chief.user, *readers.values()]
    for on in (TODAY, D(2024, 6, 1), D(2027, 1, 1)):  # in force 2025-01-01 to 2026-12-31
        for user in users:
            person = getattr(user, "person", None)
            expected = (
                []
                if person is None
                else sorted(
                    Grant.objects.filter(in_force_q(on), grantee=person).values_list(
                        "id", flat=True
                    )
                )
            )
            assert selectors.grant_ids_in_force(user, on) == expected
    assert len(selectors.grant_ids_in_force(chief.user)) == 1


def test_post_assignments_say_which_are_in_force(dept_admin, department, other_department):
    person = officer(department, name="承办人员")
    posts.assign_post(by=dept_admin, person=person, post="承办", valid_from=D(2025, 1, 1))
    posts.assign_post(
        by=dept_admin,
        person=person,
        post="审核",
        valid_from=D(2024, 1, 1),
        valid_to=D(2024, 12, 31),
    )
    posts.assign_post(by=dept_admin, person=person, post="审批", valid_from=D(2026, 1, 1))
    for on in (TODAY, D(2024, 6, 1), D(2023, 6, 1), D(2026, 6, 1)):
        got = steps.post_assignments(person, on)
        assert {a.pk for a in got} == set(
            PostAssignment.objects.filter(person=person).values_list("id", flat=True)
        )
        assert {a.pk for a in got if a.in_force} == set(
            PostAssignment.objects.filter(posts_in_force_q(on), person=person).values_list(
                "id", flat=True
            )
        ), on
        assert all(a.department_id == department.pk for a in got)
    assert steps.post_assignments(officer(other_department)) == []


def test_steps_panel_asks_once_for_a_person_without_posts(clerk, django_assert_num_queries):
    from zwfw.cases.steps_views import my_steps_panel

    assert clerk.person is not None  # (read with the user on every request)
    with django_assert_num_queries(1):
        assert my_steps_panel(clerk) is None


def test_status_labels_are_get_status_display():
    for value in [*CaseState.values, "unknown"]:
        assert str(home._STATUS_LABELS.get(value, value)) == Case(status=value).get_status_display()
