from zwfw.core import audit
from zwfw.core.models import AuditEvent
from zwfw.core.permissions import Role, _assignments, require_role


def role_labels(user) -> list[str]:
    labels = []
    if user.is_superuser:
        labels.append("超级管理员")
    # The request's cached assignments (permissions._assignments): no query of its own.
    for a in _assignments(user):
        scope = a.department or a.center
        labels.append(f"{Role(a.role).label}（{scope}）" if scope else Role(a.role).label)
    return labels


AUDIT_FILTERS = ("action", "person", "start", "end")


def _day(text: str):
    import datetime

    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def audit_events(user, params: dict):
    """The trail, newest first, filtered by action (code), person (the actor's name as
    recorded), and a range of days; only a global auditor reads it (issue 16 point 8)."""
    import datetime

    from django.utils import timezone

    require_role(user, Role.AUDITOR)
    qs = AuditEvent.objects.order_by("-id")
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    if params.get("person"):
        qs = qs.filter(actor_name=params["person"].strip())
    tz = timezone.get_current_timezone()
    start, end = _day(params.get("start", "")), _day(params.get("end", ""))
    if start:
        qs = qs.filter(created_at__gte=datetime.datetime.combine(start, datetime.time(), tz))
    if end:
        after = end + datetime.timedelta(days=1)
        qs = qs.filter(created_at__lt=datetime.datetime.combine(after, datetime.time(), tz))
    return qs


def audit_actions() -> list[tuple[str, str]]:
    """(code, Chinese name) of the actions in the trail, for the filter (cached: a DISTINCT
    over the whole trail is not paid per page view)."""
    from django.core.cache import cache

    from zwfw.core.audit_labels import action_label

    codes = cache.get("audit:actions")
    if codes is None:
        codes = sorted(AuditEvent.objects.values_list("action", flat=True).distinct())
        cache.set("audit:actions", codes, 600)
    return sorted(((c, action_label(c)) for c in codes), key=lambda x: x[1])


def audit_verification() -> audit.VerifyResult:
    return audit.verify()


def _audit_row(e) -> list:
    from zwfw.core.audit_labels import action_label, role_labels

    return [
        e.id,
        e.created_at,
        e.actor_name,
        role_labels(e.actor_role),
        e.actor_department,
        action_label(e.action),
        e.action,
        e.object_repr,
        e.ip,
    ]


def _register_exports():
    from zwfw.core import exports

    exports.register(
        exports.Export(
            name="audit",
            title="审计日志",
            headers=[
                "编号",
                "时间",
                "操作人",
                "角色",
                "部门",
                "操作",
                "操作代码",
                "对象",
                "IP地址",
            ],
            rows=lambda user, params: audit_events(user, params).order_by("id"),
            row=_audit_row,
            params=AUDIT_FILTERS,
            widths=[10, 20, 12, 24, 20, 20, 24, 40, 16],
        )
    )


_register_exports()
