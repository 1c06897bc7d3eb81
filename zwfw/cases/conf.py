"""Settings of case handling, each with the legal default (RULES.md: "each is a setting").

Read through getattr so a deployment may set them in zwfw/settings.py (or the environment
feeding it) without this app changing.
"""

from django.conf import settings


def accept_days() -> int:
    """L-ACCEPT: working days to accept, refuse or notify (行政许可法第32条; art. 82: working
    days)."""
    return int(getattr(settings, "CASES_ACCEPT_DAYS", 5))


def default_limit_days() -> int:
    """L-LIMIT: the legal limit when an item records none (第42条)."""
    return int(getattr(settings, "CASES_DEFAULT_LIMIT_DAYS", 20))


def max_extension_days() -> int:
    """L-LIMIT: one extension of at most this many working days (第42条)."""
    return int(getattr(settings, "CASES_MAX_EXTENSION_DAYS", 10))


def number_format() -> str:
    """Case numbers: readable and sortable within a center (center code, day, sequence)."""
    return getattr(settings, "CASES_NUMBER_FORMAT", "{center}-{date:%Y%m%d}-{seq:05d}")


def public_query_limit() -> tuple[int, int]:
    """Progress queries allowed per client address and window (count, seconds)."""
    return tuple(getattr(settings, "CASES_PUBLIC_QUERY_LIMIT", (20, 600)))


def public_guess_limit() -> tuple[int, int]:
    """Wrong phone_last4 guesses per case number and window (count, seconds); past it the
    case answers the public query only with an SMS code sent to its phone."""
    return tuple(getattr(settings, "CASES_PUBLIC_GUESS_LIMIT", (10, 86400)))


def public_code_limit() -> tuple[int, int]:
    """SMS codes a client address may ask for on the public pages and API (count, seconds);
    notifications.codes limits each phone as well."""
    return tuple(getattr(settings, "CASES_PUBLIC_CODE_LIMIT", (10, 3600)))


def public_apply_limit() -> tuple[int, int]:
    """Online applications per client address (count, seconds)."""
    return tuple(getattr(settings, "CASES_PUBLIC_APPLY_LIMIT", (10, 3600)))


def public_apply_phone_limit() -> tuple[int, int]:
    """Online applications per applicant phone (count, seconds)."""
    return tuple(getattr(settings, "CASES_PUBLIC_APPLY_PHONE_LIMIT", (5, 86400)))
