"""services.grant_authority: the center records a grant the leading group decided; the
department's coverage rules of C-4.3 and the eligibility rules apply (N-9, R-12)."""

import datetime

import pytest

from tests.grants.factories import candidate, item, make_grant
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants.models import Grant, LeadingGroupDecision

D = datetime.date


def test_center_admin_records_a_decided_grant(db, center_admin, department, lg_person):
    """N-10: the grant stores the leading-group decision it came from."""
    grant = make_grant(
        center_admin,
        department,
        decided_on=D(2024, 12, 20),
        decision_note="领导小组第3次会议",
        members_present=[lg_person],
    )
    assert grant.decision.kind == LeadingGroupDecision.Kind.APPOINT
    assert grant.decision.decided_on == D(2024, 12, 20)
    assert grant.decision.note == "领导小组第3次会议"
    assert list(grant.decision.members_present.all()) == [lg_person]
    assert grant.decision.grant == grant
    event = AuditEvent.objects.get(action="grant_authority")
    assert event.object_id == str(grant.pk)
    assert event.after["valid_to"] == "2026-12-31"


def test_department_admin_cannot_record_grants(db, dept_admin, department):
    """N-10: a department proposes; it does not grant authority itself."""
    with pytest.raises(Forbidden):
        make_grant(dept_admin, department)


def test_term_shorter_than_two_years_is_refused(db, center_admin, department):
    """C-4.3: a chief service officer's term shorter than 2 years is refused."""
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department, valid_from=D(2025, 1, 1), valid_to=D(2026, 12, 30))
    assert exc.value.code == "C-4.3"
    assert not Grant.objects.exists()


def test_chief_representative_term_may_be_shorter(db, center_admin, department, dept_admin):
    """C-4.3 applies to chief service officers; R-12 chief representatives follow the filing."""
    from zwfw.grants import services

    person = candidate(department)
    services.file_section_head(
        by=dept_admin, department=department, person=person, filed_on=D(2024, 12, 1)
    )
    grant = make_grant(
        center_admin,
        department,
        grantee=person,
        role="chief_representative",
        valid_from=D(2025, 1, 1),
        valid_to=D(2025, 12, 31),
    )
    assert grant.role == "chief_representative"


def test_second_overlapping_officer_needs_domain_and_justification(db, center_admin, department):
    """C-4.3: in principle one officer per department; a second needs a business domain
    and a justification, and the approver is recorded."""
    first = make_grant(center_admin, department, business_domain="户政")
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department)
    assert exc.value.code == "C-4.3"
    assert exc.value.field == "business_domain"
    assert first.grantee.name in exc.value.message
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department, business_domain="出入境")
    assert exc.value.field == "justification"
    second = make_grant(
        center_admin,
        department,
        business_domain="出入境",
        justification="公安业务范围广，出入境业务单设首席服务员",
    )
    assert second.exception_approved_by == center_admin
    event = AuditEvent.objects.filter(action="grant_authority").last()
    assert event.after["exception"]["overlapping"] == [first.pk]
    assert event.after["exception"]["approved_by"] == center_admin.pk


def test_same_business_domain_twice_is_refused(db, center_admin, department):
    """C-4.3: one officer per business domain."""
    make_grant(center_admin, department, business_domain="交通管理")
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department, business_domain="交通管理", justification="再设一名")
    assert exc.value.code == "C-4.3"


def test_other_department_does_not_count(db, center_admin, department, other_department):
    """C-4.3: the one-officer rule is per department."""
    make_grant(center_admin, department)
    make_grant(center_admin, other_department)
    assert Grant.objects.count() == 2


def test_replacement_with_a_gap_is_refused_with_the_dates(db, center_admin, department):
    """C-4.3 不断档: the replacement must start no later than the day after the old end."""
    make_grant(
        center_admin,
        department,
        valid_from=D(2024, 7, 1),
        valid_to=D(2026, 12, 31),
        decided_on=D(2024, 6, 20),
    )
    with pytest.raises(RuleViolation) as exc:
        make_grant(
            center_admin,
            department,
            valid_from=D(2027, 1, 4),
            valid_to=D(2029, 1, 3),
            decided_on=D(2026, 11, 2),
        )
    assert exc.value.code == "C-4.3"
    assert "2027年01月01日至2027年01月03日" in exc.value.message
    assert exc.value.field == "valid_from"


def test_replacement_the_day_after_is_accepted(db, center_admin, department):
    """C-4.3 不断档: starting the day after the old grant ends keeps service continuous."""
    make_grant(
        center_admin,
        department,
        valid_from=D(2024, 7, 1),
        valid_to=D(2026, 12, 31),
        decided_on=D(2024, 6, 20),
    )
    grant = make_grant(
        center_admin,
        department,
        valid_from=D(2027, 1, 1),
        valid_to=D(2028, 12, 31),
        decided_on=D(2026, 11, 2),
    )
    assert grant.valid_from == D(2027, 1, 1)


def test_after_a_revocation_the_replacement_starts_by_the_revocation_date(
    db, center_admin, department, lg
):
    """C-4.3 不断档: a revoked grant ends the day before its revocation date."""
    from zwfw.grants import services

    old = make_grant(
        center_admin,
        department,
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
        decided_on=D(2024, 12, 20),
    )
    services.revoke_grant(
        by=lg, grant=old, reason="工作调动", on=D(2025, 6, 1), members_present=[lg.person]
    )
    # The revocation already left a gap in the past: a new grant is not blocked by it.
    grant = make_grant(
        center_admin,
        department,
        valid_from=D(2025, 6, 10),
        valid_to=D(2027, 6, 9),
        decided_on=D(2025, 6, 10),
    )
    assert grant.in_force(D(2025, 6, 10))


def test_decision_date_drives_the_experience_check(db, center_admin, department):
    """N-9: experience is counted up to the leading group's decision date."""
    person = candidate(department, service_start_date=D(2024, 1, 10))
    with pytest.raises(RuleViolation) as exc:
        make_grant(
            center_admin,
            department,
            grantee=person,
            valid_from=D(2025, 1, 9),
            valid_to=D(2027, 1, 8),
            decided_on=D(2025, 1, 9),
        )
    assert exc.value.code == "N-9"
    grant = make_grant(
        center_admin,
        department,
        grantee=person,
        valid_from=D(2025, 1, 10),
        valid_to=D(2027, 1, 9),
        decided_on=D(2025, 1, 10),
    )
    assert grant.pk


def test_chief_representative_who_is_not_the_filed_head_is_refused(
    db, center_admin, department, dept_admin
):
    """R-12: after a new filing, the former head can no longer be chief representative."""
    from zwfw.grants import services

    old_head, new_head = candidate(department), candidate(department)
    services.file_section_head(
        by=dept_admin, department=department, person=old_head, filed_on=D(2024, 1, 1)
    )
    services.file_section_head(
        by=dept_admin, department=department, person=new_head, filed_on=D(2024, 12, 1), acting=True
    )
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department, grantee=old_head, role="chief_representative")
    assert exc.value.code == "R-12"
    assert new_head.name in exc.value.message
    grant = make_grant(center_admin, department, grantee=new_head, role="chief_representative")
    assert grant.powers == sorted(["coordinate", "decide", "review_and_report", "use_seal"])


def test_item_of_other_department_is_refused(db, center_admin, department, other_department):
    """C-2.1: items must belong to the granting department."""
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department, preliminary=[item(other_department)])
    assert exc.value.code == "C-2.1"
    assert exc.value.field == "preliminary_items"
