"""Settings of 好差评, each with the default NATIONAL.md gives (RULES.md L-EVAL: "within the
deadlines set in NATIONAL.md", each a setting).

Read through getattr so a deployment sets them in the marked ZWFW_EVAL_* block of
zwfw/settings.py (or the environment feeding it) without this app changing.
"""

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def callback_days() -> int:
    """L-EVAL: working days from a bad review to the call-back (回访核实)."""
    return _int("ZWFW_EVAL_CALLBACK_DAYS", 1)


def rectify_days() -> int:
    """L-EVAL: working days from a bad review to the end of rectification (整改)."""
    return _int("ZWFW_EVAL_RECTIFY_DAYS", 5)


def report_days() -> int:
    """L-EVAL: working days from a bad review to the report back to the rater (反馈)."""
    return _int("ZWFW_EVAL_REPORT_DAYS", 5)


def max_days() -> int:
    """L-EVAL: no rectification step, extended or not, ends later than this many working days
    after the bad review ("never longer than 15 working days")."""
    return _int("ZWFW_EVAL_MAX_DAYS", 15)


def invite_after_days() -> int:
    """Natural days after completion before an unrated case gets one SMS invitation."""
    return _int("ZWFW_EVAL_INVITE_AFTER_DAYS", 3)


def default_after_days() -> int:
    """Natural days after completion before an unrated case gets the default 基本满意."""
    return _int("ZWFW_EVAL_DEFAULT_AFTER_DAYS", 7)


def site_url() -> str:
    """Public address used in SMS links and printed QR codes ("" = the request's address)."""
    return str(getattr(settings, "ZWFW_EVAL_SITE_URL", "") or "").rstrip("/")


def form_max_age() -> int:
    """Seconds a public rating form stays valid after the page was opened."""
    return _int("ZWFW_EVAL_FORM_MAX_AGE", 1800)


def visit_token_hours() -> int:
    """Hours a one-time window-visit rating link stays valid."""
    return _int("ZWFW_EVAL_VISIT_TOKEN_HOURS", 24)


def public_limit() -> tuple[int, int]:
    """Public rating submissions allowed per client address and window (count, seconds)."""
    count, seconds = getattr(settings, "ZWFW_EVAL_PUBLIC_LIMIT", (10, 600))
    return int(count), int(seconds)


def _pair(name: str, default: tuple[int, int]) -> tuple[int, int]:
    count, seconds = getattr(settings, name, default)
    return int(count), int(seconds)


def target_limit() -> tuple[int, int]:
    """Issue 11 point 6: ratings from the public pages allowed per window and per staff member
    in a window of time (count, seconds); more is a flood (HTTP 429)."""
    return _pair("ZWFW_EVAL_TARGET_LIMIT", (30, 3600))


def bad_limit() -> tuple[int, int]:
    """Issue 11 point 6: bad reviews from the public pages allowed per staff member and per
    window in a window of time (count, seconds); more answer HTTP 429 and are not stored."""
    return _pair("ZWFW_EVAL_BAD_LIMIT", (3, 3600))
