"""The comprehensive window (无差别综合窗口, R-17): one transaction per use case, each with
its audit event.

A department with few items may, with the center's approval, hand intake of some items to a
comprehensive window (一窗进出). Staff posted there (a WindowAssignment plus the window_staff
role) take in those items; the case then sits in the department's queue as any other
(接办分离, 后台流转) and the result is handed out where it was taken in. The clerk never
decides: deciding needs a grant or a handling post, which a window posting never gives.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.permissions import Role, has_role, has_role_anywhere, require_role
from zwfw.org.models import Window
from zwfw.windows import selectors
from zwfw.windows.models import (
    AgencyRecord,
    ComprehensiveAuthorization,
    IntakeWindow,
    WindowAssignment,
)

HANDLING_ROLES = (Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)


def _person(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def _posted_clerk(by, window, on: datetime.date) -> bool:
    """A window_staff account whose person is posted at `window` that day."""
    return (
        window is not None
        and window.kind == Window.Kind.COMPREHENSIVE
        and has_role_anywhere(by, Role.WINDOW_STAFF)
        and selectors.posted_at(_person(by), window, on)
    )


# --- the center's side: authorizations and postings -----------------------------------------


def _require_comprehensive(window) -> None:
    if window.kind != Window.Kind.COMPREHENSIVE:
        raise RuleViolation("invalid", "只有无差别综合窗口可以接受部门授权收件", field="window")
    if not window.active:
        raise RuleViolation("invalid", "该窗口已停用", field="window")


def _clean_items(department, items) -> list:
    items = list(dict.fromkeys(items))
    if not items:
        raise RuleViolation("invalid", "请至少选择一个授权事项", field="items")
    for item in items:
        if item.department_id != department.pk:
            raise RuleViolation(
                "invalid", f"事项“{item.name}”不是{department.name}的事项", field="items"
            )
        if not item.active:
            raise RuleViolation("invalid", f"事项“{item.name}”已停用", field="items")
    return items


@transaction.atomic
def authorize(
    *,
    by,
    window,
    department,
    items: list,
    approved_on: datetime.date,
    approved_by,
    valid_from: datetime.date | None = None,
    approval_ref: str = "",
) -> ComprehensiveAuthorization:
    """R-17: record the center's approval that `department` hands intake of `items` to the
    comprehensive window. One authorization is in force per window and department: a new one
    replaces the old (revoked, kept), so the history shows what was authorized when."""
    require_role(by, Role.CENTER_ADMIN, center=window.center)
    _require_comprehensive(window)
    if department.center_id != window.center_id:
        raise RuleViolation(
            "invalid", f"{department.name}未进驻{window.center.name}", field="department"
        )
    items = _clean_items(department, items)
    if approved_by is None:
        raise RuleViolation("invalid", "请填写批准人", field="approved_by")
    today = timezone.localdate()
    if approved_on is None or approved_on > today:
        raise RuleViolation("invalid", "批准日期须为今天或以前的日期", field="approved_on")
    valid_from = valid_from or approved_on
    if valid_from < approved_on:
        raise RuleViolation("invalid", "生效日期不能早于批准日期", field="valid_from")
    replaced = list(
        ComprehensiveAuthorization.objects.select_for_update().filter(
            window=window, department=department, revoked_at__isnull=True
        )
    )
    now = timezone.now()
    for old in replaced:
        old.revoked_at, old.revoke_reason = now, "由新的授权替代"
        old.save(update_fields=["revoked_at", "revoke_reason"])
    auth = ComprehensiveAuthorization.objects.create(
        window=window,
        department=department,
        approved_on=approved_on,
        approved_by=approved_by,
        approval_ref=(approval_ref or "").strip()[:100],
        valid_from=valid_from,
        created_by=by,
    )
    auth.items.set(items)
    window.departments.add(department)  # the window now serves it (API `departments`)
    audit.record(
        actor=by,
        action="authorize_comprehensive_window",
        obj=auth,
        after={
            "window": window.number,
            "center": window.center.code,
            "department": department.code,
            "items": sorted(i.code for i in items),
            "approved_on": approved_on,
            "approved_by": approved_by.pk,
            "valid_from": valid_from,
            "replaces": [o.pk for o in replaced],
        },
    )
    return auth


@transaction.atomic
def revoke(*, by, authorization: ComprehensiveAuthorization, reason: str):
    """The center withdraws the authorization; cases already taken in are handed out at the
    window as promised (the intake window stays on the case)."""
    auth = ComprehensiveAuthorization.objects.select_for_update().get(pk=authorization.pk)
    require_role(by, Role.CENTER_ADMIN, center=auth.window.center)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("invalid", "请填写撤销原因", field="reason")
    if auth.revoked_at is not None:
        raise RuleViolation("already_revoked", "该授权已撤销", status=409)
    auth.revoked_at, auth.revoke_reason = timezone.now(), reason[:300]
    auth.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(actor=by, action="revoke_comprehensive_window", obj=auth, after={"reason": reason})
    return auth


@transaction.atomic
def post_staff(
    *,
    by,
    window,
    person,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> WindowAssignment:
    """Post a staff member at a comprehensive window (they take in there with window_staff)."""
    require_role(by, Role.CENTER_ADMIN, center=window.center)
    _require_comprehensive(window)
    if not person.active:
        raise RuleViolation("invalid", "该人员已离职", field="person")
    if valid_from is None:
        raise RuleViolation("invalid", "请填写起始日期", field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise RuleViolation("invalid", "终止日期不能早于起始日期", field="valid_to")
    from zwfw.staff.services import ensure_may_start

    ensure_may_start(person, valid_from)  # not at a window before the center's reply
    post = WindowAssignment.objects.create(
        person=person, window=window, valid_from=valid_from, valid_to=valid_to
    )
    audit.record(
        actor=by,
        action="post_window_staff",
        obj=post,
        after={
            "window": window.number,
            "person": person.pk,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return post


# --- intake and delivery (called by cases' services) ---------------------------------------


def check_intake(*, by, item, window, channel: str, on: datetime.date):
    """Who may take in `item` at `window` (cases.services.intake.take_in): returns the
    authorization relied on (None at a department window) or refuses.

    R-17: at a comprehensive window the department's authorization in force that day must
    list the item, whoever takes it in; the person is a clerk posted at that window or holds
    the department's own handling role."""
    if channel != "window":
        raise RuleViolation("invalid", "指定收件窗口时，申请渠道须为窗口", field="window")
    if not window.active:
        raise RuleViolation("invalid", "该窗口已停用", field="window")
    department = item.department
    if window.kind != Window.Kind.COMPREHENSIVE:
        serves = (
            window.department_id == department.pk
            or window.departments.filter(pk=department.pk).exists()
        )
        if not serves:
            raise RuleViolation("invalid", f"{window}不受理{department.name}的事项", field="window")
        require_role(by, *HANDLING_ROLES, department=department)
        return None
    auth = selectors.authorization_in_force(window, department, on)
    if auth is None:
        raise Forbidden(
            f"{department.name}未授权{window}代为收件（R-17：须经中心批准）", code="R-17"
        )
    if not auth.items.filter(pk=item.pk).exists():
        raise Forbidden(
            f"“{item.name}”不在{department.name}授权{window}收件的事项中（R-17）", code="R-17"
        )
    if not (_posted_clerk(by, window, on) or has_role(by, *HANDLING_ROLES, department=department)):
        raise Forbidden(f"您不是{window}的在岗工作人员（R-17）", code="R-17")
    return auth


