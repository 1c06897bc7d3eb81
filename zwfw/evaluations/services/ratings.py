"""Ratings (好差评): of a case (online, 一事一评), of a window visit (on-site, 一次一评) and of a
staff member through their QR sheet (N-18, R-16, L-EVAL). A bad rating opens its
rectification ticket in the same transaction."""

import datetime
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict, Forbidden, NotFound, RuleViolation
from zwfw.core.permissions import require_role
from zwfw.core.validators import clean_phone
from zwfw.evaluations import conf, tokens
from zwfw.evaluations.models import (
    BAD_LEVELS,
    ONLINE_CHANNELS,
    Evaluation,
    EvaluationChannel,
    EvaluationTag,
    EvaluatorDevice,
    WindowVisit,
)
from zwfw.evaluations.services import rectifications
from zwfw.evaluations.services.base import (
    RECORDING_ROLES,
    VISIT_ROLES,
    clean_comment,
    clean_level,
    clean_tags,
    moment,
)

C = EvaluationChannel
# The rater's own channels on the public pages (a link in an SMS, a QR code, the website).
PUBLIC_CASE_CHANNELS = (C.SMS, C.QR, C.WEB, C.MOBILE)
ONLINE_LABEL = "网上（短信、二维码、政务服务网、移动端）"


def _channel(value: str, allowed) -> str:
    if value not in allowed:
        names = "、".join(f"{c}（{C(c).label}）" for c in allowed)
        raise RuleViolation("invalid", f"评价渠道须为：{names}", field="channel")
    return value


def _phone(value: str | None) -> str:
    return clean_phone(value, field="rater_phone") if (value or "").strip() else ""


def _staff_of_case(case):
    """The staff member the applicant met: whoever took the application in."""
    if not case.received_by_id:
        return None
    from zwfw.org.models import Person

    return Person.objects.filter(user_id=case.received_by_id).first()


