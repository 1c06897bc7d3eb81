"""差评整改: call back, rectify, report back, close; deadlines, red alerts and escalation;
permissions; the audit chain of every step (L-EVAL)."""

import datetime

import pytest
import time_machine

from tests.factories import staff
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.evaluations import services
from zwfw.evaluations.models import Rectification
from zwfw.notifications.models import OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def rect(case):
    """A 非常不满意 of the case on Wed 2026-09-30 (callback due 10-08, report due 10-13)."""
    services.rate_case(
        case=case,
        level=1,
        channel="sms",
        comment="多跑了两趟",
        tags=["repeated_trips"],
        on=D(2026, 9, 30),
    )
    return Rectification.objects.get()


def test_l_eval_full_follow_up_on_time(rect, dept_admin, case):
    """L-EVAL: call back, rectify, report back to the rater by SMS, close with a result; every
    step by its due date makes the ticket on time; every step is in the audit chain."""
    rect = services.call_back(
        rectification=rect,
        by=dept_admin,
        finding="true",
        note="已回访，情况属实",
        on=D(2026, 10, 8),
    )
    assert rect.status == "called_back" and rect.next_due_date == D(2026, 10, 13)
    rect = services.record_rectified(
        rectification=rect, by=dept_admin, note="完善一次性告知", on=D(2026, 10, 10)
    )
    rect = services.report_back(
        rectification=rect, by=dept_admin, note="已整改并致歉", on=D(2026, 10, 12)
    )
    sms = OutboxMessage.objects.get(kind="other", ref=case.number)
    assert sms.phone == case.phone and "已整改并致歉" in sms.text and rect.report_sms_sent
    rect = services.close_rectification(
        rectification=rect, by=dept_admin, result="评价人认可", on=D(2026, 10, 13)
    )
    assert rect.status == "closed" and rect.on_time is True and rect.next_due_date is None
    actions = list(
        AuditEvent.objects.filter(object_type="evaluations.Rectification").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "open_rectification",
        "call_back_rectification",
        "rectify_rectification",
        "report_back_rectification",
        "close_rectification",
    ]
    assert AuditEvent.objects.get(action="close_rectification").actor_id == dept_admin.pk
    from zwfw.core import audit

    assert audit.verify().ok  # the chain holds across every step


def test_l_eval_late_call_back_makes_the_ticket_late(rect, dept_admin):
    """L-EVAL: on-time rate counts tickets whose every step met its due date."""
    rect = services.call_back(
        rectification=rect, by=dept_admin, finding="partly", note="部分属实", on=D(2026, 10, 9)
    )
    rect = services.record_rectified(
        rectification=rect, by=dept_admin, note="整改", on=D(2026, 10, 9)
    )
    rect = services.report_back(rectification=rect, by=dept_admin, note="反馈", on=D(2026, 10, 9))
    rect = services.close_rectification(
        rectification=rect, by=dept_admin, result="已整改", on=D(2026, 10, 9)
    )
    assert rect.on_time is False
    assert rect.escalated  # the callback was done after its due date: the ticket went red


def test_l_eval_steps_go_in_order_and_closing_needs_a_result(rect, dept_admin):
    """L-EVAL: no step is skipped; closing needs a recorded result; a refusal writes nothing."""
    with pytest.raises(Conflict):
        services.record_rectified(rectification=rect, by=dept_admin, note="x", on=D(2026, 10, 8))
    with pytest.raises(Conflict):
        services.close_rectification(rectification=rect, by=dept_admin, result="x")
    with pytest.raises(RuleViolation) as exc:
        services.call_back(rectification=rect, by=dept_admin, finding="maybe", note="x")
    assert exc.value.field == "finding"
    with pytest.raises(RuleViolation) as exc:
        services.call_back(rectification=rect, by=dept_admin, finding="true", note="  ")
    assert exc.value.field == "note" and "回访记录" in exc.value.message
    for step in (services.call_back, services.record_rectified, services.report_back):
        kwargs = {"finding": "true"} if step is services.call_back else {}
        rect = step(rectification=rect, by=dept_admin, note="记录", on=D(2026, 10, 8), **kwargs)
    with pytest.raises(RuleViolation) as exc:
        services.close_rectification(rectification=rect, by=dept_admin, result="")
    assert exc.value.field == "result" and "整改结果" in exc.value.message
    rect.refresh_from_db()
    assert rect.status == "reported" and rect.closed_on is None


