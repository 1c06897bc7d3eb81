"""Reads of the outbox, within the reader's department scope."""

from zwfw.core.errors import Forbidden
from zwfw.core.permissions import Role, department_scope, has_role_anywhere
from zwfw.notifications.models import OutboxMessage

VIEW_ROLES = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)


def may_read_outbox(user) -> bool:
    """Opens the outbox page (and its menu entry); rows are then filtered by scope."""
    return has_role_anywhere(user, *VIEW_ROLES)


def visible_messages(user, *, kind: str = "", status: str = "", ref: str = ""):
    if not may_read_outbox(user):
        raise Forbidden("只有中心管理员和部门管理员可以查看短信发件箱")
    scope = department_scope(user, *VIEW_ROLES)
    qs = OutboxMessage.objects.select_related("department")
    if scope is not None:
        # A scoped reader sees the messages of the departments in scope; messages of no
        # department are platform-wide and only for global roles (scope None).
        qs = qs.filter(department_id__in=scope)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if ref:
        qs = qs.filter(ref=ref)
    return qs.order_by("-created_at", "-id")


def case_refs(user, messages) -> set[str]:
    """The refs among `messages` that name a case the user may open (the page links only
    those; other refs, such as a rating or an SMS code's subject, stay plain text)."""
    from zwfw.cases.selectors import visible_cases  # cases sends through this app

    refs = {m.ref for m in messages if m.ref}
    if not refs:
        return set()
    return set(visible_cases(user).filter(number__in=refs).values_list("number", flat=True))
