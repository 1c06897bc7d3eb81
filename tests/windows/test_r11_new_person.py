"""R-11 across apps: the new person of a change letter holds no window and no grant until
the center's approving reply (staff.services.ensure_may_start is called by windows.post_staff
and by every grant's creation)."""

import datetime

import pytest

from tests.factories import PersonFactory, SectionFactory
from tests.grants.factories import make_grant
from zwfw.core.errors import RuleViolation
from zwfw.staff import services as staff_services
from zwfw.windows import services as windows

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer_with_letter(center_admin, dept_admin, department):
    section = SectionFactory(department=department, name="政务服务科", is_service_section=True)
    old = PersonFactory(
        department=department,
        section=section,
        birth_date=D(1990, 5, 1),
        unit_start_date=D(2015, 3, 1),
    )
    admission = staff_services.apply_admission(
        by=dept_admin, person=old, department=department, start_date=D(2025, 1, 2)
    )
    staff_services.review_admission(
        by=center_admin,
        admission=admission,
        result="pass",
        reviewed_on=D(2024, 12, 30),
        hr_reviewer="组织部",
    )
    newcomer = PersonFactory(department=department, section=section, birth_date=D(1992, 1, 1))
    letter = staff_services.submit_change(
        by=dept_admin,
        assignment=admission.assignment,
        reason="工作调动",
        new_person=newcomer,
        letter_no="示公函〔2025〕8号",
        on=D(2025, 9, 1),
    )
    return newcomer, letter


def test_R_11_no_window_before_the_centers_reply(center_admin, window, newcomer_with_letter):
    newcomer, letter = newcomer_with_letter
    with pytest.raises(RuleViolation) as exc:
        windows.post_staff(
            by=center_admin, window=window, person=newcomer, valid_from=D(2025, 9, 8)
        )
    assert exc.value.code == "R-11"
    staff_services.reply_change(by=center_admin, letter=letter, approved=True, on=D(2025, 9, 5))
    windows.post_staff(by=center_admin, window=window, person=newcomer, valid_from=D(2025, 9, 8))


def test_R_11_no_grant_before_the_centers_reply(center_admin, department, newcomer_with_letter):
    newcomer, letter = newcomer_with_letter
    with pytest.raises(RuleViolation) as exc:
        make_grant(center_admin, department, grantee=newcomer)
    assert exc.value.code == "R-11"
