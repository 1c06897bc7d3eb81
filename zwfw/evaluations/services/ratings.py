"""Ratings (好差评): of a case (online, 一事一评), of a window visit (on-site, 一次一评) and of a
staff member through their QR sheet (N-18, R-16, L-EVAL).

Who rates (issue 11 point 6):
- Nobody rates their own service or a case of their own department through an applicant
  channel: a staff account recording a rating, or a logged-in staff member on a public rating
  page (`rater`), is refused (403) when the case, visit or staff member is their own
  department's or themselves. Integrator accounts (IntegratorAccount) are machine accounts of
  the platforms that collect ratings and are not refused.
- A bad review opens its rectification ticket (in the same transaction) only when its rater
  is verified: the case's phone (the SMS link sent to it, the progress page after the phone
  check), an SMS code (`phone_confirmed`, checked by confirm_rater_phone before the use case),
  an integrator account or an evaluator device. Unverified bad reviews are kept, counted and
  marked `verified=False`.
"""

import datetime
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict, Forbidden, NotFound, RuleViolation
from zwfw.core.permissions import require_role
from zwfw.core.validators import clean_phone
from zwfw.evaluations import conf, rollups, tokens
from zwfw.evaluations.models import (
    ONLINE_CHANNELS,
    Evaluation,
    EvaluationChannel,
    EvaluationTag,
    EvaluatorDevice,
    IntegratorAccount,
    WindowVisit,
    is_bad_level,
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
# Case links that only the case's phone holder has: the SMS link is texted to that phone, the
# website link is shown on the progress page after the phone check. Their rater is verified.
PHONE_BOUND_CASE_CHANNELS = (C.SMS, C.WEB)
CODE_PURPOSE = "rating"
OWN_UNIT_MESSAGE = (
    "不能通过评价渠道评价本人或本部门的服务（好差评由办事群众作出，工作人员不得自评）"
)
ONLINE_LABEL = "网上（短信、二维码、政务服务网、移动端）"


def _channel(value: str, allowed) -> str:
    if value not in allowed:
        names = "、".join(f"{c}（{C(c).label}）" for c in allowed)
        raise RuleViolation("invalid", f"评价渠道须为：{names}", field="channel")
    return value


def _phone(value: str | None) -> str:
    return clean_phone(value, field="rater_phone") if (value or "").strip() else ""


def staff_of_case(case):
    """The staff member the applicant met: whoever took the application in."""
    if not case.received_by_id:
        return None
    from zwfw.org.models import Person

    return Person.objects.filter(user_id=case.received_by_id).first()


def integrator_of(user) -> IntegratorAccount | None:
    """The active integrator account of `user`, if it is one (API.md)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return IntegratorAccount.objects.filter(user_id=user.pk, active=True).first()


def refuse_own_unit(user, *, department=None, staff=None, case=None) -> None:
    """N-18: a staff member never rates themselves, a case they took in, or anything of a
    department they belong to or administer, through an applicant channel (403)."""
    if not getattr(user, "is_authenticated", False):
        return
    from zwfw.org.models import Person

    person = Person.objects.filter(user_id=user.pk).first()
    if staff is not None and (staff.user_id == user.pk or (person and staff.pk == person.pk)):
        raise Forbidden(OWN_UNIT_MESSAGE, code="N-18")
    if case is not None and case.received_by_id == user.pk:
        raise Forbidden(OWN_UNIT_MESSAGE, code="N-18")
    department_ids = {d.pk for d in (department, staff.department if staff else None) if d}
    if not department_ids:
        return
    if person is not None and person.department_id in department_ids:
        raise Forbidden(OWN_UNIT_MESSAGE, code="N-18")
    if user.role_assignments.filter(department_id__in=department_ids).exists():
        raise Forbidden(OWN_UNIT_MESSAGE, code="N-18")


def _integrator_covers(integrator: IntegratorAccount, center) -> None:
    if integrator.center_id is not None and integrator.center_id not in center.path_ids():
        raise Forbidden("该对接账号不能评价其他中心的办件")


def send_rating_code(*, phone: str, target: str) -> str:
    """Text a one-time code to the rater of a bad review (QR pages). Outside any transaction:
    codes.send_code limits per phone in the shared store. Returns the cleaned phone."""
    from zwfw.notifications import codes

    phone = clean_phone(phone, field="rater_phone")
    codes.send_code(phone=phone, purpose=CODE_PURPOSE, subject=target, label="好差评差评核验")
    return phone


def confirm_rater_phone(*, phone: str, target: str, code: str) -> str:
    """Consume the code texted for `target` (before the rating's transaction, so a wrong try
    stays counted); raises RuleViolation `sms_code`. Returns the cleaned phone."""
    from zwfw.notifications import codes

    phone = clean_phone(phone, field="rater_phone")
    codes.verify_code(phone=phone, purpose=CODE_PURPOSE, subject=target, code=code)
    return phone


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
    verified: bool = False,
) -> Evaluation:
    """Write one rating with its statistics columns and tags; a bad one from a verified rater
    opens its ticket."""
    level = clean_level(level)
    comment, tags = clean_comment(comment), clean_tags(tags)
    if center is None:
        raise RuleViolation("invalid", "无法确定被评价的政务服务中心（部门未进驻中心）")
    evaluation = Evaluation(
        level=level,
        good=not is_bad_level(level),
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
        verified=verified,
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
    rollups.added(evaluation)  # the statistics' rollup, same transaction (R-21)
    EvaluationTag.objects.bulk_create(EvaluationTag(evaluation=evaluation, tag=t) for t in tags)
    audit.record(
        actor=by,
        action="rate",
        obj=evaluation,
        after={
            "level": level,
            "level_label": evaluation.get_level_display(),
            "verified": verified,
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
    if not evaluation.good and evaluation.verified:
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
    rater=None,
    phone_confirmed: bool = False,
    on: datetime.date | None = None,
) -> Evaluation:
    """Rate a case (R-16, N-18): the applicant on a public page (`by` None; `rater` is the
    visitor's account when logged in), an evaluator device at a window of the case's center,
    or an integrator or staff account recording what a channel received. A second rating on
    the same channel is refused (409). `phone_confirmed`: the caller checked an SMS code sent
    to the case's phone (confirm_rater_phone)."""
    on, at = moment(on)
    window = None
    staff = staff_of_case(case)
    if device is not None:
        if not device.active:
            raise Forbidden("该评价器已停用")
        if device.center_id != case.center_id:
            raise Forbidden("评价器所在中心与办件的受理中心不一致")
        channel = _channel(channel or C.DEVICE, (C.DEVICE,))
        window = device.window
        verified = True  # a registered device at the window, with the rater in front of it
    elif by is not None:
        channel = _channel(channel, [c for c in C.values if c != C.DEFAULT])
        integrator = integrator_of(by)
        if integrator is not None:
            _integrator_covers(integrator, case.center)
            verified = True  # API.md: its own platform collected the rating
        else:
            require_role(by, *RECORDING_ROLES, department=case.department)
            refuse_own_unit(by, department=case.department, staff=staff, case=case)
            verified = False
    else:
        channel = _channel(channel, PUBLIC_CASE_CHANNELS)
        refuse_own_unit(rater, department=case.department, staff=staff, case=case)
        verified = channel in PHONE_BOUND_CASE_CHANNELS or phone_confirmed
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
        staff=staff,
        case=case,
        device=device,
        by=by,
        verified=verified,
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
    rater=None,
    phone_confirmed: bool = False,
    on: datetime.date | None = None,
) -> Evaluation:
    """Rate one window visit through its one-time token (N-18 一次一评). `by`: the account
    posting through the API; `rater`: the visitor's account on the public page when logged
    in; `phone_confirmed`: an SMS code to `rater_phone` was checked (confirm_rater_phone)."""
    on, at = moment(on)
    visit = visit_for_token(token, lock=True)
    if device is not None and (not device.active or device.window_id != visit.window_id):
        raise Forbidden("该评价器不属于本次服务的窗口")
    integrator = integrator_of(by) if device is None else None
    if integrator is not None:
        _integrator_covers(integrator, visit.center)
    else:
        for account in (by, rater):
            refuse_own_unit(account, department=visit.department, staff=visit.staff)
    verified = device is not None or integrator is not None or phone_confirmed
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
        verified=verified,
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
    rater=None,
    phone_confirmed: bool = False,
    on: datetime.date | None = None,
) -> Evaluation:
    """Rate a window or a staff member from their printed QR sheet: the submitted form's
    nonce becomes the visit's one-time token, so the same form is never counted twice.
    `rater`: the visitor's account when logged in (never themselves or their department);
    `phone_confirmed`: an SMS code to `rater_phone` was checked (confirm_rater_phone)."""
    on, at = moment(on)
    if staff is not None and not staff.active:
        raise NotFound("该工作人员已不在岗")
    if window is not None and not window.active:
        raise NotFound("该窗口已停用")
    center, department = _visit_target(window=window, staff=staff, case=None)
    refuse_own_unit(rater, department=department, staff=staff)
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
        verified=phone_confirmed,
    )
