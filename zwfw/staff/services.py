"""Resident staff (seed 002): one transaction per use case, each with its audit event.

Admission (R-6 … R-10), postings and change letters (R-11), leave and unrelated tasks (R-19),
training (R-12), the monthly assessment from rollups (R-21), annual grades with the 优秀
quota (R-22, R-25) and the chief officers' annual review (N-19).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.permissions import Role, has_role, require_role
from zwfw.staff import quota, rollup, scoring, selectors
from zwfw.staff.models import (
    Admission,
    AnnualGrade,
    ApprovalReply,
    AttendanceRecord,
    ChangeLetter,
    CollectiveDecision,
    Grade,
    LeaveRequest,
    ManualAdjustment,
    MonthlyAssessment,
    MonthlyBulletin,
    OfficerReview,
    ResidentAssignment,
    TaskComplaint,
    Training,
    WorkingHours,
    term_end,
)

MAX_AGE = 45
MIN_UNIT_YEARS = 2
D = datetime.date


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def _text(value, field: str, label: str, *, required: bool = True, max_len: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RuleViolation("invalid", f"请填写{label}", field=field)
    if len(value) > max_len:
        raise RuleViolation("invalid", f"{label}最多{max_len}字", field=field)
    return value


# --- who may start ------------------------------------------------------------------


def ensure_may_start(person, on: datetime.date | None = None) -> None:
    """R-11: refuse while `person` is the new person of a change letter that has no approving
    reply of the center dated on or before `on`. Called before stationing (admission), a
    window posting and a grant of authority."""
    on = _today(on)
    for letter in selectors.letters_naming(person):
        reply = getattr(letter, "reply", None)
        if reply is None or not reply.approved:
            raise RuleViolation(
                "R-11",
                f"{person.name}是调整函{letter.letter_no}中的新进驻人员，"
                "须经中心审核同意并正式函复后方可进驻、上窗口或被授权",
                field="person",
            )
        if reply.replied_on > on:
            raise RuleViolation(
                "R-11",
                f"中心复函{reply.reply_no}日期为{reply.replied_on:%Y-%m-%d}，"
                f"{person.name}不能早于复函日期进驻",
                field="person",
            )


# --- R-6 … R-10: admission ---------------------------------------------------------------


def section_head_title(person, department, on: datetime.date) -> str:
    """R-6: "section_head" / "acting_deputy" when the person is the department's filed head
    (or acting deputy) of the government service section on that day; else ""."""
    from zwfw.grants.models import SectionHeadFiling

    for filing in SectionHeadFiling.objects.filter(department=department, person=person):
        if filing.current_on(on):
            return "acting_deputy" if filing.acting else "section_head"
    return ""


def years_in_unit(person, on: datetime.date) -> int:
    start = person.unit_start_date
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def admission_checks(
    *,
    person,
    department,
    start_date: datetime.date,
    collective=None,
    justification="",
    approver=None,
) -> tuple[int, str, list[str]]:
    """R-6, R-7, R-9 for one application: (age, age exception, warnings) or a refusal."""
    age = person.age_on(start_date)
    exception = ""
    if age > MAX_AGE:
        exception = section_head_title(person, department, start_date)
        if not exception:
            raise RuleViolation(
                "R-6",
                f"{person.name}于进驻日期{start_date:%Y-%m-%d}时{age}周岁，超过{MAX_AGE}周岁"
                "（经组织人事部门备案的政务服务科科长或主持工作的副科长除外）",
                field="person",
            )
    warnings = []
    if not person.established:
        # staff off the establishment enter only by a collective decision.
        if collective is None:
            raise RuleViolation(
                "R-9",
                f"{person.name}非在编在岗，须由政务服务管理办公室会同中心集体审定（日期、参加人员、结果）",
                field="collective_decision",
            )
        warnings.append("R-9")
    years = years_in_unit(person, start_date)
    if years < MIN_UNIT_YEARS:
        warnings.append("R-7")
        if collective is None and (not (justification or "").strip() or approver is None):
            raise RuleViolation(
                "R-7",
                f"{person.name}在所在单位工作不满{MIN_UNIT_YEARS}年（原则上应满2年）："
                "请填写情况说明并指定批准人，或提交集体审定",
                field="justification",
            )
    if collective is not None and collective.result != CollectiveDecision.Result.APPROVED:
        raise RuleViolation("R-9", "集体审定结果为不同意进驻", field="collective_decision")
    return age, exception, warnings


def _record_collective_decision(
    *, by, center, decided_on: datetime.date, members: list, result: str = "approved", note=""
) -> CollectiveDecision:
    """R-9: the office and the center's collective decision (date, members present, result),
    as the application reports it (part of apply_admission's transaction)."""
    members = list(dict.fromkeys(members))
    if not members:
        raise RuleViolation("invalid", "请填写参加集体审定的人员", field="collective_decision")
    if decided_on is None or decided_on > timezone.localdate():
        raise RuleViolation("invalid", "审定日期须为今天或以前", field="collective_decision")
    if result not in CollectiveDecision.Result.values:
        raise RuleViolation("invalid", "审定结果无效", field="collective_decision")
    decision = CollectiveDecision.objects.create(
        center=center,
        decided_on=decided_on,
        result=result,
        note=(note or "")[:2000],
        recorded_by=by,
    )
    decision.members.set(members)
    audit.record(
        actor=by,
        action="staff_collective_decision",
        obj=decision,
        after={"decided_on": decided_on, "members": [m.pk for m in members], "result": result},
    )
    return decision


@transaction.atomic
def apply_admission(
    *,
    by,
    person,
    department,
    start_date: datetime.date,
    center=None,
    collective_decision: dict | None = None,
    justification: str = "",
    approver=None,
) -> Admission:
    """A department applies to station `person` at its center (R-6, R-7, R-9). Rules that
    hold "in principle" warn: the written justification and the approver are kept on the
    admission and in the audit event."""
    require_role(by, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN, department=department)
    if department.center_id is None:
        raise RuleViolation("invalid", f"{department.name}未进驻政务服务中心", field="department")
    center = center or department.center
    if center.pk != department.center_id:
        raise RuleViolation(
            "invalid", f"{department.name}进驻的是{department.center.name}", field="center"
        )
    if person.department_id != department.pk:
        raise RuleViolation(
            "invalid", f"{person.name}不是{department.name}的工作人员", field="person"
        )
    if not person.active:
        raise RuleViolation("invalid", "该人员已离职", field="person")
    if start_date is None:
        raise RuleViolation("invalid", "请填写拟进驻日期", field="start_date")
    if Admission.objects.filter(person=person, status=Admission.Status.APPLIED).exists():
        raise Conflict("duplicate", f"{person.name}已有待审核的进驻申请")
    if ResidentAssignment.objects.filter(person=person, ended_on__isnull=True).exists():
        raise Conflict("duplicate", f"{person.name}已在中心进驻")
    ensure_may_start(person, start_date)
    justification = _text(justification, "justification", "情况说明", required=False)
    decision = None
    if collective_decision is not None:
        decision = _record_collective_decision(
            by=by,
            center=center,
            decided_on=collective_decision.get("date"),
            members=collective_decision.get("members") or [],
            result=collective_decision.get("result") or "approved",
            note=collective_decision.get("note") or "",
        )
    age, exception, warnings = admission_checks(
        person=person,
        department=department,
        start_date=start_date,
        collective=decision,
        justification=justification,
        approver=approver,
    )
    admission = Admission.objects.create(
        person=person,
        department=department,
        center=center,
        start_date=start_date,
        age_on_start=age,
        age_exception=exception,
        warnings=warnings,
        justification=justification,
        approver=approver,
        collective_decision=decision,
        applied_by=by,
        applied_at=timezone.now(),
    )
    audit.record(
        actor=by,
        action="staff_apply_admission",
        obj=admission,
        after={
            "person": person.pk,
            "department": department.code,
            "center": center.code,
            "start_date": start_date,
            "age": age,
            "age_exception": exception,
            "warnings": warnings,
            "justification": justification,
            "approver": approver.pk if approver else None,
            "collective_decision": decision.pk if decision else None,
        },
    )
    return admission


@transaction.atomic
def review_admission(
    *,
    by,
    admission: Admission,
    result: str,
    reviewed_on: datetime.date | None = None,
    hr_reviewer: str = "",
    note: str = "",
    union_transferred: bool = False,
    party_transferred: bool = False,
    chief_representative: bool = False,
) -> Admission:
    """R-8: the center reviews with the HR department before entry; a pass stations the
    person for three years (R-11) unless a change letter still waits for the reply."""
    admission = Admission.objects.select_for_update().get(pk=admission.pk)
    require_role(by, Role.CENTER_ADMIN, center=admission.center)
    if admission.status != Admission.Status.APPLIED:
        raise Conflict("not_pending", "该申请已审核")
    if result not in Admission.Result.values:
        raise RuleViolation("invalid", "审核结果须为审核合格或审核不合格", field="result")
    hr_reviewer = _text(hr_reviewer, "hr_reviewer", "组织人事部门审核人", max_len=100)
    reviewed_on = _today(reviewed_on)
    if reviewed_on > timezone.localdate():
        raise RuleViolation("invalid", "审核日期不能晚于今天", field="reviewed_on")
    admission.reviewed_by = _person_of(by)
    admission.hr_reviewer = hr_reviewer
    admission.reviewed_on = reviewed_on
    admission.review_result = result
    admission.review_note = (note or "")[:2000]
    admission.union_transferred = bool(union_transferred)
    admission.party_transferred = bool(party_transferred)
    assignment = None
    if result == Admission.Result.PASS:
        ensure_may_start(admission.person, admission.start_date)
        if ResidentAssignment.objects.filter(
            person=admission.person, ended_on__isnull=True
        ).exists():
            raise Conflict("duplicate", f"{admission.person.name}已在中心进驻")
        replaced = selectors.approved_letter_for(admission.person)
        if replaced is not None:
            old = ResidentAssignment.objects.select_for_update().get(pk=replaced.assignment_id)
            if old.ended_on is None:
                old.ended_on = max(
                    old.start_date, admission.start_date - datetime.timedelta(days=1)
                )
                old.end_reason = f"按调整函{replaced.letter_no}调整"
                old.save(update_fields=["ended_on", "end_reason"])
        assignment = ResidentAssignment.objects.create(
            person=admission.person,
            department=admission.department,
            center=admission.center,
            admission=admission,
            start_date=admission.start_date,
            term_end=term_end(admission.start_date),
            chief_representative=chief_representative,
        )
        admission.status = Admission.Status.ADMITTED
    else:
        admission.status = Admission.Status.REJECTED
    admission.save()
    audit.record(
        actor=by,
        action="staff_review_admission",
        obj=admission,
        after={
            "result": result,
            "hr_reviewer": hr_reviewer,
            "reviewed_on": reviewed_on,
            "union_transferred": admission.union_transferred,
            "party_transferred": admission.party_transferred,
            "assignment": assignment.pk if assignment else None,
        },
    )
    return admission


@transaction.atomic
def end_assignment(*, by, assignment: ResidentAssignment, ended_on: datetime.date, reason: str):
    assignment = ResidentAssignment.objects.select_for_update().get(pk=assignment.pk)
    require_role(by, Role.CENTER_ADMIN, center=assignment.center)
    if assignment.ended_on is not None:
        raise Conflict("ended", "该进驻已结束")
    reason = _text(reason, "reason", "结束原因", max_len=200)
    if ended_on < assignment.start_date:
        raise RuleViolation("invalid", "结束日期不能早于进驻日期", field="ended_on")
    assignment.ended_on, assignment.end_reason = ended_on, reason
    assignment.save(update_fields=["ended_on", "end_reason"])
    audit.record(
        actor=by,
        action="staff_end_assignment",
        obj=assignment,
        after={"ended_on": ended_on, "reason": reason},
    )
    return assignment


# --- change letters and replies -----------------------------------------------------


def _letter_kind(assignment, on: datetime.date) -> str:
    # Within 90 days of the term's end a change is the end-of-term one.
    if (assignment.term_end - on).days <= 90:
        return ChangeLetter.Kind.TERM_END
    return ChangeLetter.Kind.MID_TERM


@transaction.atomic
def submit_change(
    *,
    by,
    assignment: ResidentAssignment,
    reason: str,
    new_person,
    letter_no: str,
    details: str = "",
    scan=None,
    on: datetime.date | None = None,
) -> ChangeLetter:
    """R-11: the department's formal letter (number, reason, the new person's details, the
    scan). The new person cannot start until the center's approving reply."""
    from zwfw.documents import uploads

    require_role(by, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN, department=assignment.department)
    on = _today(on)
    if assignment.ended_on is not None:
        raise RuleViolation("invalid", "该进驻已结束", field="assignment")
    reason = _text(reason, "reason", "调整原因")
    letter_no = _text(letter_no, "letter_no", "函件文号", max_len=100)
    if new_person is None:
        raise RuleViolation("invalid", "请指定新进驻人员", field="new_person")
    if new_person.pk == assignment.person_id:
        raise RuleViolation("invalid", "新进驻人员不能是被调整的人员", field="new_person")
    if new_person.department_id != assignment.department_id:
        raise RuleViolation(
            "invalid",
            f"{new_person.name}不是{assignment.department.name}的工作人员",
            field="new_person",
        )
    if ResidentAssignment.objects.filter(person=new_person, ended_on__isnull=True).exists():
        raise RuleViolation("invalid", f"{new_person.name}已在中心进驻", field="new_person")
    if ChangeLetter.objects.filter(
        assignment=assignment, status=ChangeLetter.Status.PENDING
    ).exists():
        raise Conflict("duplicate", "该进驻人员已有待函复的调整函")
    details = _text(
        details, "details", "新进驻人员基本情况", required=False
    ) or selectors.person_summary(new_person, on)
    stored = uploads.store(scan, "staff/letters", field="scan") if scan is not None else None
    kind = _letter_kind(assignment, on)
    letter = ChangeLetter.objects.create(
        assignment=assignment,
        department=assignment.department,
        center=assignment.center,
        letter_no=letter_no,
        kind=kind,
        reason=reason,
        new_person=new_person,
        new_person_details=details,
        scan_name=stored.name if stored else "",
        scan_kind=stored.kind if stored else "",
        scan_filename=(getattr(scan, "name", "") or "")[:200] if stored else "",
        scan_sha256=stored.sha256 if stored else "",
        submitted_by=by,
        submitted_on=on,
    )
    audit.record(
        actor=by,
        action="staff_submit_change",
        obj=letter,
        after={
            "assignment": assignment.pk,
            "letter_no": letter_no,
            "kind": kind,
            # R-11 "no mid-term change in principle": the reason is the written justification.
            "warning": "R-11" if kind == ChangeLetter.Kind.MID_TERM else "",
            "reason": reason,
            "new_person": new_person.pk,
            "scan_sha256": letter.scan_sha256,
        },
    )
    return letter


@transaction.atomic
def reply_change(
    *,
    by,
    letter: ChangeLetter,
    approved: bool = True,
    reply_no: str = "",
    note: str = "",
    on: datetime.date | None = None,
) -> ChangeLetter:
    """R-11: the center's formal reply (复函) approving or refusing the change."""
    letter = ChangeLetter.objects.select_for_update().get(pk=letter.pk)
    require_role(by, Role.CENTER_ADMIN, center=letter.center)
    if letter.status != ChangeLetter.Status.PENDING:
        raise Conflict("already_replied", "该调整函已函复")
    on = _today(on)
    if on < letter.submitted_on:
        raise RuleViolation("invalid", "复函日期不能早于来函日期", field="replied_on")
    reply_no = (reply_no or "").strip()[:100] or selectors.next_reply_no(letter.center, on)
    reply = ApprovalReply.objects.create(
        letter=letter,
        reply_no=reply_no,
        approved=bool(approved),
        replied_on=on,
        note=(note or "")[:2000],
        replied_by=by,
    )
    letter.status = ChangeLetter.Status.APPROVED if approved else ChangeLetter.Status.REJECTED
    letter.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="staff_reply_change",
        obj=letter,
        after={"reply_no": reply.reply_no, "approved": bool(approved), "replied_on": on},
    )
    return letter


