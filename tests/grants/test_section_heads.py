"""services.file_section_head: the filed government service section head (R-12)."""

import datetime

import pytest

from tests.factories import PersonFactory
from tests.grants.factories import candidate
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants import services
from zwfw.grants.selectors import current_section_head

D = datetime.date


def test_filing_replaces_the_previous_head(db, dept_admin, department):
    """R-12: a new filing makes the new person the head from its date."""
    first, second = candidate(department), candidate(department)
    old = services.file_section_head(
        by=dept_admin,
        department=department,
        person=first,
        filed_on=D(2024, 1, 1),
        document_number="人备〔2024〕1号",
    )
    services.file_section_head(
        by=dept_admin, department=department, person=second, filed_on=D(2025, 1, 1), acting=True
    )
    old.refresh_from_db()
    assert old.ended_on == D(2025, 1, 1)
    assert current_section_head(department, D(2024, 12, 31)).person == first
    assert current_section_head(department, D(2025, 1, 1)).person == second
    assert current_section_head(department, D(2023, 12, 31)) is None
    assert AuditEvent.objects.filter(action="file_section_head").count() == 2


def test_person_outside_the_service_section_is_refused(db, dept_admin, department):
    """R-12: only the head of the government service section can be filed."""
    person = PersonFactory(department=department)
    with pytest.raises(RuleViolation) as exc:
        services.file_section_head(
            by=dept_admin, department=department, person=person, filed_on=D(2025, 1, 1)
        )
    assert exc.value.code == "R-12"


def test_person_of_another_department_is_refused(db, dept_admin, department, other_department):
    """R-12: the head belongs to the department."""
    with pytest.raises(RuleViolation) as exc:
        services.file_section_head(
            by=dept_admin,
            department=department,
            person=candidate(other_department),
            filed_on=D(2025, 1, 1),
        )
    assert exc.value.code == "R-12"


def test_other_department_admin_cannot_file(db, department, other_department):
    from tests.factories import staff

    admin = staff("department_admin", department=other_department).user
    with pytest.raises(Forbidden):
        services.file_section_head(
            by=admin, department=department, person=candidate(department), filed_on=D(2025, 1, 1)
        )


def test_earlier_filing_after_a_later_one_is_refused(db, dept_admin, department):
    services.file_section_head(
        by=dept_admin, department=department, person=candidate(department), filed_on=D(2025, 1, 1)
    )
    with pytest.raises(RuleViolation):
        services.file_section_head(
            by=dept_admin,
            department=department,
            person=candidate(department),
            filed_on=D(2024, 1, 1),
        )
