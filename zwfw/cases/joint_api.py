"""The joint-case API (API.md, Cases: joint cases). Parse, call a service or selector, return."""

import datetime

from ninja import Router, Schema

from zwfw.cases import joint as services
from zwfw.cases import joint_selectors as selectors
from zwfw.cases import ratelimit
from zwfw.cases.api import ERRORS, _materials
from zwfw.cases.models_joint import JointState
from zwfw.cases.schemas import ApplicantIn, ExtendIn, MaterialIn, NoticeItemIn, ReasonIn
from zwfw.core.api import idempotent
from zwfw.core.errors import RuleViolation
from zwfw.core.middleware import request_ip

router = Router(tags=["一事联办"])


class JointIn(Schema):
    title: str = ""
    items: list[str]
    applicant: ApplicantIn
    channel: str = "window"
    materials: list[str | MaterialIn] = []
    phone: str | None = None
    theme: str | None = None  # optional: otherwise the active theme holding every item


class JointNoticeIn(Schema):
    missing: list[str | NoticeItemIn] = []
    note: str = ""


class JointSupplementIn(Schema):
    materials: list[str | MaterialIn]


class CountersignIn(Schema):
    case: str
    opinion: str


class PartOut(Schema):
    department: str
    department_name: str
    case: str
    item: str
    item_name: str
    status: str
    status_label: str
    procedure: str
    due_date: datetime.date | None
    countersign: bool
    countersign_opinion: str
    countersigned_on: datetime.date | None


class JointMaterialOut(Schema):
    name: str
    required: bool
    status: str
    form: str
    problem: str
    cases: list[str]


class JointOut(Schema):
    number: str
    title: str
    theme: str
    theme_name: str
    lead_department: str
    applicant: str
    channel: str
    status: str
    status_label: str
    received_at: datetime.datetime
    accepted_on: datetime.date | None
    limit_days: int
    extension_days: int
    due_date: datetime.date | None
    remaining_workdays: int | None
    alert_level: str
    completed_on: datetime.date | None
    parts: list[PartOut]
    materials: list[JointMaterialOut]
    notices: list[dict]


class PublicPartOut(Schema):
    case: str
    item_name: str
    department_name: str
    status: str
    status_label: str
    due_date: datetime.date | None
    completed_on: datetime.date | None


class PublicEventOut(Schema):
    case: str
    at: datetime.datetime
    text: str
    action: str


class PublicJointOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    accepted_on: datetime.date | None
    due_date: datetime.date | None
    completed_on: datetime.date | None
    parts: list[PublicPartOut]
    materials: list[JointMaterialOut]
    notices: list[dict]
    events: list[PublicEventOut]


class JointCodeOut(Schema):
    message: str


PROCEDURE_OUT = {"final": "chief"}


def joint_out(joint) -> dict:
    v = selectors.view(joint)
    return {
        "number": joint.number,
        "title": joint.title,
        "theme": joint.theme.code,
        "theme_name": joint.theme.name,
        "lead_department": joint.theme.lead_department.code,
        "applicant": joint.applicant.masked_name,
        "channel": joint.channel,
        "status": v.status,
        "status_label": v.status_label,
        "received_at": joint.received_at,
        "accepted_on": v.accepted_on,
        "limit_days": joint.limit_days,
        "extension_days": joint.extension_days,
        "due_date": v.due_date,
        "remaining_workdays": v.remaining_workdays,
        "alert_level": v.alert_level,
        "completed_on": v.completed_on,
        "parts": [
            {
                "department": part.department.code,
                "department_name": part.department.name,
                "case": case.number,
                "item": case.item.code,
                "item_name": case.item.name,
                "status": case.status,
                "status_label": str(case.get_status_display()),
                "procedure": PROCEDURE_OUT.get(case.procedure, case.procedure),
                "due_date": case.due_date,
                "countersign": part.countersign,
                "countersign_opinion": part.countersign_opinion,
                "countersigned_on": part.countersigned_on,
            }
            for part, case in v.parts
        ],
        "materials": selectors.materials_of(joint),
        "notices": selectors.notices_of(joint),
    }


def public_out(joint) -> dict:
    v = selectors.view(joint)
    return {
        "number": joint.number,
        "title": joint.title,
        "status": v.status,
        "status_label": v.status_label,
        "accepted_on": v.accepted_on,
        "due_date": v.due_date,
        "completed_on": v.completed_on,
        "parts": [
            {
                "case": case.number,
                "item_name": case.item.name,
                "department_name": part.department.name,
                "status": case.status,
                "status_label": str(case.get_status_display()),
                "due_date": case.due_date,
                "completed_on": case.completed_on,
            }
            for part, case in v.parts
        ],
        "materials": selectors.materials_of(joint),
        "notices": selectors.notices_of(joint),
        "events": [
            {"case": e.case.number, "at": e.at, "text": e.text, "action": e.action}
            for e in selectors.public_events(joint)
        ],
    }