def test_l_eval_owner_is_the_department(rect, clerk, outsider, center_admin, department):
    """L-EVAL: the department administrator (or the center) acts; others are refused."""
    other_admin = staff("department_admin").user
    for user in (clerk, outsider, other_admin):
        with pytest.raises(Forbidden):
            services.call_back(rectification=rect, by=user, finding="true", note="x")
    services.call_back(rectification=rect, by=center_admin, finding="true", note="中心回访")
    assert Rectification.objects.get().callback_by == center_admin


def test_l_eval_overdue_turns_red_and_escalates_to_the_center_once(rect, center_admin):
    """L-EVAL: the nightly refresh turns a step past its due date red and escalates the ticket
    to the center once, with an SMS note to the center administrators."""
    assert services.refresh_rectifications(on=D(2026, 10, 8))["escalated"] == 0
    assert Rectification.objects.get().alert_level == "yellow"
    counts = services.refresh_rectifications(on=D(2026, 10, 9))
    rect = Rectification.objects.get()
    assert counts["escalated"] == 1 and rect.alert_level == "red"
    assert rect.escalated and rect.escalated_on == D(2026, 10, 9)
    note = OutboxMessage.objects.get(ref=f"rect-{rect.pk}")
    assert note.phone == center_admin.person.phone and "已上报中心" in note.text
    assert services.refresh_rectifications(on=D(2026, 10, 12))["escalated"] == 0
    assert OutboxMessage.objects.filter(ref=f"rect-{rect.pk}").count() == 1
    assert AuditEvent.objects.filter(action="escalate_rectification").count() == 1


def test_l_eval_refresh_reads_the_clock_itself(rect):
    """L-EVAL: the task runs without arguments on the real date (time-machine, after 国庆)."""
    with time_machine.travel(datetime.datetime(2026, 10, 7, 23, 50), tick=False):
        services.refresh_rectifications()
    assert not Rectification.objects.get().escalated  # 10-01..07 are holidays
    with time_machine.travel(datetime.datetime(2026, 10, 9, 0, 40), tick=False):
        from zwfw.evaluations import tasks

        tasks.refresh_rectifications.call_local()
    assert Rectification.objects.get().escalated


def test_l_eval_extension_never_passes_15_working_days(rect, dept_admin):
    """L-EVAL: rectification and report may be extended with a reason, never beyond 15
    working days from the review."""
    rect = services.extend_rectification(
        rectification=rect, by=dept_admin, days=6, reason="需多部门会商", on=D(2026, 10, 8)
    )
    assert rect.report_due == D(2026, 10, 21) and rect.extended_days == 6
    with pytest.raises(RuleViolation) as exc:
        services.extend_rectification(
            rectification=rect, by=dept_admin, days=5, reason="再延", on=D(2026, 10, 9)
        )
    assert exc.value.code == "L-EVAL"
    with pytest.raises(RuleViolation):
        services.extend_rectification(rectification=rect, by=dept_admin, days=1, reason="")
    rect.refresh_from_db()
    assert rect.extended_days == 6


def test_report_back_without_a_phone_is_recorded_without_sms(window, dept_admin, center_admin):
    """An on-site rating on the window's evaluator device, no phone given: the report back is
    recorded, no SMS can be sent."""
    device, _token = services.register_device(by=center_admin, window=window, name="评价器")
    _visit, token = services.start_visit(device=device)
    services.rate_visit(token=token, level=2, device=device, on=D(2026, 10, 9))
    rect = Rectification.objects.get()
    for step in (services.call_back, services.record_rectified, services.report_back):
        kwargs = {"finding": "unreachable"} if step is services.call_back else {}
        rect = step(rectification=rect, by=dept_admin, note="记录", on=D(2026, 10, 9), **kwargs)
    assert rect.status == "reported" and not rect.report_sms_sent
    assert not OutboxMessage.objects.exists()


def test_home_panels(rect, dept_admin, center_admin, clerk):
    """L-EVAL: the department sees its open tickets by due date; the center sees escalated
    tickets and appeals waiting for it."""
    from zwfw.evaluations import home

    panel = home.open_rectifications_panel(dept_admin)
    assert panel.rows and "差评整改" in panel.rows[0]["text"]
    assert home.open_rectifications_panel(clerk) is None
    assert home.center_oversight_panel(center_admin).rows == []
    services.refresh_rectifications(on=D(2026, 10, 9))
    services.file_appeal(evaluation=rect.evaluation, by=dept_admin, reason="恶意差评")
    rows = home.center_oversight_panel(center_admin).rows
    assert len(rows) == 2 and rows[0]["level"] == "red" and "申诉" in rows[1]["text"]
