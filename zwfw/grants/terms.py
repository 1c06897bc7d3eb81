"""Dates of a grant: term length, continuity (不断档) and status. No database here.

Used by grants.services (checks before writing), grants.selectors (status on a day) and the
daily task that keeps the stored status column current.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_TERM_YEARS = 2  # C-4.3: 原则上至少任期2年
EXPIRING_DAYS = 30  # grants ending within this many days show as expiring (N-12)


class GrantStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("未生效")
    ACTIVE = "active", _("有效")
    EXPIRING = "expiring", _("即将到期")
    EXPIRED = "expired", _("已到期")
    REVOKED = "revoked", _("已撤销")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_is_long_enough(
    valid_from: datetime.date, valid_to: datetime.date, years: int = MIN_TERM_YEARS
) -> bool:
    """C-4.3: 2025-01-01..2026-12-31 is two full years; one day less is not."""
    return valid_to + datetime.timedelta(days=1) >= add_years(valid_from, years)


def last_day(valid_to: datetime.date, revoked_on: datetime.date | None) -> datetime.date:
    """The last day a grant gives authority: revocation takes effect on its own date."""
    if revoked_on is None:
        return valid_to
    return min(valid_to, revoked_on - datetime.timedelta(days=1))


def in_force(
    valid_from: datetime.date,
    valid_to: datetime.date,
    revoked_on: datetime.date | None,
    on: datetime.date,
) -> bool:
    return valid_from <= on <= last_day(valid_to, revoked_on)


def status_on(
    valid_from: datetime.date,
    valid_to: datetime.date,
    revoked_on: datetime.date | None,
    on: datetime.date,
    expiring_days: int = EXPIRING_DAYS,
) -> GrantStatus:
    """The status a grant has on `on`; the stored column is this value for today."""
    if revoked_on is not None and on >= revoked_on:
        return GrantStatus.REVOKED
    if on < valid_from:
        return GrantStatus.SCHEDULED
    end = last_day(valid_to, revoked_on)
    if on > end:
        return GrantStatus.EXPIRED
    if (end - on).days <= expiring_days:
        return GrantStatus.EXPIRING
    return GrantStatus.ACTIVE


@dataclass(frozen=True)
class Gap:
    """Days without a grant between the current one's end and its replacement's start."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def continuity_gap(current_last_day: datetime.date, new_from: datetime.date) -> Gap | None:
    """C-4.3 不断档: the replacement must start no later than the day after the old one ends."""
    first_uncovered = current_last_day + datetime.timedelta(days=1)
    if new_from <= first_uncovered:
        return None
    return Gap(first=first_uncovered, last=new_from - datetime.timedelta(days=1))


def overlaps(
    a_from: datetime.date, a_last: datetime.date, b_from: datetime.date, b_last: datetime.date
) -> bool:
    return a_from <= b_last and b_from <= a_last
