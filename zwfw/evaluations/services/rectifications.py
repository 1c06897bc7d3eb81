"""差评整改: a bad review's ticket through call-back, rectification, report back and closing
(L-EVAL), with deadlines in working days, red alerts and escalation to the center."""

import datetime

from django.db import transaction

from zwfw.core import audit
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.evaluations import deadlines
from zwfw.evaluations.models import (
    OPEN_RECTIFICATION,
    Evaluation,
    Finding,
    Rectification,
    RectificationStatus,
)
from zwfw.evaluations.services.base import OWNER_ROLES, budget, moment, required_text
from zwfw.workdays import calendar

S = RectificationStatus


def _current_due(rect: Rectification) -> datetime.date | None:
    """The due date of the step the ticket waits for (due dates only grow along the steps)."""
    return {
        S.OPEN: rect.callback_due,
        S.CALLED_BACK: rect.rectify_due,
        S.RECTIFIED: rect.report_due,
    }.get(rect.status)


def steps(rect: Rectification, today: datetime.date, cal=None) -> list[dict]:
    """The three steps with their due dates, completion and colour (for pages and the API)."""
    cal = cal or calendar.current()
    rows = [
        ("callback", "回访核实", rect.callback_due, rect.callback_done_on, rect.callback_note),
        ("rectify", "整改", rect.rectify_due, rect.rectified_on, rect.rectify_note),
        ("report_back", "反馈评价人", rect.report_due, rect.reported_on, rect.report_note),
    ]
    stopped = rect.status == S.EXCLUDED
    out = []
    for kind, label, due, done, note in rows:
        state = deadlines.step_alert(cal, due, done, today)
        if stopped and done is None:
            state = "stopped"
        out.append(
            {
                "kind": kind,
                "label": label,
                "due_date": due,
                "done_on": done,
                "note": note,
                "state": state,
            }
        )
    return out


def _take(rect: Rectification, on: datetime.date) -> Rectification:
    """The ticket locked for this transaction, caught up with the clock first: a step that
    was already overdue on `on` turns red and escalates even if the nightly task has not run
    (the caught-up columns are saved with the step; see _save)."""
    fresh = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("evaluation", "department", "center", "case__item", "case__center")
        .get(pk=rect.pk)
    )
    fresh._caught_up = refresh(fresh, on)
    return fresh


def _require_owner(by, rect: Rectification) -> None:
    """The department that owns the ticket (its administrator) or the center."""
    if rect.department_id:
        require_role(by, *OWNER_ROLES, department=rect.department)
    else:
        require_role(by, Role.CENTER_ADMIN, center=rect.center)


def _expect(rect: Rectification, *statuses: str, action: str) -> None:
    if rect.status not in statuses:
        raise Conflict(
            "invalid_transition",
            f"整改单当前状态为“{S(rect.status).label}”，不能{action}",
        )


def _center_note(rect: Rectification) -> None:
    """Tell the center's administrators by SMS (outbox) that a ticket went red."""
    from zwfw.evaluations.selectors import center_admin_phones
    from zwfw.notifications.services import queue_sms

    owner = rect.department.name if rect.department_id else rect.center.name
    text = (
        f"【{rect.center.name}】差评整改单#{rect.pk}（{owner}）已超过整改期限，"
        "已上报中心督办，请登录平台查看。"
    )
    for phone in center_admin_phones(rect.center):
        try:
            queue_sms(phone=phone, text=text, kind="other", ref=f"rect-{rect.pk}")
        except RuleViolation:
            continue  # a malformed staff phone must not stop the escalation itself


def refresh(rect: Rectification, on: datetime.date, *, by=None, cal=None) -> list[str]:
    """Recompute the stored due date and alert of a ticket; a red one is escalated to the
    center once (L-EVAL: overdue steps turn red and go up). Returns the changed fields."""
    cal = cal or calendar.current()
    due = _current_due(rect)
    level = "green" if due is None else deadlines.step_alert(cal, due, None, on)
    changed = []
    if rect.next_due_date != due:
        rect.next_due_date = due
        changed.append("next_due_date")
    if rect.alert_level != level:
        rect.alert_level = level
        changed.append("alert_level")
    if level == "red" and not rect.escalated:
        rect.escalated, rect.escalated_on = True, on
        changed += ["escalated", "escalated_on"]
        audit.record(
            actor=by,
            action="escalate_rectification",
            obj=rect,
            after={"on": on, "due_date": due, "status": rect.status},
        )
        _center_note(rect)
    return changed


