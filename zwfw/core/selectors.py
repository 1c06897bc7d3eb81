from zwfw.core import audit
from zwfw.core.models import AuditEvent
from zwfw.core.permissions import Role


def role_labels(user) -> list[str]:
    labels = []
    if user.is_superuser:
        labels.append("超级管理员")
    for a in user.role_assignments.select_related("center", "department"):
        scope = a.department or a.center
        labels.append(f"{Role(a.role).label}（{scope}）" if scope else Role(a.role).label)
    return labels


def audit_events(*, action: str = ""):
    qs = AuditEvent.objects.order_by("-id")
    return qs.filter(action=action) if action else qs


def audit_verification() -> audit.VerifyResult:
    return audit.verify()
