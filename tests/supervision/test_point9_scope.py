"""Issue 11 point 9 (scope semantics), supervision leftovers: 12345 tickets without a
department are read by their center within the reader's scope (TW-10), and a scoped
supervisor's draw assigns inspectors from the pool within its scope only (N-17)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import CenterFactory, DepartmentFactory, global_staff, staff
from tests.supervision.factories import TZ, closed_case, inspector
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.supervision import selectors, services
from zwfw.supervision.models import HotlineFeedback, InspectionDraw

D = datetime.date
pytestmark = pytest.mark.django_db
SEPT = {"period_start": D(2026, 9, 1), "period_end": D(2026, 9, 30)}


# --- 12345 tickets without a department ----------------------------------------------------


@pytest.fixture
def far_center(db):
    return CenterFactory(code="C370399", name="另一县政务服务中心")


@pytest.fixture
def far_department(far_center):
    return DepartmentFactory(code="D-FAR", name="另一县公安局", center=far_center)


def _ticket(number, *, department=None, center=None):
    return HotlineFeedback.objects.create(
        ticket_number=number,
        received_on=D(2026, 9, 10),
        kind="complaint",
        content="诉求内容",
        department=department,
        center=center,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )


@pytest.fixture
def tickets(center, department, far_center, far_department):
    _ticket("T-OWN-DEPT", department=department, center=center)
    _ticket("T-OWN-CENTER", center=center)
    _ticket("T-FAR-CENTER", center=far_center)
    _ticket("T-FAR-DEPT", department=far_department, center=far_center)
    _ticket("T-NOWHERE")


OWN = {"T-OWN-DEPT", "T-OWN-CENTER"}
EVERY = OWN | {"T-FAR-CENTER", "T-FAR-DEPT", "T-NOWHERE"}


def _numbers(user):
    return set(selectors.visible_hotline(user).values_list("ticket_number", flat=True))


def test_point9_hotline_without_department_by_center_scope(
    tickets, supervisor, center_admin, auditor
):
    """Point 9 / TW-10: a center-scoped supervisor, center admin or auditor reads the tickets
    of its departments and the unassigned ones of its center, not another center's or the
    ones with no center at all."""
    for user in (supervisor, center_admin, auditor):
        assert _numbers(user) == OWN, user
        with pytest.raises(NotFound):
            selectors.hotline_for(user, "T-FAR-CENTER")
        with pytest.raises(NotFound):
            selectors.hotline_for(user, "T-NOWHERE")


def test_point9_hotline_department_scope_sees_no_unassigned(tickets, department):
    """Point 9: a supervisor scoped to one department has no center scope: no unassigned
    ticket at all."""
    scoped = staff("supervisor", department=department).user
    assert _numbers(scoped) == {"T-OWN-DEPT"}


def test_point9_hotline_global_roles_see_every_ticket(tickets, center):
    """Point 9: a role held without a scope is global and reads every ticket."""
    everyone = global_staff("supervisor", department=DepartmentFactory(center=center)).user
    assert _numbers(everyone) == EVERY


def test_point9_hotline_counts_are_scoped(tickets, supervisor, center, far_center):
    """Point 9 / TW-10: the counts a scoped reader gets cover its scope only."""
    counts = selectors.hotline_counts_for(supervisor, "center", D(2026, 9, 1), D(2026, 9, 30))
    assert counts == {center.pk: {"total": 2, "complaints": 2}}
    monthly = selectors.hotline_monthly(supervisor, 2026)
    assert sum(row["total"] for row in monthly) == 2
    everyone = global_staff("supervisor", department=DepartmentFactory(center=center)).user
    counts = selectors.hotline_counts_for(everyone, "center", D(2026, 9, 1), D(2026, 9, 30))
    assert counts[far_center.pk]["total"] == 2 and counts[None]["total"] == 1


def test_point9_hotline_api_and_page_are_scoped(tickets, api, client, supervisor, center):
    """Point 9: the API list, the counts endpoint and the list page show the scope only."""
    api.login(supervisor)
    r = api.get("/hotline/feedback")
    assert r.status_code == 200
    assert {t["ticket_number"] for t in r.json()["items"]} == OWN
    assert r.json()["count"] == 2
    r = api.get("/hotline/counts", group_by="center", start="2026-09-01", end="2026-09-30")
    assert r.status_code == 200
    assert r.json() == [{"key": center.pk, "total": 2, "complaints": 2}]
    assert api.get("/hotline/feedback/T-FAR-CENTER").status_code == 404
    client.force_login(supervisor)
    page = client.get("/supervision/hotline/").content.decode()
    assert "T-OWN-CENTER" in page and "T-FAR-CENTER" not in page and "T-NOWHERE" not in page
    summary = client.get("/supervision/hotline/summary/?year=2026")
    assert summary.status_code == 200


# --- draws: the pool within the supervisor's scope -----------------------------------------


@pytest.fixture
def _october():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=TZ), tick=False):
        yield


@pytest.mark.usefixtures("_october")
def test_point9_draw_refused_when_only_out_of_scope_inspectors(
    supervisor, department, far_department
):
    """Point 9 / N-17: a city supervisor's draw may not assign the other center's
    inspectors; with only its own department's inspector eligible nowhere, it is refused."""
    inspector(department)
    inspector(far_department)
    closed_case(department, on=D(2026, 9, 10))
    with pytest.raises(RuleViolation) as exc:
        services.create_draw(by=supervisor, size=1, seed=1, **SEPT)
    assert exc.value.status == 422 and "没有可分派的检查人员" in exc.value.message
    assert not InspectionDraw.objects.exists()


@pytest.mark.usefixtures("_october")
def test_point9_draw_uses_scoped_pool_and_replays(
    supervisor, department, other_department, far_department, center
):
    """Point 9 / N-17: only the pool within the supervisor's scope is drawn from and stored;
    the replay reproduces the draw; a global supervisor draws from the whole pool."""
    near = inspector(other_department)
    far = [inspector(far_department) for _ in range(3)]
    for _ in range(4):
        closed_case(department, on=D(2026, 9, 10))
    for seed in range(10):
        draw = services.create_draw(by=supervisor, size=4, seed=seed, **SEPT)
        assert {p for _, p in selectors.draw_assignments(draw)} == {near.pk}
        assert [row[0] for row in draw.inputs["pool"]] == [near.pk]
    replay = services.replay_draw(by=supervisor, draw=draw)
    assert replay.matches, replay.message
    everyone = global_staff("supervisor", department=DepartmentFactory(center=center)).user
    draw = services.create_draw(by=everyone, size=4, seed=3, **SEPT)
    assert {row[0] for row in draw.inputs["pool"]} == {near.pk, *(p.pk for p in far)}
    assert services.replay_draw(by=everyone, draw=draw).matches
