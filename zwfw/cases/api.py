"""The case API (API.md, Cases): parse, call a service or selector, return. No rules here."""

from django.utils import timezone
from ninja import Router

from zwfw.cases import api_docs, ratelimit, selectors, services
from zwfw.cases.models import Case, Project, SupplementNotice, masked_applicant_name
from zwfw.cases.schemas import (
    CaseIn,
    CaseList,
    CaseOut,
    DecideIn,
    ExtendIn,
    FirstReviewIn,
    PauseIn,
    PublicCaseOut,
    PublicCodeIn,
    PublicCodeOut,
    PublicWithdrawIn,
    ReasonIn,
    ReferIn,
    RefuseIn,
    RenameApplicantIn,
    StepIn,
    SupplementIn,
    SupplementNoticeIn,
)
from zwfw.cases.services import public
from zwfw.cases.states import CaseState
from zwfw.core.api import ErrorOut, idempotent
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.middleware import request_ip

router = Router(tags=["办件"])
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def _notice_out(notice: SupplementNotice | None) -> dict | None:
    if notice is None:
        return None
    return {
        "issued_on": notice.issued_on,
        "items": notice.items,
        "note": notice.note,
        "completed_on": notice.completed_on,
    }


def _given_name(case: Case) -> str | None:
    if not case.name_mismatch:
        return None
    from zwfw.cases.models import ApplicantKind
    from zwfw.core.masking import mask_name

    given = case.applicant_name_given
    return mask_name(given) if case.applicant.kind == ApplicantKind.PERSON else given


# API.md names the chief officer's direct decision `chief` (the model keeps `final`).
PROCEDURE_OUT = {"final": "chief"}


def _steps_out(case: Case) -> tuple[list[dict], dict | None]:
    from zwfw.cases.services.steps import current_step, steps_of

    if case.procedure != "normal":
        return [], None
    done = steps_of(case)
    rows = [
        {
            "step": s.step,
            "post": s.post,
            "by": s.by.name,
            "on": s.on,
            "opinion": s.opinion,
            "result": s.result,
        }
        for s in done
    ]
    return rows, current_step(case, len(done))


