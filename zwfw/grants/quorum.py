"""Quorum and voting of the decision committee (N-14). No database here.

The ratios are settings (`ZWFW_COMMITTEE_QUORUM`, `ZWFW_COMMITTEE_MAJORITY`, as
"numerator/denominator" strings) with the defaults below; a committee row may override them.
"""

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_QUORUM = Fraction(2, 3)  # at least two thirds of the members present
DEFAULT_MAJORITY = Fraction(1, 2)  # more than half of those present vote for


class VoteChoice(models.TextChoices):
    FOR = "for", _("同意")
    AGAINST = "against", _("不同意")
    ABSTAIN = "abstain", _("弃权")


def parse_ratio(text: str | None, default: Fraction) -> Fraction:
    if not text:
        return default
    try:
        value = Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        return default
    return value if 0 < value <= 1 else default


def default_quorum() -> Fraction:
    return parse_ratio(getattr(settings, "ZWFW_COMMITTEE_QUORUM", None), DEFAULT_QUORUM)


def default_majority() -> Fraction:
    return parse_ratio(getattr(settings, "ZWFW_COMMITTEE_MAJORITY", None), DEFAULT_MAJORITY)


def quorum_met(present: int, members: int, quorum: Fraction) -> bool:
    """Present members reach the quorum share of all members (2 of 3 with 2/3: yes)."""
    return members > 0 and Fraction(present, members) >= quorum


def needed_for_quorum(members: int, quorum: Fraction) -> int:
    needed = quorum * members
    return int(needed) if needed.denominator == 1 else int(needed) + 1


@dataclass(frozen=True)
class Tally:
    for_: int
    against: int
    abstain: int
    present: int

    @property
    def voted(self) -> int:
        return self.for_ + self.against + self.abstain


def tally(choices: list[str], present: int) -> Tally:
    counts = Counter(choices)
    return Tally(
        counts[VoteChoice.FOR], counts[VoteChoice.AGAINST], counts[VoteChoice.ABSTAIN], present
    )


def passes(result: Tally, majority: Fraction) -> bool:
    """Adopted when votes for are MORE than `majority` of those present (abstentions count
    as present, so they weigh like votes against)."""
    return result.present > 0 and Fraction(result.for_, result.present) > majority
