"""`{% main_menu as entries %}`: the menu entries the user may open (core.home.MENU)."""

from django import template

from zwfw.core.home import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    request = context.get("request")  # absent when an error page renders without context
    return menu_for(request.user) if request is not None else []


@register.filter
def rule_basis(code):
    """`{{ error.code|rule_basis }}`: the rule's legal basis in words ("" if none)."""
    from zwfw.core.basis import basis

    return basis(code)
