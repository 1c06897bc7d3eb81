"""`{% recompute_notice case %}`: a case page says when its due date is still the one of the
calendar before an edit (L-CAL; zwfw.workdays.recompute)."""

from django import template

from zwfw.workdays import selectors

register = template.Library()


@register.inclusion_tag("workdays/_recompute_notice.html")
def recompute_notice(case, public=False):
    return {"job": selectors.pending_recompute(case), "public": public}
