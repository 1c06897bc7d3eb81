"""The double-random draw (双随机, N-17) as pure functions: no database, no clock.

Anyone holding a draw's stored inputs and seed can recompute it with these functions and
get the same cases and the same inspectors:

1. The population is the list of candidate cases sorted by case number.
2. Each case falls in a stratum (one stratum when the draw is not stratified). The sample
   size is shared between strata in proportion to their sizes, the seats left over going to
   the largest remainders (ties: stratum key order) — `allocate`.
3. `rng = random.Random(seed)` (Python's Mersenne Twister). For each stratum in key order,
   `rng.sample(stratum cases in number order, quota)`. The drawn cases are then put in
   number order.
4. The pool is sorted by person id. For each drawn case in number order, the eligible
   inspectors are those NOT of the case's department and NOT among the people who handled
   the case; among them the ones with the fewest cases so far, and `rng.choice` picks one.
   A case with no eligible inspector stops the draw (`NoEligibleInspector`): the rule is
   never bent to finish a draw.
"""

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from zwfw.core.crypto import sm3

ALGORITHM = "zwfw-draw-v1"


@dataclass(frozen=True)
class Candidate:
    """A case of the population: its number, department and stratum key."""

    number: str
    department_id: int
    stratum: str = ""


@dataclass(frozen=True)
class Inspector:
    person_id: int
    department_id: int
    user_id: int | None = None


@dataclass(frozen=True)
class Handlers:
    """Who handled a case: people (first review, decision) and accounts (intake, events)."""

    person_ids: frozenset[int] = field(default_factory=frozenset)
    user_ids: frozenset[int] = field(default_factory=frozenset)

    def include(self, inspector: Inspector) -> bool:
        return inspector.person_id in self.person_ids or (
            inspector.user_id is not None and inspector.user_id in self.user_ids
        )


NOBODY = Handlers()


class DrawError(Exception):
    """The draw cannot be made as asked; `code` and `message` go to the user (Chinese)."""

    code = "N-17"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NoEligibleInspector(DrawError):
    def __init__(self, number: str):
        super().__init__(
            f"办件{number}没有可分派的检查人员：检查人员库中的人员均属于该办件的办理部门或经办过该办件，"
            "请先在检查人员库中增加其他部门的人员",
            field="inspectors",
        )
        self.number = number


def population_digest(numbers: Iterable[str]) -> str:
    """SM3 over the sorted case numbers, one per line: tells whether the population changed."""
    return sm3("\n".join(sorted(numbers)).encode())


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of `n` seats to strata of `sizes` (largest remainder).

    Every quota is at most its stratum's size, and the quotas sum to `n`."""
    total = sum(sizes.values())
    if n < 0 or n > total:
        raise DrawError(f"抽取数量须在0到{total}之间", field="size")
    if total == 0:
        return {}
    keys = sorted(sizes)
    floors = {k: sizes[k] * n // total for k in keys}
    # Remainders as integers (× total) so the comparison is exact; the sort is stable over
    # the sorted keys, so key order breaks ties.
    remainders = sorted(keys, key=lambda k: -(sizes[k] * n % total))
    left = n - sum(floors.values())
    for k in remainders[:left]:
        floors[k] += 1
    return floors


def sample_cases(population: Iterable[Candidate], n: int, rng: random.Random) -> list[Candidate]:
    """Steps 1–3: `n` cases, stratified and proportional, in case-number order."""
    ordered = sorted(population, key=lambda c: c.number)
    if len({c.number for c in ordered}) != len(ordered):
        raise ValueError("case numbers in a population are unique")
    strata: dict[str, list[Candidate]] = {}
    for case in ordered:
        strata.setdefault(case.stratum, []).append(case)
    quotas = allocate({k: len(v) for k, v in strata.items()}, n)
    drawn: list[Candidate] = []
    for key in sorted(strata):
        drawn += rng.sample(strata[key], quotas[key])
    return sorted(drawn, key=lambda c: c.number)


def eligible(case: Candidate, pool: Iterable[Inspector], handlers: Handlers) -> list[Inspector]:
    """N-17: never an inspector of the case's department, never one who handled it."""
    return [p for p in pool if p.department_id != case.department_id and not handlers.include(p)]


def assign(
    cases: Iterable[Candidate],
    pool: Iterable[Inspector],
    handlers: Mapping[str, Handlers],
    rng: random.Random,
) -> list[tuple[Candidate, Inspector]]:
    """Step 4: one inspector per case, at random among the least loaded eligible ones."""
    inspectors = sorted(pool, key=lambda p: p.person_id)
    load = {p.person_id: 0 for p in inspectors}
    out = []
    for case in sorted(cases, key=lambda c: c.number):
        choices = eligible(case, inspectors, handlers.get(case.number, NOBODY))
        if not choices:
            raise NoEligibleInspector(case.number)
        least = min(load[p.person_id] for p in choices)
        pick = rng.choice([p for p in choices if load[p.person_id] == least])
        load[pick.person_id] += 1
        out.append((case, pick))
    return out


def draw(
    population: Iterable[Candidate],
    pool: Iterable[Inspector],
    n: int,
    seed: int,
    handlers_of,
) -> list[tuple[Candidate, Inspector]]:
    """The whole draw. `handlers_of(numbers)` returns {number: Handlers} for the drawn cases
    only (the service reads them from the database; tests pass a dict's `get`)."""
    pool = list(pool)
    if not pool:
        raise DrawError("检查人员库中没有在库人员，无法分派检查人员", field="inspectors")
    rng = random.Random(seed)
    cases = sample_cases(population, n, rng)
    return assign(cases, pool, handlers_of([c.number for c in cases]), rng)