def _intake_window(case: Case) -> str | None:
    """R-17: the number of the window the case was taken in at (read with the case)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return case.intake_window.window.number
    except ObjectDoesNotExist:
        return None


def case_out(case: Case) -> dict:
    steps, current = _steps_out(case)
    return {
        "number": case.number,
        "window": _intake_window(case),
        "status": case.status,
        "status_label": case.get_status_display(),
        "item": case.item.code,
        "item_name": str(case.item),
        "item_version": case.item_version,
        "department": case.department.code,
        "channel": case.channel,
        "procedure": PROCEDURE_OUT.get(case.procedure, case.procedure),
        "steps": steps,
        "current_step": current,
        "applicant": case.applicant.masked_name,
        "received_at": case.received_at,
        "acceptance_deadline": case.acceptance_deadline,
        "accepted_at": case.accepted_at,
        "accepted_on": case.accepted_on,
        "deemed_accepted": case.deemed_accepted,
        "limit_days": case.limit_days,
        "extension_days": case.extension_days,
        "due_date": case.due_date,
        "due_provisional": case.due_provisional,
        "remaining_workdays": case.remaining_workdays,
        "alert_level": case.alert_level,
        "paused_workdays": case.paused_workdays,
        "decided_by": case.decided_by.name if case.decided_by_id else None,
        "decided_on": case.decided_on,
        "grant": case.grant_id,
        # N-13: in the normal procedure the authority relied on is the last step's post.
        "post_assignment": case.post_assignment_id,
        "result": case.result,
        "opinion": case.opinion,
        "committee_meeting": case.committee_meeting_id,
        "project": case.project_id,
        "name_mismatch": case.name_mismatch,
        "applicant_name_given": _given_name(case),
        "materials": [
            {
                "name": m.name,
                "required": m.required,
                "status": m.status,
                "form": m.form,
                "problem": m.problem,
            }
            for m in case.materials.all()
        ],
        "notice": _notice_out(selectors.notice_of(case)),
        "events": [
            {
                "at": e.at,
                "on": e.on,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_name,
                "text": e.text,
            }
            for e in case.events.all()
        ],
    }


def _detail(request, number: str) -> dict:
    # As the catch-up would leave it, computed in memory: a GET never writes (point 17).
    # The answer shows no pause or extension rows: the clock entries are not read.
    return case_out(selectors.as_of(selectors.case_for(request.user, number, clock=False)))


def _target(request, number: str) -> Case:
    """The case in the caller's scope, with a due deemed acceptance applied first (write
    paths only)."""
    case = selectors.case_for_action(request.user, number)
    return services.bring_up_to_date(case=case)


def _materials(rows) -> dict[str, str]:
    out = {}
    for row in rows:
        if isinstance(row, str):
            out[row] = ""
        else:
            out[row.name] = row.form or ""
    return out


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="收件（新建办件）")
def create_case(request, payload: CaseIn):
    def produce():
        from zwfw.catalog.selectors import item_by_code

        try:
            item = item_by_code(payload.item)
        except NotFound:
            raise RuleViolation("invalid", f"未找到事项“{payload.item}”", field="item")
        phone = payload.applicant.phone or payload.phone
        if not phone:
            raise RuleViolation("invalid", "缺少申请人联系电话", field="applicant.phone")
        project = None
        if payload.project is not None:
            project = Project.objects.filter(pk=payload.project).first()
            if project is None:
                raise RuleViolation("invalid", "未找到该招商引资项目", field="project")
        agent = services.AgentData(**payload.agent.dict()) if payload.agent else None
        window = None
        if payload.window:
            from zwfw.org.selectors import window_by_code

            center = item.department.center
            window = window_by_code(payload.window, center) if center else None
            if window is None:
                raise RuleViolation("invalid", f"未找到窗口“{payload.window}”", field="window")
        a = payload.applicant
        case = services.take_in(
            by=request.user,
            item=item,
            channel=payload.channel,
            phone=phone,
            applicant=services.ApplicantData(
                kind=a.kind,
                name=a.name,
                id_number=a.id_number or "",
                credit_code=a.credit_code or "",
            ),
            materials=_materials(payload.materials),
            project=project,
            agent=agent,
            window=window,
        )
        return _detail(request, case.number)

    return idempotent(request, produce)


# What list_cases' rows read: values, not model instances (200 of them a page).
LIST_COLUMNS = (
    "number",
    "status",
    "item__code",
    "item__name",
    "department__code",
    "applicant__kind",
    "applicant__name",
    "received_at",
    "due_date",
    "remaining_workdays",
    "alert_level",
)


@router.get("/cases", response={200: CaseList, **ERRORS}, summary="办件列表")
def list_cases(
    request,
    status: str = "",
    department: str = "",
    alert_level: str = "",
    overdue: bool = False,
    page: int = 1,
    page_size: int = 50,
):
    if status and status not in CaseState.values:
        raise RuleViolation("invalid", "未知的办件状态", field="status")
    if alert_level and alert_level not in ("green", "yellow", "red"):
        raise RuleViolation("invalid", "预警等级须为 green、yellow 或 red", field="alert_level")
    dept = None
    if department:
        from zwfw.org.models import Department

        dept = Department.objects.filter(code=department).first()
        if dept is None:
            raise RuleViolation("invalid", f"未找到部门“{department}”", field="department")
    rows, count = selectors.case_list_page(
        request.user,
        page,
        page_size,
        values=LIST_COLUMNS,
        status=status,
        department=dept,
        alert_level=alert_level,
        overdue=overdue,
        on=timezone.localdate(),
    )
    return {
        "count": count,
        "items": [
            {
                "number": c["number"],
                "status": c["status"],
                "item": c["item__code"],
                "item_name": c["item__name"],
                "department": c["department__code"],
                "applicant": masked_applicant_name(c["applicant__kind"], c["applicant__name"]),
                "received_at": c["received_at"],
                "due_date": c["due_date"],
                "remaining_workdays": c["remaining_workdays"],
                "alert_level": c["alert_level"],
            }
            for c in rows
        ],
    }


@router.get("/cases/{number}", response={200: CaseOut, **ERRORS}, summary="办件详情")
def get_case(request, number: str):
    return _detail(request, number)


def _act(request, number: str, call) -> dict:
    case = _target(request, number)
    call(case)
    return _detail(request, number)


@router.post("/cases/{number}/accept", response={200: CaseOut, **ERRORS}, summary="受理")
def accept(request, number: str):
    return _act(request, number, lambda c: services.accept_case(case=c, by=request.user))


@router.post("/cases/{number}/refuse", response={200: CaseOut, **ERRORS}, summary="不予受理")
def refuse(request, number: str, payload: RefuseIn):
    return _act(
        request,
        number,
        lambda c: services.refuse_case(
            case=c,
            by=request.user,
            reason=payload.reason,
            competent_authority=payload.competent_authority,
        ),
    )


@router.post(
    "/cases/{number}/supplement-notice", response={200: CaseOut, **ERRORS}, summary="一次性告知"
)
def supplement_notice(request, number: str, payload: SupplementNoticeIn):
    missing = [m if isinstance(m, str) else m.dict() for m in payload.missing]
    return _act(
        request,
        number,
        lambda c: services.send_supplement_notice(
            case=c, by=request.user, missing=missing, note=payload.note
        ),
    )


@router.post("/cases/{number}/supplement", response={200: CaseOut, **ERRORS}, summary="补正")
def supplement(request, number: str, payload: SupplementIn):
    return _act(
        request,
        number,
        lambda c: services.supplement_case(
            case=c, by=request.user, materials=_materials(payload.materials)
        ),
    )


@router.post("/cases/{number}/pause", response={200: CaseOut, **ERRORS}, summary="暂停计时")
def pause(request, number: str, payload: PauseIn):
    return _act(
        request,
        number,
        lambda c: services.pause_case(
            case=c, by=request.user, reason=payload.reason, note=payload.note
        ),
    )


@router.post("/cases/{number}/resume", response={200: CaseOut, **ERRORS}, summary="恢复计时")
def resume(request, number: str):
    return _act(request, number, lambda c: services.resume_case(case=c, by=request.user))


@router.post("/cases/{number}/extend", response={200: CaseOut, **ERRORS}, summary="延期")
def extend(request, number: str, payload: ExtendIn):
    return _act(
        request,
        number,
        lambda c: services.extend_case(
            case=c, by=request.user, days=payload.days, reason=payload.reason
        ),
    )


@router.post("/cases/{number}/first-review", response={200: CaseOut, **ERRORS}, summary="初审")
def first_review(request, number: str, payload: FirstReviewIn):
    return _act(
        request,
        number,
        lambda c: services.first_review_case(case=c, by=request.user, opinion=payload.opinion),
    )


@router.post("/cases/{number}/decide", response={200: CaseOut, **ERRORS}, summary="作出决定")
def decide(request, number: str, payload: DecideIn):
    return _act(
        request,
        number,
        lambda c: services.decide_case(
            case=c,
            by=request.user,
            result=payload.result,
            opinion=payload.opinion,
            use_seal=payload.use_seal,
        ),
    )


@router.post(
    "/cases/{number}/steps", response={200: CaseOut, **ERRORS}, summary="办理环节（一般程序）"
)
def record_step(request, number: str, payload: StepIn):
    return _act(
        request,
        number,
        lambda c: services.record_step(
            case=c,
            by=request.user,
            step=payload.step,
            opinion=payload.opinion,
            result=payload.result or "",
        ),
    )


@router.post(
    "/cases/{number}/refer", response={200: CaseOut, **ERRORS}, summary="提交审批决策委员会"
)
def refer(request, number: str, payload: ReferIn):
    from zwfw.grants.models import CommitteeMeeting

    meeting = CommitteeMeeting.objects.filter(pk=payload.meeting).first()
    if meeting is None:
        raise RuleViolation("invalid", "未找到该委员会会议", field="meeting")
    return _act(
        request,
        number,
        lambda c: services.refer_case(case=c, by=request.user, meeting=meeting, note=payload.note),
    )


@router.post("/cases/{number}/complete", response={200: CaseOut, **ERRORS}, summary="办结")
def complete(request, number: str):
    return _act(request, number, lambda c: services.complete_case(case=c, by=request.user))


@router.post("/cases/{number}/withdraw", response={200: CaseOut, **ERRORS}, summary="撤回")
def withdraw(request, number: str, payload: ReasonIn):
    return _act(
        request,
        number,
        lambda c: services.withdraw_case(case=c, by=request.user, reason=payload.reason),
    )


@router.post("/cases/{number}/terminate", response={200: CaseOut, **ERRORS}, summary="终止")
def terminate(request, number: str, payload: ReasonIn):
    return _act(
        request,
        number,
        lambda c: services.terminate_case(case=c, by=request.user, reason=payload.reason),
    )


@router.post(
    "/cases/{number}/rename-applicant",
    response={200: CaseOut, **ERRORS},
    summary="更正申请人登记名称（部门管理员或中心管理员，记入审计日志）",
)
def rename_applicant(request, number: str, payload: RenameApplicantIn):
    """An application never renames its applicant; when `name_mismatch` is true, staff who
    checked the licence or ID rename the registered applicant here (every case, ledger and
    document follows)."""
    case = selectors.case_for_action(request.user, number)
    services.rename_applicant(
        applicant=case.applicant, name=payload.name, by=request.user, reason=payload.reason
    )
    return _detail(request, number)


# First-inquiry log, case documents and delivery (issue 12 points 5, 6): before the catch-all.
api_docs.register(router, ERRORS)


@router.post("/cases/{number}/{action}", response={404: ErrorOut}, include_in_schema=False)
def unknown_action(request, number: str, action: str):
    raise NotFound(f"不支持的办件操作“{action[:30]}”", code="unknown_action")


def public_out(case: Case) -> dict:
    return {
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "item": str(case.item),
        "department": case.department.name,
        "applicant": case.applicant.masked_name,
        "received_on": timezone.localdate(case.received_at),
        "accepted_on": case.accepted_on,
        "deemed_accepted": case.deemed_accepted,
        "due_date": case.due_date,
        "due_provisional": case.due_provisional,
        "result": case.result,
        "pauses": [
            {"reason": p["reason_label"], "start": p["start"], "end": p["end"]}
            for p in selectors.pauses_of(case)
        ],
        "notice": _notice_out(selectors.notice_of(case)),
        "events": [
            {"on": e.on, "action": e.action, "text": e.text} for e in selectors.public_events(case)
        ],
    }


PUBLIC_QUERY_DOC = """No account. Limited per client address (CASES_PUBLIC_QUERY_LIMIT, 429
`rate_limited`). Wrong `phone_last4` values count against the case number; past
CASES_PUBLIC_GUESS_LIMIT the case answers 429 `sms_code_required` even to the right digits,
until the caller asks `POST /public/cases/{number}/code` (purpose `query`) for a code texted
to the case's phone and sends it as `sms_code`."""


