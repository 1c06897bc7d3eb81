"""services.revoke_grant and services.renew_grant: by leading-group decision (N-12)."""

import datetime

import pytest
import time_machine

from tests.grants.factories import make_grant
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants import selectors, services
from zwfw.grants.models import LeadingGroupDecision
from zwfw.grants.terms import GrantStatus

D = datetime.date


@pytest.fixture
def grant(center_admin, department):
    return make_grant(
        center_admin,
        department,
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
        decided_on=D(2024, 12, 20),
    )


def test_revocation_records_reason_and_decision(grant, lg, lg_person):
    """N-12: a revocation is a leading-group decision with its reason recorded."""
    services.revoke_grant(
        by=lg, grant=grant, reason="调离审批岗位", on=D(2025, 9, 1), members_present=[lg_person]
    )
    grant.refresh_from_db()
    assert grant.revoked_on == D(2025, 9, 1)
    assert grant.revocation_reason == "调离审批岗位"
    assert grant.status == GrantStatus.REVOKED
    decision = grant.decisions.get(kind=LeadingGroupDecision.Kind.REVOKE)
    assert decision.decided_on == D(2025, 9, 1)
    assert list(decision.members_present.all()) == [lg_person]
    event = AuditEvent.objects.get(action="revoke_grant")
    assert event.before["revoked_on"] is None
    assert event.after["reason"] == "调离审批岗位"


def test_revocation_needs_a_reason(grant, lg):
    """N-12: no revocation without a recorded reason."""
    with pytest.raises(RuleViolation) as exc:
        services.revoke_grant(by=lg, grant=grant, reason="  ", on=D(2025, 9, 1))
    assert exc.value.code == "N-12"


def test_revoked_grant_gives_no_authority_from_the_revocation_date(grant, lg):
    """N-12/N-13: authority stops on the revocation date, not the day after."""
    item = grant.final_items.get()
    services.revoke_grant(by=lg, grant=grant, reason="违规", on=D(2025, 9, 1))
    assert selectors.authority_for(grant.grantee, item, on=D(2025, 8, 31)) is not None
    assert selectors.authority_for(grant.grantee, item, on=D(2025, 9, 1)) is None


def test_revoking_twice_is_a_conflict(grant, lg):
    services.revoke_grant(by=lg, grant=grant, reason="违规", on=D(2025, 9, 1))
    with pytest.raises(Conflict):
        services.revoke_grant(by=lg, grant=grant, reason="再次", on=D(2025, 9, 2))


def test_department_admin_cannot_revoke(grant, dept_admin):
    """N-12: the leading group decides revocations, not the department."""
    with pytest.raises(Forbidden):
        services.revoke_grant(by=dept_admin, grant=grant, reason="x", on=D(2025, 9, 1))


def test_center_admin_may_record_the_revocation_after_the_term(grant, center_admin):
    """N-12: revocation may be recorded after the term ended (期限结束后)."""
    with time_machine.travel(datetime.datetime(2027, 2, 1, 9), tick=False):
        services.revoke_grant(
            by=center_admin, grant=grant, reason="期满后发现不宜继续任用", on=D(2027, 2, 1)
        )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REVOKED


def test_renewal_extends_the_term(grant, lg, lg_person):
    """N-12: renewal by leading-group decision extends valid_to and is recorded."""
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9), tick=False):
        services.renew_grant(
            by=lg,
            grant=grant,
            valid_to=D(2028, 12, 31),
            on=D(2026, 12, 10),
            members_present=[lg_person],
            note="考核优秀，继续授权",
        )
    grant.refresh_from_db()
    assert grant.valid_to == D(2028, 12, 31)
    assert grant.status == GrantStatus.ACTIVE
    decision = grant.decisions.get(kind=LeadingGroupDecision.Kind.RENEW)
    assert (decision.previous_valid_to, decision.new_valid_to) == (D(2026, 12, 31), D(2028, 12, 31))
    item = grant.final_items.get()
    assert selectors.authority_for(grant.grantee, item, on=D(2027, 6, 1)).grant == grant


def test_renewal_term_is_at_least_two_years(grant, lg):
    """C-4.3/N-12: the renewed term is itself at least two years."""
    with pytest.raises(RuleViolation) as exc:
        services.renew_grant(by=lg, grant=grant, valid_to=D(2027, 12, 31), on=D(2026, 1, 5))
    assert exc.value.code == "C-4.3"


def test_expired_grant_cannot_be_renewed(grant, lg):
    """N-12: after the term ends a new proposal is needed."""
    with (
        time_machine.travel(datetime.datetime(2027, 1, 5, 9), tick=False),
        pytest.raises(RuleViolation) as exc,
    ):
        services.renew_grant(by=lg, grant=grant, valid_to=D(2029, 1, 31), on=D(2027, 1, 5))
    assert exc.value.code == "N-12"


def test_revoked_grant_cannot_be_renewed(grant, lg):
    """N-12: a revoked grant is not renewed."""
    services.revoke_grant(by=lg, grant=grant, reason="违规", on=D(2025, 9, 1))
    with pytest.raises(RuleViolation) as exc:
        services.renew_grant(by=lg, grant=grant, valid_to=D(2028, 12, 31), on=D(2025, 9, 2))
    assert exc.value.code == "N-12"


def test_renewal_must_extend(grant, lg):
    with pytest.raises(RuleViolation) as exc:
        services.renew_grant(by=lg, grant=grant, valid_to=D(2026, 6, 30), on=D(2026, 1, 5))
    assert exc.value.field == "valid_to"


def test_renewal_overlapping_a_scheduled_successor_is_refused(grant, lg, center_admin, department):
    """C-4.3: renewing into a successor's term would make two officers at once."""
    make_grant(
        center_admin,
        department,
        valid_from=D(2027, 1, 1),
        valid_to=D(2028, 12, 31),
        decided_on=D(2026, 11, 2),
    )
    with pytest.raises(RuleViolation) as exc:
        services.renew_grant(by=lg, grant=grant, valid_to=D(2028, 12, 31), on=D(2026, 11, 3))
    assert exc.value.code == "C-4.3"


def test_acting_member_is_recorded_as_present_by_default(grant, lg, lg_person):
    """N-12: a member recording the decision alone is recorded as present."""
    services.revoke_grant(by=lg, grant=grant, reason="违规", on=D(2025, 9, 1))
    decision = grant.decisions.get(kind=LeadingGroupDecision.Kind.REVOKE)
    assert list(decision.members_present.all()) == [lg_person]
