"""Template tags other apps' templates use to offer a rating (the receipt's QR code, the
progress page's link) without knowing how rating links are made."""

from django import template
from django.utils.safestring import mark_safe

from zwfw.evaluations import links

register = template.Library()


@register.simple_tag
def rating_path(number: str, channel: str = "web") -> str:
    """The public rating page of a case (relative; for links on our own pages)."""
    return links.case_path(number, channel)


@register.simple_tag(takes_context=True)
def rating_url(context, number: str, channel: str = "qr") -> str:
    """The absolute rating address of a case (printed or sent)."""
    return links.case_url(number, channel, context.get("request"))


@register.simple_tag(takes_context=True)
def rating_qr_png(context, number: str, channel: str = "qr") -> str:
    """A PNG data URI of the case's rating QR code (PDF receipts)."""
    return links.qr_png_data_uri(links.case_url(number, channel, context.get("request")), 3)


@register.simple_tag
def qr_svg(url: str, scale: int = 4):
    return mark_safe(links.qr_svg(url, scale))  # segno's own markup, no user text in it


@register.filter
def pct(value) -> str:
    """A rate from statistics as "98.50%", or "—" when there was nothing to count."""
    return "—" if value is None else f"{value:.2f}%"
