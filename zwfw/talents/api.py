"""API of talent services (seed 003, API.md "Talent services"): talents and card checks
(TC-16), commissioners (TC-4, TC-19), requests, dispatch and tasks (TC-17)."""

import datetime
from typing import Literal

from django.utils import timezone
from ninja import Router, Schema

from zwfw.core.api import ErrorOut, idempotent, paginate
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.org.models import Department, Person
from zwfw.talents import selectors, services
from zwfw.talents.models import Commissioner, Talent, TalentRequest

router = Router(tags=["人才服务"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
LevelIn = Literal["A", "B", "C", "D", "E"]


class CardIn(Schema):
    kind: Literal["shandong", "yimeng"]
    number: str
    valid_to: datetime.date
    level: LevelIn


class TalentIn(Schema):
    name: str
    id_number: str
    employer: str
    level: LevelIn
    card: CardIn | None = None
    phone: str = ""
    window: str | None = None
    center: str | None = None


class CardOut(Schema):
    kind: str
    number: str
    level: str
    valid_to: datetime.date


class TalentOut(Schema):
    id: int
    name: str
    id_number: str
    employer: str
    level: str
    window: str
    employed: bool
    lives_in_city: bool
    status_checked_on: datetime.date | None
    cards: list[CardOut]


class TalentList(Schema):
    items: list[TalentOut]
    count: int


class CardCheckOut(Schema):
    allowed: bool
    reason: str
    card: str | None = None
    item: str
    on: datetime.date


class CommissionerIn(Schema):
    person: int
    kind: Literal["unit", "department", "undertaking", "window"]
    talent: int | None = None
    department: str | None = None
    organisation: str | None = None
    window: str | None = None
    center: str | None = None
    appointed_on: datetime.date


class CommissionerOut(Schema):
    id: int
    person: int
    name: str
    kind: str
    window: str
    talent: int | None
    department: str | None
    organisation: str
    appointed_on: datetime.date
    filed_on: datetime.date
    filing_workdays: int
    filing_late: bool


class RequestIn(Schema):
    talent: int
    items: list[str]
    by: int
    note: str = ""


class TaskOut(Schema):
    id: int
    department: str
    commissioner: int
    commissioner_name: str
    items: list[str]
    due_date: datetime.date
    original_due_date: datetime.date
    status: str
    overdue: bool
    delay_explanation: str
    result: str
    completed_on: datetime.date | None


class RequestOut(Schema):
    id: int
    talent: int
    window: str
    route: str
    status: str
    items: list[str]
    filed_on: datetime.date
    completed_on: datetime.date | None
    tasks: list[TaskOut]
    rating: int | None


class DelayIn(Schema):
    explanation: str
    new_due_date: datetime.date


class CompleteIn(Schema):
    result: str


def _window_label(w) -> str:
    return w.window.number


def talent_out(t: Talent) -> dict:
    return {
        "id": t.pk,
        "name": t.masked_name,
        "id_number": t.masked_id_number,
        "employer": t.employer,
        "level": t.level,
        "window": _window_label(t.window),
        "employed": t.employed,
        "lives_in_city": t.lives_in_city,
        "status_checked_on": t.status_checked_on,
        "cards": [
            {"kind": c.kind, "number": c.number, "level": c.level, "valid_to": c.valid_to}
            for c in t.cards.all()
        ],
    }


def request_out(r: TalentRequest) -> dict:
    today = timezone.localdate()
    rating = getattr(r, "rating", None) if hasattr(r, "rating") else None
    return {
        "id": r.pk,
        "talent": r.talent_id,
        "window": _window_label(r.window),
        "route": r.route,
        "status": r.status,
        "items": [i.code for i in r.items.all()],
        "filed_on": r.filed_on,
        "completed_on": r.completed_on,
        "rating": rating.value if rating else None,
        "tasks": [
            {
                "id": t.pk,
                "department": t.department.code,
                "commissioner": t.commissioner_id,
                "commissioner_name": t.commissioner.person.name,
                "items": [i.code for i in t.items.all()],
                "due_date": t.due_date,
                "original_due_date": t.original_due_date,
                "status": t.status,
                "overdue": t.is_overdue(today),
                "delay_explanation": t.delay_explanation,
                "result": t.result,
                "completed_on": t.completed_on,
            }
            for t in r.tasks.select_related("department", "commissioner__person").prefetch_related(
                "items"
            )
        ],
    }


def _item(code: str, field: str = "item"):
    from zwfw.catalog.models import ServiceItem

    item = ServiceItem.objects.select_related("department").filter(code=code).first()
    if item is None:
        raise RuleViolation("invalid", f"未找到事项“{code}”", field=field)
    return item


def _default_window(request, window: str | None, center: str | None):
    if window:
        return selectors.window_by_code(window, center)
    mine = [c.window for c in selectors.commissions_of(request.user) if c.kind == "window"]
    if mine:
        return mine[0]
    visible = selectors.visible_windows(request.user)
    if len(visible) == 1:
        return visible[0]
    raise RuleViolation("invalid", "请用 window 指明人才服务窗口", field="window")


@router.post("/talents", response={201: TalentOut, **ERRORS}, summary="登记高层次人才及惠才卡")
def create_talent(request, payload: TalentIn):
    def produce():
        window = _default_window(request, payload.window, payload.center)
        talent = services.register_talent(
            by=request.user,
            window=window,
            name=payload.name,
            id_number=payload.id_number,
            employer=payload.employer,
            level=payload.level,
            phone=payload.phone,
            card=payload.card.dict() if payload.card else None,
        )
        return talent_out(talent)

    return idempotent(request, produce)


@router.get(
    "/talents", response={200: TalentList, **ERRORS}, summary="高层次人才（本人管理的窗口）"
)
def list_talents(request, page: int = 1, page_size: int = 50):
    selectors.require_open(request.user)
    windows = [w.pk for w in selectors.visible_windows(request.user)]
    qs = (
        Talent.objects.filter(window_id__in=windows)
        .select_related("window__window")
        .prefetch_related("cards")
        .order_by("id")
    )
    rows, count = paginate(qs, page, page_size)
    return {"items": [talent_out(t) for t in rows], "count": count}


@router.get(
    "/talents/{talent_id}/card-check",
    response={200: CardCheckOut, **ERRORS},
    summary="惠才卡核验查询（TC-16）",
    description="Answers without writing (GET never writes). The logged check made when the "
    "talent is served is POST /talents/{talent_id}/card-checks.",
)
def card_check(request, talent_id: int, item: str, card: str = ""):
    from django.utils import timezone

    talent = selectors.talent_for(request.user, talent_id)
    service_item = _item(item)
    on = timezone.localdate()
    answer = selectors.card_answer(request.user, talent, service_item, card_number=card, on=on)
    return {
        "allowed": answer.allowed,
        "reason": answer.reason,
        "card": answer.card.number if answer.card else None,
        "item": service_item.code,
        "on": on,
    }


class CardCheckIn(Schema):
    item: str
    card: str = ""


@router.post(
    "/talents/{talent_id}/card-checks",
    response={201: CardCheckOut, **ERRORS},
    summary="惠才卡核验并登记（TC-16，记录在案）",
)
def record_card_check(request, talent_id: int, payload: CardCheckIn):
    talent = selectors.talent_for(request.user, talent_id)
    row = services.check_card(
        by=request.user, talent=talent, item=_item(payload.item), card_number=payload.card
    )
    return 201, {
        "allowed": row.allowed,
        "reason": row.reason,
        "card": row.card.number if row.card else None,
        "item": row.item.code,
        "on": row.on,
    }


@router.post(
    "/talents/commissioners",
    response={201: CommissionerOut, **ERRORS},
    summary="任命人才服务专员并备案（TC-4、TC-19）",
)
def create_commissioner(request, payload: CommissionerIn):
    def produce():
        person = Person.objects.filter(pk=payload.person).first()
        if person is None:
            raise RuleViolation("invalid", "未找到该人员", field="person")
        talent = None
        if payload.talent is not None:
            talent = Talent.objects.select_related("window").filter(pk=payload.talent).first()
            if talent is None:
                raise RuleViolation("invalid", "未找到该人才", field="talent")
        department = None
        if payload.department:
            department = Department.objects.filter(code=payload.department).first()
            if department is None:
                raise RuleViolation(
                    "invalid", f"未找到部门“{payload.department}”", field="department"
                )
        if payload.window is None and talent is not None:
            window = talent.window
        else:
            window = _default_window(request, payload.window, payload.center)
        row = services.appoint_commissioner(
            by=request.user,
            window=window,
            person=person,
            kind=payload.kind,
            appointed_on=payload.appointed_on,
            talent=talent,
            department=department,
            organisation=payload.organisation or "",
        )
        filing = row.filings.order_by("-id").first()
        return {
            "id": row.pk,
            "person": person.pk,
            "name": person.name,
            "kind": row.kind,
            "window": _window_label(row.window),
            "talent": row.talent_id,
            "department": row.department.code if row.department_id else None,
            "organisation": row.organisation,
            "appointed_on": row.appointed_on,
            "filed_on": filing.filed_on,
            "filing_workdays": filing.workdays,
            "filing_late": filing.late,
        }

    return idempotent(request, produce)


@router.post(
    "/talents/requests", response={201: RequestOut, **ERRORS}, summary="单位专员申办（TC-17）"
)
def create_request(request, payload: RequestIn):
    def produce():
        talent = Talent.objects.select_related("window").filter(pk=payload.talent).first()
        if talent is None:
            raise RuleViolation("invalid", "未找到该人才", field="talent")
        uc = Commissioner.objects.select_related("person").filter(pk=payload.by).first()
        if uc is None:
            raise RuleViolation("invalid", "未找到该单位专员", field="by")
        items = [_item(c, "items") for c in dict.fromkeys(payload.items)]
        r = services.file_request(
            by=request.user, talent=talent, items=items, unit_commissioner=uc, note=payload.note
        )
        return request_out(r)

    return idempotent(request, produce)


@router.get(
    "/talents/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="申请详情"
)
def get_request(request, request_id: int):
    return request_out(selectors.request_for(request.user, request_id))


@router.post(
    "/talents/requests/{request_id}/dispatch",
    response={200: RequestOut, **ERRORS},
    summary="窗口专员按部门转办（TC-17）",
)
def dispatch_request(request, request_id: int):
    r = TalentRequest.objects.filter(pk=request_id).select_related("window").first()
    if r is None:
        raise NotFound("未找到该申请")
    services.dispatch(by=request.user, request=r)
    return request_out(TalentRequest.objects.get(pk=r.pk))


@router.post(
    "/talents/tasks/{task_id}/delay",
    response={200: RequestOut, **ERRORS},
    summary="部门专员报备延期（TC-17）",
)
def delay_task(request, task_id: int, payload: DelayIn):
    task = selectors.task_for(task_id)
    services.delay_task(
        by=request.user,
        task=task,
        explanation=payload.explanation,
        new_due_date=payload.new_due_date,
    )
    return request_out(TalentRequest.objects.get(pk=task.request_id))


@router.post(
    "/talents/tasks/{task_id}/complete",
    response={200: RequestOut, **ERRORS},
    summary="部门专员办结并反馈（TC-17）",
)
def complete_task(request, task_id: int, payload: CompleteIn):
    task = selectors.task_for(task_id)
    services.complete_task(by=request.user, task=task, result=payload.result)
    return request_out(TalentRequest.objects.get(pk=task.request_id))


class GapOut(Schema):
    kind: str
    text: str


class CoverageOut(Schema):
    window: str
    center: str
    items: list[GapOut]
    count: int


@router.get(
    "/talents/windows/{code}/coverage",
    response={200: CoverageOut, **ERRORS},
    summary="专员配备缺口（TC-4）",
)
def coverage(request, code: str, center: str | None = None):
    window = selectors.window_by_code(code, center)
    window = selectors.window_for(request.user, window.pk)
    gaps = [{"kind": g["kind"], "text": g["text"]} for g in selectors.coverage(window)]
    return {
        "window": window.window.number,
        "center": window.window.center.code,
        "items": gaps,
        "count": len(gaps),
    }


class ReferralIn(Schema):
    source: Literal["12345", "provincial"]
    ticket: str
    summary: str
    request: int | None = None
    commissioner: int | None = None
    department: str | None = None
    window: str | None = None
    center: str | None = None
    satisfied: bool | None = None


class ReferralOut(Schema):
    id: int
    source: str
    ticket: str
    request: int | None
    commissioner: int | None
    department: str | None
    window: str
    received_on: datetime.date


@router.post(
    "/talents/referrals",
    response={201: ReferralOut, **ERRORS},
    summary="登记12345或省级人才热线转办（TW-10、TC-14）",
)
def create_referral(request, payload: ReferralIn):
    def produce():
        r = None
        if payload.request is not None:
            r = TalentRequest.objects.select_related("window").filter(pk=payload.request).first()
            if r is None:
                raise RuleViolation("invalid", "未找到该申请", field="request")
        window = r.window if r is not None and not payload.window else None
        window = window or _default_window(request, payload.window, payload.center)
        commissioner = None
        if payload.commissioner is not None:
            commissioner = Commissioner.objects.filter(pk=payload.commissioner).first()
            if commissioner is None:
                raise RuleViolation("invalid", "未找到该专员", field="commissioner")
        department = None
        if payload.department:
            department = Department.objects.filter(code=payload.department).first()
            if department is None:
                raise RuleViolation(
                    "invalid", f"未找到部门“{payload.department}”", field="department"
                )
        row = services.record_referral(
            by=request.user,
            window=window,
            source=payload.source,
            ticket=payload.ticket,
            summary=payload.summary,
            request=r,
            commissioner=commissioner,
            department=department,
            satisfied=payload.satisfied,
        )
        return {
            "id": row.pk,
            "source": row.source,
            "ticket": row.ticket,
            "request": row.request_id,
            "commissioner": row.commissioner_id,
            "department": row.department.code if row.department_id else None,
            "window": row.window.window.number,
            "received_on": row.received_on,
        }

    return idempotent(request, produce)
