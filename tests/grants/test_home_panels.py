"""Home-page panels: expiring grants (N-12), departments without an officer (C-2.1),
proposals awaiting the leading group (N-10)."""

import datetime

import time_machine

from tests.factories import WindowFactory, staff
from tests.grants.factories import ALL_POWERS, candidate, item, make_grant
from zwfw.grants import home, selectors, services

D = datetime.date
TODAY = datetime.datetime(2026, 12, 10, 9, 0)


def test_expiring_grant_shows_for_department_and_center_admins(
    db, center_admin, dept_admin, department, other_department, clerk
):
    """N-12: a grant ending within 30 days shows on both home pages, not to window staff."""
    grant = make_grant(center_admin, department, valid_from=D(2025, 1, 1), valid_to=D(2026, 12, 31))
    make_grant(center_admin, other_department, valid_from=D(2025, 6, 1), valid_to=D(2027, 5, 31))
    with time_machine.travel(TODAY, tick=False):
        for user in (center_admin, dept_admin):
            panel = home.expiring_panel(user)
            assert [r["url"] for r in panel.rows] == [f"/grants/{grant.pk}/"]
            assert panel.rows[0]["meta"] == "剩余21天"
            assert panel.rows[0]["level"] == "yellow"
        assert home.expiring_panel(clerk) is None
        other_admin = staff("department_admin", department=other_department).user
        assert home.expiring_panel(other_admin).rows == []


def test_expired_grant_leaves_the_panel_the_day_after(db, center_admin, department):
    """N-12: past its end the grant no longer shows as expiring, without any task run."""
    make_grant(center_admin, department, valid_from=D(2025, 1, 1), valid_to=D(2026, 12, 31))
    with time_machine.travel(datetime.datetime(2027, 1, 1, 9), tick=False):
        assert home.expiring_panel(center_admin).rows == []
        assert list(selectors.expiring_grants(None)) == []


def test_departments_with_a_window_need_an_officer(db, center_admin, department, other_department):
    """C-2.1: each department with a window at the center names a chief service officer."""
    WindowFactory(center=department.center, department=department)
    WindowFactory(center=other_department.center, department=other_department, number="9")
    with time_machine.travel(TODAY, tick=False):
        panel = home.uncovered_panel(center_admin)
        assert {r["text"] for r in panel.rows} == {
            f"{department.name}尚无在任首席服务员",
            f"{other_department.name}尚无在任首席服务员",
        }
        make_grant(
            center_admin,
            department,
            valid_from=D(2026, 12, 1),
            valid_to=D(2028, 11, 30),
            decided_on=D(2026, 12, 1),
        )
        assert [d.code for d in selectors.departments_without_officer()] == [other_department.code]


def test_pending_proposals_panel_for_the_leading_group(db, dept_admin, lg, department):
    """N-10: the leading group sees proposals awaiting its decision."""
    services.propose_grant(
        by=dept_admin,
        department=department,
        role="chief_service_officer",
        grantee=candidate(department),
        final_items=[item(department)],
        preliminary_items=[],
        powers=ALL_POWERS,
        valid_from=D(2026, 4, 1),
        valid_to=D(2028, 3, 31),
        on=D(2026, 3, 2),
    )
    panel = home.proposals_panel(lg)
    assert len(panel.rows) == 1
    assert home.proposals_panel(dept_admin) is None


def test_home_page_renders_the_panels(client, center_admin, department, monkeypatch):
    """N-12: the expiring grant is on the center admin's home page (other apps' panels are
    left out so this test depends on grants alone)."""
    from zwfw.core import home as core_home

    ours = [home.proposals_panel, home.expiring_panel, home.uncovered_panel, home.adjustments_panel]
    monkeypatch.setattr(core_home, "_panels", ours)
    make_grant(center_admin, department, valid_from=D(2025, 1, 1), valid_to=D(2026, 12, 31))
    with time_machine.travel(TODAY, tick=False):
        client.force_login(center_admin)
        page = client.get("/").content.decode()
    assert "即将到期的授权" in page
    assert "授权将于2026-12-31到期" in page


def test_coordination_office_is_told_of_adjustments(db, center_admin, department, lg, center):
    """C-4.3: adjustments (appointment, revocation) are reported to the coordination office."""
    office = staff("coordination_office", department=None, center=center).user
    grant = make_grant(
        center_admin, department, valid_from=D(2026, 11, 1), valid_to=D(2028, 10, 31)
    )
    services.revoke_grant(by=lg, grant=grant, reason="工作调整", on=D(2026, 11, 20))
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9), tick=False):
        panel = home.adjustments_panel(office)
    assert [r["text"].split("：")[1] for r in panel.rows] == ["撤销授权", "授权"]
    assert home.adjustments_panel(center_admin) is None