def open_for(evaluation: Evaluation, *, on: datetime.date, at: datetime.datetime, by=None):
    """A bad review opens its ticket in the same transaction (L-EVAL)."""
    cal = calendar.current()
    due = deadlines.deadlines(cal, on, budget())
    rect = Rectification.objects.create(
        evaluation=evaluation,
        center_id=evaluation.center_id,
        department_id=evaluation.department_id,
        case_id=evaluation.case_id,
        opened_on=on,
        opened_at=at,
        callback_due=due.callback,
        rectify_due=due.rectify,
        report_due=due.report,
        # Due dates lie after the opening day, so a new ticket is never red yet.
        next_due_date=due.callback,
        alert_level=deadlines.step_alert(cal, due.callback, None, on),
    )
    audit.record(
        actor=by,
        action="open_rectification",
        obj=rect,
        after={
            "evaluation": evaluation.pk,
            "callback_due": due.callback,
            "rectify_due": due.rectify,
            "report_due": due.report,
        },
    )
    return rect


def _save(rect: Rectification, fields: list[str], *, by, on, action: str, after: dict) -> None:
    caught_up = getattr(rect, "_caught_up", [])
    fields = sorted(
        set(fields) | set(caught_up) | set(refresh(rect, on, by=by)) | {"status", "updated_at"}
    )
    rect.save(update_fields=fields)
    audit.record(actor=by, action=action, obj=rect, after={"status": rect.status, **after})


@transaction.atomic
def call_back(
    *, rectification: Rectification, by, finding: str, note: str, on: datetime.date | None = None
) -> Rectification:
    """Call the rater back and verify the complaint (回访核实, L-EVAL)."""
    on, _at = moment(on)
    rect = _take(rectification, on)
    _require_owner(by, rect)
    _expect(rect, S.OPEN, action="回访核实")
    if finding not in Finding.values:
        raise RuleViolation("invalid", "请选择核实结论", field="finding")
    rect.finding = finding
    rect.callback_note = required_text(note, "note", "回访记录")
    rect.callback_done_on, rect.callback_by = on, by
    rect.status = S.CALLED_BACK
    _save(
        rect,
        ["finding", "callback_note", "callback_done_on", "callback_by"],
        by=by,
        on=on,
        action="call_back_rectification",
        after={"finding": finding, "on": on, "due": rect.callback_due},
    )
    return rect


@transaction.atomic
def record_rectified(
    *, rectification: Rectification, by, note: str, on: datetime.date | None = None
) -> Rectification:
    """Record what was done to put the problem right (整改, L-EVAL)."""
    on, _at = moment(on)
    rect = _take(rectification, on)
    _require_owner(by, rect)
    _expect(rect, S.CALLED_BACK, action="登记整改")
    rect.rectify_note = required_text(note, "note", "整改措施")
    rect.rectified_on, rect.rectified_by = on, by
    rect.status = S.RECTIFIED
    _save(
        rect,
        ["rectify_note", "rectified_on", "rectified_by"],
        by=by,
        on=on,
        action="rectify_rectification",
        after={"on": on, "due": rect.rectify_due},
    )
    return rect


def _rater_phone(rect: Rectification) -> str:
    evaluation = rect.evaluation
    if evaluation.rater_phone:
        return evaluation.rater_phone
    return rect.case.phone if rect.case_id else ""


@transaction.atomic
def report_back(
    *, rectification: Rectification, by, note: str, on: datetime.date | None = None
) -> Rectification:
    """Tell the rater what was found and done (反馈, L-EVAL): by SMS when a phone is known."""
    from zwfw.notifications.services import queue_sms

    on, _at = moment(on)
    rect = _take(rectification, on)
    _require_owner(by, rect)
    _expect(rect, S.RECTIFIED, action="反馈评价人")
    rect.report_note = required_text(note, "note", "反馈内容")
    rect.reported_on, rect.reported_by = on, by
    rect.status = S.REPORTED
    phone = _rater_phone(rect)
    if phone:
        subject = f"“{rect.case.item.name}”" if rect.case_id else "窗口服务"
        queue_sms(
            phone=phone,
            text=f"【{rect.center.name}】您对{subject}的评价已核实处理：{rect.report_note[:200]}"
            "感谢您的监督。",
            kind="other",
            ref=rect.case.number if rect.case_id else f"rect-{rect.pk}",
            department=rect.department,
        )
        rect.report_sms_sent = True
    _save(
        rect,
        ["report_note", "reported_on", "reported_by", "report_sms_sent"],
        by=by,
        on=on,
        action="report_back_rectification",
        after={"on": on, "due": rect.report_due, "sms": rect.report_sms_sent},
    )
    return rect