def _detail(request, number: str) -> dict:
    return joint_out(selectors.joint_for(request.user, number))


@router.post("/joint-cases", response={201: JointOut, **ERRORS}, summary="联办件收件")
def create_joint_case(request, payload: JointIn):
    def produce():
        from zwfw.cases.services import ApplicantData

        phone = payload.applicant.phone or payload.phone
        if not phone:
            raise RuleViolation("invalid", "缺少申请人联系电话", field="applicant.phone")
        a = payload.applicant
        joint = services.take_in_joint(
            by=request.user,
            items=payload.items,
            theme=payload.theme or "",
            title=payload.title,
            channel=payload.channel,
            phone=phone,
            applicant=ApplicantData(
                kind=a.kind,
                name=a.name,
                id_number=a.id_number or "",
                credit_code=a.credit_code or "",
            ),
            materials=_materials(payload.materials),
        )
        return _detail(request, joint.number)

    return idempotent(request, produce)


@router.get("/joint-cases", response={200: list[JointOut], **ERRORS}, summary="联办件列表")
def list_joint_cases(request, status: str = ""):
    if status and status not in JointState.values:
        raise RuleViolation("invalid", "未知的联办件状态", field="status")
    return [joint_out(v.joint) for v in selectors.views(request.user, status=status)]


@router.get("/joint-cases/{number}", response={200: JointOut, **ERRORS}, summary="联办件详情")
def get_joint_case(request, number: str):
    return _detail(request, number)


def _act(request, number: str, call) -> dict:
    joint = selectors.joint_for(request.user, number)
    call(joint)
    return _detail(request, number)


@router.post(
    "/joint-cases/{number}/accept", response={200: JointOut, **ERRORS}, summary="联办件受理"
)
def accept(request, number: str):
    return _act(request, number, lambda j: services.accept_joint(joint=j, by=request.user))


@router.post(
    "/joint-cases/{number}/supplement-notice",
    response={200: JointOut, **ERRORS},
    summary="联办件一次性告知",
)
def supplement_notice(request, number: str, payload: JointNoticeIn):
    missing = [m if isinstance(m, str) else m.dict() for m in payload.missing]
    return _act(
        request,
        number,
        lambda j: services.send_joint_supplement_notice(
            joint=j, by=request.user, missing=missing, note=payload.note
        ),
    )


@router.post(
    "/joint-cases/{number}/supplement", response={200: JointOut, **ERRORS}, summary="联办件补正"
)
def supplement(request, number: str, payload: JointSupplementIn):
    return _act(
        request,
        number,
        lambda j: services.supplement_joint(
            joint=j, by=request.user, materials=_materials(payload.materials)
        ),
    )


@router.post(
    "/joint-cases/{number}/extend", response={200: JointOut, **ERRORS}, summary="联办件延期"
)
def extend(request, number: str, payload: ExtendIn):
    return _act(
        request,
        number,
        lambda j: services.extend_joint(
            joint=j, by=request.user, days=payload.days, reason=payload.reason
        ),
    )


@router.post(
    "/joint-cases/{number}/withdraw", response={200: JointOut, **ERRORS}, summary="联办件撤回"
)
def withdraw(request, number: str, payload: ReasonIn):
    return _act(
        request,
        number,
        lambda j: services.withdraw_joint(joint=j, by=request.user, reason=payload.reason),
    )


@router.post(
    "/joint-cases/{number}/countersign", response={200: JointOut, **ERRORS}, summary="牵头部门会签"
)
def countersign(request, number: str, payload: CountersignIn):
    return _act(
        request,
        number,
        lambda j: services.countersign_part(
            joint=j, by=request.user, case_number=payload.case, opinion=payload.opinion
        ),
    )


@router.get(
    "/public/joint-cases/{number}",
    auth=None,
    response={200: PublicJointOut, **ERRORS},
    summary="联办件进度查询（公众，无需登录）",
    description="The rules of `GET /public/cases/{number}` (phone_last4, guess limit, sms_code).",
)
def public_joint_case(request, number: str, phone_last4: str = "", sms_code: str = ""):
    ratelimit.check_public_query(request)
    joint = services.public_joint_lookup(number=number, phone_last4=phone_last4, sms_code=sms_code)
    return public_out(joint)


@router.post(
    "/public/joint-cases/{number}/code",
    auth=None,
    response={202: JointCodeOut, **ERRORS},
    summary="获取联办件查询短信验证码（公众，无需登录）",
)
def public_joint_code(request, number: str):
    services.send_joint_query_code(number=number, ip=request_ip(request))
    return 202, {"message": "如该联办件需要验证码，验证码已发送至预留的手机号"}
