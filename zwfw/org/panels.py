"""Home-page panels of the org app."""

from django.urls import reverse

from zwfw.core.home import Panel, register
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.org import selectors


@register
def incomplete_people(user):
    """Admins: people whose records lack what later rules compute from (N-9, R-6, R-7)."""
    if not has_role_anywhere(user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN):
        return None
    people = selectors.incomplete_people(user)
    return Panel(
        title="待补全的人员信息",
        rows=[
            {
                "text": f"{p.name}（{p.department.name}）缺少从事审批工作日期",
                "url": reverse("org:person_edit", args=[p.pk]),
                "level": "yellow",
            }
            for p in people
        ],
        empty="人员信息完整",
        link=reverse("org:people"),
        order=90,
    )