# --- leave and unrelated tasks --------------------------------------------------------


def _leave_workdays(start: datetime.date, end: datetime.date) -> int:
    from zwfw.workdays.calendar import count_workdays

    return count_workdays(start - datetime.timedelta(days=1), end)


@transaction.atomic
def request_leave(
    *, by, person, kind: str, start: datetime.date, end: datetime.date, reason: str
) -> LeaveRequest:
    """R-19: a resident (or the center for them) asks for leave, counted in working days."""
    assignment = selectors.open_assignment(person)
    if assignment is None:
        raise RuleViolation("invalid", f"{person.name}不是在岗的进驻人员", field="person")
    me = _person_of(by)
    if not (me is not None and me.pk == person.pk):
        require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=assignment.department)
    if kind not in LeaveRequest.Kind.values:
        raise RuleViolation("invalid", "假别无效", field="kind")
    if start is None or end is None or end < start:
        raise RuleViolation("invalid", "结束日期不能早于开始日期", field="end")
    reason = _text(reason, "reason", "请假事由", max_len=500)
    days = _leave_workdays(start, end)
    if days == 0:
        raise RuleViolation("invalid", "所选日期内没有工作日，无需请假", field="end")
    overlapping = LeaveRequest.objects.filter(
        person=person, start__lte=end, end__gte=start
    ).exclude(status=LeaveRequest.Status.REJECTED)
    if overlapping.exists():
        raise Conflict("overlap", "与已有的请假日期重叠")
    leave = LeaveRequest.objects.create(
        person=person,
        assignment=assignment,
        department=assignment.department,
        center=assignment.center,
        kind=kind,
        start=start,
        end=end,
        workdays=days,
        reason=reason,
        requested_by=by,
        requested_at=timezone.now(),
    )
    audit.record(
        actor=by,
        action="staff_request_leave",
        obj=leave,
        after={"person": person.pk, "kind": kind, "start": start, "end": end, "workdays": days},
    )
    return leave


