"""The demo loader: idempotent, through services, with the story the brief asks for."""

import importlib.util

import pytest
from django.utils import timezone

from tests.grants.factories import item
from zwfw.grants import demo, selectors
from zwfw.grants.models import CommitteeMeeting, Grant, GrantProposal
from zwfw.grants.terms import GrantStatus
from zwfw.org.models import Department


@pytest.fixture
def demo_city(db):
    from zwfw.org import demo as org_demo

    org_demo.load()
    if importlib.util.find_spec("zwfw.catalog.demo"):
        from zwfw.catalog import demo as catalog_demo

        catalog_demo.load()
    for code in demo.DEPARTMENTS:
        department = Department.objects.get(code=code)
        if not selectors.grantable_items(department).exists():
            for _ in range(3):
                item(department)


def test_demo_loads_once_and_tells_the_story(demo_city):
    """N-10, N-12, N-14, R-12: officers everywhere, one expiring, one revoked, a meeting."""
    summary = demo.load()
    assert "added" in summary
    today = timezone.localdate()
    for code in demo.DEPARTMENTS:
        current = selectors.current_chief_officers(
            department=Department.objects.get(code=code), on=today
        )
        assert current.exists(), code
    assert Grant.objects.filter(
        role="chief_representative", department__code="QLGA", grantee__user__username="ga_admin"
    ).exists()
    expiring = list(selectors.expiring_grants(None, on=today))
    assert [g.grantee.user.username for g in expiring] == ["zr_shouxi"]
    revoked = Grant.objects.get(revoked_on__isnull=False)
    assert revoked.revocation_reason
    assert revoked.status == GrantStatus.REVOKED
    assert GrantProposal.objects.filter(status="pending").count() == 1
    meeting = CommitteeMeeting.objects.get()
    assert meeting.held_on < today and meeting.quorum_met
    positions = {
        m.person.user.username: m.position
        for m in meeting.committee.members.select_related("person__user")
    }
    assert positions == {
        "weiyuan1": "director",
        "weiyuan2": "executive_deputy",
        "weiyuan3": "member",
    }
    counts = (
        Grant.objects.count(),
        GrantProposal.objects.count(),
        CommitteeMeeting.objects.count(),
    )
    again = demo.load()
    assert again.startswith("0 added")
    assert counts == (
        Grant.objects.count(),
        GrantProposal.objects.count(),
        CommitteeMeeting.objects.count(),
    )


def test_demo_tolerates_an_empty_catalog(db):
    from zwfw.org import demo as org_demo

    org_demo.load()
    summary = demo.load()
    assert "no chief-list items yet" in summary
    assert not Grant.objects.exists()
