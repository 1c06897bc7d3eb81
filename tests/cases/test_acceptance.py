"""send_supplement_notice, supplement_case, accept_case, refuse_case and deemed acceptance
(L-ACCEPT, R-16, R-18, C-2.2; 行政许可法第32条)."""

import datetime

import pytest
import time_machine

from zwfw.cases import selectors, services
from zwfw.cases.models import Case, CaseMaterial, SupplementNotice
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.notifications.models import OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db


def test_r16_one_notice_lists_every_missing_material_with_its_problem(clerk, incomplete):
    """R-16 / C-2.2 / L-ACCEPT: ONE notice lists all missing and defective materials."""
    case = services.send_supplement_notice(
        case=incomplete,
        by=clerk,
        on=D(2025, 9, 29),
        missing=[{"name": "申请书", "problem": "未签名盖章"}],
    )
    assert case.status == "awaiting_supplement"
    notice = SupplementNotice.objects.get(case=case)
    assert notice.items == [
        {"name": "申请书", "problem": "未签名盖章"},
        {"name": "营业执照", "problem": "未提交"},
    ]
    assert case.due_date is None  # no clock while the applicant holds the next step
    sms = OutboxMessage.objects.get(kind="supplement_notice", ref=case.number)
    assert "营业执照" in sms.text and "申请书" in sms.text
    assert AuditEvent.objects.filter(action="supplement_notice_case").exists()


def test_r16_second_notice_is_refused(clerk, incomplete):
    """R-16: a case gets at most one notice; a second one is refused."""
    services.send_supplement_notice(case=incomplete, by=clerk, missing=[], on=D(2025, 9, 29))
    services.supplement_case(
        case=incomplete, by=clerk, materials={"营业执照": "paper"}, on=D(2025, 9, 30)
    )
    with pytest.raises(RuleViolation) as exc:
        services.send_supplement_notice(
            case=incomplete,
            by=clerk,
            on=D(2025, 9, 30),
            missing=[{"name": "营业执照", "problem": "复印件不清晰"}],
        )
    assert exc.value.code == "R-16"


def test_r16_a_received_material_is_never_asked_again(clerk, incomplete):
    """R-16 / R-18: a material received in order cannot be listed again without a defect."""
    with pytest.raises(RuleViolation) as exc:
        services.send_supplement_notice(
            case=incomplete, by=clerk, missing=["申请书"], on=D(2025, 9, 29)
        )
    assert exc.value.code == "R-16"


def test_l_accept_notice_needs_something_missing(clerk, received):
    with pytest.raises(RuleViolation) as exc:
        services.send_supplement_notice(case=received, by=clerk, missing=[], on=D(2025, 9, 29))
    assert exc.value.code == "L-ACCEPT"


def test_l_accept_acceptance_date_is_the_day_full_corrections_were_handed_in(clerk, incomplete):
    """L-ACCEPT: after corrections, acceptance counts from the day they were all handed in;
    partial supplements leave the case waiting."""
    services.send_supplement_notice(
        case=incomplete,
        by=clerk,
        on=D(2025, 9, 29),
        missing=[{"name": "申请书", "problem": "未签名"}],
    )
    case = services.supplement_case(
        case=incomplete, by=clerk, materials={"申请书": "paper"}, on=D(2025, 9, 30)
    )
    assert case.status == "awaiting_supplement"
    with pytest.raises(RuleViolation) as exc:
        services.supplement_case(
            case=case, by=None, materials={"申请书": "electronic"}, on=D(2025, 10, 9)
        )
    assert exc.value.code == "R-16"
    case = services.supplement_case(
        case=case, by=None, materials={"营业执照": "electronic"}, on=D(2025, 10, 9)
    )
    assert case.status == "received"
    assert case.materials_complete_on == D(2025, 10, 9)
    assert case.acceptance_deadline == D(2025, 10, 15)  # 10/10, 10/11 (adjusted), 13, 14, 15
    case = services.accept_case(case=case, by=clerk, on=D(2025, 10, 13))
    assert case.accepted_on == D(2025, 10, 9)
    assert CaseMaterial.objects.get(case=case, name="营业执照").form == "electronic"


