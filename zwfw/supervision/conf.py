"""Settings of supervision, each with its default (read through getattr so a deployment sets
them in the marked ZWFW_SUPERVISION_* block of zwfw/settings.py without this app changing)."""

from django.conf import settings


def rectify_days() -> int:
    """Working days a department has to rectify a problem found by an inspection (N-17)."""
    return int(getattr(settings, "ZWFW_SUPERVISION_RECTIFY_DAYS", 10))


def max_draw_size() -> int:
    """The largest sample one draw may take (a draw is a workload for real inspectors)."""
    return int(getattr(settings, "ZWFW_SUPERVISION_MAX_DRAW_SIZE", 500))


def hotline_max_rows() -> int:
    """Rows one hotline import (xlsx or batch API call) may carry."""
    return int(getattr(settings, "ZWFW_SUPERVISION_HOTLINE_MAX_ROWS", 20000))
