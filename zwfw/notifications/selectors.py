"""Reads of the outbox, within the reader's department scope."""

from django.db.models import Q

from zwfw.core.errors import Forbidden
from zwfw.core.permissions import Role, department_scope, has_role
from zwfw.notifications.models import OutboxMessage

VIEW_ROLES = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)


def visible_messages(user, *, kind: str = "", status: str = "", ref: str = ""):
    if not has_role(user, *VIEW_ROLES):
        raise Forbidden("只有中心管理员和部门管理员可以查看短信发件箱")
    scope = department_scope(user, *VIEW_ROLES)
    qs = OutboxMessage.objects.select_related("department")
    if scope is not None:
        # Messages of no department (platform-wide) are for center administrators only.
        center_wide = has_role(user, Role.CENTER_ADMIN)
        cond = Q(department_id__in=scope)
        if center_wide:
            cond |= Q(department__isnull=True)
        qs = qs.filter(cond)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if ref:
        qs = qs.filter(ref=ref)
    return qs.order_by("-created_at", "-id")
