"""PDF from Django HTML templates via WeasyPrint, typeset with Debian's Noto CJK fonts.

Templates extend "documents/base_document.html", which sets an A4 page with the margins of
Chinese official documents (GB/T 9704) and the serif CJK face (宋体/仿宋-like).
"""

from django.conf import settings
from django.template.loader import render_to_string

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fontconfig, which pages that never render a
    # PDF should not pay for.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template_name: str, context: dict | None = None, request=None) -> bytes:
    """Render a template to PDF bytes."""
    context = {"serif_font": SERIF, "sans_font": SANS, **(context or {})}
    return html_to_pdf(render_to_string(template_name, context, request=request))
