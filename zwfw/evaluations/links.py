"""Addresses of the public rating pages and their QR codes (segno). No queries.

A printed sheet or an SMS outlives the request that made it, so the public address comes
from ZWFW_EVAL_SITE_URL when set; pages without it use the address they were opened at.
"""

import segno
from django.urls import reverse

from zwfw.evaluations import conf, tokens

FALLBACK_SITE = "http://127.0.0.1:8000"


def absolute(path: str, request=None) -> str:
    base = conf.site_url()
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return FALLBACK_SITE + path


def case_path(number: str, channel: str) -> str:
    return reverse("public_evaluations:case", args=[tokens.case_link_token(number, channel)])


def case_url(number: str, channel: str, request=None) -> str:
    return absolute(case_path(number, channel), request)


def window_url(window_id: int, request=None) -> str:
    path = reverse("public_evaluations:window", args=[tokens.sheet_key("w", window_id)])
    return absolute(path, request)


def staff_url(person_id: int, request=None) -> str:
    path = reverse("public_evaluations:staff", args=[tokens.sheet_key("p", person_id)])
    return absolute(path, request)


def visit_url(token: str, request=None) -> str:
    return absolute(reverse("public_evaluations:visit", args=[token]), request)


def qr_svg(url: str, scale: int = 4) -> str:
    """Inline SVG of a QR code (pages and printable sheets)."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#1f2329")


def qr_png_data_uri(url: str, scale: int = 4) -> str:
    """A PNG data URI (PDF receipts: WeasyPrint embeds it without fetching anything)."""
    return segno.make(url, error="m").png_data_uri(scale=scale)
