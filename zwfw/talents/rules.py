"""Rules of seed 003 that need no database: card levels (TC-16), the commissioner filing limit
(TC-19), task due dates (TC-17), the filing due date of a period (TW-14) and the window grade
(TW-17). Plain functions, tested without a database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

# Card and talent levels, highest first: an A card serves every item, an E card only the
# items open to E (an item's minimum level is the lowest card level it serves).
LEVEL_ORDER = ("A", "B", "C", "D", "E")

# TC-19: a change of commissioner is filed within this many working days.
FILING_LIMIT_WORKDAYS = 7

# TW-14: a quarter's or a year's archive filing is due this many working days after the
# period ends (the seed says "quarterly" / "yearly" without a day; this is our reading).
ARCHIVE_FILING_WORKDAYS = 10


def level_allows(card_level: str, min_level: str) -> bool:
    """TC-16: True when `card_level` is at least `min_level` (A highest … E lowest)."""
    return LEVEL_ORDER.index(card_level) <= LEVEL_ORDER.index(min_level)


@dataclass(frozen=True)
class CardAnswer:
    allowed: bool
    reason: str
    card: object = None


def check_cards(cards, *, item, min_level: str | None, on: datetime.date) -> CardAnswer:
    """TC-16: does one of `cards`, on `on`, allow the green-channel `item`? Valid through
    `valid_to` inclusive; the level must reach the item's minimum (E when none published)."""
    if not item.green_channel or not item.active:
        return CardAnswer(False, f"“{item.name}”不是绿色通道事项")
    cards = list(cards)
    if not cards:
        return CardAnswer(False, "该人才没有惠才卡")
    valid = [c for c in cards if c.valid_to >= on]
    if not valid:
        last = max(c.valid_to for c in cards)
        return CardAnswer(False, f"惠才卡已于{last:%Y-%m-%d}过期")
    best = min(valid, key=lambda c: LEVEL_ORDER.index(c.level))
    need = min_level or "E"
    if not level_allows(best.level, need):
        return CardAnswer(False, f"惠才卡等级为{best.level}类，该事项须{need}类及以上", card=best)
    return CardAnswer(
        True, f"{best.level}类惠才卡有效期至{best.valid_to:%Y-%m-%d}，可享受绿色通道服务", best
    )


def filing_is_late(workdays: int) -> bool:
    """TC-19: filed more than 7 working days after the change."""
    return workdays > FILING_LIMIT_WORKDAYS


def task_limit_days(items) -> int:
    """TC-17: a task's limit is the longest promised limit of its items (the legal limit
    when an item promises none); 0 means done the same day."""
    return max((i.promised_limit_days or i.legal_limit_days or 0) for i in items)


def period_end(year: int, quarter: int) -> datetime.date:
    """Last day of a quarter (1–4) or, with quarter 0, of the year."""
    if quarter == 0 or quarter == 4:
        return datetime.date(year, 12, 31)
    month = quarter * 3 + 1
    return datetime.date(year, month, 1) - datetime.timedelta(days=1)


GRADE_THRESHOLDS = ((Decimal(90), "excellent"), (Decimal(80), "good"), (Decimal(60), "pass"))


def grade_for(score: Decimal) -> str:
    """TW-17: 优秀 ≥ 90, 良好 ≥ 80, 达标 ≥ 60, else 不达标."""
    for threshold, grade in GRADE_THRESHOLDS:
        if score >= threshold:
            return grade
    return "fail"


def record_score(
    *, on_time_rate: float, average_rating: float | None, filed_rate: float
) -> Decimal:
    """TW-17: the records' part of the grade, out of 70: on-time completion 30, ratings 25
    (a year without ratings counts as 基本满意, 3 of 5), archives filed on time 15."""
    rating = average_rating if average_rating is not None else 3.0
    value = on_time_rate * 30 + rating / 5 * 25 + filed_rate * 15
    return Decimal(str(round(value, 1)))
