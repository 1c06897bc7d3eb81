"""Admission (R-6 … R-10) and change letters (R-11)."""

import datetime

import pytest
import time_machine

from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants.models import SectionHeadFiling
from zwfw.staff import selectors, services
from zwfw.staff.models import Admission, ChangeLetter, ResidentAssignment

D = datetime.date
SEP1 = D(2025, 9, 1)
pytestmark = pytest.mark.django_db


def _apply(dept_admin, person, department, start=SEP1, **kw):
    return services.apply_admission(
        by=dept_admin, person=person, department=department, start_date=start, **kw
    )


def test_R_6_exactly_45_on_start_date_is_admitted(dept_admin, department, make_person):
    """R-6: 45 years old on the start date (birthday that day) is allowed."""
    p = make_person(birth_date=D(1980, 9, 1))
    a = _apply(dept_admin, p, department, start=D(2025, 9, 1))
    assert a.age_on_start == 45 and a.status == "applied"


def test_R_6_one_day_over_45_is_refused(dept_admin, department, make_person):
    """R-6: 46 on the start date is refused with the rule's code."""
    p = make_person(birth_date=D(1979, 8, 31))
    with pytest.raises(RuleViolation) as exc:
        _apply(dept_admin, p, department, start=D(2025, 9, 1))
    assert exc.value.code == "R-6"


@pytest.mark.parametrize("acting", [False, True])
def test_R_6_filed_section_head_or_acting_deputy_over_45(
    dept_admin, department, make_person, acting
):
    """R-6: the filed head (or acting deputy) of the service section may be over 45."""
    p = make_person(birth_date=D(1970, 1, 1))
    SectionHeadFiling.objects.create(
        department=department, person=p, acting=acting, filed_on=D(2024, 1, 1)
    )
    a = _apply(dept_admin, p, department)
    assert a.age_exception == ("acting_deputy" if acting else "section_head")


def test_R_6_filing_ended_before_start_gives_no_exception(dept_admin, department, make_person):
    p = make_person(birth_date=D(1970, 1, 1))
    SectionHeadFiling.objects.create(
        department=department, person=p, filed_on=D(2020, 1, 1), ended_on=D(2025, 1, 1)
    )
    with pytest.raises(RuleViolation) as exc:
        _apply(dept_admin, p, department)
    assert exc.value.code == "R-6"


def test_R_7_under_two_years_in_unit_needs_justification_and_approver(
    dept_admin, center_admin, department, make_person
):
    """R-7 in principle: warn, require a written justification and an approver, keep both."""
    p = make_person(unit_start_date=D(2024, 3, 1))
    with pytest.raises(RuleViolation) as exc:
        _apply(dept_admin, p, department)
    assert exc.value.code == "R-7" and exc.value.field == "justification"
    a = _apply(
        dept_admin,
        p,
        department,
        justification="业务骨干，熟悉窗口业务",
        approver=center_admin.person,
    )
    assert a.warnings == ["R-7"] and a.approver == center_admin.person
    event = AuditEvent.objects.filter(action="staff_apply_admission").latest("id")
    assert event.after["justification"] == "业务骨干，熟悉窗口业务"
    assert event.after["approver"] == center_admin.person.pk
    assert event.after["warnings"] == ["R-7"]


def test_R_9_off_establishment_needs_collective_decision(
    dept_admin, department, make_person, center_admin
):
    """R-9: staff off the establishment enter only by a collective decision."""
    p = make_person(established=False)
    with pytest.raises(RuleViolation) as exc:
        _apply(dept_admin, p, department)
    assert exc.value.code == "R-9"
    members = [center_admin.person, dept_admin.person]
    a = _apply(
        dept_admin,
        p,
        department,
        collective_decision={"date": D(2025, 8, 1), "members": members, "note": "同意"},
    )
    cd = a.collective_decision
    assert cd.decided_on == D(2025, 8, 1) and set(cd.members.all()) == set(members)
    assert cd.result == "approved" and "R-9" in a.warnings


def test_R_9_rejected_collective_decision_refuses(
    dept_admin, department, make_person, center_admin
):
    p = make_person(established=False)
    with pytest.raises(RuleViolation) as exc:
        _apply(
            dept_admin,
            p,
            department,
            collective_decision={
                "date": D(2025, 8, 1),
                "members": [center_admin.person],
                "result": "rejected",
            },
        )
    assert exc.value.code == "R-9"


def test_R_8_center_reviews_with_hr_before_entry(dept_admin, center_admin, department, young):
    """R-8: the department cannot admit; the center's review (reviewer, date, HR, result)
    stations the person for three years with optional union/party transfers."""
    a = _apply(dept_admin, young, department, start=D(2025, 9, 1))
    with pytest.raises(Forbidden):
        services.review_admission(by=dept_admin, admission=a, result="pass", hr_reviewer="x")
    with pytest.raises(RuleViolation) as exc:
        services.review_admission(by=center_admin, admission=a, result="pass", hr_reviewer="")
    assert exc.value.field == "hr_reviewer"
    a = services.review_admission(
        by=center_admin,
        admission=a,
        result="pass",
        reviewed_on=D(2025, 8, 20),
        hr_reviewer="区委组织部 张三",
        union_transferred=True,
        party_transferred=True,
    )
    assert a.status == "admitted" and a.reviewed_by == center_admin.person
    asg = a.assignment
    assert asg.start_date == D(2025, 9, 1) and asg.term_end == D(2028, 8, 31)
    assert a.union_transferred and a.party_transferred


