"""services.propose_grant: a department proposes a person (N-10) with checked items, term,
experience and, for chief representatives, the filed section head (R-12)."""

import datetime

import pytest

from tests.factories import DepartmentFactory, staff
from tests.grants.factories import ALL_POWERS, candidate, item
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants import services
from zwfw.grants.models import GrantProposal

D = datetime.date
ON = D(2026, 3, 2)


def propose(by, department, **overrides):
    args = dict(
        by=by,
        department=department,
        role="chief_service_officer",
        grantee=candidate(department),
        final_items=[item(department)],
        preliminary_items=[],
        powers=ALL_POWERS,
        valid_from=D(2026, 4, 1),
        valid_to=D(2028, 3, 31),
        justification="业务精通",
        on=ON,
    )
    args.update(overrides)
    return services.propose_grant(**args)


def test_department_admin_proposes_a_person(db, dept_admin, department):
    """N-10: a department proposes a person with items, powers, term and justification."""
    final, prelim = item(department), item(department)
    person = candidate(department)
    proposal = propose(
        dept_admin, department, grantee=person, final_items=[final], preliminary_items=[prelim]
    )
    assert proposal.status == GrantProposal.Status.PENDING
    assert list(proposal.final_items.all()) == [final]
    assert list(proposal.preliminary_items.all()) == [prelim]
    assert proposal.proposed_on == ON
    event = AuditEvent.objects.get(action="propose_grant")
    assert event.after["grantee"] == person.pk
    assert event.actor == dept_admin


def test_other_department_admin_cannot_propose(db, department, other_department):
    """N-10: only the department's own administrator proposes its officer."""
    outsider_admin = staff("department_admin", department=other_department).user
    with pytest.raises(Forbidden):
        propose(outsider_admin, department)


def test_window_staff_cannot_propose(db, clerk, department):
    """N-10: proposing is a department administrator's act."""
    with pytest.raises(Forbidden):
        propose(clerk, department)


def test_person_of_another_department_is_refused(db, dept_admin, department, other_department):
    """N-10: the department proposes one of its own people."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, grantee=candidate(other_department))
    assert exc.value.code == "N-10"


def test_less_than_a_year_of_approval_work_is_refused(db, dept_admin, department):
    """N-9: fewer than 12 months of approval work on the proposal date is refused."""
    with pytest.raises(RuleViolation) as exc:
        propose(
            dept_admin, department, grantee=candidate(department, service_start_date=D(2025, 6, 1))
        )
    assert exc.value.code == "N-9"


def test_missing_service_start_is_refused(db, dept_admin, department):
    """N-9: without a recorded service start date the proposal is refused."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, grantee=candidate(department, service_start_date=None))
    assert exc.value.code == "N-9"


def test_item_of_another_department_is_refused(db, dept_admin, department, other_department):
    """C-2.1: a grant lists only the department's own items."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, final_items=[item(other_department)])
    assert exc.value.code == "C-2.1"
    assert exc.value.field == "final_items"


def test_item_not_on_the_chief_list_is_refused(db, dept_admin, department):
    """C-2.1/C-4.1: only items on the chief service officer list can be granted."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, final_items=[item(department, included=False)])
    assert exc.value.code == "C-4.1"
    with pytest.raises(RuleViolation):
        propose(
            dept_admin,
            department,
            preliminary_items=[item(department, included=None)],
            final_items=[],
        )


def test_item_both_final_and_preliminary_is_refused(db, dept_admin, department):
    """C-2.1/C-A2: an item is decided finally or reviewed first, not both."""
    shared = item(department)
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, final_items=[shared], preliminary_items=[shared])
    assert exc.value.code == "C-A2"


def test_no_items_is_refused(db, dept_admin, department):
    """C-2.1: a chief service officer holds delegated approval authority over some items."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, final_items=[], preliminary_items=[])
    assert exc.value.code == "C-2.1"


def test_term_shorter_than_two_years_is_refused(db, dept_admin, department):
    """C-4.3: a chief service officer's term shorter than 2 years is refused."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, valid_to=D(2028, 3, 30))
    assert exc.value.code == "C-4.3"
    assert exc.value.field == "valid_to"


def test_backdated_start_is_refused(db, dept_admin, department):
    """N-10: authority starts no earlier than the decision."""
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, valid_from=D(2026, 3, 1), valid_to=D(2028, 3, 31))
    assert exc.value.code == "N-10"


def test_chief_representative_must_be_the_filed_section_head(db, dept_admin, department):
    """R-12: a chief representative is the filed head of the government service section."""
    person = candidate(department)
    with pytest.raises(RuleViolation) as exc:
        propose(dept_admin, department, role="chief_representative", grantee=person)
    assert exc.value.code == "R-12"
    services.file_section_head(
        by=dept_admin, department=department, person=person, filed_on=D(2026, 1, 5)
    )
    proposal = propose(
        dept_admin, department, role="chief_representative", grantee=person, valid_to=D(2027, 3, 31)
    )
    assert proposal.role == "chief_representative"


def test_chief_representative_needs_the_four_powers(db, dept_admin, department):
    """R-12: a chief representative's grant carries all four powers."""
    person = candidate(department)
    services.file_section_head(
        by=dept_admin, department=department, person=person, filed_on=D(2026, 1, 5)
    )
    with pytest.raises(RuleViolation) as exc:
        propose(
            dept_admin,
            department,
            role="chief_representative",
            grantee=person,
            powers=["decide", "review_and_report"],
        )
    assert exc.value.code == "R-12"


def test_other_departments_are_untouched(db, dept_admin, department):
    DepartmentFactory()
    propose(dept_admin, department)
    assert GrantProposal.objects.count() == 1
