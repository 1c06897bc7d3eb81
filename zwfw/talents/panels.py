"""Home panel: a commissioner's tasks and requests waiting for dispatch (TC-17)."""

from django.urls import reverse
from django.utils import timezone

from zwfw.core.home import Panel
from zwfw.core.permissions import Role, has_role_anywhere


def commissioner_panel(user) -> Panel | None:
    if not has_role_anywhere(user, Role.COMMISSIONER) or user.is_superuser:
        return None
    from zwfw.talents import selectors

    data = selectors.commissioner_home(user)
    today = timezone.localdate()
    rows = [
        {
            "text": f"转办申请{r.pk}（{r.talent.masked_name}）",
            "url": reverse("talents:request", args=[r.pk]),
            "level": "yellow",
        }
        for r in data["dispatch"]
    ]
    rows += [
        {
            "text": f"办理申请{t.request_id}：{t.department.name}",
            "url": reverse("talents:request", args=[t.request_id]),
            "level": "red" if t.due_date < today else "",
            "meta": f"{t.due_date:%Y-%m-%d}前办结",
        }
        for t in data["tasks"]
        if t.status != "completed"
    ]
    if not data["commissions"]:
        return None
    return Panel(title="人才服务", rows=rows[:10], link=reverse("talents:home"), order=60)
