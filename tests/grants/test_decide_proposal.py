"""services.decide_proposal: the leading group decides in a recorded decision (N-10)."""

import datetime

import pytest

from tests.factories import staff
from tests.grants.factories import ALL_POWERS, candidate, item, leader
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants import services
from zwfw.grants.models import Grant, GrantProposal, LeadingGroupDecision

D = datetime.date


@pytest.fixture
def proposal(dept_admin, department):
    return services.propose_grant(
        by=dept_admin,
        department=department,
        role="chief_service_officer",
        grantee=candidate(department),
        final_items=[item(department)],
        preliminary_items=[item(department)],
        powers=ALL_POWERS,
        valid_from=D(2026, 4, 1),
        valid_to=D(2028, 3, 31),
        justification="业务精通",
        on=D(2026, 3, 2),
    )


def test_approval_creates_the_grant(proposal, lg, lg_person, center):
    """N-10: the leading group's approval, with date and members present, creates the grant."""
    other = leader(center)
    decision = services.decide_proposal(
        by=lg,
        proposal=proposal,
        result="approve",
        members_present=[lg_person, other],
        note="同意授权",
        on=D(2026, 3, 20),
    )
    grant = decision.grant
    assert grant.grantee == proposal.grantee
    assert grant.decision == decision
    assert grant.proposal == proposal
    assert set(grant.final_items.all()) == set(proposal.final_items.all())
    assert set(grant.preliminary_items.all()) == set(proposal.preliminary_items.all())
    assert (grant.valid_from, grant.valid_to) == (D(2026, 4, 1), D(2028, 3, 31))
    assert decision.kind == LeadingGroupDecision.Kind.APPOINT
    assert decision.decided_on == D(2026, 3, 20)
    assert set(decision.members_present.all()) == {lg_person, other}
    proposal.refresh_from_db()
    assert proposal.status == GrantProposal.Status.APPROVED
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["grant_authority", "decide_proposal"]


def test_rejection_records_the_reason_and_gives_nothing(proposal, lg):
    """N-10: a rejection is recorded with its note; no grant is created."""
    with pytest.raises(RuleViolation) as exc:
        services.decide_proposal(by=lg, proposal=proposal, result="reject", on=D(2026, 3, 20))
    assert exc.value.code == "N-10"
    decision = services.decide_proposal(
        by=lg, proposal=proposal, result="reject", note="人选业务经验不足", on=D(2026, 3, 20)
    )
    assert decision.grant is None
    assert not Grant.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == GrantProposal.Status.REJECTED


def test_only_the_leading_group_decides(proposal, center_admin, dept_admin):
    """N-10: the department or the center cannot decide a proposal themselves."""
    for user in (center_admin, dept_admin):
        with pytest.raises(Forbidden):
            services.decide_proposal(
                by=user, proposal=proposal, result="approve", on=D(2026, 3, 20)
            )


def test_members_present_must_be_leading_group_members(proposal, lg, department):
    """N-10: only leading-group members are recorded as present."""
    stranger = staff("window_staff", department=department)
    with pytest.raises(RuleViolation) as exc:
        services.decide_proposal(
            by=lg,
            proposal=proposal,
            result="approve",
            members_present=[stranger],
            on=D(2026, 3, 20),
        )
    assert exc.value.code == "N-10"


def test_a_proposal_is_decided_once(proposal, lg):
    """N-10: a second decision on the same proposal is a conflict."""
    services.decide_proposal(by=lg, proposal=proposal, result="approve", on=D(2026, 3, 20))
    with pytest.raises(Conflict):
        services.decide_proposal(
            by=lg, proposal=proposal, result="reject", note="x", on=D(2026, 3, 21)
        )


def test_rules_are_checked_again_on_the_decision_date(proposal, lg):
    """N-10: a decision after the proposed start would backdate authority and is refused."""
    with pytest.raises(RuleViolation) as exc:
        services.decide_proposal(by=lg, proposal=proposal, result="approve", on=D(2026, 4, 2))
    assert exc.value.code == "N-10"
    assert exc.value.field == "valid_from"


def test_future_decision_date_is_invalid(proposal, lg):
    with pytest.raises(RuleViolation) as exc:
        services.decide_proposal(by=lg, proposal=proposal, result="approve", on=D(2999, 1, 1))
    assert exc.value.field == "decided_on"
