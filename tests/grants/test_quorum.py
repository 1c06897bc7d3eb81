"""Pure quorum and voting rules of the decision committee (N-14)."""

from fractions import Fraction

from zwfw.grants import quorum
from zwfw.grants.quorum import DEFAULT_MAJORITY, DEFAULT_QUORUM


def test_two_thirds_quorum():
    """N-14: with the default 2/3, 2 of 3 members reach the quorum, 1 of 3 does not."""
    assert quorum.quorum_met(2, 3, DEFAULT_QUORUM)
    assert not quorum.quorum_met(1, 3, DEFAULT_QUORUM)
    assert not quorum.quorum_met(6, 10, DEFAULT_QUORUM)
    assert quorum.quorum_met(7, 10, DEFAULT_QUORUM)
    assert quorum.needed_for_quorum(10, DEFAULT_QUORUM) == 7
    assert quorum.needed_for_quorum(3, DEFAULT_QUORUM) == 2
    assert not quorum.quorum_met(0, 0, DEFAULT_QUORUM)


def test_majority_of_those_present():
    """N-14: adopted when votes for are more than half of those present."""
    assert quorum.passes(quorum.tally(["for", "for", "against"], present=3), DEFAULT_MAJORITY)
    assert not quorum.passes(quorum.tally(["for", "against"], present=2), DEFAULT_MAJORITY)
    # Abstentions count as present: 2 for, 2 abstain of 4 is not a majority.
    assert not quorum.passes(
        quorum.tally(["for", "for", "abstain", "abstain"], 4), DEFAULT_MAJORITY
    )


def test_ratios_come_from_settings(settings):
    """N-14: quorum and majority are settings with defaults."""
    settings.ZWFW_COMMITTEE_QUORUM = "1/2"
    settings.ZWFW_COMMITTEE_MAJORITY = "2/3"
    assert quorum.default_quorum() == Fraction(1, 2)
    assert quorum.default_majority() == Fraction(2, 3)
    settings.ZWFW_COMMITTEE_QUORUM = "nonsense"
    assert quorum.default_quorum() == DEFAULT_QUORUM
    assert quorum.parse_ratio("3/2", DEFAULT_QUORUM) == DEFAULT_QUORUM
