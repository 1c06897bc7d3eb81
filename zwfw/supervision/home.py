"""Home-page panels of supervision (registered in SupervisionConfig.ready)."""

from django.urls import reverse
from django.utils import timezone

from zwfw.core.home import Panel
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.supervision import selectors


def inspector_tasks_panel(user) -> Panel | None:
    """N-17: the drawn cases waiting for this inspector's finding."""
    if getattr(user, "person", None) is None:
        return None
    tasks = selectors.first_pending_inspections(user)
    if not tasks:
        return None
    rows = [
        {
            "text": f"{i.case.number} {i.case.item.name}",
            "url": reverse("supervision:task", args=[i.pk]),
            "meta": f"{i.department.short_name or i.department.name}，{i.draw.title}",
            "level": "yellow",
        }
        for i in tasks
    ]
    return Panel(
        title="待记录的抽查检查",
        rows=rows,
        empty="没有待检查的办件",
        link=reverse("supervision:tasks"),
        order=40,
    )


def department_rectifications_panel(user) -> Panel | None:
    """N-17: the department's open rectifications of inspection problems, soonest due first."""
    if not has_role_anywhere(user, Role.DEPARTMENT_ADMIN):
        return None
    today = timezone.localdate()
    rows = []
    for r in selectors.first_rectifications(user, status="open"):
        late = r.is_overdue(today)
        rows.append(
            {
                "text": f"{r.inspection.case.number} {r.inspection.get_category_display()}",
                "url": reverse("supervision:rectification", args=[r.pk]),
                "level": "red" if late else "yellow",
                "meta": f"整改期限{r.due_date:%Y-%m-%d}" + ("，已逾期" if late else ""),
            }
        )
    return Panel(
        title="抽查发现问题待整改",
        rows=rows,
        empty="没有待整改的抽查问题",
        link=reverse("supervision:rectifications"),
        order=41,
    )


def draws_in_progress_panel(user) -> Panel | None:
    """N-17: the supervisor follows the draws still being inspected."""
    if not has_role_anywhere(user, Role.SUPERVISOR):
        return None
    rows = [
        {
            "text": d.title,
            "url": reverse("supervision:draw", args=[d.pk]),
            "meta": f"已检查{d.done}/{d.total}件，发现问题{d.problems}件",
        }
        for d in selectors.visible_draws(user, status="in_progress")[:10]
    ]
    return Panel(
        title="进行中的双随机抽查",
        rows=rows,
        empty="没有进行中的抽查",
        link=reverse("supervision:draws"),
        order=42,
    )


def new_interference_panel(user) -> Panel | None:
    """N-7: reports of interference not yet handled, for the discipline office only (the
    receipt number, date and manner; the content is read on the report's own page)."""
    from zwfw.supervision import access

    if not access.is_discipline(user):  # the reports' own check (not even a superuser)
        return None
    reports = selectors.interference_reports(user).filter(status="received")[:10]
    rows = [
        {
            "text": f"{r.receipt_number} {r.get_manner_display()}",
            "url": reverse("supervision:interference_detail", args=[r.receipt_number]),
            "level": "red",
            "meta": f"{r.department.name}，{r.occurred_on:%Y-%m-%d}发生",
        }
        for r in reports
    ]
    return Panel(
        title="新登记的干预记录",
        rows=rows,
        empty="没有待处理的干预记录",
        link=reverse("supervision:interference"),
        order=6,
    )
