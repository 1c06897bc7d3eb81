"""Home-page panels of the grants app (registered in GrantsConfig.ready)."""

from django.urls import reverse
from django.utils import timezone

from zwfw.core.home import Panel
from zwfw.core.permissions import Role, department_scope, has_role_anywhere
from zwfw.grants import selectors


def expiring_panel(user) -> Panel | None:
    """N-12: grants ending within 30 days, for department and center administrators."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN):
        return None
    today = timezone.localdate()
    rows = []
    for g in selectors.expiring_for(user, on=today):
        left = (g.last_day - today).days
        rows.append(
            {
                "text": f"{g.department.short_name or g.department.name} {g.grantee.name}"
                f"（{g.get_role_display()}）授权将于{g.last_day:%Y-%m-%d}到期",
                "url": reverse("grants:grant", args=[g.pk]),
                "level": "red" if left <= 7 else "yellow",
                "meta": f"剩余{left}天" if left else "今天到期",
            }
        )
    return Panel(
        title="即将到期的授权",
        rows=rows,
        empty="30天内没有到期的授权",
        link=reverse("grants:grants") + "?status=expiring",
        order=30,
    )


def uncovered_panel(user) -> Panel | None:
    """C-2.1: departments with a window but no chief service officer in force today."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN, Role.COORDINATION_OFFICE):
        return None
    scope = department_scope(user, Role.CENTER_ADMIN, Role.COORDINATION_OFFICE)
    rows = [
        {
            "text": f"{d.name}尚无在任首席服务员",
            "level": "red",
            "url": reverse("grants:grants") + f"?department={d.code}",
        }
        for d in selectors.departments_without_officer(scope)[:10]
    ]
    return Panel(
        title="未配备首席服务员的部门", rows=rows, empty="所有进驻部门均已配备首席服务员", order=31
    )


def proposals_panel(user) -> Panel | None:
    """N-10: proposals waiting for the leading group's decision."""
    if not has_role_anywhere(user, Role.LEADING_GROUP):
        return None
    rows = [
        {
            "text": f"{p.department.name}提名{p.grantee.name}为{p.get_role_display()}",
            "url": reverse("grants:proposal", args=[p.pk]),
            "meta": f"{p.proposed_on:%Y-%m-%d}提名",
        }
        for p in selectors.pending_proposals_for_leading_group(user)[:10]
    ]
    return Panel(
        title="待领导小组研究的人选建议",
        rows=rows,
        empty="没有待研究的人选建议",
        link=reverse("grants:proposals") + "?status=pending",
        order=20,
    )


def adjustments_panel(user) -> Panel | None:
    """C-4.3: the coordination office sees every adjustment of chief officers."""
    if not has_role_anywhere(user, Role.COORDINATION_OFFICE):
        return None
    scope = department_scope(user, Role.COORDINATION_OFFICE)
    rows = [
        {
            "text": f"{d.grant.department.short_name or d.grant.department.name} "
            f"{d.grant.grantee.name}：{d.get_kind_display()}",
            "url": reverse("grants:grant", args=[d.grant_id]),
            "meta": f"{d.decided_on:%Y-%m-%d}",
            "level": "yellow" if d.kind == d.Kind.REVOKE else "",
        }
        for d in selectors.recent_adjustments(scope)[:10]
    ]
    return Panel(title="近30天首席服务员调整情况", rows=rows, empty="近30天没有调整", order=32)