def record_intake_window(case, window, authorization) -> IntakeWindow:
    """Part of take_in's transaction: the case remembers where it was taken in."""
    return IntakeWindow.objects.create(case=case, window=window, authorization=authorization)


def may_hand_out(by, case, on: datetime.date | None = None) -> bool:
    """一窗进出: a clerk posted at the comprehensive window the case was taken in at may
    record its delivery there (the department's own handlers always may)."""
    intake = selectors.intake_window_of(case)
    return intake is not None and _posted_clerk(by, intake.window, on or timezone.localdate())


# --- full-process agency (全程代办) ----------------------------------------------------------


@transaction.atomic
def record_agency(*, by, case, task: str, agent=None, on: datetime.date | None = None):
    """R-17 全程代办: who did what for the applicant on this case, and when. Recorded by the
    clerk of the window the case was taken in at or by the department's handlers."""
    from zwfw.cases.services.base import lock, moment, record_event

    on, at = moment(on)
    case = lock(case)
    if not may_hand_out(by, case, on):
        require_role(by, *HANDLING_ROLES, department=case.department)
    task = (task or "").strip()
    if not task:
        raise RuleViolation("invalid", "请填写代办事项", field="task")
    if len(task) > 300:
        raise RuleViolation("invalid", "代办事项最多300字", field="task")
    agent = agent or _person(by)
    if agent is None:
        raise RuleViolation("invalid", "请指定代办人", field="agent")
    if not agent.active:
        raise RuleViolation("invalid", "代办人已离职", field="agent")
    record = AgencyRecord.objects.create(
        case=case, agent=agent, task=task, at=at, on=on, recorded_by=by
    )
    record_event(
        case, action="agency", by=by, at=at, on=on, text=f"全程代办（{agent.name}）：{task}"
    )
    audit.record(
        actor=by,
        action="record_agency",
        obj=case,
        after={"agent": agent.pk, "task": task, "on": on},
    )
    return record
