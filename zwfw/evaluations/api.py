"""The 好差评 API (API.md, "Cases" and "Ratings, rectification"): parse, call a service or
selector, return. No rules here.

Who may rate a case through the API:
- an evaluator device (header `X-Device-Token`, bound to a window; the token is stored as a
  digest): its ratings count as confirmed;
- an integrator account: an ordinary account (bearer token from POST /auth/token) that a
  center administrator registered with POST /evaluations/integrators (IntegratorAccount);
  API.md: "an integrator account posting a rating its own platform collected counts as
  confirmed", so its bad reviews open rectification tickets;
- a staff account in the case's scope (center administrators), recording what a channel
  received: never for its own department, a case it took in or itself (403, N-18); its bad
  reviews are kept unverified and open no ticket.
The public, no-login path is the rating page (/public/rate/…)."""

from ninja import Query, Router
from ninja.security import APIKeyHeader, SessionAuth

from zwfw.core.api import BearerAuth, idempotent, paginate
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.evaluations import api_follow_up, links, presenters, selectors, services
from zwfw.evaluations.models import (
    Appeal,
    EvaluationChannel,
    EvaluatorDevice,
    Level,
)
from zwfw.evaluations.schemas import (
    ERRORS,
    AppealIn,
    AppealList,
    AppealOut,
    DecideAppealIn,
    DeviceCreated,
    DeviceIn,
    DeviceOut,
    EvaluationIn,
    EvaluationList,
    EvaluationOut,
    IntegratorIn,
    IntegratorOut,
    VisitEvaluationIn,
    VisitIn,
    VisitOut,
)

router = Router(tags=["好差评"])


class DeviceAuth(APIKeyHeader):
    """An evaluator device at a window (评价器)."""

    param_name = "X-Device-Token"

    def authenticate(self, request, key):
        device = selectors.device_for_token(key or "")
        if device is not None:
            services.device_seen(device)
        return device


# Devices first: a device call carries no user.
DEVICE_OR_USER = [DeviceAuth(), BearerAuth(), SessionAuth()]


def _device(request) -> EvaluatorDevice | None:
    return request.auth if isinstance(request.auth, EvaluatorDevice) else None


def _user(request):
    if _device(request) is not None:
        return None
    return request.user


# --- ratings -------------------------------------------------------------------------------


@router.post(
    "/cases/{number}/evaluation",
    auth=DEVICE_OR_USER,
    response={201: EvaluationOut, **ERRORS},
    summary="评价办件（一事一评）",
)
def rate_case(request, number: str, payload: EvaluationIn):
    device = _device(request)

    def produce():
        # Devices and integrator accounts hold no staff scope; the service checks their
        # center. Staff accounts see only cases in their scope.
        if device is not None or services.integrator_of(request.user) is not None:
            case = selectors.case_by_number(number)
        else:
            from zwfw.cases.selectors import case_for_action

            case = case_for_action(request.user, number)
        evaluation = services.rate_case(
            case=case,
            level=payload.level,
            channel=payload.channel or "",
            comment=payload.comment or "",
            tags=payload.tags,
            by=_user(request),
            device=device,
        )
        return presenters.fresh_evaluation(evaluation.pk)

    return idempotent(request, produce)


@router.get(
    "/cases/{number}/evaluations",
    response={200: list[EvaluationOut], **ERRORS},
    summary="办件的全部评价",
)
def case_evaluations(request, number: str):
    from zwfw.cases.selectors import case_for_action

    case = case_for_action(request.user, number)
    return [
        presenters.evaluation_out(e)
        for e in selectors.visible_evaluations(request.user).filter(case=case)
    ]


@router.get("/evaluations", response={200: EvaluationList, **ERRORS}, summary="评价列表")
def list_evaluations(
    request,
    department: str = "",
    level: int | None = Query(None, description="星级 1–5（5=非常满意，1=非常不满意）"),
    channel: str = "",
    bad: bool | None = None,
    month: str = "",
    case: str = "",
    page: int = 1,
    page_size: int = 50,
):
    if level is not None and level not in Level.values:
        raise RuleViolation("invalid", "评价等级须为1至5星", field="level")
    if channel and channel not in EvaluationChannel.values:
        raise RuleViolation("invalid", "未知的评价渠道", field="channel")
    parsed = selectors.parse_month(month) if month else None
    if month and parsed is None:
        raise RuleViolation("invalid", "月份须为 YYYY-MM 格式", field="month")
    qs = selectors.visible_evaluations(
        request.user,
        department=presenters.department_by_code(department),
        level=level,
        channel=channel,
        bad=bad,
        month=parsed,
        case_number=case,
    )
    rows, count = paginate(qs, page, page_size)
    return {"items": [presenters.evaluation_out(e) for e in rows], "count": count}


@router.get(
    "/evaluations/{int:evaluation_id}",
    response={200: EvaluationOut, **ERRORS},
    summary="评价详情",
)
def get_evaluation(request, evaluation_id: int):
    return presenters.evaluation_out(selectors.evaluation_for(request.user, evaluation_id))


