"""The supervision API (API.md: inspections; plus 12345 hotline, N-7 and N-21 records):
parse, call a service or selector, return. No rules here."""

from django.utils import timezone
from ninja import File, Router
from ninja.files import UploadedFile

from zwfw.core.api import ErrorOut, idempotent, paginate
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.org.models import Department
from zwfw.supervision import selectors, services
from zwfw.supervision.models import (
    HotlineFeedback,
    Inspection,
    InspectionDraw,
    InspectionRectification,
    InterferenceReport,
)
from zwfw.supervision.schemas import (
    DrawIn,
    DrawList,
    DrawOut,
    FaultToleranceIn,
    FaultToleranceList,
    FaultToleranceOut,
    FindingIn,
    HandleIn,
    HotlineBatchIn,
    HotlineImportOut,
    HotlineIn,
    HotlineList,
    HotlineOut,
    InterferenceIn,
    InterferenceList,
    InterferenceOut,
    PoolIn,
    PoolOut,
    PoolPatch,
    ReceiptOut,
    RectificationList,
    RectificationOut,
    RectifyIn,
    ReplayOut,
)
from zwfw.supervision.services.hotline import parse_date

router = Router(tags=["监督检查"])
ERRORS = {s: ErrorOut for s in (400, 401, 403, 404, 409, 422)}


def _departments(codes: list[str] | None) -> list[Department] | None:
    if not codes:
        return None
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise RuleViolation("invalid", f"未找到部门“{'、'.join(missing)}”", field="departments")
    return [found[c] for c in codes]


def _rectification_out(r: InspectionRectification | None, today=None) -> dict | None:
    if r is None:
        return None
    today = today or timezone.localdate()
    return {
        "id": r.id,
        "status": r.status,
        "opened_on": r.opened_on,
        "due_date": r.due_date,
        "overdue": r.is_overdue(today),
        "measures": r.measures,
        "rectified_on": r.rectified_on,
    }


def _assignment_out(i: Inspection) -> dict:
    rectification = getattr(i, "rectification", None) if i.result == i.Result.PROBLEM else None
    return {
        "position": i.position,
        "case": i.case.number,
        "inspector": i.inspector_id,
        "inspector_name": i.inspector.name,
        "department": i.department.code,
        "result": i.result,
        "method": i.method,
        "category": i.category,
        "note": i.note,
        "found_on": i.found_on,
        "rectification": _rectification_out(rectification),
    }


def draw_out(draw: InspectionDraw) -> dict:
    rows = list(selectors.draw_inspections(draw))
    return {
        "id": draw.id,
        "title": draw.title,
        "seed": draw.seed,
        "status": draw.status,
        "period_start": draw.period_start,
        "period_end": draw.period_end,
        "size": draw.size,
        "strata": draw.strata,
        "method": draw.method,
        "inputs": draw.inputs,
        "population_size": draw.population_size,
        "population_digest": draw.population_digest,
        "created_at": draw.created_at,
        "completed_on": draw.completed_on,
        "pending": sum(1 for i in rows if i.result == Inspection.Result.PENDING),
        "assignments": [_assignment_out(i) for i in rows],
    }


# --- inspections -------------------------------------------------------------------------


@router.post(
    "/inspections/draws",
    response={201: DrawOut, **ERRORS},
    summary="双随机抽查：抽取办件并分派检查人员",
)
def create_draw(request, payload: DrawIn):
    def produce():
        draw = services.create_draw(
            by=request.user,
            period_start=payload.period_start,
            period_end=payload.period_end,
            size=payload.size,
            departments=_departments(payload.departments),
            strata=payload.strata,
            method=payload.method,
            seed=payload.seed,
            title=payload.title,
        )
        return draw_out(draw)

    return idempotent(request, produce)


@router.get("/inspections/draws", response={200: DrawList, **ERRORS}, summary="双随机抽查列表")
def list_draws(request, status: str = "", page: int = 1, page_size: int = 50):
    if status and status not in InspectionDraw.Status.values:
        raise RuleViolation("invalid", "状态须为 in_progress 或 completed", field="status")
    rows, count = paginate(selectors.visible_draws(request.user, status=status), page, page_size)
    return {"count": count, "items": rows}


@router.get("/inspections/draws/{draw_id}", response={200: DrawOut, **ERRORS}, summary="抽查详情")
def get_draw(request, draw_id: int):
    return draw_out(selectors.draw_for(request.user, draw_id))


