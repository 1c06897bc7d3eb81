"""Reads of 好差评: ratings, rectification tickets and appeals in the reader's scope (indexed
columns only), devices, QR sheet targets, and the rating link of a case.

Scope: a department-scoped role sees its departments' rows; a center-scoped role sees every
row of its centers (and their sub-centers), including ratings of comprehensive windows that
belong to no department."""

import datetime

from django.db.models import Prefetch, Q
from django.utils import timezone

from zwfw.core import permissions
from zwfw.core.errors import NotFound
from zwfw.core.permissions import Role
from zwfw.core.prepared import PreparedRead
from zwfw.evaluations import links, tokens
from zwfw.evaluations.models import (
    ONLINE_CHANNELS,
    OPEN_RECTIFICATION,
    Appeal,
    Evaluation,
    EvaluationTag,
    EvaluatorDevice,
    Rectification,
)

VIEW_ROLES = (
    Role.CENTER_ADMIN,
    Role.DEPARTMENT_ADMIN,
    Role.SUPERVISOR,
    Role.AUDITOR,
    Role.LEADING_GROUP,
    Role.COORDINATION_OFFICE,
)


def scope_q(
    user, roles=VIEW_ROLES, *, department: str = "department_id", center: str = "center_id"
) -> Q:
    """The ratings and tickets the user may read (core.permissions.scope_q with these roles)."""
    return permissions.scope_q(user, roles, department=department, center=center)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def parse_month(text: str | None) -> datetime.date | None:
    """ "2026-10" → 2026-10-01; anything else → None."""
    try:
        year, month = (int(p) for p in (text or "").split("-")[:2])
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return None


# --- ratings ---------------------------------------------------------------------------------

_EVAL_RELATED = (
    "center",
    "department",
    "window",
    "staff",
    "item",
    "case",
    "rectification",
    "appeal",
)


def visible_evaluations(
    user,
    *,
    department=None,
    level: int | None = None,
    channel: str = "",
    bad: bool | None = None,
    month: datetime.date | None = None,
    excluded: bool | None = None,
    default: bool | None = None,
    case_number: str = "",
):
    qs = Evaluation.objects.filter(scope_q(user))
    if department is not None:
        qs = qs.filter(department=department)
    if level:
        qs = qs.filter(level=level)
    if channel:
        qs = qs.filter(channel=channel)
    if bad is not None:
        qs = qs.filter(good=not bad)
    if month is not None:
        qs = qs.filter(month=month)
    if excluded is not None:
        qs = qs.filter(excluded=excluded)
    if default is not None:
        qs = qs.filter(is_default=default)
    if case_number:
        qs = qs.filter(case__number=case_number.strip())
    return (
        qs.select_related(*_EVAL_RELATED)
        .prefetch_related(Prefetch("tags", queryset=EvaluationTag.objects.order_by("id")))
        .order_by("-rated_at", "-id")
    )