@router.get(
    "/public/cases/{number}",
    auth=None,
    response={200: PublicCaseOut, **ERRORS},
    summary="办件进度查询（公众，无需登录）",
    description=PUBLIC_QUERY_DOC,
)
def public_case(request, number: str, phone_last4: str = "", sms_code: str = ""):
    ratelimit.check_public_query(request)
    case = public.public_lookup(number=number, phone_last4=phone_last4, sms_code=sms_code)
    return public_out(selectors.as_of(case))


@router.post(
    "/public/cases/{number}/code",
    auth=None,
    response={202: PublicCodeOut, **ERRORS},
    summary="获取办件短信验证码（公众，无需登录）",
    description=(
        "Texts a one-time code to the case's phone (never shown). `query`: for a case that "
        "answers only with a code; the answer is the same whether or not a code was needed "
        "or the number exists. `withdraw`: needs `phone_last4` (counted like a query) and "
        "then `POST /public/cases/{number}/withdraw`. Limited per address "
        "(CASES_PUBLIC_CODE_LIMIT) and per phone (ZWFW_SMS_CODE_PHONE_LIMIT): 429."
    ),
)
def public_case_code(request, number: str, payload: PublicCodeIn):
    ip = request_ip(request)
    if payload.purpose == "withdraw":
        ratelimit.check_public_query(request)
        case = public.public_lookup(
            number=number, phone_last4=payload.phone_last4, sms_code=payload.sms_code
        )
        public.send_withdraw_code(case=case, ip=ip)
        return 202, {"message": "验证码已发送至办件预留的手机号"}
    public.send_query_code(number=number, ip=ip)
    return 202, {"message": "如该办件需要验证码，验证码已发送至办件预留的手机号"}


@router.post(
    "/public/cases/{number}/withdraw",
    auth=None,
    response={200: PublicCaseOut, **ERRORS},
    summary="申请人撤回申请（公众，须短信验证码）",
    description=(
        "Withdraws with the code texted to the case's phone (`POST /public/cases/{number}/code`"
        " with purpose `withdraw`); the last four digits alone are not enough. A wrong code "
        "answers 422 `sms_code` (the code allows ZWFW_SMS_CODE_ATTEMPTS tries)."
    ),
)
def public_withdraw(request, number: str, payload: PublicWithdrawIn):
    ratelimit.check_public_query(request)
    case = public.find_case(number)
    if case is None:
        raise RuleViolation("sms_code", public.NO_CASE_CODE, field="sms_code")
    case = public.withdraw_by_applicant(case=case, sms_code=payload.sms_code, reason=payload.reason)
    return public_out(case)
