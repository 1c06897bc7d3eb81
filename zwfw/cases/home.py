"""Home-page panels of case handling (registered in CasesConfig.ready)."""

from django.urls import reverse

from zwfw.cases import rollups, selectors
from zwfw.cases.states import CaseState
from zwfw.core.home import Panel
from zwfw.core.permissions import Role, has_role_anywhere

# What get_status_display answers (the field's choices are CaseState's), without its
# per-call dict of hashed lazy labels: 0.08 ms a row, most of a prepared panel's time.
_STATUS_LABELS = dict(CaseState.choices)


def _meta(case) -> str:
    status = str(_STATUS_LABELS.get(case.status, case.status))
    if case.due_date is None:
        return status
    label = "受理期限" if case.status == "received" else "办理期限"
    left = case.remaining_workdays
    tail = f"逾期{-left}个工作日" if left is not None and left < 0 else f"剩余{left}个工作日"
    return f"{status}，{label}{case.due_date:%m-%d}，{tail}"


def my_cases_panel(user) -> Panel | None:
    """The work queue: open cases of the user's departments, soonest due first."""
    if not has_role_anywhere(user, Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN):
        return None
    rows = [
        {
            "text": f"{c.number} {c.item.name}",
            "url": reverse("cases:detail", args=[c.number]),
            "level": c.alert_level,
            "meta": _meta(c),
        }
        for c in selectors.my_open_cases(user)
    ]
    return Panel(
        title="待办办件（按期限排序）",
        rows=rows,
        empty="没有待办的办件",
        link=reverse("cases:list") + "?open=1",
        order=10,
    )


def awaiting_decision_panel(user) -> Panel | None:
    """待我决定: the chief officer's own queue (shown to holders of a grant in force)."""
    if not user.is_authenticated or getattr(user, "person", None) is None:
        return None
    # The grants in force read once: the queue needs them, and "holds a grant?" is whether
    # there are any (no second query for the panel's own check).
    ids = selectors.grant_ids_in_force(user)
    cases = selectors.awaiting_my_decision(user, grant_ids=ids)
    if not cases and not ids:
        return None
    rows = [
        {
            "text": f"{c.number} {c.item.name}"
            + ("（待初审）" if c.procedure == "preliminary" and not c.first_reviewed_by_id else ""),
            "url": reverse("cases:detail", args=[c.number]),
            "level": c.alert_level,
            "meta": _meta(c),
        }
        for c in cases
    ]
    return Panel(title="待我决定", rows=rows, empty="没有等待您决定的办件", order=5)


def department_alerts_panel(user) -> Panel | None:
    """Open, overdue and yellow counts per department for administrators: one query over the
    rollup CaseCount (R-21, zwfw.cases.rollups), whatever the number of cases."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, Role.SUPERVISOR):
        return None
    counts = rollups.department_counts(user)
    rows = [
        {
            "text": f"{c.name}：在办{c.open}件，黄牌{c.yellow}件，逾期{c.overdue}件",
            "url": reverse("cases:list") + f"?department_id={c.department_id}&open=1",
            "level": "red" if c.overdue else ("yellow" if c.yellow else "green"),
        }
        for c in counts[:12]
    ]
    return Panel(
        title="办件预警", rows=rows, empty="暂无在办办件", link=reverse("cases:summary"), order=11
    )
