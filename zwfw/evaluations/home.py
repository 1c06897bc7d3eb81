"""Home-page panels of 好差评 (registered in EvaluationsConfig.ready)."""

from django.urls import reverse

from zwfw.core.home import Panel
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.evaluations import selectors


def _owner(rect) -> str:
    return rect.department.short_name or rect.department.name if rect.department_id else "中心"


def _row(rect) -> dict:
    level = rect.evaluation.get_level_display()
    due = f"当前环节期限{rect.next_due_date:%m-%d}" if rect.next_due_date else ""
    return {
        "text": f"差评整改#{rect.pk} {_owner(rect)}：{level}（{rect.get_status_display()}）",
        "url": reverse("evaluations:rectification", args=[rect.pk]),
        "level": rect.alert_level,
        "meta": "，".join(filter(None, [due, "已上报中心" if rect.escalated else ""])),
    }


def open_rectifications_panel(user) -> Panel | None:
    """L-EVAL: the department's open bad-review tickets, soonest due first."""
    if not has_role_anywhere(user, Role.DEPARTMENT_ADMIN):
        return None
    rows = [_row(r) for r in selectors.owner_open_rectifications(user)]
    return Panel(
        title="差评整改（按期限排序）",
        rows=rows,
        empty="没有待处理的差评整改",
        link=reverse("evaluations:rectifications") + "?status=open",
        order=15,
    )


def center_oversight_panel(user) -> Panel | None:
    """L-EVAL and 申诉复核: escalated (overdue) tickets and appeals waiting for the center."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN):
        return None
    rows = [_row(r) for r in selectors.escalated_rectifications(user, limit=8)]
    for appeal in selectors.pending_appeals(user, limit=8):
        owner = appeal.department.name if appeal.department_id else "中心"
        rows.append(
            {
                "text": f"{owner}申诉：{appeal.evaluation.get_level_display()}评价#{appeal.evaluation_id}",
                "url": reverse("evaluations:appeals") + "?status=pending",
                "level": "yellow",
                "meta": f"{appeal.filed_on:%m-%d}提出，待中心复核",
            }
        )
    return Panel(
        title="好差评督办（逾期整改与待复核申诉）",
        rows=rows,
        empty="没有逾期的差评整改或待复核的申诉",
        link=reverse("evaluations:rectifications") + "?escalated=1&status=open",
        order=16,
    )
