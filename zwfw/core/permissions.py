"""Roles and their scopes. Services call these; views and API functions never decide access.

A role is held with a scope: a service center (and so its sub-centers' departments) or one
department, or without one: then it is global (platform-wide). A superuser may do everything.

Checks come in three shapes:
- `require_role(user, role, department=d)` / `center=c`: the role with a scope covering d or c;
- `require_role(user, role)` without a target: the role held GLOBALLY (platform-wide things:
  the official calendar, the R-14 phrase list, messages of no department, the audit chain);
  a scoped assignment never passes it;
- `require_role_anywhere(user, role)`: the role in any scope, for "may open this page", after
  which the page filters its rows with `department_scope` / `scope_q`.
"""

from django.db import models
from django.db.models import Q

from zwfw.core.errors import Forbidden
from zwfw.core.prepared import PreparedRead, attach


class Role(models.TextChoices):
    CENTER_ADMIN = "center_admin", "中心管理员"
    DEPARTMENT_ADMIN = "department_admin", "部门管理员"
    WINDOW_STAFF = "window_staff", "窗口工作人员"
    SUPERVISOR = "supervisor", "督查人员"
    COMMITTEE_MEMBER = "committee_member", "审批决策委员会委员"
    LEADING_GROUP = "leading_group", "领导小组成员"
    COORDINATION_OFFICE = "coordination_office", "协调办公室"
    EXPERT_OFFICE = "expert_office", "首席专家选拔管理办公室"
    INDUSTRY_COMMITTEE = "industry_committee", "行业主管部门工作委员会委员"
    NOMINATING_ORG = "nominating_org", "首席专家推荐单位"
    COMMISSIONER = "commissioner", "人才服务专员"
    DISCIPLINE = "discipline", "纪检监察"
    AUDITOR = "auditor", "审计员"


def _assignments_of(user):
    from zwfw.org.models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=user).select_related("center", "department")


# Every request reads its user's roles: compiled once (core.prepared).
_ASSIGNMENTS = PreparedRead("org.RoleAssignment", _assignments_of)


def _assignments(user):
    # Read with the user by the login paths (core.services.user_for_token) or here, once,
    # and cached on the user for the request.
    cache = getattr(user, "_role_assignments_cache", None)
    if cache is None:
        cache = remember_assignments(user, _ASSIGNMENTS(user=user.pk))
    return cache


def remember_assignments(user, assignments: list) -> list:
    """`assignments` (all of the user's roles, read by whoever read the user) as what this
    module and `user.role_assignments.all()` answer for the rest of the request (as a
    prefetch_related would: the home page's panels read it again, one query fewer)."""
    user._role_assignments_cache = assignments
    attach(user, "role_assignments", assignments)
    return assignments


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.role for a in _assignments(user)}


def _is_global(assignment) -> bool:
    return assignment.department_id is None and assignment.center_id is None


def _covers(assignment, department, center) -> bool:
    if _is_global(assignment):
        return True  # an unscoped role covers every center and department
    if department is None and center is None:
        return False  # a check without a target asks for a global role
    if department is not None:
        if assignment.department_id == department.pk:
            return True
        if assignment.center_id is not None:
            return assignment.center_id in department.center_path_ids()
        return False
    if assignment.center_id is not None:
        return assignment.center_id in center.path_ids()
    return False


def has_role(user, *roles: str, department=None, center=None) -> bool:
    """True when the user holds one of `roles` with a scope covering department or center."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(a.role in roles and _covers(a, department, center) for a in _assignments(user))


def _refuse(roles, scope: str = "") -> None:
    names = "、".join(Role(r).label for r in roles if r in Role.values)
    raise Forbidden(f"需要以下角色之一{scope}：{names}" if names else "您没有权限执行此操作")


def require_role(user, *roles: str, department=None, center=None) -> None:
    """One of `roles` covering department or center; without a target, held globally."""
    if not has_role(user, *roles, department=department, center=center):
        _refuse(roles, "" if department or center else "（全平台范围）")


def has_role_anywhere(user, *roles: str) -> bool:
    """True when the user holds one of `roles` in any scope (global or not). For opening a
    page or showing a menu entry whose rows are then filtered by the user's scope."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(a.role in roles for a in _assignments(user))


def require_role_anywhere(user, *roles: str) -> None:
    if not has_role_anywhere(user, *roles):
        _refuse(roles)


def department_scope(user, *roles: str):
    """Department ids the user may see under `roles`; None means every department."""
    from zwfw.org.models import Department  # org depends on core, not the reverse at import

    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return None
    ids: set[int] = set()
    for a in _assignments(user):
        if roles and a.role not in roles:
            continue
        if a.department_id is None and a.center_id is None:
            return None
        if a.department_id:
            ids.add(a.department_id)
        if a.center_id:
            ids.update(
                Department.objects.filter(center__in=a.center.descendant_ids()).values_list(
                    "id", flat=True
                )
            )
    return ids


NOTHING = Q(pk__in=[])


def scope_ids(user, roles) -> dict[str, list[int]]:
    """The rows the user may read under `roles`, as ids a prepared read can bind: {} for
    every row; otherwise "departments" and/or "centers" (a center scope covers its
    sub-centers), {"departments": []} for none. scope_filter makes the filter of it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {"departments": []}
    if user.is_superuser:
        return {}
    departments: set[int] = set()
    centers: set[int] = set()
    for a in _assignments(user):
        if a.role not in roles:
            continue
        if a.department_id is None and a.center_id is None:
            return {}
        if a.department_id:
            departments.add(a.department_id)
        if a.center_id:
            centers.update(a.center.descendant_ids())
    ids = {"departments": sorted(departments)} if departments or not centers else {}
    if centers:
        ids["centers"] = sorted(centers)
    return ids


def scope_filter(
    departments=None, centers=None, *, department: str = "department_id", center: str = "center_id"
) -> Q:
    """The filter of scope_ids' answer, by the rows' department and center columns (values
    or a PreparedRead's markers)."""
    if departments is None and centers is None:
        return Q()
    q = NOTHING
    if departments:
        q |= Q(**{f"{department}__in": departments})
    if centers:
        q |= Q(**{f"{center}__in": centers})
    return q


def scope_q(user, roles, *, department: str = "department_id", center: str = "center_id") -> Q:
    """A filter for the rows the user may read under `roles`, by the rows' department and
    center columns (a center scope covers its sub-centers); one query, no loop per row."""
    return scope_filter(**scope_ids(user, roles), department=department, center=center)