def evaluation_for(user, pk: int) -> Evaluation:
    found = visible_evaluations(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该评价，或不在您的查看范围内")
    return found


def case_evaluations(case):
    return list(
        Evaluation.objects.filter(case=case)
        .select_related("rectification", "appeal")
        .prefetch_related("tags")
        .order_by("rated_at", "id")
    )


# --- rectification ---------------------------------------------------------------------------


def visible_rectifications(
    user,
    *,
    case_number: str = "",
    department=None,
    status: str = "",
    alert_level: str = "",
    escalated: bool | None = None,
    overdue: bool = False,
    on: datetime.date | None = None,
):
    on = on or timezone.localdate()
    qs = Rectification.objects.filter(scope_q(user))
    if case_number:
        qs = qs.filter(case__number=case_number.strip())
    if department is not None:
        qs = qs.filter(department=department)
    if status == "open":
        qs = qs.filter(status__in=OPEN_RECTIFICATION)
    elif status:
        qs = qs.filter(status=status)
    if alert_level:
        qs = qs.filter(alert_level=alert_level, status__in=OPEN_RECTIFICATION)
    if escalated is not None:
        qs = qs.filter(escalated=escalated)
    if overdue:
        qs = qs.filter(Rectification.overdue_q(on))
    return qs.select_related(
        "evaluation", "department", "center", "case__item", "evaluation__appeal"
    ).order_by("next_due_date", "id")


def rectification_for(user, pk: int) -> Rectification:
    found = (
        visible_rectifications(user)
        .select_related(
            "evaluation__window",
            "evaluation__staff",
            "evaluation__item",
            "callback_by",
            "rectified_by",
            "reported_by",
            "closed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("未找到该整改单，或不在您的查看范围内")
    return found


OWNER_ROWS = 10


def _owner_open(scope: Q):
    # Only the columns the panel shows (evaluations.home._row).
    return (
        Rectification.objects.filter(scope, status__in=OPEN_RECTIFICATION)
        .select_related("department", "evaluation")
        .only(
            "status",
            "next_due_date",
            "alert_level",
            "escalated",
            "department__name",
            "department__short_name",
            "evaluation__level",
        )
        .order_by("next_due_date", "id")[:OWNER_ROWS]
    )


# Every department admin's home page asks: compiled once per shape of scope (core.prepared).
_OWNER_OPEN = PreparedRead(
    Rectification, lambda **ids: _owner_open(permissions.scope_filter(**ids))
)


def owner_open_rectifications(user) -> list[Rectification]:
    """The department's open tickets, soonest due first (department administrators' panel)."""
    return _OWNER_OPEN(**permissions.scope_ids(user, (Role.DEPARTMENT_ADMIN,)))


def escalated_rectifications(user, limit: int = 10) -> list[Rectification]:
    """Open tickets that went red and were escalated (center administrators' panel)."""
    q = scope_q(user, (Role.CENTER_ADMIN,))
    return list(
        Rectification.objects.filter(q, escalated=True, status__in=OPEN_RECTIFICATION)
        .select_related("department", "evaluation")
        .order_by("next_due_date", "id")[:limit]
    )


def center_admin_phones(center) -> list[str]:
    """Phones of the center administrators whose scope covers `center`."""
    from zwfw.org.models import Person

    people = Person.objects.filter(
        active=True,
        user__is_active=True,
        user__role_assignments__role=Role.CENTER_ADMIN,
        user__role_assignments__center_id__in=center.path_ids() or [center.pk],
    ).distinct()
    return [p.phone for p in people if p.phone]


# --- appeals ---------------------------------------------------------------------------------


def visible_appeals(user, *, status: str = ""):
    qs = Appeal.objects.filter(scope_q(user))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(
        "evaluation__case", "evaluation__window", "evaluation__staff", "department", "filed_by"
    ).order_by("-filed_at", "-id")


def appeal_for(user, pk: int) -> Appeal:
    found = visible_appeals(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该申诉，或不在您的查看范围内")
    return found


def pending_appeals(user, limit: int = 10) -> list[Appeal]:
    q = scope_q(user, (Role.CENTER_ADMIN,))
    return list(
        Appeal.objects.filter(q, status=Appeal.Status.PENDING)
        .select_related("department", "evaluation")
        .order_by("filed_at", "id")[:limit]
    )


# --- devices and QR sheets -------------------------------------------------------------------


def visible_devices(user):
    return (
        EvaluatorDevice.objects.filter(scope_q(user, (Role.CENTER_ADMIN,)))
        .select_related("window", "center")
        .order_by("center__path", "window__number", "id")
    )


def device_for(user, pk: int) -> EvaluatorDevice:
    found = visible_devices(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该评价器")
    return found


def device_for_token(token: str) -> EvaluatorDevice | None:
    if not token:
        return None
    return (
        EvaluatorDevice.objects.select_related("window", "center")
        .filter(token_digest=tokens.digest(token), active=True)
        .first()
    )


SHEET_ROLES = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, Role.WINDOW_STAFF)


def sheet_windows(user, center=None):
    """Windows whose QR sheet the user may print: the center's for its administrators, the
    department's own for department staff."""
    from zwfw.org.models import Window

    q = scope_q(user, SHEET_ROLES)
    qs = Window.objects.filter(q, active=True).select_related("center", "department")
    if center is not None:
        qs = qs.filter(center=center)
    return qs.order_by("center__path", "number")


def sheet_people(user, department=None):
    from zwfw.org.models import Person

    q = scope_q(user, SHEET_ROLES, center="department__center_id")
    qs = Person.objects.filter(q, active=True).select_related("department", "department__center")
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("department__code", "name")


def window_for_sheet(window_id: int):
    from zwfw.org.models import Window

    window = Window.objects.select_related("center", "department").filter(pk=window_id).first()
    if window is None or not window.active:
        raise NotFound("该窗口已停用或不存在")
    return window


def person_for_sheet(person_id: int):
    from zwfw.org.models import Person

    person = (
        Person.objects.select_related("department", "department__center")
        .filter(pk=person_id)
        .first()
    )
    if person is None or not person.active:
        raise NotFound("该工作人员已不在岗")
    return person


# --- case links ------------------------------------------------------------------------------


def rating_link_for_case(case, channel: str = "qr", request=None) -> str:
    """The public rating page of a case (SMS link, QR on the receipt, progress page)."""
    return links.case_url(case.number, channel, request)


def case_for_link(token: str):
    """The case and channel a rating link names."""
    from zwfw.cases.models import Case

    number, channel = tokens.read_case_link(token)
    case = Case.objects.select_related("item", "department", "center").filter(number=number).first()
    if case is None:
        raise NotFound("评价链接无效，请核对后重试")
    return case, channel


def rated_online(case) -> bool:
    """N-18: whether the case already has its one online rating."""
    return Evaluation.objects.filter(
        case=case, visit__isnull=True, channel__in=ONLINE_CHANNELS
    ).exists()


def case_by_number(number: str):
    from zwfw.cases.models import Case

    case = (
        Case.objects.select_related("item", "department", "center")
        .filter(number=(number or "").strip()[:40])
        .first()
    )
    if case is None:
        raise NotFound("未找到该办件")
    return case
