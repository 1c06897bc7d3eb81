"""Home-page panels of the catalog: list work for department admins and the coordination office."""

import datetime

from django.urls import reverse
from django.utils import timezone

from zwfw.catalog import selectors
from zwfw.catalog.models import ListStatus
from zwfw.core.home import Panel, register
from zwfw.core.permissions import Role, has_role_anywhere

DUE_SOON_DAYS = 7


def _state(department):
    try:
        return department.chief_list
    except department._meta.model.chief_list.RelatedObjectDoesNotExist:
        return None


def due_level(due: datetime.date | None, status: str, today: datetime.date) -> str | None:
    """Red past the due date, yellow within a week; nothing once submitted or approved."""
    if due is None or status in (ListStatus.SUBMITTED, ListStatus.APPROVED):
        return None
    if today > due:
        return "red"
    if (due - today).days <= DUE_SOON_DAYS:
        return "yellow"
    return "green"


def department_rows(department, today: datetime.date) -> list[dict]:
    state = _state(department)
    status = state.status if state else ListStatus.DRAFT
    url = reverse("catalog:list", args=[department.code])
    label = ListStatus(status).label
    rows = []
    if department.undecided:
        rows.append(
            {
                "text": f"{department.name}：{department.undecided}个事项未决定是否纳入清单",
                "url": url,
                "level": "yellow",
            }
        )
    meta = f"纳入率 {selectors.inclusion_rate(department.included, department.total) or 0}%"
    rows.append({"text": f"{department.name}首席服务员清单：{label}", "url": url, "meta": meta})
    if state and status == ListStatus.RETURNED and state.latest_submission:
        rows.append(
            {"text": f"已退回：{state.latest_submission.comment}", "url": url, "level": "red"}
        )
    if state and state.due_date:
        level = due_level(state.due_date, status, today)
        rows.append(
            {
                "text": f"报送截止：{state.due_date:%Y年%m月%d日}",
                "url": url,
                "level": level,
                "meta": "已逾期" if level == "red" else "",
            }
        )
    return rows


@register
def chief_list_panel(user):
    """Department admins: undecided items, list status, due date, returned comments (C-4.1)."""
    if user.is_superuser or not has_role_anywhere(user, Role.DEPARTMENT_ADMIN):
        return None
    departments = selectors.admin_lists(user)
    if not departments:
        return None
    today = timezone.localdate()
    rows = [row for d in departments for row in department_rows(d, today)]
    return Panel(title="首席服务员清单", rows=rows, link=reverse("catalog:lists"), order=30)


@register
def lists_to_review_panel(user):
    """Coordination office: submitted lists waiting for review."""
    if not has_role_anywhere(user, Role.COORDINATION_OFFICE):
        return None
    waiting = list(selectors.lists_awaiting_review(user)[:10])
    rows = [
        {
            "text": f"{cl.department.name} 报送的首席服务员清单待审核",
            "url": reverse("catalog:list", args=[cl.department.code]),
            "level": "yellow",
            "meta": f"{timezone.localtime(cl.latest_submission.submitted_at):%m-%d %H:%M}"
            if cl.latest_submission
            else "",
        }
        for cl in waiting
    ]
    return Panel(
        title="待审核的首席服务员清单",
        rows=rows,
        empty="暂无待审核的清单",
        link=reverse("catalog:lists"),
        order=30,
    )