def test_R_8_failed_review_stations_nobody(dept_admin, center_admin, department, young):
    a = _apply(dept_admin, young, department)
    a = services.review_admission(by=center_admin, admission=a, result="fail", hr_reviewer="组织部")
    assert a.status == "rejected" and not ResidentAssignment.objects.exists()


def test_R_10_section_gap_and_headcount(
    dept_admin, center_admin, department, make_person, resident
):
    """R-10: a service-section member not stationed shows as a gap of the department."""
    other = make_person(name="未进驻者")
    row = next(g for g in selectors.section_gaps(center_admin) if g["department"] == department)
    assert row["members"] == 2 and row["missing"] == [other]
    vol = next(
        v for v in selectors.headcount_vs_volume(center_admin) if v["department"] == department
    )
    assert vol["headcount"] == 1


def test_only_department_or_center_may_apply(outsider, department, young):
    with pytest.raises(Forbidden):
        _apply(outsider, young, department)


def test_duplicate_application_conflicts(dept_admin, department, young):
    _apply(dept_admin, young, department)
    with pytest.raises(Conflict):
        _apply(dept_admin, young, department)


# --- R-11 ------------------------------------------------------------------------------------


@pytest.fixture
def newcomer(make_person):
    return make_person(name="接替者", birth_date=D(1992, 1, 1))


@pytest.fixture
def letter(dept_admin, resident, newcomer):
    return services.submit_change(
        by=dept_admin,
        assignment=resident,
        reason="原进驻人员工作调动",
        new_person=newcomer,
        letter_no="示公函〔2025〕8号",
        on=D(2025, 9, 1),
    )


def test_R_11_term_is_three_years(resident):
    assert resident.term_end == D(2028, 1, 1)


def test_R_11_letter_without_reply_blocks_stationing(
    dept_admin, center_admin, department, newcomer, letter
):
    """R-11: the new person of a letter without the center's approving reply cannot be
    stationed (nor hold a window or a grant: ensure_may_start is the check those call)."""
    assert letter.kind == ChangeLetter.Kind.MID_TERM and "接替者" in letter.new_person_details
    with pytest.raises(RuleViolation) as exc:
        _apply(dept_admin, newcomer, department, start=D(2025, 10, 8))
    assert exc.value.code == "R-11"
    with pytest.raises(RuleViolation) as exc:
        services.ensure_may_start(newcomer, D(2025, 10, 8))
    assert exc.value.code == "R-11"


def test_R_11_rejected_reply_still_blocks(dept_admin, center_admin, newcomer, letter):
    services.reply_change(by=center_admin, letter=letter, approved=False, on=D(2025, 9, 5))
    with pytest.raises(RuleViolation) as exc:
        services.ensure_may_start(newcomer, D(2025, 10, 8))
    assert exc.value.code == "R-11"


def test_R_11_approving_reply_lets_the_new_person_start_not_before_it(
    dept_admin, center_admin, department, newcomer, letter, resident
):
    """R-11: after the center's approving reply the new person may start (not earlier than
    the reply's date); admitting them ends the old posting the day before."""
    with pytest.raises(Forbidden):
        services.reply_change(by=dept_admin, letter=letter, on=D(2025, 9, 5))
    services.reply_change(by=center_admin, letter=letter, approved=True, on=D(2025, 9, 5))
    letter.refresh_from_db()
    assert letter.status == "approved" and letter.reply.reply_no
    with pytest.raises(RuleViolation) as exc:
        services.ensure_may_start(newcomer, D(2025, 9, 4))
    assert exc.value.code == "R-11"
    services.ensure_may_start(newcomer, D(2025, 9, 5))
    a = _apply(dept_admin, newcomer, department, start=D(2025, 10, 8))
    services.review_admission(by=center_admin, admission=a, result="pass", hr_reviewer="组织部")
    resident.refresh_from_db()
    assert resident.ended_on == D(2025, 10, 7) and "示公函" in resident.end_reason


def test_R_11_the_department_cannot_reply_to_itself(dept_admin, letter):
    with pytest.raises(Forbidden):
        services.reply_change(by=dept_admin, letter=letter)


@time_machine.travel("2025-11-20 10:00 +0800", tick=False)
def test_R_11_assignments_ending_within_60_days(
    client, center_admin, dept_admin, department, make_person
):
    """R-11: postings whose three-year term ends within 60 days are listed (home panel)."""
    p = make_person(name="将满三年")
    a = _apply(dept_admin, p, department, start=D(2023, 1, 1))
    services.review_admission(
        by=center_admin,
        admission=a,
        result="pass",
        hr_reviewer="组织部",
        reviewed_on=D(2022, 12, 20),
    )
    q = make_person(name="刚进驻")
    b = _apply(dept_admin, q, department, start=D(2025, 1, 1))
    services.review_admission(
        by=center_admin,
        admission=b,
        result="pass",
        hr_reviewer="组织部",
        reviewed_on=D(2024, 12, 20),
    )
    soon = selectors.ending_soon(center_admin)
    assert [x.person for x in soon] == [p]
    assert soon[0].term_end == D(2025, 12, 31)
    assert Admission.objects.count() == 2
    client.force_login(dept_admin)
    home = client.get("/").content.decode()
    assert "进驻期即将届满的人员" in home and "将满三年进驻期将于2025-12-31届满" in home