@router.post(
    "/inspections/draws/{draw_id}/replay",
    response={200: ReplayOut, **ERRORS},
    summary="以存储的种子和参数重新抽取并比对（可复现、可审计）",
)
def replay_draw(request, draw_id: int):
    result = services.replay_draw(by=request.user, draw=selectors.draw_for(request.user, draw_id))
    return {
        "matches": result.matches,
        "population_changed": result.population_changed,
        "population_size_then": result.population_size_then,
        "population_size_now": result.population_size_now,
        "message": result.message,
        "assignments": [{"case": c, "inspector": p} for c, p in result.assignments],
    }


@router.post(
    "/inspections/draws/{draw_id}/findings",
    response={201: dict, **ERRORS},
    summary="检查人员记录抽查结论（合格/存在问题）",
)
def record_finding(request, draw_id: int, payload: FindingIn):
    inspection = selectors.inspection_in_draw(draw_id, payload.case)
    draw = inspection.draw
    inspection = services.record_finding(
        by=request.user,
        inspection=inspection,
        result=payload.result,
        method=payload.method or draw.method,
        category=payload.category,
        note=payload.note,
        on=payload.found_on,
    )
    inspection = selectors.draw_inspections(draw).get(pk=inspection.pk)
    return 201, _assignment_out(inspection)


@router.get(
    "/inspections/tasks", response={200: list[dict], **ERRORS}, summary="我的检查任务（待记录结论）"
)
def my_tasks(request):
    return [
        {"draw": i.draw_id, "draw_title": i.draw.title, **_assignment_out_light(i)}
        for i in selectors.my_inspections(request.user, pending_only=True)
    ]


def _assignment_out_light(i: Inspection) -> dict:
    return {
        "position": i.position,
        "case": i.case.number,
        "item": i.case.item.name,
        "department": i.department.code,
        "result": i.result,
    }


def _rect_row(r: InspectionRectification, today) -> dict:
    return {
        "id": r.id,
        "case": r.inspection.case.number,
        "department": r.department.code,
        "draw": r.inspection.draw_id,
        "category": r.inspection.category,
        "note": r.inspection.note,
        "status": r.status,
        "opened_on": r.opened_on,
        "due_date": r.due_date,
        "overdue": r.is_overdue(today),
        "measures": r.measures,
        "rectified_on": r.rectified_on,
    }


@router.get(
    "/inspections/rectifications",
    response={200: RectificationList, **ERRORS},
    summary="抽查发现问题的整改",
)
def list_rectifications(
    request,
    department: str = "",
    status: str = "",
    overdue: bool = False,
    page: int = 1,
    page_size: int = 50,
):
    if status and status not in InspectionRectification.Status.values:
        raise RuleViolation("invalid", "状态须为 open 或 rectified", field="status")
    dept = _departments([department])[0] if department else None
    today = timezone.localdate()
    qs = selectors.visible_rectifications(
        request.user, status=status, department=dept, overdue=overdue, on=today
    )
    rows, count = paginate(qs, page, page_size)
    return {"count": count, "items": [_rect_row(r, today) for r in rows]}


@router.post(
    "/inspections/rectifications/{rectification_id}/rectify",
    response={200: RectificationOut, **ERRORS},
    summary="部门登记整改情况",
)
def rectify(request, rectification_id: int, payload: RectifyIn):
    r = selectors.rectification_for(request.user, rectification_id)
    services.record_rectification(
        by=request.user, rectification=r, measures=payload.measures, on=payload.rectified_on
    )
    return _rect_row(selectors.rectification_for(request.user, r.pk), timezone.localdate())


def _pool_out(m) -> dict:
    return {
        "person": m.person_id,
        "name": m.person.name,
        "department": m.person.department.code,
        "active": m.active,
        "since": m.since,
        "note": m.note,
    }


@router.get("/inspections/pool", response={200: list[PoolOut], **ERRORS}, summary="检查人员库")
def list_pool(request):
    return [_pool_out(m) for m in selectors.pool_members(request.user)]


@router.post("/inspections/pool", response={201: PoolOut, **ERRORS}, summary="纳入检查人员库")
def add_pool_member(request, payload: PoolIn):
    person = selectors.person_by_id(payload.person)
    member = services.add_pool_member(
        by=request.user, person=person, since=payload.since, note=payload.note
    )
    return 201, _pool_out(member)


