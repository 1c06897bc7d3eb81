"""API of the comprehensive window (R-17): the center's authorizations, the staff posted at a
window, and full-process agency records of a case. Intake itself is POST /api/v1/cases with
an optional "window" code."""

import datetime

from django.utils import timezone
from ninja import Router, Schema

from zwfw.core.api import ErrorOut, idempotent
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.org.models import Department, Person
from zwfw.windows import selectors, services
from zwfw.windows.models import AgencyRecord, ComprehensiveAuthorization, WindowAssignment

router = Router(tags=["无差别综合窗口"])


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AuthorizationIn(Schema):
    department: str
    items: list[str]
    approved_on: datetime.date
    approved_by: int | None = None
    valid_from: datetime.date | None = None
    approval_ref: str = ""


class AuthorizationOut(Schema):
    id: int
    window: str
    center: str
    department: str
    items: list[str]
    approved_on: datetime.date
    approved_by: int
    approved_by_name: str
    approval_ref: str
    valid_from: datetime.date
    revoked_at: datetime.datetime | None
    revoke_reason: str
    in_force: bool


class AuthorizationList(Schema):
    items: list[AuthorizationOut]
    count: int


class RevokeIn(Schema):
    reason: str


class StaffIn(Schema):
    person: int
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


class StaffOut(Schema):
    id: int
    window: str
    person: int
    name: str
    department: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class StaffList(Schema):
    items: list[StaffOut]
    count: int


class AgencyIn(Schema):
    task: str
    agent: int | None = None


class AgencyOut(Schema):
    id: int
    case: str
    agent: int
    agent_name: str
    task: str
    at: datetime.datetime
    on: datetime.date


class AgencyList(Schema):
    items: list[AgencyOut]
    count: int


def authorization_out(a: ComprehensiveAuthorization) -> dict:
    today = timezone.localdate()
    return {
        "id": a.pk,
        "window": a.window.number,
        "center": a.window.center.code,
        "department": a.department.code,
        "items": sorted(i.code for i in a.items.all()),
        "approved_on": a.approved_on,
        "approved_by": a.approved_by_id,
        "approved_by_name": a.approved_by.name,
        "approval_ref": a.approval_ref,
        "valid_from": a.valid_from,
        "revoked_at": a.revoked_at,
        "revoke_reason": a.revoke_reason,
        "in_force": a.revoked_at is None and a.valid_from <= today,
    }


def staff_out(s: WindowAssignment) -> dict:
    return {
        "id": s.pk,
        "window": s.window.number,
        "person": s.person_id,
        "name": s.person.name,
        "department": s.person.department.code,
        "valid_from": s.valid_from,
        "valid_to": s.valid_to,
    }


def agency_out(r: AgencyRecord, number: str) -> dict:
    return {
        "id": r.pk,
        "case": number,
        "agent": r.agent_id,
        "agent_name": r.agent.name,
        "task": r.task,
        "at": r.at,
        "on": r.on,
    }


def _person(pk: int, field: str) -> Person:
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise RuleViolation("invalid", "未找到该人员", field=field)
    return person


def _items(department, codes: list[str]) -> list:
    from zwfw.catalog.models import ServiceItem

    found = {i.code: i for i in ServiceItem.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise RuleViolation("invalid", f"未找到事项“{missing[0]}”", field="items")
    return [found[c] for c in dict.fromkeys(codes)]


@router.post(
    "/windows/{code}/authorizations",
    response={201: AuthorizationOut, **ERRORS},
    summary="记录综合窗口授权（R-17）",
)
def create_authorization(request, code: str, payload: AuthorizationIn, center: str | None = None):
    def produce():
        window = selectors.comprehensive_window(code, center)
        department = Department.objects.filter(code=payload.department).first()
        if department is None:
            raise RuleViolation("invalid", f"未找到部门“{payload.department}”", field="department")
        approver = (
            _person(payload.approved_by, "approved_by")
            if payload.approved_by is not None
            else getattr(request.user, "person", None)
        )
        auth = services.authorize(
            by=request.user,
            window=window,
            department=department,
            items=_items(department, payload.items),
            approved_on=payload.approved_on,
            approved_by=approver,
            valid_from=payload.valid_from,
            approval_ref=payload.approval_ref,
        )
        return authorization_out(auth)

    return idempotent(request, produce)


@router.get(
    "/windows/{code}/authorizations",
    response={200: AuthorizationList, **ERRORS},
    summary="综合窗口授权列表",
)
def list_authorizations(request, code: str, center: str | None = None):
    window = selectors.comprehensive_window(code, center)
    rows = list(selectors.readable_authorizations(request.user, window))
    return {"items": [authorization_out(a) for a in rows], "count": len(rows)}


@router.post(
    "/windows/{code}/authorizations/{auth_id}/revoke",
    response={200: AuthorizationOut, **ERRORS},
    summary="撤销综合窗口授权",
)
def revoke_authorization(
    request, code: str, auth_id: int, payload: RevokeIn, center: str | None = None
):
    window = selectors.comprehensive_window(code, center)
    auth = ComprehensiveAuthorization.objects.filter(pk=auth_id, window=window).first()
    if auth is None:
        raise NotFound("未找到该授权")
    auth = services.revoke(by=request.user, authorization=auth, reason=payload.reason)
    return authorization_out(selectors.authorizations(window).get(pk=auth.pk))


@router.post(
    "/windows/{code}/staff", response={201: StaffOut, **ERRORS}, summary="安排综合窗口人员"
)
def create_staff(request, code: str, payload: StaffIn, center: str | None = None):
    def produce():
        window = selectors.comprehensive_window(code, center)
        post = services.post_staff(
            by=request.user,
            window=window,
            person=_person(payload.person, "person"),
            valid_from=payload.valid_from or timezone.localdate(),
            valid_to=payload.valid_to,
        )
        return staff_out(post)

    return idempotent(request, produce)


@router.get("/windows/{code}/staff", response={200: StaffList, **ERRORS}, summary="综合窗口人员")
def list_staff(request, code: str, center: str | None = None):
    window = selectors.comprehensive_window(code, center)
    selectors.readable_authorizations(request.user, window)  # same readers as the authorizations
    rows = selectors.window_staff(window)
    return {"items": [staff_out(s) for s in rows], "count": len(rows)}


@router.post("/cases/{number}/agency", response={201: AgencyOut, **ERRORS}, summary="登记全程代办")
def create_agency(request, number: str, payload: AgencyIn):
    from zwfw.cases.selectors import case_for_action

    def produce():
        case = case_for_action(request.user, number)
        agent = _person(payload.agent, "agent") if payload.agent is not None else None
        record = services.record_agency(by=request.user, case=case, task=payload.task, agent=agent)
        return agency_out(record, number)

    return idempotent(request, produce)


@router.get("/cases/{number}/agency", response={200: AgencyList, **ERRORS}, summary="全程代办记录")
def list_agency(request, number: str):
    from zwfw.cases.selectors import case_for

    case = case_for(request.user, number)
    rows = selectors.agency_of(case)
    return {"items": [agency_out(r, number) for r in rows], "count": len(rows)}
