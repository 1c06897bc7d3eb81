"""Seed 003 rules that need no database (zwfw.talents.rules)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from zwfw.talents import rules

D = datetime.date


@dataclass
class Card:
    level: str
    valid_to: datetime.date


@dataclass
class Item:
    name: str = "人才落户办理"
    green_channel: bool = True
    active: bool = True


def test_TC_16_level_order_A_highest():
    """TC-16: A is the highest level, E the lowest; a card allows items up to its level."""
    assert rules.level_allows("A", "E")
    assert rules.level_allows("C", "C")
    assert not rules.level_allows("D", "C")


def test_TC_16_card_valid_through_valid_to_inclusive():
    """TC-16: a card is valid on its last day and refused the day after."""
    card = Card("B", D(2025, 9, 14))
    assert rules.check_cards([card], item=Item(), min_level="C", on=D(2025, 9, 14)).allowed
    answer = rules.check_cards([card], item=Item(), min_level="C", on=D(2025, 9, 15))
    assert not answer.allowed and "过期" in answer.reason


def test_TC_16_best_valid_card_counts():
    """TC-16: of several cards the highest valid one decides; expired ones do not count."""
    cards = [Card("A", D(2025, 1, 1)), Card("C", D(2026, 1, 1))]
    assert rules.check_cards(cards, item=Item(), min_level="C", on=D(2025, 9, 15)).allowed
    assert not rules.check_cards(cards, item=Item(), min_level="B", on=D(2025, 9, 15)).allowed


def test_TC_16_not_a_green_channel_item():
    answer = rules.check_cards(
        [Card("A", D(2030, 1, 1))], item=Item(green_channel=False), min_level=None, on=D(2025, 1, 1)
    )
    assert not answer.allowed and "不是绿色通道事项" in answer.reason


def test_TC_19_seven_workdays_on_time_eight_late():
    assert not rules.filing_is_late(7)
    assert rules.filing_is_late(8)


def test_TW_17_grade_thresholds():
    """TW-17: 优秀 ≥ 90, 良好 ≥ 80, 达标 ≥ 60, 不达标 below."""
    assert rules.grade_for(Decimal("90")) == "excellent"
    assert rules.grade_for(Decimal("89.9")) == "good"
    assert rules.grade_for(Decimal("60")) == "pass"
    assert rules.grade_for(Decimal("59.9")) == "fail"
    assert rules.record_score(on_time_rate=1.0, average_rating=5.0, filed_rate=1.0) == Decimal(
        "70.0"
    )


def test_TW_14_period_ends():
    assert rules.period_end(2025, 1) == D(2025, 3, 31)
    assert rules.period_end(2025, 3) == D(2025, 9, 30)
    assert rules.period_end(2025, 4) == D(2025, 12, 31)
    assert rules.period_end(2025, 0) == D(2025, 12, 31)
