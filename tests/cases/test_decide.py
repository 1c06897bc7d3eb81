"""first_review_case, decide_case, refer_case and the committee's decision (N-4, N-13, N-14)."""

import datetime

import pytest

from tests.cases.factories import grant_for, make_item, officer, receive
from zwfw.cases import services
from zwfw.cases.models import Case, SealUse
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.models import AuditEvent

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(clerk, chief, item):
    case = receive(clerk, item, on=D(2025, 9, 26))
    return services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))


def test_n13_chief_officer_decides_by_grant_and_it_is_recorded(chief, accepted):
    """N-13 / N-4: the chief officer decides a final item; person, grant and seal recorded."""
    assert accepted.procedure == "final"
    case = services.decide_case(
        case=accepted,
        by=chief,
        result="approve",
        opinion="符合条件",
        use_seal=True,
        on=D(2025, 10, 9),
    )
    assert case.status == "decided" and case.decided_on == D(2025, 10, 9)
    assert case.decided_by == chief.person and case.grant.grantee == chief.person
    seal = SealUse.objects.get(case=case)
    assert seal.grant == case.grant and seal.person == chief.person
    audit = AuditEvent.objects.get(action="decide_case")
    assert audit.after["grant"] == case.grant.pk
    assert case.remaining_workdays == 16  # 9/28, 9/29, 9/30, 10/9 used; the clock stops


def test_n13_person_without_grant_is_refused(clerk, accepted):
    """N-13: deciding without a grant in force is refused with code N-13."""
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=accepted, by=clerk, result="approve", on=D(2025, 10, 9))
    assert exc.value.code == "N-13" and "授权" in exc.value.message
    assert Case.objects.get(pk=accepted.pk).status == "accepted"


def test_n13_grant_must_be_in_force_on_the_day(chief, accepted):
    """N-13: a grant valid to 2026-12-31 gives no authority on 2027-01-04."""
    case = Case.objects.get(pk=accepted.pk)
    case.status = "accepted"
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=case, by=chief, result="approve", on=D(2027, 1, 4))
    assert exc.value.code == "N-13"


def test_n13_seal_needs_the_seal_power(center_admin, department, clerk):
    """N-13: using the seal needs 印章使用权 in the grant."""
    other = make_item(center_admin, department)
    person = officer(department)
    grant_for(
        center_admin, department, person, final=[other], powers=["decide", "review_and_report"]
    )
    case = services.accept_case(
        case=receive(clerk, other, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(
            case=case, by=person.user, result="approve", use_seal=True, on=D(2025, 9, 29)
        )
    assert exc.value.code == "N-13" and exc.value.field == "use_seal"


def test_deny_needs_a_reason_and_bad_result_is_refused(chief, accepted):
    with pytest.raises(RuleViolation):
        services.decide_case(case=accepted, by=chief, result="deny", on=D(2025, 10, 9))
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(
            case=accepted, by=chief, result="maybe", opinion="x", on=D(2025, 10, 9)
        )
    assert exc.value.field == "result"


def test_decide_before_acceptance_is_a_conflict(chief, clerk, item):
    case = receive(clerk, item, on=D(2025, 9, 26))
    with pytest.raises(Conflict):
        services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))


@pytest.fixture
def preliminary(center_admin, dept_admin, department, clerk):
    """An item first reviewed by the chief officer and decided finally by a second officer."""
    item = make_item(dept_admin, department, name="典当业特种行业许可证核发")
    reviewer = officer(department, name="初审员")
    grant_for(center_admin, department, reviewer, preliminary=[item])
    decider = officer(department, name="终审员")
    grant_for(
        center_admin,
        department,
        decider,
        final=[item],
        justification="公安业务领域广，按业务领域分设首席服务员",
        business_domain="治安",
    )
    case = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    return case, reviewer.user, decider.user


def test_n4_preliminary_item_needs_first_review_by_another_person(preliminary, clerk):
    """N-4: preliminary items: first review (scope preliminary), site inspection, then the
    final decision by another person with final authority."""
    case, reviewer, decider = preliminary
    assert case.procedure == "preliminary"
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=case, by=decider, result="approve", on=D(2025, 9, 29))
    assert exc.value.code == "N-4"
    with pytest.raises(RuleViolation) as exc:
        services.first_review_case(case=case, by=decider, opinion="同意", on=D(2025, 9, 29))
    assert exc.value.code == "N-13"
    case = services.first_review_case(
        case=case, by=reviewer, opinion="材料齐全，建议现场踏勘", on=D(2025, 9, 29)
    )
    assert case.first_reviewed_by == reviewer.person and case.first_review_grant is not None
    case = services.pause_case(case=case, by=reviewer, reason="site_inspection", on=D(2025, 9, 30))
    case = services.resume_case(case=case, by=reviewer, on=D(2025, 10, 10))
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=case, by=reviewer, result="approve", on=D(2025, 10, 13))
    assert exc.value.code == "N-13"
    case = services.decide_case(case=case, by=decider, result="approve", on=D(2025, 10, 13))
    assert case.decided_by == decider.person


HELD_ON = D(2025, 10, 15)


def _committee(center_admin, center, held_on=HELD_ON):
    from tests.factories import PersonFactory, staff
    from zwfw.grants import services as g

    committee = g.create_committee(by=center_admin, center=center)
    members = [
        g.add_committee_member(
            by=center_admin, committee=committee, person=PersonFactory(), position=p
        )
        for p in ("director", "executive_deputy", "member")
    ]
    meeting = g.schedule_meeting(
        by=center_admin, committee=committee, title="第3次会议", held_on=held_on
    )
    assert staff
    return committee, members, meeting


def test_n14_referral_and_committee_decision_become_the_case_decision(
    center_admin, center, chief, accepted
):
    """N-14: the chief officer refers a complex case; the meeting's recorded decision becomes
    the case's decision with the meeting recorded."""
    from zwfw.grants import services as g

    _committee_row, members, meeting = _committee(center_admin, center)
    case = services.refer_case(
        case=accepted, by=chief, meeting=meeting, note="涉及公共安全", on=D(2025, 10, 9)
    )
    assert case.status == "referred" and case.agenda_item.reference == case.number
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=case, by=chief, result="approve", on=D(2025, 10, 10))
    assert exc.value.code == "N-14"
    g.record_attendance(by=center_admin, meeting=meeting, present=members)
    g.decide_agenda_item(
        by=center_admin,
        item=case.agenda_item,
        votes={m.pk: "for" for m in members},
        decision_text="同意许可",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "decided" and case.result == "approve"
    assert case.committee_meeting == meeting and case.decided_by is None
    assert case.events.filter(action="committee_decide").exists()


def test_n14_referral_needs_authority_and_a_scheduled_meeting(
    center_admin, center, clerk, accepted
):
    """N-14: a clerk without authority cannot refer."""
    _c, _m, meeting = _committee(center_admin, center)
    with pytest.raises(RuleViolation) as exc:
        services.refer_case(case=accepted, by=clerk, meeting=meeting, on=D(2025, 10, 9))
    assert exc.value.code == "N-14"
