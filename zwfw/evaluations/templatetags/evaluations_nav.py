"""The 好差评 sub-menu shows only what the user may open (issue 11 point 18): each flag asks
the same check the page or its service makes, so menu and page cannot disagree."""

from django import template

from zwfw.core.errors import Forbidden
from zwfw.core.permissions import has_role_anywhere
from zwfw.evaluations.selectors import VIEW_ROLES
from zwfw.evaluations.services.base import VISIT_ROLES

register = template.Library()


def _allowed(check, user) -> bool:
    try:
        check(user)
    except Forbidden:
        return False
    return True


@register.simple_tag(takes_context=True)
def evaluations_nav(context) -> dict:
    from zwfw.evaluations.tool_views import _require_center_admin

    user = context["request"].user if "request" in context else None
    return {
        "statistics": has_role_anywhere(user, *VIEW_ROLES),  # statistics.report
        "devices": _allowed(_require_center_admin, user),  # tool_views.devices
        "new_visit": has_role_anywhere(user, *VISIT_ROLES),  # services.start_visit
    }