@router.patch(
    "/inspections/pool/{person_id}", response={200: PoolOut, **ERRORS}, summary="检查人员在库/出库"
)
def patch_pool_member(request, person_id: int, payload: PoolPatch):
    member = selectors.pool_members(request.user).filter(person_id=person_id).first()
    if member is None:
        raise NotFound("该人员不在检查人员库中")
    member = services.set_pool_member_active(by=request.user, member=member, active=payload.active)
    return _pool_out(member)


# --- 12345 hotline -----------------------------------------------------------------------


def _row(payload: HotlineIn, row: int = 0) -> services.HotlineRow:
    data = payload.dict()
    return services.HotlineRow(**data, row=row)


def hotline_out(t: HotlineFeedback, created: bool | None = None) -> dict:
    return {
        "id": t.id,
        "ticket_number": t.ticket_number,
        "received_on": t.received_on,
        "kind": t.kind,
        "content": t.content,
        "caller_phone": t.masked_phone,
        "case": t.case.number if t.case_id else None,
        "department": t.department.code if t.department_id else None,
        "staff": t.staff_id,
        "staff_name": t.staff.name if t.staff_id else None,
        "window": t.window.number if t.window_id else None,
        "status": t.status,
        "resolution": t.resolution,
        "replied_on": t.replied_on,
        "created": created,
    }


@router.post(
    "/hotline/feedback",
    response={200: HotlineOut, 201: HotlineOut, **ERRORS},
    summary="登记一条12345热线工单（按工单编号幂等：再次提交即更新）",
)
def post_hotline(request, payload: HotlineIn):
    result = services.save_hotline(by=request.user, rows=[_row(payload)], single=True)
    created = bool(result.created)
    return (201 if created else 200), hotline_out(result.tickets[0], created=created)


@router.post(
    "/hotline/feedback/batch",
    response={200: HotlineImportOut, **ERRORS},
    summary="批量登记12345热线工单（有误则全部不保存）",
)
def post_hotline_batch(request, payload: HotlineBatchIn):
    rows = [_row(item, i) for i, item in enumerate(payload.items, start=1)]
    result = services.save_hotline(by=request.user, rows=rows, source="api")
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.post(
    "/hotline/import",
    response={200: HotlineImportOut, **ERRORS},
    summary="从Excel导入12345热线工单（有误则全部不导入）",
)
def import_hotline(request, file: UploadedFile = File(...)):  # noqa: B008
    result = services.import_hotline(by=request.user, file=file)
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.get("/hotline/feedback", response={200: HotlineList, **ERRORS}, summary="12345热线工单列表")
def list_hotline(
    request,
    department: str = "",
    kind: str = "",
    status: str = "",
    start: str = "",
    end: str = "",
    page: int = 1,
    page_size: int = 50,
):
    dept = _departments([department])[0] if department else None
    qs = selectors.visible_hotline(
        request.user,
        department=dept,
        kind=kind,
        status=status,
        start=parse_date(start, "start"),
        end=parse_date(end, "end"),
    )
    rows, count = paginate(qs, page, page_size)
    return {"count": count, "items": [hotline_out(t) for t in rows]}


@router.get(
    "/hotline/feedback/{ticket_number}", response={200: HotlineOut, **ERRORS}, summary="工单详情"
)
def get_hotline(request, ticket_number: str):
    return hotline_out(selectors.hotline_for(request.user, ticket_number))


@router.get("/hotline/counts", response={200: list[dict], **ERRORS}, summary="12345工单统计")
def hotline_counts(request, group_by: str, start: str, end: str):
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if first is None or last is None or last < first:
        raise RuleViolation("invalid", "请给出起止日期，且结束日期不早于开始日期", field="end")
    counts = selectors.hotline_counts_for(request.user, group_by, first, last)
    return [{"key": k, **v} for k, v in counts.items()]


# --- interference reports (N-7) and fault tolerance (N-21) ---------------------------------


def _case(number: str, field: str = "case"):
    return selectors.case_by_number(number, field) if number and number.strip() else None


def interference_out(r: InterferenceReport, full: bool = False) -> dict:
    """`full` only after the reading is recorded (POST …/open, N-7): a GET never writes, so
    a GET answers without what the report says."""
    out = {
        "receipt_number": r.receipt_number,
        "reporter": r.reporter_id,
        "reporter_name": r.reporter.name,
        "department": r.department.code,
        "interferer_name": r.interferer_name,
        "interferer_unit": r.interferer_unit,
        "interferer_post": r.interferer_post,
        "occurred_on": r.occurred_on,
        "manner": r.manner,
        "case": r.case.number if r.case_id else None,
        "content": r.content,
        "filed_at": r.filed_at,
        "status": r.status,
        "handling_note": r.handling_note,
        "handled_on": r.handled_on,
    }
    if not full:
        for name in SEALED_FIELDS:
            out[name] = None
    return out


