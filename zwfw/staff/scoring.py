"""R-21: the monthly score of one resident from their facts and the center's indicators.
Pure: no queries (tested without a database).

Formula kinds (Indicator.kind):
- base:     points = weight
- rate:     points = weight × fact / denominator (full weight when the denominator is 0:
            no cases decided means no case was late)
- per_unit: points = min(cap, weight × fact)
- deduct:   points = −min(cap, weight × fact)
Manual adjustments (加减分) are added as they are, each with its reason. Points are rounded
to 2 decimals half up, per part, and the score is the sum of the rounded parts, so the
explanation adds up exactly to the score.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    kind: str
    weight: Decimal
    fact: str = ""
    denominator: str = ""
    cap: Decimal | None = None


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def points(rule: Rule, facts: dict) -> tuple[Decimal, str]:
    """(points, formula as a user reads it)."""
    w = Decimal(rule.weight)
    value = Decimal(facts.get(rule.fact, 0) or 0) if rule.fact else Decimal(0)
    if rule.kind == "base":
        return _q(w), f"基础分 {w}"
    if rule.kind == "rate":
        den = Decimal(facts.get(rule.denominator, 0) or 0)
        if den == 0:
            return _q(w), f"无{rule.denominator}记录，计满分 {w}"
        return _q(w * value / den), f"{w} × {value}/{den}"
    cap = Decimal(rule.cap) if rule.cap is not None else None
    raw = w * value
    capped = min(raw, cap) if cap is not None else raw
    text = f"{w} × {value}" + (f"（封顶 {cap}）" if cap is not None else "")
    if rule.kind == "per_unit":
        return _q(capped), text
    if rule.kind == "deduct":
        return _q(-capped), "−" + text
    raise ValueError(f"unknown indicator kind {rule.kind}")


def score(rules: list[Rule], facts: dict, adjustments: list[tuple[Decimal, str]] = ()) -> dict:
    """{"score": Decimal, "parts": [{code, name, fact, value, formula, points}, …]}."""
    parts = []
    for rule in rules:
        pts, formula = points(rule, facts)
        parts.append(
            {
                "code": rule.code,
                "name": rule.name,
                "fact": rule.fact,
                "value": facts.get(rule.fact, 0) if rule.fact else None,
                "denominator": rule.denominator or None,
                "formula": formula,
                "points": str(pts),
            }
        )
    for value, reason in adjustments:
        parts.append(
            {
                "code": "manual",
                "name": "加减分",
                "fact": "",
                "value": None,
                "denominator": None,
                "formula": reason,
                "points": str(_q(Decimal(value))),
            }
        )
    total = sum((Decimal(p["points"]) for p in parts), Decimal("0"))
    return {"score": _q(total), "parts": parts}


# The default rules (考核细则) a center has until it sets its own: 100 points at most.
DEFAULT_RULES = [
    Rule("base", "基础分", "base", Decimal("60")),
    Rule("on_time", "按时办结率", "rate", Decimal("15"), "on_time", "decided"),
    Rule("good_rate", "好评率", "rate", Decimal("10"), "good", "evaluations"),
    Rule("volume", "办件量", "per_unit", Decimal("0.1"), "received", cap=Decimal("10")),
    Rule("notices", "一次性告知", "per_unit", Decimal("0.5"), "notices", cap=Decimal("5")),
    Rule("bad_upheld", "差评核实属实", "deduct", Decimal("2"), "bad_upheld", cap=Decimal("10")),
    Rule(
        "inspection",
        "抽查发现问题",
        "deduct",
        Decimal("2"),
        "inspection_problems",
        cap=Decimal("10"),
    ),
    Rule("hotline", "12345投诉", "deduct", Decimal("2"), "hotline_complaints", cap=Decimal("10")),
    Rule(
        "personal_leave",
        "事假",
        "deduct",
        Decimal("0.5"),
        "personal_leave_days",
        cap=Decimal("5"),
    ),
    # R-21 attendance: each late arrival or early leave costs 0.5 (at most 5), each day absent
    # without leave (旷工) 3 (at most 15); days present are shown with the facts.
    Rule("late", "迟到", "deduct", Decimal("0.5"), "late", cap=Decimal("5")),
    Rule("early", "早退", "deduct", Decimal("0.5"), "early", cap=Decimal("5")),
    Rule("absent", "旷工", "deduct", Decimal("3"), "absent", cap=Decimal("15")),
]


class Scorer:
    """score() for a whole center's month at once. A part depends only on its rule and the
    one or two fact values it reads, and 10,000 residents share few such pairs: each part
    (points, and its JSON text) is computed once per distinct pair and reused, so scoring a
    month costs dictionary look-ups, not Decimal arithmetic and JSON encoding per resident.
    `score_json` gives what score() gives, the parts as JSON text ready for the database."""

    def __init__(self, rules: list[Rule]):
        self.rules = list(rules)
        self._parts: dict = {}

    def _part(self, i: int, rule: Rule, facts: dict):
        value = facts.get(rule.fact, 0) if rule.fact else None
        den = facts.get(rule.denominator, 0) if rule.denominator else None
        key = (i, value, den)
        hit = self._parts.get(key)
        if hit is None:
            import json

            pts, formula = points(rule, facts)
            part = {
                "code": rule.code,
                "name": rule.name,
                "fact": rule.fact,
                "value": value,
                "denominator": rule.denominator or None,
                "formula": formula,
                "points": str(pts),
            }
            hit = self._parts[key] = (pts, part, json.dumps(part, ensure_ascii=False))
        return hit

    def score_json(
        self, facts: dict, adjustments: list[tuple[Decimal, str]] = ()
    ) -> tuple[Decimal, str]:
        """(score, JSON text of {"facts": facts, "parts": [...]}) equal to score()'s."""
        import json

        total = Decimal("0")
        texts = []
        for i, rule in enumerate(self.rules):
            pts, _part, text = self._part(i, rule, facts)
            total += pts
            texts.append(text)
        if adjustments:
            extra = score([], facts, adjustments)["parts"]
            for p in extra:
                total += Decimal(p["points"])
                texts.append(json.dumps(p, ensure_ascii=False))
        body = (
            '{"facts": '
            + json.dumps(facts, ensure_ascii=False, default=str)
            + ', "parts": ['
            + ", ".join(texts)
            + "]}"
        )
        return _q(total), body