def test_l_accept_incomplete_case_cannot_be_accepted(clerk, incomplete):
    with pytest.raises(RuleViolation) as exc:
        services.accept_case(case=incomplete, by=clerk, on=D(2025, 9, 29))
    assert exc.value.code == "L-ACCEPT"


def test_l_accept_accept_starts_the_clock_with_due_date(clerk, received):
    """L-ACCEPT / L-LIMIT: accepted on 9/26 with a 20-day promise → due 10/30 (国庆 skipped)."""
    case = services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))
    assert case.status == "accepted" and case.accepted_on == D(2025, 9, 26)
    assert case.due_date == D(2025, 10, 30)
    assert case.remaining_workdays == 20 and case.alert_level == "green"
    assert OutboxMessage.objects.filter(kind="acceptance", ref=case.number).count() == 2


def test_l_accept_refusal_names_reason_and_authority(clerk, received):
    """L-ACCEPT: refusal records the reason and the competent authority."""
    case = services.refuse_case(
        case=received,
        by=clerk,
        reason="不属于本机关职权范围",
        competent_authority="青岚市应急管理局",
        on=D(2025, 9, 29),
    )
    assert case.status == "refused" and case.refused_on == D(2025, 9, 29)
    with pytest.raises(RuleViolation):
        services.refuse_case(case=received, by=clerk, reason="", on=D(2025, 9, 29))


def test_refusal_needs_a_reason(clerk, received):
    with pytest.raises(RuleViolation) as exc:
        services.refuse_case(case=received, by=clerk, reason="  ", on=D(2025, 9, 29))
    assert exc.value.code == "L-ACCEPT"


def test_l_accept_without_notice_in_time_case_counts_as_accepted_on_receipt(clerk, received):
    """L-ACCEPT: with no notice or decision within 5 working days (deadline 10/10 over 国庆),
    the case is accepted as of the day of receipt; a late notice is then refused."""
    case = services.bring_up_to_date(case=received, on=D(2025, 10, 10))
    assert case.status == "received"
    case = services.bring_up_to_date(case=received, on=D(2025, 10, 11))
    assert case.status == "accepted" and case.deemed_accepted
    assert case.accepted_on == D(2025, 9, 26)
    assert (
        case.events.filter(action="deemed_accept")
        .get()
        .text.startswith("逾期未告知，视为自收件之日起受理")
    )
    with pytest.raises(Conflict):
        services.send_supplement_notice(case=case, by=clerk, missing=[], on=D(2025, 10, 11))


def test_l_accept_periodic_task_applies_deemed_acceptance(clerk, incomplete, received):
    """L-ACCEPT: the nightly task accepts late cases; a case awaiting supplement waits."""
    services.send_supplement_notice(case=incomplete, by=clerk, missing=[], on=D(2025, 9, 29))
    with time_machine.travel(datetime.datetime(2025, 10, 13, 1, 0), tick=False):
        from zwfw.cases import tasks

        tasks.refresh_open_cases.call_local()
    assert Case.objects.get(pk=received.pk).status == "accepted"
    assert Case.objects.get(pk=incomplete.pk).status == "awaiting_supplement"


def test_l_accept_late_action_is_refused_after_deemed_acceptance(clerk, received):
    """L-ACCEPT: a refusal after the deadline meets an accepted case (409); the refused
    transaction rolls back whole, and the next read records the deemed acceptance."""
    with pytest.raises(Conflict):
        services.refuse_case(case=received, by=clerk, reason="材料不符", on=D(2025, 10, 13))
    case = services.bring_up_to_date(case=received, on=D(2025, 10, 13))
    assert case.deemed_accepted and case.status == "accepted"


def test_other_departments_staff_cannot_accept(outsider, received):
    with pytest.raises(Forbidden):
        services.accept_case(case=received, by=outsider, on=D(2025, 9, 29))


def test_public_progress_query_needs_number_and_phone(received):
    assert selectors.public_case(received.number, "5678") == received
    for number, last4 in [(received.number, "0000"), ("QL-0", "5678"), (received.number, "")]:
        with pytest.raises(Exception) as exc:
            selectors.public_case(number, last4)
        assert exc.value.message == "未找到该办件，请核对办件编号和手机号后四位"