SEALED_FIELDS = (
    "interferer_name",
    "interferer_unit",
    "interferer_post",
    "content",
    "handling_note",
)


@router.post(
    "/interference-reports",
    response={201: ReceiptOut, **ERRORS},
    summary="首席服务员登记干预记录（仅返回回执）",
)
def post_interference(request, payload: InterferenceIn):
    def produce():
        report = services.report_interference(
            by=request.user,
            interferer_name=payload.interferer_name,
            interferer_unit=payload.interferer_unit,
            interferer_post=payload.interferer_post,
            occurred_on=payload.occurred_on,
            manner=payload.manner,
            content=payload.content,
            case=_case(payload.case),
        )
        return {"receipt_number": report.receipt_number, "filed_at": report.filed_at}

    return idempotent(request, produce)


@router.get(
    "/interference-reports",
    response={200: InterferenceList, **ERRORS},
    summary="干预记录列表（仅纪检监察）",
)
def list_interference(request, page: int = 1, page_size: int = 50):
    rows, count = paginate(selectors.interference_reports(request.user), page, page_size)
    return {"count": count, "items": [interference_out(r) for r in rows]}


@router.get(
    "/interference-reports/{receipt_number}",
    response={200: InterferenceOut, **ERRORS},
    summary="干预记录概要（仅纪检监察；内容须经 POST …/open 查看并记入审计）",
)
def get_interference(request, receipt_number: str):
    return interference_out(selectors.interference_for(request.user, receipt_number))


@router.post(
    "/interference-reports/{receipt_number}/open",
    response={200: InterferenceOut, **ERRORS},
    summary="查看干预记录内容（仅纪检监察；每次查看记入审计日志）",
)
def open_interference(request, receipt_number: str):
    report = selectors.interference_for(request.user, receipt_number)
    services.record_viewing(by=request.user, report=report)
    return interference_out(report, full=True)


@router.post(
    "/interference-reports/{receipt_number}/handle",
    response={200: InterferenceOut, **ERRORS},
    summary="登记干预记录的处理情况（仅纪检监察）",
)
def handle_interference(request, receipt_number: str, payload: HandleIn):
    report = selectors.interference_for(request.user, receipt_number)
    services.handle_interference(
        by=request.user, report=report, note=payload.note, on=payload.handled_on
    )
    return interference_out(selectors.interference_for(request.user, receipt_number), full=True)


def fault_tolerance_out(r) -> dict:
    return {
        "id": r.id,
        "person": r.person_id,
        "person_name": r.person.name,
        "department": r.department.code,
        "event": r.event,
        "innovation_context": r.innovation_context,
        "error": r.error,
        "decision": r.decision,
        "basis": r.basis,
        "correction": r.correction,
        "decided_on": r.decided_on,
        "case": r.case.number if r.case_id else None,
    }


@router.post(
    "/fault-tolerance",
    response={201: FaultToleranceOut, **ERRORS},
    summary="登记容错纠错记录（仅纪检监察）",
)
def post_fault_tolerance(request, payload: FaultToleranceIn):
    def produce():
        record = services.record_fault_tolerance(
            by=request.user,
            person=selectors.person_by_id(payload.person),
            event=payload.event,
            innovation_context=payload.innovation_context,
            error=payload.error,
            decision=payload.decision,
            basis=payload.basis,
            decided_on=payload.decided_on,
            correction=payload.correction,
            case=_case(payload.case),
        )
        return fault_tolerance_out(selectors.fault_tolerance_for(request.user, record.pk))

    return idempotent(request, produce)


@router.get(
    "/fault-tolerance",
    response={200: FaultToleranceList, **ERRORS},
    summary="容错纠错记录列表（仅纪检监察）",
)
def list_fault_tolerance(request, decision: str = "", page: int = 1, page_size: int = 50):
    rows, count = paginate(
        selectors.fault_tolerance_records(request.user, decision=decision), page, page_size
    )
    return {"count": count, "items": [fault_tolerance_out(r) for r in rows]}


@router.get(
    "/fault-tolerance/{record_id}",
    response={200: FaultToleranceOut, **ERRORS},
    summary="容错纠错记录详情（仅纪检监察）",
)
def get_fault_tolerance(request, record_id: int):
    return fault_tolerance_out(selectors.fault_tolerance_for(request.user, record_id))
