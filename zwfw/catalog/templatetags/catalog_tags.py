from django import template

from zwfw.catalog import snapshot as snap

register = template.Library()


@register.filter
def label(value, field: str) -> str:
    """A stored value as users read it: `{{ row.item_type|label:"item_type" }}`."""
    return snap.display(field, value)


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def person_name(user) -> str:
    """The staff member's name (or account name) of a user, "—" when there is none."""
    if user is None:
        return "—"
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()