@router.post(
    "/evaluations/visits",
    auth=DEVICE_OR_USER,
    response={201: VisitOut, **ERRORS},
    summary="结束窗口服务，生成一次性评价链接（一次一评）",
)
def start_visit(request, payload: VisitIn):
    from zwfw.org.models import Person, Window

    window = staff = case = None
    if payload.window is not None:
        window = (
            Window.objects.select_related("center", "department").filter(pk=payload.window).first()
        )
        if window is None:
            raise RuleViolation("invalid", "未找到该窗口", field="window")
    if payload.staff is not None:
        staff = Person.objects.select_related("department__center").filter(pk=payload.staff).first()
        if staff is None:
            raise RuleViolation("invalid", "未找到该工作人员", field="staff")
    if payload.case:
        case = selectors.case_by_number(payload.case)

    def produce():
        visit, token = services.start_visit(
            by=_user(request), device=_device(request), window=window, staff=staff, case=case
        )
        return {
            "id": visit.pk,
            "token": token,
            "url": links.visit_url(token, request),
            "expires_at": visit.expires_at,
        }

    return idempotent(request, produce)


@router.post(
    "/evaluations/visits/{token}/evaluation",
    auth=DEVICE_OR_USER,
    response={201: EvaluationOut, **ERRORS},
    summary="评价一次窗口服务（一次一评）",
)
def rate_visit(request, token: str, payload: VisitEvaluationIn):
    device = _device(request)
    evaluation = services.rate_visit(
        token=token,
        level=payload.level,
        comment=payload.comment or "",
        tags=payload.tags,
        rater_phone=payload.rater_phone or "",
        channel=EvaluationChannel.SELF_SERVICE if device is None else EvaluationChannel.DEVICE,
        device=device,
        by=_user(request),
    )
    return 201, presenters.fresh_evaluation(evaluation.pk)


# --- appeals -------------------------------------------------------------------------------


@router.post(
    "/evaluations/{int:evaluation_id}/appeal",
    response={201: AppealOut, **ERRORS},
    summary="部门对差评提出申诉",
)
def file_appeal(request, evaluation_id: int, payload: AppealIn):
    evaluation = selectors.evaluation_for(request.user, evaluation_id)
    appeal = services.file_appeal(evaluation=evaluation, by=request.user, reason=payload.reason)
    return 201, presenters.appeal_out(appeal)


@router.get("/appeals", response={200: AppealList, **ERRORS}, summary="申诉列表")
def list_appeals(request, status: str = "", page: int = 1, page_size: int = 50):
    if status and status not in Appeal.Status.values:
        raise RuleViolation("invalid", "申诉状态须为 pending、upheld 或 rejected", field="status")
    rows, count = paginate(selectors.visible_appeals(request.user, status=status), page, page_size)
    return {"items": [presenters.appeal_out(a) for a in rows], "count": count}


@router.post(
    "/appeals/{int:appeal_id}/decide",
    response={200: AppealOut, **ERRORS},
    summary="中心复核申诉",
)
def decide_appeal(request, appeal_id: int, payload: DecideAppealIn):
    appeal = selectors.appeal_for(request.user, appeal_id)
    appeal = services.decide_appeal(
        appeal=appeal, by=request.user, upheld=payload.upheld, opinion=payload.opinion
    )
    return presenters.appeal_out(appeal)


# --- devices -------------------------------------------------------------------------------


@router.post(
    "/evaluations/devices",
    response={201: DeviceCreated, **ERRORS},
    summary="登记窗口评价器（令牌仅显示一次）",
)
def register_device(request, payload: DeviceIn):
    from zwfw.org.models import Window

    window = Window.objects.select_related("center").filter(pk=payload.window).first()
    if window is None:
        raise RuleViolation("invalid", "未找到该窗口", field="window")

    def produce():
        device, token = services.register_device(by=request.user, window=window, name=payload.name)
        return {**presenters.device_out(device), "token": token}

    return idempotent(request, produce)


@router.get("/evaluations/devices", response={200: list[DeviceOut], **ERRORS}, summary="评价器列表")
def list_devices(request):
    from zwfw.core.permissions import Role, has_role_anywhere

    if not has_role_anywhere(request.user, Role.CENTER_ADMIN):
        raise Forbidden("需要中心管理员角色")
    return [presenters.device_out(d) for d in selectors.visible_devices(request.user)]


@router.post(
    "/evaluations/integrators",
    response={201: IntegratorOut, **ERRORS},
    summary="登记好差评对接账号（其提交的评价视为已核验）",
)
def register_integrator(request, payload: IntegratorIn):
    from django.contrib.auth import get_user_model

    from zwfw.org.models import ServiceCenter

    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise RuleViolation("invalid", "未找到该账号", field="username")
    center = None
    if payload.center:
        center = ServiceCenter.objects.filter(code=payload.center).first()
        if center is None:
            raise RuleViolation("invalid", "未找到该中心", field="center")
    integrator = services.register_integrator(
        by=request.user, user=user, name=payload.name, center=center
    )
    return 201, {
        "id": integrator.pk,
        "username": user.username,
        "name": integrator.name,
        "center": center.code if center else None,
        "active": integrator.active,
    }


# Tickets and statistics live in their own module; one router is mounted (zwfw/api.py).
router.add_router("", api_follow_up.router)