def _record(
    *,
    level,
    channel: str,
    comment,
    tags,
    rater_phone: str = "",
    on: datetime.date,
    at: datetime.datetime,
    center,
    department=None,
    window=None,
    staff=None,
    case=None,
    visit=None,
    device=None,
    by=None,
    is_default: bool = False,
) -> Evaluation:
    """Write one rating with its statistics columns and tags; a bad one opens its ticket."""
    level = clean_level(level)
    comment, tags = clean_comment(comment), clean_tags(tags)
    if center is None:
        raise RuleViolation("invalid", "无法确定被评价的政务服务中心（部门未进驻中心）")
    evaluation = Evaluation(
        level=level,
        good=level not in BAD_LEVELS,
        channel=channel,
        case=case,
        visit=visit,
        center=center,
        department=department,
        window=window,
        staff=staff,
        item_id=case.item_id if case is not None else None,
        rated_at=at,
        rated_on=on,
        month=on.replace(day=1),
        comment=comment,
        rater_phone=rater_phone,
        is_default=is_default,
        device=device,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    try:
        # A savepoint: two submissions racing for the same case or visit meet the unique
        # constraints; the loser gets the same refusal as a late one (N-18).
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise Conflict("N-18", "已评价过，不能重复评价（一事一评、一次一评）")
    EvaluationTag.objects.bulk_create(EvaluationTag(evaluation=evaluation, tag=t) for t in tags)
    audit.record(
        actor=by,
        action="rate",
        obj=evaluation,
        after={
            "level": level,
            "channel": channel,
            "case": case.number if case is not None else None,
            "visit": visit.pk if visit is not None else None,
            "staff": staff.pk if staff is not None else None,
            "window": window.pk if window is not None else None,
            "tags": tags,
            "default": is_default,
            "device": device.pk if device is not None else None,
        },
    )
    if not evaluation.good:
        rectifications.open_for(evaluation, on=on, at=at, by=by)
    return evaluation


def _refuse_repeat(case, channel: str) -> None:
    """N-18 and API.md: one rating per case and channel; online, one per case."""
    rated = Evaluation.objects.filter(case=case, visit__isnull=True)
    if rated.filter(channel=channel).exists():
        raise Conflict("N-18", f"该办件已通过“{C(channel).label}”评价，不能重复评价")
    if channel in ONLINE_CHANNELS and rated.filter(channel__in=ONLINE_CHANNELS).exists():
        raise Conflict("N-18", f"该办件已在{ONLINE_LABEL}评价过，网上评价一事一评")


@transaction.atomic
def rate_case(
    *,
    case,
    level,
    channel: str,
    comment: str = "",
    tags=(),
    by=None,
    device: EvaluatorDevice | None = None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Rate a case (R-16, N-18): the applicant on a public page (`by` None), an evaluator
    device at a window of the case's center, or a staff/integrator account recording what a
    channel received. A second rating on the same channel is refused (409)."""
    on, at = moment(on)
    window = None
    if device is not None:
        if not device.active:
            raise Forbidden("该评价器已停用")
        if device.center_id != case.center_id:
            raise Forbidden("评价器所在中心与办件的受理中心不一致")
        channel = _channel(channel or C.DEVICE, (C.DEVICE,))
        window = device.window
    elif by is not None:
        require_role(by, *RECORDING_ROLES, department=case.department)
        channel = _channel(channel, [c for c in C.values if c != C.DEFAULT])
    else:
        channel = _channel(channel, PUBLIC_CASE_CHANNELS)
    _refuse_repeat(case, channel)
    return _record(
        level=level,
        channel=channel,
        comment=comment,
        tags=tags,
        on=on,
        at=at,
        center=case.center,
        department=case.department,
        window=window,
        staff=_staff_of_case(case),
        case=case,
        device=device,
        by=by,
    )


# --- window visits (on-site, 一次一评) --------------------------------------------------------


def _visit_target(*, window, staff, case):
    """Center and department of a visit, from the window, the staff member or the case."""
    if window is None and staff is None:
        raise RuleViolation("invalid", "请指定窗口或工作人员", field="window")
    if case is not None and window is not None and case.center_id != window.center_id:
        raise RuleViolation("invalid", "办件的受理中心与窗口所在中心不一致", field="case")
    department = (
        case.department
        if case is not None
        else (window.department if window is not None and window.department_id else None)
    )
    if department is None and staff is not None:
        department = staff.department
    if window is not None:
        center = window.center
    elif department is not None and department.center_id:
        center = department.center
    else:
        raise RuleViolation("invalid", "该工作人员所在部门未进驻政务服务中心", field="staff")
    return center, department


@transaction.atomic
def start_visit(
    *,
    by=None,
    device: EvaluatorDevice | None = None,
    window=None,
    staff=None,
    case=None,
) -> tuple[WindowVisit, str]:
    """A service at a window ended: a visit with a one-time rating token (shown as a QR code
    on the counter screen or the evaluator device). Returns the visit and the plain token."""
    if device is not None:
        if not device.active:
            raise Forbidden("该评价器已停用")
        window = device.window
    elif by is not None:
        if window is None and staff is None:
            staff = getattr(by, "person", None)
        scope = window.department if window is not None and window.department_id else None
        if scope is not None:
            require_role(by, *VISIT_ROLES, department=scope)
        elif window is not None:
            require_role(by, *VISIT_ROLES, center=window.center)
        elif staff is not None:
            require_role(by, *VISIT_ROLES, department=staff.department)
    else:
        raise Forbidden()
    center, department = _visit_target(window=window, staff=staff, case=case)
    token = tokens.new_secret()
    now = timezone.now()
    visit = WindowVisit.objects.create(
        center=center,
        window=window,
        staff=staff,
        department=department,
        case=case,
        source=WindowVisit.Source.DEVICE if device is not None else WindowVisit.Source.STAFF,
        token_digest=tokens.digest(token),
        created_at=now,
        expires_at=now + timedelta(hours=conf.visit_token_hours()),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        device=device,
    )
    audit.record(
        actor=by,
        action="start_visit",
        obj=visit,
        after={
            "window": window.pk if window else None,
            "staff": staff.pk if staff else None,
            "case": case.number if case else None,
            "device": device.pk if device else None,
        },
    )
    return visit, token


def visit_for_token(token: str, *, lock: bool = False) -> WindowVisit:
    qs = WindowVisit.objects.select_related("center", "window", "staff", "department", "case__item")
    if lock:
        qs = qs.select_for_update(of=("self",))
    visit = qs.filter(token_digest=tokens.digest(token or "")).first()
    if visit is None:
        raise NotFound("评价链接无效，请向窗口工作人员重新获取")
    return visit


@transaction.atomic
def rate_visit(
    *,
    token: str,
    level,
    comment: str = "",
    tags=(),
    rater_phone: str = "",
    channel: str = C.QR,
    device: EvaluatorDevice | None = None,
    by=None,
    on: datetime.date | None = None,
) -> Evaluation:
    """Rate one window visit through its one-time token (N-18 一次一评)."""
    on, at = moment(on)
    visit = visit_for_token(token, lock=True)
    if device is not None and (not device.active or device.window_id != visit.window_id):
        raise Forbidden("该评价器不属于本次服务的窗口")
    if Evaluation.objects.filter(visit=visit).exists():
        raise Conflict("N-18", "本次服务已评价（现场一次一评），不能重复评价")
    if visit.expires_at < timezone.now():
        raise RuleViolation("link_expired", "评价链接已过期", status=410)
    channel = C.DEVICE if device is not None else _channel(channel, (C.QR, C.SELF_SERVICE))
    return _record(
        level=level,
        channel=channel,
        comment=comment,
        tags=tags,
        rater_phone=_phone(rater_phone),
        on=on,
        at=at,
        center=visit.center,
        department=visit.department,
        window=visit.window,
        staff=visit.staff,
        case=visit.case,
        visit=visit,
        device=device,
        by=by,
    )


@transaction.atomic
def rate_at_sheet(
    *,
    nonce: str,
    level,
    window=None,
    staff=None,
    comment: str = "",
    tags=(),
    rater_phone: str = "",
    on: datetime.date | None = None,
) -> Evaluation:
    """Rate a window or a staff member from their printed QR sheet: the submitted form's
    nonce becomes the visit's one-time token, so the same form is never counted twice."""
    on, at = moment(on)
    if staff is not None and not staff.active:
        raise NotFound("该工作人员已不在岗")
    if window is not None and not window.active:
        raise NotFound("该窗口已停用")
    center, department = _visit_target(window=window, staff=staff, case=None)
    level = clean_level(level)
    try:
        with transaction.atomic():
            visit = WindowVisit.objects.create(
                center=center,
                window=window,
                staff=staff,
                department=department,
                source=WindowVisit.Source.SHEET,
                token_digest=tokens.digest(nonce),
                created_at=at,
                expires_at=at,
            )
    except IntegrityError:
        raise Conflict("N-18", "该评价已提交，请勿重复提交")
    return _record(
        level=level,
        channel=C.QR,
        comment=comment,
        tags=tags,
        rater_phone=_phone(rater_phone),
        on=on,
        at=at,
        center=center,
        department=department,
        window=window,
        staff=staff,
        visit=visit,
    )
