"""Pure date rules of grants: term length, continuity, status (no database)."""

import datetime

import pytest

from zwfw.grants import terms
from zwfw.grants.terms import GrantStatus

D = datetime.date


def test_two_full_years_is_long_enough():
    """C-4.3: a term of exactly two years (1 Jan 2025 – 31 Dec 2026) is accepted."""
    assert terms.term_is_long_enough(D(2025, 1, 1), D(2026, 12, 31))


def test_one_day_short_of_two_years_is_too_short():
    """C-4.3: a term shorter than 2 years is refused."""
    assert not terms.term_is_long_enough(D(2025, 1, 1), D(2026, 12, 30))
    assert not terms.term_is_long_enough(D(2025, 3, 10), D(2026, 3, 9))


def test_leap_day_start():
    """C-4.3: a term from 29 Feb counts two years to 27 Feb two years later at the earliest."""
    assert terms.add_years(D(2024, 2, 29), 2) == D(2026, 2, 28)
    assert terms.term_is_long_enough(D(2024, 2, 29), D(2026, 2, 27))
    assert not terms.term_is_long_enough(D(2024, 2, 29), D(2026, 2, 26))


def test_replacement_starting_the_day_after_leaves_no_gap():
    """C-4.3 不断档: the new grant may start the day after the old one ends."""
    assert terms.continuity_gap(D(2026, 6, 30), D(2026, 7, 1)) is None
    assert terms.continuity_gap(D(2026, 6, 30), D(2026, 6, 15)) is None


def test_replacement_starting_later_names_the_gap():
    """C-4.3 不断档: two days later leaves a one-day gap, with its dates."""
    gap = terms.continuity_gap(D(2026, 6, 30), D(2026, 7, 3))
    assert (gap.first, gap.last, gap.days) == (D(2026, 7, 1), D(2026, 7, 2), 2)


@pytest.mark.parametrize(
    "on, expected",
    [
        (D(2024, 12, 31), GrantStatus.SCHEDULED),
        (D(2025, 1, 1), GrantStatus.ACTIVE),
        (D(2026, 11, 30), GrantStatus.ACTIVE),
        (D(2026, 12, 1), GrantStatus.EXPIRING),
        (D(2026, 12, 31), GrantStatus.EXPIRING),
        (D(2027, 1, 1), GrantStatus.EXPIRED),
    ],
)
def test_status_by_date(on, expected):
    """N-12: expiring within 30 days of the end, expired the day after valid_to."""
    assert terms.status_on(D(2025, 1, 1), D(2026, 12, 31), None, on) == expected


def test_revocation_takes_effect_on_its_date():
    """N-12: a revoked grant gives nothing from the revocation date."""
    args = (D(2025, 1, 1), D(2026, 12, 31), D(2025, 6, 1))
    assert terms.in_force(*args, D(2025, 5, 31))
    assert not terms.in_force(*args, D(2025, 6, 1))
    assert terms.status_on(*args, D(2025, 6, 1)) == GrantStatus.REVOKED
    assert terms.status_on(*args, D(2025, 5, 10)) == GrantStatus.EXPIRING
    assert terms.last_day(D(2026, 12, 31), D(2025, 6, 1)) == D(2025, 5, 31)


def test_overlaps():
    assert terms.overlaps(D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31), D(2026, 1, 5))
    assert not terms.overlaps(D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 5))
