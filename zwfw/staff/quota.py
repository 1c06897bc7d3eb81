"""R-22: the center's quota of 优秀 grades, proportional to its resident headcount. Pure.

Rounding (documented): quota = floor(headcount × share), computed in decimals so 20 × 0.15
is exactly 3; the quota never exceeds the share. With a share of 15 %, a center of 6
residents has no 优秀 place (0.9 → 0) and one of 7 has one (1.05 → 1).
"""

from decimal import ROUND_FLOOR, Decimal


def excellent_quota(headcount: int, share) -> int:
    if headcount <= 0:
        return 0
    value = Decimal(headcount) * Decimal(str(share))
    return int(value.to_integral_value(rounding=ROUND_FLOOR))
