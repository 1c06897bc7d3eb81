"""API of the resident-staff app (API.md "Resident staff (seed 002)"): admissions (R-6 … R-10),
change letters (R-11), leave (R-19), attendance and monthly assessments (R-21) and annual
grades (R-22)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from zwfw.core.api import ErrorOut, idempotent
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.org.models import Department, Person
from zwfw.staff import selectors, services
from zwfw.staff.models import Admission, ChangeLetter, LeaveRequest, ResidentAssignment

router = Router(tags=["进驻人员"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CollectiveIn(Schema):
    date: datetime.date
    members: list[int]
    note: str = ""
    result: Literal["approved", "rejected"] = "approved"


class AdmissionIn(Schema):
    person: int
    department: str
    center: str | None = None
    start_date: datetime.date
    collective_decision: CollectiveIn | None = None
    justification: str = ""
    approver: int | None = None


class AdmissionOut(Schema):
    id: int
    person: int
    name: str
    department: str
    center: str
    start_date: datetime.date
    status: str
    age_on_start: int
    age_exception: str
    warnings: list[str]
    justification: str
    approver: int | None
    collective_decision: int | None
    review_result: str
    reviewed_on: datetime.date | None
    hr_reviewer: str
    assignment: int | None


class AdmissionList(Schema):
    items: list[AdmissionOut]
    count: int


class ReviewIn(Schema):
    result: Literal["pass", "fail"]
    hr_reviewer: str
    reviewed_on: datetime.date | None = None
    note: str = ""
    union_transferred: bool = False
    party_transferred: bool = False
    chief_representative: bool = False


class ChangeIn(Schema):
    assignment: int
    reason: str
    new_person: int
    letter_no: str
    details: str = ""


class ChangeOut(Schema):
    id: int
    assignment: int
    person: int
    new_person: int
    new_person_name: str
    letter_no: str
    kind: str
    reason: str
    status: str
    submitted_on: datetime.date
    reply_no: str | None
    replied_on: datetime.date | None


class ReplyIn(Schema):
    reply_no: str = ""
    note: str = ""


class LeaveIn(Schema):
    person: int
    start: datetime.date
    end: datetime.date
    kind: Literal["annual", "sick", "personal", "marriage", "maternity", "other"]
    reason: str


class LeaveOut(Schema):
    id: int
    person: int
    kind: str
    start: datetime.date
    end: datetime.date
    workdays: int
    status: str


class DecisionIn(Schema):
    note: str = ""


class AssessmentOut(Schema):
    person: int
    name: str
    department: str
    center: str
    month: str
    score: Decimal
    parts: dict


class AssessmentList(Schema):
    items: list[AssessmentOut]
    count: int


class GradeLine(Schema):
    person: int
    grade: Literal["excellent", "competent", "basic", "incompetent"]


class GradesIn(Schema):
    center: str | None = None
    grades: list[GradeLine] | None = None


class GradeOut(Schema):
    person: int
    name: str
    department: str
    score: Decimal
    months: int
    grade: str


class GradesOut(Schema):
    year: int
    center: str
    headcount: int
    quota: int
    items: list[GradeOut]


def admission_out(a: Admission) -> dict:
    assignment = ResidentAssignment.objects.filter(admission=a).values_list("id", flat=True).first()
    return {
        "id": a.pk,
        "person": a.person_id,
        "name": a.person.name,
        "department": a.department.code,
        "center": a.center.code,
        "start_date": a.start_date,
        "status": a.status,
        "age_on_start": a.age_on_start,
        "age_exception": a.age_exception,
        "warnings": a.warnings,
        "justification": a.justification,
        "approver": a.approver_id,
        "collective_decision": a.collective_decision_id,
        "review_result": a.review_result,
        "reviewed_on": a.reviewed_on,
        "hr_reviewer": a.hr_reviewer,
        "assignment": assignment,
    }


def change_out(letter: ChangeLetter) -> dict:
    reply = getattr(letter, "reply", None)
    return {
        "id": letter.pk,
        "assignment": letter.assignment_id,
        "person": letter.assignment.person_id,
        "new_person": letter.new_person_id,
        "new_person_name": letter.new_person.name,
        "letter_no": letter.letter_no,
        "kind": letter.kind,
        "reason": letter.reason,
        "status": letter.status,
        "submitted_on": letter.submitted_on,
        "reply_no": reply.reply_no if reply else None,
        "replied_on": reply.replied_on if reply else None,
    }


def leave_out(leave: LeaveRequest) -> dict:
    return {
        "id": leave.pk,
        "person": leave.person_id,
        "kind": leave.kind,
        "start": leave.start,
        "end": leave.end,
        "workdays": leave.workdays,
        "status": leave.status,
    }


def _person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    person = Person.objects.select_related("department", "section").filter(pk=pk).first()
    if person is None:
        raise RuleViolation("invalid", "未找到该人员", field=field)
    return person


def _department(code: str) -> Department:
    department = Department.objects.select_related("center").filter(code=code).first()
    if department is None:
        raise RuleViolation("invalid", f"未找到部门“{code}”", field="department")
    return department


def _center(code: str | None, field: str = "center"):
    if not code:
        return None
    from zwfw.org.models import ServiceCenter

    center = ServiceCenter.objects.filter(code=code).first()
    if center is None:
        raise RuleViolation("invalid", f"未找到中心“{code}”", field=field)
    return center


@router.post(
    "/staff/admissions", response={201: AdmissionOut, **ERRORS}, summary="申请进驻（R-6、R-7、R-9）"
)
def create_admission(request, payload: AdmissionIn):
    def produce():
        collective = None
        if payload.collective_decision is not None:
            cd = payload.collective_decision
            members = [_person(pk, "collective_decision") for pk in dict.fromkeys(cd.members)]
            collective = {"date": cd.date, "members": members, "note": cd.note, "result": cd.result}
        admission = services.apply_admission(
            by=request.user,
            person=_person(payload.person, "person"),
            department=_department(payload.department),
            center=_center(payload.center),
            start_date=payload.start_date,
            collective_decision=collective,
            justification=payload.justification,
            approver=_person(payload.approver, "approver"),
        )
        return admission_out(admission)

    return idempotent(request, produce)


@router.get("/staff/admissions", response={200: AdmissionList, **ERRORS}, summary="进驻申请列表")
def list_admissions(request, status: Literal["applied", "admitted", "rejected"] | None = None):
    selectors.require_open(request.user)
    rows = list(selectors.admissions(request.user, status)[:200])
    return {"items": [admission_out(a) for a in rows], "count": len(rows)}


@router.get(
    "/staff/admissions/{admission_id}", response={200: AdmissionOut, **ERRORS}, summary="进驻申请"
)
def get_admission(request, admission_id: int):
    return admission_out(selectors.admission_for(request.user, admission_id))


@router.post(
    "/staff/admissions/{admission_id}/review",
    response={200: AdmissionOut, **ERRORS},
    summary="中心会同组织人事部门审核（R-8）",
)
def review_admission(request, admission_id: int, payload: ReviewIn):
    admission = selectors.admission_for(request.user, admission_id)
    admission = services.review_admission(
        by=request.user,
        admission=admission,
        result=payload.result,
        reviewed_on=payload.reviewed_on,
        hr_reviewer=payload.hr_reviewer,
        note=payload.note,
        union_transferred=payload.union_transferred,
        party_transferred=payload.party_transferred,
        chief_representative=payload.chief_representative,
    )
    return admission_out(admission)


@router.post(
    "/staff/changes", response={201: ChangeOut, **ERRORS}, summary="进驻单位调整函（R-11）"
)
def create_change(request, payload: ChangeIn):
    def produce():
        assignment = selectors.assignments(request.user).filter(pk=payload.assignment).first()
        if assignment is None:
            raise RuleViolation("invalid", "未找到该进驻人员", field="assignment")
        letter = services.submit_change(
            by=request.user,
            assignment=assignment,
            reason=payload.reason,
            new_person=_person(payload.new_person, "new_person"),
            letter_no=payload.letter_no,
            details=payload.details,
        )
        return change_out(selectors.letter_for(request.user, letter.pk))

    return idempotent(request, produce)


def _reply(request, change_id: int, payload: ReplyIn | None, approved: bool) -> dict:
    letter = selectors.letter_for(request.user, change_id)
    payload = payload or ReplyIn()
    services.reply_change(
        by=request.user,
        letter=letter,
        approved=approved,
        reply_no=payload.reply_no,
        note=payload.note,
    )
    return change_out(selectors.letter_for(request.user, change_id))


@router.post(
    "/staff/changes/{change_id}/approve",
    response={200: ChangeOut, **ERRORS},
    summary="中心同意调整并函复（R-11）",
)
def approve_change(request, change_id: int, payload: ReplyIn | None = None):
    return _reply(request, change_id, payload, True)


@router.post(
    "/staff/changes/{change_id}/reject",
    response={200: ChangeOut, **ERRORS},
    summary="中心不同意调整并函复（R-11）",
)
def reject_change(request, change_id: int, payload: ReplyIn | None = None):
    return _reply(request, change_id, payload, False)


@router.post("/staff/leave", response={201: LeaveOut, **ERRORS}, summary="请假（R-19，按工作日计）")
def create_leave(request, payload: LeaveIn):
    def produce():
        leave = services.request_leave(
            by=request.user,
            person=_person(payload.person, "person"),
            kind=payload.kind,
            start=payload.start,
            end=payload.end,
            reason=payload.reason,
        )
        return leave_out(leave)

    return idempotent(request, produce)


def _decide(request, leave_id: int, payload: DecisionIn | None, approve: bool) -> dict:
    leave = selectors.leave_for(request.user, leave_id)
    payload = payload or DecisionIn()
    return leave_out(
        services.decide_leave(by=request.user, leave=leave, approve=approve, note=payload.note)
    )


@router.post(
    "/staff/leave/{leave_id}/approve",
    response={200: LeaveOut, **ERRORS},
    summary="中心批准请假（R-19）",
)
def approve_leave(request, leave_id: int, payload: DecisionIn | None = None):
    return _decide(request, leave_id, payload, True)


@router.post(
    "/staff/leave/{leave_id}/reject",
    response={200: LeaveOut, **ERRORS},
    summary="中心不批准请假（R-19）",
)
def reject_leave(request, leave_id: int, payload: DecisionIn | None = None):
    return _decide(request, leave_id, payload, False)


def parse_month(text: str) -> datetime.date:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        raise RuleViolation("invalid", "月份须为 YYYY-MM 格式", field="month") from None


@router.get(
    "/staff/assessments", response={200: AssessmentList, **ERRORS}, summary="月度考核结果（R-21）"
)
def list_assessments(
    request, month: str, center: str | None = None, page: int = 1, page_size: int = 200
):
    selectors.require_open(request.user)
    parsed = parse_month(month)
    if page < 1 or not 1 <= page_size <= 200:
        raise RuleViolation("invalid", "page ≥ 1，page_size 为 1 至 200", field="page_size")
    qs = selectors.month_results(request.user, parsed, _center(center))
    count = qs.count()
    rows = qs[(page - 1) * page_size : page * page_size]
    return {
        "items": [
            {
                "person": r.person_id,
                "name": r.person.name,
                "department": r.department.code,
                "center": r.center.code,
                "month": f"{r.month:%Y-%m}",
                "score": r.score,
                "parts": r.parts,
            }
            for r in rows
        ],
        "count": count,
    }


@router.post(
    "/staff/assessments/{year}/grades",
    response={200: GradesOut, **ERRORS},
    summary="评定年度考核等次（R-22，优秀名额按比例）",
)
def assign_grades(request, year: int, payload: GradesIn):
    if not 2000 <= year <= timezone.localdate().year:
        raise RuleViolation("invalid", "年度无效", field="year")
    center = _center(payload.center)
    if center is None:
        centers = selectors.admin_centers(request.user)
        if len(centers) != 1:
            raise RuleViolation("invalid", "请用 center 指明中心", field="center")
        center = centers[0]
    grades = None
    if payload.grades is not None:
        grades = {}
        for line in payload.grades:
            grades[line.person] = line.grade
    rows = services.assign_grades(by=request.user, center=center, year=year, grades=grades)
    results = selectors.annual_results(center, year)
    from zwfw.staff import quota

    by_id = {g.person_id: g for g in selectors.grades(request.user, year, center)}
    return {
        "year": year,
        "center": center.code,
        "headcount": len(results),
        "quota": quota.excellent_quota(len(results), services.excellent_share(center)),
        "items": [
            {
                "person": g.person_id,
                "name": g.person.name,
                "department": g.department.code,
                "score": g.score,
                "months": g.months,
                "grade": g.grade,
            }
            for g in (by_id.get(r.person_id, r) for r in rows)
        ],
    }


class AssignmentOut(Schema):
    id: int
    person: int
    department: str
    center: str
    start_date: datetime.date
    term_end: datetime.date
    ended_on: datetime.date | None


@router.get(
    "/staff/assignments/{assignment_id}",
    response={200: AssignmentOut, **ERRORS},
    summary="进驻记录",
)
def get_assignment(request, assignment_id: int):
    a = selectors.assignments(request.user, include_ended=True).filter(pk=assignment_id).first()
    if a is None:
        raise NotFound("未找到该进驻记录")
    return {
        "id": a.pk,
        "person": a.person_id,
        "department": a.department.code,
        "center": a.center.code,
        "start_date": a.start_date,
        "term_end": a.term_end,
        "ended_on": a.ended_on,
    }


# --- attendance -----------------------------------------------------------------------


class AttendanceOut(Schema):
    id: int
    person: int
    name: str
    department: str
    center: str
    date: datetime.date
    status: str
    status_display: str
    sign_in: datetime.time | None
    sign_out: datetime.time | None
    minutes_late: int
    minutes_early: int
    source: str
    note: str


class AttendanceList(Schema):
    items: list[AttendanceOut]
    count: int


class AttendanceIn(Schema):
    person: int
    date: datetime.date
    status: Literal["present", "late", "early", "late_early", "absent", "business", "leave"]
    reason: str
    sign_in: datetime.time | None = None
    sign_out: datetime.time | None = None


class AttendanceImportOut(Schema):
    imported: int
    replaced: int
    kept_corrections: int
    skipped_non_workdays: int
    statuses: dict[str, int]
    hours: str


def attendance_out(r) -> dict:
    return {
        "id": r.pk,
        "person": r.person_id,
        "name": r.person.name,
        "department": r.department.code,
        "center": r.center.code,
        "date": r.date,
        "status": r.status,
        "status_display": r.get_status_display(),
        "sign_in": r.sign_in,
        "sign_out": r.sign_out,
        "minutes_late": r.minutes_late,
        "minutes_early": r.minutes_early,
        "source": r.source,
        "note": r.note,
    }


@router.get(
    "/staff/attendance",
    response={200: AttendanceList, **ERRORS},
    summary="考勤记录（R-21；本人、所在部门或中心的一个月）",
)
def list_attendance(
    request,
    month: str,
    center: str | None = None,
    person: int | None = None,
    page: int = 1,
    page_size: int = 200,
):
    parsed = parse_month(month)
    if page < 1 or not 1 <= page_size <= 500:
        raise RuleViolation("invalid", "page ≥ 1，page_size 为 1 至 500", field="page_size")
    qs = selectors.attendance_records(
        request.user, parsed, _center(center), _person(person, "person")
    )
    count = qs.count()
    rows = qs[(page - 1) * page_size : page * page_size]
    return {"items": [attendance_out(r) for r in rows], "count": count}


@router.post(
    "/staff/attendance",
    response={201: AttendanceOut, **ERRORS},
    summary="中心补录考勤（R-21，须填写理由，留痕）",
)
def correct_attendance(request, payload: AttendanceIn):
    def produce():
        row = services.correct_attendance(
            by=request.user,
            person=_person(payload.person, "person"),
            date=payload.date,
            status=payload.status,
            reason=payload.reason,
            sign_in=payload.sign_in,
            sign_out=payload.sign_out,
        )
        row = type(row).objects.select_related("person", "department", "center").get(pk=row.pk)
        return attendance_out(row)

    return idempotent(request, produce)


@router.post(
    "/staff/attendance/import",
    response={200: AttendanceImportOut, **ERRORS},
    summary="导入考勤机导出的打卡记录（.xlsx；有误则全部不导入，逐行说明）",
)
def import_attendance(request, center: str, file: UploadedFile = File(...)):  # noqa: B008
    target = _center(center)
    return services.import_attendance(by=request.user, center=target, file=file)