@transaction.atomic
def decide_leave(*, by, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """R-19: leave is approved by the center, never by the home department."""
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if not has_role(by, Role.CENTER_ADMIN, center=leave.center):
        raise Forbidden("进驻人员请销假由中心审批，进驻单位不能审批（R-19）", code="R-19")
    if leave.status != LeaveRequest.Status.PENDING:
        raise Conflict("already_decided", "该请假已审批")
    leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REJECTED
    leave.decided_by = by
    leave.decided_on = timezone.localdate()
    leave.decision_note = (note or "")[:300]
    leave.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    audit.record(
        actor=by,
        action="staff_decide_leave",
        obj=leave,
        after={"status": leave.status, "note": leave.decision_note},
    )
    return leave


@transaction.atomic
def report_unrelated_task(
    *, by, person, occurred_on: datetime.date, description: str
) -> TaskComplaint:
    """R-19: a resident reports unrelated tasks, meetings or activities given by the home
    department; the center reads them (the department does not)."""
    assignment = selectors.open_assignment(person)
    if assignment is None:
        raise RuleViolation("invalid", f"{person.name}不是在岗的进驻人员", field="person")
    me = _person_of(by)
    if not (me is not None and me.pk == person.pk):
        require_role(by, Role.CENTER_ADMIN, center=assignment.center)
    description = _text(description, "description", "反映内容", max_len=2000)
    if occurred_on is None or occurred_on > timezone.localdate():
        raise RuleViolation("invalid", "发生日期须为今天或以前", field="occurred_on")
    complaint = TaskComplaint.objects.create(
        person=person,
        department=assignment.department,
        center=assignment.center,
        occurred_on=occurred_on,
        description=description,
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="staff_report_unrelated_task",
        obj=complaint,
        after={"occurred_on": occurred_on},
    )
    return complaint


@transaction.atomic
def record_training(
    *, by, department, held_on: datetime.date, topic: str, attendees: list
) -> Training:
    """R-12: the chief representative records training of the department's resident staff."""
    require_role(by, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN, department=department)
    topic = _text(topic, "topic", "培训内容", max_len=200)
    if held_on is None or held_on > timezone.localdate():
        raise RuleViolation("invalid", "培训日期须为今天或以前", field="held_on")
    if not attendees:
        raise RuleViolation("invalid", "请选择参训人员", field="attendees")
    stationed = set(
        ResidentAssignment.objects.filter(department=department, ended_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    if any(p.pk not in stationed for p in attendees):
        raise RuleViolation("invalid", "参训人员须为本单位在岗的进驻人员", field="attendees")
    training = Training.objects.create(
        department=department,
        center=department.center,
        held_on=held_on,
        topic=topic,
        recorded_by=by,
    )
    training.attendees.set(attendees)
    audit.record(actor=by, action="staff_record_training", obj=training, after={"topic": topic})
    return training


# --- monthly assessment --------------------------------------------------------------


def _month(month: datetime.date) -> datetime.date:
    if month is None:
        raise RuleViolation("invalid", "请指定月份", field="month")
    return month.replace(day=1)


@transaction.atomic
def adjust(*, by, person, month: datetime.date, points, reason: str) -> ManualAdjustment:
    """A manual bonus or penalty with its reason (R-21)."""
    assignment = selectors.assignment_in_month(person, _month(month))
    if assignment is None:
        raise RuleViolation("invalid", f"{person.name}该月不是进驻人员", field="person")
    require_role(by, Role.CENTER_ADMIN, center=assignment.center)
    reason = _text(reason, "reason", "加减分理由", max_len=300)
    points = Decimal(str(points))
    if points == 0 or abs(points) > 20:
        raise RuleViolation("invalid", "加减分须在 -20 至 20 之间且不为 0", field="points")
    if MonthlyBulletin.objects.filter(center=assignment.center, month=_month(month)).exists():
        raise Conflict("published", "该月已通报，不能再加减分")
    row = ManualAdjustment.objects.create(
        person=person,
        center=assignment.center,
        month=_month(month),
        points=points,
        reason=reason,
        recorded_by=by,
    )
    audit.record(
        actor=by, action="staff_adjust", obj=row, after={"points": str(points), "reason": reason}
    )
    return row


@transaction.atomic
def compute_month(*, by, center, month: datetime.date) -> int:
    """Refresh the month's rollup for the center's residents and score each from it."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    month = _month(month)
    if MonthlyBulletin.objects.filter(center=center, month=month).exists():
        raise Conflict("published", f"{month:%Y年%m月}已通报，考核结果已固定")
    return score_month(center=center, month=month, actor=by)


def score_month(*, center, month: datetime.date, actor=None) -> int:
    """Part of compute_month's transaction (and the bench): rollup, then scores."""
    rollup.refresh(month=month, center=center)
    n = score_from_rollup(center=center, month=month)
    if actor is not None:
        audit.record(
            actor=actor,
            action="staff_compute_month",
            obj=center,
            after={"month": month, "residents": n},
        )
    return n


def score_from_rollup(*, center, month: datetime.date) -> int:
    """The month's scores of the center's residents from MonthlyFacts alone (the rollup is
    fresh): the rules and the adjustments read once, each distinct part computed once
    (scoring.Scorer), one delete, one bulk write."""
    from zwfw.staff.models import FACT_FIELDS

    scorer = scoring.Scorer(selectors.rules_for(center))
    now = timezone.now()
    adjustments = selectors.adjustments_of_month(center, month)
    facts = selectors.facts_of_month(center, month).values_list(
        "person_id", "center_id", "department_id", *FACT_FIELDS
    )
    MonthlyAssessment.objects.filter(center=center, month=month).delete()
    rows = []
    for person_id, center_id, department_id, *values in facts:
        total, parts = scorer.score_json(
            dict(zip(FACT_FIELDS, values, strict=True)), adjustments.get(person_id, [])
        )
        rows.append(
            {
                "person_id": person_id,
                "center_id": center_id,
                "department_id": department_id,
                "month": month,
                "score": total,
                "parts": rollup.JSONText(parts),
                "computed_at": now,
            }
        )
    rollup.bulk_insert(MonthlyAssessment, rows)
    return len(rows)


@transaction.atomic
def publish_bulletin(*, by, center, month: datetime.date, note: str = "") -> MonthlyBulletin:
    """每月通报 (R-21): compute the month and freeze it as the center's bulletin."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    month = _month(month)
    if month >= timezone.localdate().replace(day=1):
        raise RuleViolation("invalid", "只能通报已结束的月份", field="month")
    if MonthlyBulletin.objects.filter(center=center, month=month).exists():
        raise Conflict("published", f"{month:%Y年%m月}已通报")
    count = score_month(center=center, month=month)
    scores = list(
        MonthlyAssessment.objects.filter(center=center, month=month).values_list("score", flat=True)
    )
    average = (
        (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else Decimal(0)
    )
    bulletin = MonthlyBulletin.objects.create(
        center=center,
        month=month,
        headcount=count,
        average=average,
        note=(note or "")[:2000],
        issued_by=by,
        issued_at=timezone.now(),
    )
    audit.record(
        actor=by,
        action="staff_publish_bulletin",
        obj=bulletin,
        after={"month": month, "headcount": count, "average": str(average)},
    )
    return bulletin


# --- annual grades ---------------------------------------------------------------


def excellent_share(center) -> Decimal:
    from zwfw.staff.models import AssessmentSettings

    row = AssessmentSettings.objects.filter(center=center).first()
    if row is not None:
        return row.excellent_share
    return Decimal(str(getattr(settings, "ZWFW_STAFF_EXCELLENT_SHARE", "0.15")))


@transaction.atomic
def set_excellent_share(*, by, center, share) -> None:
    from zwfw.staff.models import AssessmentSettings

    require_role(by, Role.CENTER_ADMIN, center=center)
    share = Decimal(str(share))
    if not (Decimal(0) <= share <= Decimal("0.5")):
        raise RuleViolation("invalid", "优秀比例须在 0 至 0.5 之间", field="share")
    AssessmentSettings.objects.update_or_create(center=center, defaults={"excellent_share": share})
    audit.record(
        actor=by, action="staff_set_excellent_share", obj=center, after={"share": str(share)}
    )


@transaction.atomic
def assign_grades(*, by, center, year: int, grades: dict | None = None) -> list[AnnualGrade]:
    """R-22: the center assigns the year's grades from the monthly scores. The 优秀 count may
    not exceed quota.excellent_quota(headcount, share); a list over it is refused whole.
    Without `grades` the top scores get the quota's 优秀 places and the rest 称职."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    results = selectors.annual_results(center, year)
    if not results:
        raise RuleViolation("invalid", f"{year}年没有月度考核结果", field="year")
    places = quota.excellent_quota(len(results), excellent_share(center))
    by_person = {r["person_id"]: r for r in results}
    if grades is None:
        grades = {
            r["person_id"]: (Grade.EXCELLENT if i < places else Grade.COMPETENT)
            for i, r in enumerate(results)
        }
    unknown = [p for p in grades if p not in by_person]
    if unknown:
        raise RuleViolation("invalid", "名单中有人员在该年度没有月度考核结果", field="grades")
    bad = [g for g in grades.values() if g not in Grade.values]
    if bad:
        raise RuleViolation("invalid", f"等次“{bad[0]}”无效", field="grades")
    existing = {g.person_id: g.grade for g in AnnualGrade.objects.filter(center=center, year=year)}
    merged = {**existing, **grades}
    excellent = sum(1 for g in merged.values() if g == Grade.EXCELLENT)
    if excellent > places:
        raise RuleViolation(
            "R-22",
            f"优秀名额为{places}个（{len(results)}人 × {excellent_share(center)}，向下取整），"
            f"名单中有{excellent}个优秀，超出名额",
            field="grades",
        )
    now = timezone.now()
    out = []
    for person_id, grade in grades.items():
        r = by_person[person_id]
        row, _ = AnnualGrade.objects.update_or_create(
            person_id=person_id,
            year=year,
            defaults={
                "center": center,
                "department_id": r["department_id"],
                "score": r["score"],
                "months": r["months"],
                "grade": grade,
                "assigned_by": by,
                "assigned_at": now,
            },
        )
        out.append(row)
    audit.record(
        actor=by,
        action="staff_assign_grades",
        obj=center,
        after={"year": year, "quota": places, "grades": {str(k): v for k, v in grades.items()}},
    )
    return out


# --- N-19: chief service officers ------------------------------------------------------------


@transaction.atomic
def review_officer(*, by, person, year: int, recommended: bool, reason: str = "") -> OfficerReview:
    """N-19: the year's record of a chief officer (from grants, cases, evaluations and
    supervision) and the center's 优秀 recommendation with its reason."""
    require_role(by, Role.CENTER_ADMIN, Role.COORDINATION_OFFICE, department=person.department)
    reason = _text(reason, "reason", "推荐理由", required=bool(recommended), max_len=1000)
    review = OfficerReview.objects.filter(person=person, year=year).first()
    if review is not None and review.status == OfficerReview.Status.APPROVED:
        raise Conflict("approved", "领导小组已审定，不能修改")
    facts = selectors.officer_year(person, year)
    review, _ = OfficerReview.objects.update_or_create(
        person=person,
        year=year,
        defaults={
            "department": person.department,
            "facts": facts,
            "recommended": bool(recommended),
            "reason": reason,
        },
    )
    audit.record(
        actor=by,
        action="staff_review_officer",
        obj=review,
        after={"year": year, "recommended": bool(recommended), "reason": reason},
    )
    return review


@transaction.atomic
def approve_recommendations(*, by, center, year: int) -> int:
    """N-19: the leading group approves the year's 优秀 recommendation list."""
    require_role(by, Role.LEADING_GROUP, center=center)
    rows = OfficerReview.objects.select_for_update().filter(
        year=year, department__center__in=center.descendant_ids(), status=OfficerReview.Status.DRAFT
    )
    ids = list(rows.values_list("id", flat=True))
    if not ids:
        raise RuleViolation("invalid", f"{year}年没有待审定的首席服务员考核", field="year")
    OfficerReview.objects.filter(pk__in=ids).update(
        status=OfficerReview.Status.APPROVED, approved_by=by, approved_on=timezone.localdate()
    )
    audit.record(
        actor=by,
        action="staff_approve_officer_list",
        obj=center,
        after={"year": year, "reviews": ids},
    )
    return len(ids)


# --- the center's assessment rules as data --------------------------------------------------


@transaction.atomic
def save_indicator(
    *,
    by,
    center,
    code: str,
    name: str,
    kind: str,
    weight,
    fact: str = "",
    denominator: str = "",
    cap=None,
    active: bool = True,
):
    """R-21/R-25: the center edits one indicator of its own rules. The first edit copies the
    rules it inherits (parent center's, platform's or the defaults) so the center's rules are
    whole; later months are scored by them (published months stay as they were)."""
    from zwfw.staff.models import Fact, Indicator

    require_role(by, Role.CENTER_ADMIN, center=center)
    code = _text(code, "code", "指标代码", max_len=30)
    name = _text(name, "name", "指标名称", max_len=100)
    if kind not in Indicator.Kind.values:
        raise RuleViolation("invalid", "计分方式无效", field="kind")
    if kind != Indicator.Kind.BASE and fact not in Fact.values:
        raise RuleViolation("invalid", "请选择计分依据的事实", field="fact")
    if kind == Indicator.Kind.RATE and denominator not in Fact.values:
        raise RuleViolation("invalid", "比率指标须选择分母事实", field="denominator")
    try:
        weight = Decimal(str(weight))
        cap = Decimal(str(cap)) if cap not in (None, "") else None
    except ArithmeticError:
        raise RuleViolation("invalid", "权重或封顶须为数字", field="weight") from None
    if not (Decimal(0) <= weight <= Decimal(100)) or (
        cap is not None and not Decimal(0) <= cap <= 100
    ):
        raise RuleViolation("invalid", "权重和封顶须在 0 至 100 之间", field="weight")
    if not Indicator.objects.filter(center=center).exists():
        for i, rule in enumerate(selectors.rules_for(center)):
            Indicator.objects.create(
                center=center,
                code=rule.code,
                name=rule.name,
                kind=rule.kind,
                fact=rule.fact,
                denominator=rule.denominator,
                weight=rule.weight,
                cap=rule.cap,
                position=i,
            )
    position = Indicator.objects.filter(center=center).count()
    row, created = Indicator.objects.update_or_create(
        center=center,
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "fact": fact if kind != Indicator.Kind.BASE else "",
            "denominator": denominator if kind == Indicator.Kind.RATE else "",
            "weight": weight,
            "cap": cap if kind in (Indicator.Kind.PER_UNIT, Indicator.Kind.DEDUCT) else None,
            "active": bool(active),
        },
    )
    if created:
        row.position = position
        row.save(update_fields=["position"])
    audit.record(
        actor=by,
        action="staff_save_indicator",
        obj=row,
        after={
            "center": center.code,
            "code": code,
            "kind": kind,
            "fact": row.fact,
            "denominator": row.denominator,
            "weight": str(weight),
            "cap": str(cap) if cap is not None else None,
            "active": bool(active),
        },
    )
    return row


# --- attendance -----------------------------------------------------------------------


class AttendanceImportError(RuleViolation):
    """An import refused as a whole: `errors` lists every bad row (row number, column)."""

    def __init__(self, errors: list[str]):
        shown = "；".join(errors[:20]) + ("；……" if len(errors) > 20 else "")
        super().__init__(
            "invalid", f"导入失败，共{len(errors)}处错误，未导入任何记录：{shown}", field="file"
        )
        self.errors = errors

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


def _published(center, month: datetime.date) -> bool:
    return MonthlyBulletin.objects.filter(center=center, month=month.replace(day=1)).exists()


def _workday(day: datetime.date) -> bool:
    from zwfw.workdays.calendar import is_workday

    return is_workday(day)


@transaction.atomic
def import_attendance(*, by, center, file, on: datetime.date | None = None) -> dict:
    """R-21: the clock-in system's export (.xlsx, attendance.HEADER) for `center`'s residents.
    All or nothing: every bad row is reported (row number, column) and nothing is written.
    A day already imported is replaced; a day the center corrected (补录) is kept."""
    from zwfw.documents.xlsx import XlsxError, read_rows
    from zwfw.staff import attendance

    require_role(by, Role.CENTER_ADMIN, center=center)
    today = _today(on)
    try:
        parsed, row_errors = attendance.parse_sheet(read_rows(file))
    except XlsxError as exc:
        raise RuleViolation("invalid", str(exc), field="file") from exc
    errors = [(e.number, str(e)) for e in row_errors]
    if not parsed and not errors:
        errors.append((0, "文件中没有考勤数据行"))
    hours = selectors.working_hours(center)
    judged, skipped, seen = [], 0, {}
    if parsed:
        lo, hi = min(r.date for r in parsed), max(r.date for r in parsed)
        people = selectors.attendance_people(center, lo, hi)
        leave = selectors.approved_leave_days({a.person_id for a in people.assignments}, lo, hi)
        published = set(
            MonthlyBulletin.objects.filter(center=center, month__gte=lo.replace(day=1)).values_list(
                "month", flat=True
            )
        )
    for row in parsed:
        if row.date > today:
            errors.append((row.number, f"第{row.number}行「日期」：{row.date:%Y-%m-%d}晚于今天"))
            continue
        try:
            workday = _workday(row.date)
        except RuleViolation as exc:
            errors.append((row.number, f"第{row.number}行「日期」：{exc.message}"))
            continue
        if not workday:
            skipped += 1  # weekends and holidays are no attendance days
            continue
        assignment, problem = people.find(row)
        if assignment is None:
            errors.append((row.number, f"第{row.number}行「{problem[0]}」：{problem[1]}"))
            continue
        if row.date.replace(day=1) in published:
            errors.append(
                (row.number, f"第{row.number}行「日期」：{row.date:%Y年%m月}已通报，考勤不能再导入")
            )
            continue
        key = (assignment.person_id, row.date)
        if key in seen:
            errors.append(
                (row.number, f"第{row.number}行「日期」：与第{seen[key]}行是同一人同一天")
            )
            continue
        seen[key] = row.number
        result = attendance.judge(hours, row.sign_in, row.sign_out, on_leave=key in leave)
        note = "；".join(t for t in (result.pop("note"), row.note[:200]) if t)
        judged.append((assignment, row, result, note))
    if errors:
        raise AttendanceImportError([text for _, text in sorted(errors, key=lambda e: e[0])])
    existing = {
        (r.person_id, r.date): r
        for r in selectors.attendance_between({a.person_id for a, *_ in judged}, lo, hi)
    }
    now = timezone.now()
    kept, replaced, new = 0, [], []
    for assignment, row, result, note in judged:
        old = existing.get((assignment.person_id, row.date))
        if old is not None and old.source == AttendanceRecord.Source.CORRECTION:
            kept += 1
            continue
        if old is not None:
            replaced.append(old.pk)
        new.append(
            AttendanceRecord(
                person_id=assignment.person_id,
                center_id=assignment.center_id,
                department_id=assignment.department_id,
                date=row.date,
                sign_in=row.sign_in,
                sign_out=row.sign_out,
                source=AttendanceRecord.Source.IMPORT,
                note=note[:300],
                recorded_by=by,
                recorded_at=now,
                **result,
            )
        )
    AttendanceRecord.objects.filter(pk__in=replaced).delete()
    AttendanceRecord.objects.bulk_create(new, batch_size=1000)
    counts: dict[str, int] = {}
    for r in new:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = {
        "imported": len(new),
        "replaced": len(replaced),
        "kept_corrections": kept,
        "skipped_non_workdays": skipped,
        "statuses": counts,
        "hours": str(hours),
    }
    audit.record(
        actor=by,
        action="staff_import_attendance",
        obj=center,
        after={"file": getattr(file, "name", ""), **summary},
    )
    return summary


@transaction.atomic
def correct_attendance(
    *,
    by,
    person,
    date: datetime.date,
    status: str,
    reason: str,
    sign_in: datetime.time | None = None,
    sign_out: datetime.time | None = None,
    on: datetime.date | None = None,
) -> AttendanceRecord:
    """R-21 补录: the center records or corrects one resident's working day, with a reason
    (audited with the record before and after). A correction is not overwritten by a later
    import of the same day."""
    from zwfw.staff import attendance

    if date is None:
        raise RuleViolation("invalid", "请填写日期", field="date")
    assignment = selectors.assignment_on(person, date)
    if assignment is None:
        raise RuleViolation("invalid", f"{person.name}在{date:%Y-%m-%d}不是进驻人员", field="date")
    require_role(by, Role.CENTER_ADMIN, center=assignment.center)
    if date > _today(on):
        raise RuleViolation("invalid", "不能补录今天以后的考勤", field="date")
    if not _workday(date):
        raise RuleViolation("invalid", f"{date:%Y-%m-%d}不是工作日，无需考勤", field="date")
    if status not in AttendanceRecord.Status.values:
        raise RuleViolation("invalid", "考勤状态无效", field="status")
    reason = _text(reason, "reason", "补录理由", max_len=300)
    if sign_in and sign_out and sign_out <= sign_in:
        raise RuleViolation("invalid", "签退时间应晚于签到时间", field="sign_out")
    if _published(assignment.center, date):
        raise Conflict("published", f"{date:%Y年%m月}已通报，考勤不能再补录")
    minutes = {"minutes_late": 0, "minutes_early": 0}
    if sign_in or sign_out:
        judged = attendance.judge(selectors.working_hours(assignment.center), sign_in, sign_out)
        if status in ("late", "late_early"):
            minutes["minutes_late"] = judged["minutes_late"]
        if status in ("early", "late_early"):
            minutes["minutes_early"] = judged["minutes_early"]
    old = AttendanceRecord.objects.select_for_update().filter(person=person, date=date).first()
    before = (
        {
            "status": old.status,
            "sign_in": old.sign_in,
            "sign_out": old.sign_out,
            "source": old.source,
            "note": old.note,
        }
        if old
        else None
    )
    row = old or AttendanceRecord(person=person, date=date)
    row.center_id = assignment.center_id
    row.department_id = assignment.department_id
    row.status = status
    row.sign_in, row.sign_out = sign_in, sign_out
    row.minutes_late, row.minutes_early = minutes["minutes_late"], minutes["minutes_early"]
    row.source = AttendanceRecord.Source.CORRECTION
    row.note = reason
    row.recorded_by = by
    row.recorded_at = timezone.now()
    row.save()
    audit.record(
        actor=by,
        action="staff_correct_attendance",
        obj=row,
        before=before,
        after={
            "person": person.pk,
            "date": date,
            "status": status,
            "sign_in": sign_in,
            "sign_out": sign_out,
            "reason": reason,
        },
    )
    return row


@transaction.atomic
def set_working_hours(
    *,
    by,
    center,
    morning_start: datetime.time,
    morning_end: datetime.time,
    afternoon_start: datetime.time,
    afternoon_end: datetime.time,
    grace_minutes: int = 0,
) -> WorkingHours:
    """R-21/R-25: the center's own working hours (作息时间), which later imports are judged
    by (days already imported keep their status); audited before and after."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    times = (morning_start, morning_end, afternoon_start, afternoon_end)
    if any(t is None for t in times):
        raise RuleViolation("invalid", "请填写上午、下午的上下班时间", field="morning_start")
    if not (morning_start < morning_end <= afternoon_start < afternoon_end):
        raise RuleViolation(
            "invalid", "作息时间应依次为上午上班、上午下班、下午上班、下午下班", field="morning_end"
        )
    if not 0 <= int(grace_minutes or 0) <= 60:
        raise RuleViolation("invalid", "迟到宽限须在 0 至 60 分钟之间", field="grace_minutes")
    row = WorkingHours.objects.select_for_update().filter(center=center).first()
    before = str(row) if row else str(selectors.working_hours(center))
    row = row or WorkingHours(center=center)
    row.morning_start, row.morning_end = morning_start, morning_end
    row.afternoon_start, row.afternoon_end = afternoon_start, afternoon_end
    row.grace_minutes = int(grace_minutes or 0)
    row.save()
    audit.record(
        actor=by,
        action="staff_set_working_hours",
        obj=center,
        before={"hours": before},
        after={"hours": str(selectors.working_hours(center))},
    )
    return row
