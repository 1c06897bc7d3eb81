"""Reads of the comprehensive window (R-17): who is posted where, which authorizations are in
force, which items a window takes in, and the cases taken in there."""

import datetime

from django.db.models import Q
from django.utils import timezone

from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.core.prepared import PreparedRead
from zwfw.org.models import Window
from zwfw.windows.models import ComprehensiveAuthorization, IntakeWindow, WindowAssignment


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def assignments_in_force(on: datetime.date | None = None):
    on = _today(on)
    return WindowAssignment.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def posted_at(person, window, on: datetime.date | None = None) -> bool:
    """The person is posted at this window on that day."""
    if person is None or window is None:
        return False
    return assignments_in_force(on).filter(person=person, window=window).exists()


def windows_of(user, on: datetime.date | None = None) -> list[Window]:
    """The comprehensive windows this account's person is posted at (with window_staff)."""
    # The role first: it is read with the user's roles, the person row is one more query
    # (every page's menu asks this).
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if not has_role_anywhere(user, Role.WINDOW_STAFF):
        return []
    person = getattr(user, "person", None)
    if person is None:
        return []
    ids = assignments_in_force(on).filter(person=person).values("window_id")
    return list(
        Window.objects.filter(pk__in=ids, kind=Window.Kind.COMPREHENSIVE, active=True)
        .select_related("center")
        .order_by("center", "number")
    )


def may_open(user) -> bool:
    """Menu entry 综合窗口: a clerk posted at a comprehensive window, or a center admin."""
    return bool(windows_of(user)) or has_role_anywhere(user, Role.CENTER_ADMIN)


def window_case_q(user, on: datetime.date | None = None, *, user_id=None) -> Q | None:
    """Cases taken in at a comprehensive window this account is posted at (一窗进出: the
    clerk hands the result out there), as one subquery; None when there are none.
    (`user_id` instead of the user: the id alone, as cases.selectors.case_for binds it.)"""
    if user_id is None:
        if not getattr(user, "is_authenticated", False):
            return None
        user_id = user.pk
    # By the account's id: no read of the person row (one query for the whole lookup).
    windows = assignments_in_force(on).filter(person__user_id=user_id).values("window_id")
    return Q(pk__in=IntakeWindow.objects.filter(window_id__in=windows).values("case_id"))


def authorization_in_force(window, department, on: datetime.date | None = None):
    """The center's authorization of `department` at `window` on that day, or None."""
    on = _today(on)
    for auth in ComprehensiveAuthorization.objects.filter(
        window=window, department=department, valid_from__lte=on
    ).order_by("-valid_from", "-id"):
        if auth.revoked_at is None or timezone.localdate(auth.revoked_at) > on:
            return auth
    return None


def authorizations(window, *, include_revoked: bool = True):
    qs = (
        ComprehensiveAuthorization.objects.filter(window=window)
        .select_related("department", "approved_by", "window__center")
        .prefetch_related("items")
        .order_by("department__code", "-valid_from", "-id")
    )
    return qs if include_revoked else qs.filter(revoked_at__isnull=True)


def authorized_items(window, on: datetime.date | None = None) -> list[tuple]:
    """[(department, [items])] the window takes in on that day (the clerk's intake page)."""
    on = _today(on)
    out = []
    for auth in authorizations(window, include_revoked=False).filter(valid_from__lte=on):
        items = [i for i in auth.items.all() if i.active]
        if items:
            out.append((auth.department, sorted(items, key=lambda i: i.code), auth))
    return out


def comprehensive_window(code: str, center_code: str | None = None) -> Window:
    """A comprehensive window by its number (and center code when numbers repeat)."""
    qs = Window.objects.filter(number=code, kind=Window.Kind.COMPREHENSIVE).select_related("center")
    if center_code:
        qs = qs.filter(center__code=center_code)
    found = list(qs[:2])
    if not found:
        raise NotFound(f"未找到无差别综合窗口“{code}”")
    if len(found) > 1:
        raise RuleViolation(
            "invalid", f"多个中心有窗口“{code}”，请用 center 参数指明中心", field="center"
        )
    return found[0]


def cases_taken_in_at(window, *, limit: int = 50):
    from zwfw.cases.models import Case

    ids = IntakeWindow.objects.filter(window=window).values("case_id")
    return list(
        Case.objects.filter(pk__in=ids)
        .select_related("item", "department")
        .order_by("-received_at", "-id")[:limit]
    )


def window_staff(window, on: datetime.date | None = None):
    return list(assignments_in_force(on).filter(window=window).select_related("person__department"))


# One row per case (a one-to-one key): no ORDER BY, and its SQL compiled once (core.prepared).
_INTAKE_WINDOW = PreparedRead(
    IntakeWindow,
    lambda case: (
        IntakeWindow.objects.filter(case_id=case).select_related("window__center").order_by()
    ),
)


def intake_window_of(case):
    """The window a case was taken in at, with its center; None for other intakes."""
    found = _INTAKE_WINDOW(case=case.pk)
    return found[0] if found else None


def agency_of(case):
    return list(case.agency_records.select_related("agent").order_by("at", "id"))


def readable_authorizations(user, window):
    """A window's authorizations as this user may read them: all for the center's admins and
    the clerks posted there; a department's own admins and staff see their department's."""
    from zwfw.core.errors import Forbidden
    from zwfw.core.permissions import department_scope, has_role

    qs = authorizations(window)
    if has_role(user, Role.CENTER_ADMIN, center=window.center):
        return qs
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if has_role_anywhere(user, Role.WINDOW_STAFF) and posted_at(person, window):
        return qs
    scope = department_scope(user, Role.DEPARTMENT_ADMIN, Role.WINDOW_STAFF)
    if scope:
        return qs.filter(department_id__in=scope)
    raise Forbidden("您无权查看该窗口的授权")