@transaction.atomic
def close_rectification(
    *, rectification: Rectification, by, result: str, on: datetime.date | None = None
) -> Rectification:
    """Close a ticket with its recorded result (L-EVAL); on time when every step was."""
    on, _at = moment(on)
    rect = _take(rectification, on)
    _require_owner(by, rect)
    _expect(rect, S.REPORTED, action="办结（须先完成回访、整改和反馈）")
    rect.result = required_text(result, "result", "整改结果")
    rect.closed_on, rect.closed_by = on, by
    rect.on_time = deadlines.on_time(
        [
            (rect.callback_due, rect.callback_done_on),
            (rect.rectify_due, rect.rectified_on),
            (rect.report_due, rect.reported_on),
        ]
    )
    rect.status = S.CLOSED
    _save(
        rect,
        ["result", "closed_on", "closed_by", "on_time"],
        by=by,
        on=on,
        action="close_rectification",
        after={"on": on, "on_time": rect.on_time},
    )
    return rect


@transaction.atomic
def extend_rectification(
    *, rectification: Rectification, by, days: int, reason: str, on: datetime.date | None = None
) -> Rectification:
    """Give rectification and report back more working days, with a reason; never beyond the
    cap counted from the review (L-EVAL: "never longer than 15 working days")."""
    on, _at = moment(on)
    rect = _take(rectification, on)
    _require_owner(by, rect)
    _expect(rect, S.OPEN, S.CALLED_BACK, S.RECTIFIED, action="延期")
    if not isinstance(days, int) or days < 1:
        raise RuleViolation("invalid", "延长天数须为正整数", field="days")
    reason = required_text(reason, "reason", "延期理由")
    total = rect.extended_days + days
    due = deadlines.deadlines(calendar.current(), rect.opened_on, budget(), extended_days=total)
    before = {"rectify_due": rect.rectify_due, "report_due": rect.report_due}
    rect.extended_days, rect.rectify_due, rect.report_due = total, due.rectify, due.report
    rect.extension_reason = "\n".join(filter(None, [rect.extension_reason, reason]))
    fields = ["extended_days", "rectify_due", "report_due", "extension_reason"]
    _save(
        rect,
        fields,
        by=by,
        on=on,
        action="extend_rectification",
        after={**before, "days": days, "reason": reason, "new_report_due": due.report},
    )
    return rect


def stop_for_exclusion(rect: Rectification, *, by, on: datetime.date) -> None:
    """An upheld appeal ends an open ticket (the rating no longer counts; it stays on record).
    Called inside decide_appeal's transaction on a locked row."""
    if rect.status not in OPEN_RECTIFICATION:
        return
    before = rect.status
    rect.status = S.EXCLUDED
    rect.next_due_date, rect.alert_level = None, "green"
    rect.save(update_fields=["status", "next_due_date", "alert_level", "updated_at"])
    audit.record(
        actor=by,
        action="stop_rectification",
        obj=rect,
        before={"status": before},
        after={"status": rect.status, "on": on},
    )


def refresh_rectifications(*, on: datetime.date | None = None, batch: int = 500) -> dict:
    """Nightly: alert levels of open tickets whose current step is due within a working day or
    overdue, and escalation of red ones (one indexed range over (status, next_due_date))."""
    on, _at = moment(on)
    cal = calendar.current()
    horizon = cal.add_workdays(on, 1)
    counts = {"checked": 0, "changed": 0, "escalated": 0}
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(
                Rectification.objects.select_for_update(of=("self",))
                .filter(status__in=OPEN_RECTIFICATION, next_due_date__lte=horizon, id__gt=last_id)
                .select_related("center", "department")
                .order_by("id")[:batch]
            )
            for rect in rows:
                was_escalated = rect.escalated
                changed = refresh(rect, on, cal=cal)
                counts["checked"] += 1
                if changed:
                    rect.save(update_fields=[*changed, "updated_at"])
                    counts["changed"] += 1
                    counts["escalated"] += rect.escalated and not was_escalated
        if len(rows) < batch:
            return counts
        last_id = rows[-1].id
