"""The double-random draw as pure functions (no database): allocation, reproducibility and the
exclusions of N-17, with hypothesis over random populations and pools."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.slow import examples
from zwfw.supervision.sampling import (
    Candidate,
    DrawError,
    Handlers,
    Inspector,
    NoEligibleInspector,
    allocate,
    assign,
    draw,
    population_digest,
    sample_cases,
)


@st.composite
def scenarios(draw_):
    """A population over up to 5 departments, a pool over up to 5, handlers, a size, a seed."""
    departments = draw_(st.integers(min_value=1, max_value=5))
    n_cases = draw_(st.integers(min_value=1, max_value=40))
    cases = [
        Candidate(
            number=f"C-{i:04d}",
            department_id=draw_(st.integers(1, departments)),
            stratum=f"department:{draw_(st.integers(1, departments)):012d}",
        )
        for i in range(n_cases)
    ]
    pool = [
        Inspector(person_id=100 + i, department_id=draw_(st.integers(1, 5)), user_id=500 + i)
        for i in range(draw_(st.integers(min_value=1, max_value=8)))
    ]
    handlers = {}
    for case in cases:
        people = draw_(st.sets(st.sampled_from([p.person_id for p in pool]), max_size=2))
        accounts = draw_(st.sets(st.sampled_from([p.user_id for p in pool]), max_size=1))
        handlers[case.number] = Handlers(frozenset(people), frozenset(accounts))
    size = draw_(st.integers(min_value=1, max_value=n_cases))
    seed = draw_(st.integers(min_value=0, max_value=2**63 - 1))
    return cases, pool, handlers, size, seed


def _run(cases, pool, handlers, size, seed):
    return draw(cases, pool, size, seed, lambda numbers: {n: handlers[n] for n in numbers})


@settings(max_examples=examples(300), deadline=None)
@given(scenarios())
def test_inspector_never_from_the_case_department_nor_a_handler(scenario):
    """N-17: an inspector is never assigned a case of their own department, nor one they
    handled; when no one is eligible the draw refuses instead of bending the rule."""
    cases, pool, handlers, size, seed = scenario
    try:
        pairs = _run(cases, pool, handlers, size, seed)
    except NoEligibleInspector as exc:
        case = next(c for c in cases if c.number == exc.number)
        assert all(
            p.department_id == case.department_id or handlers[case.number].include(p) for p in pool
        )
        return
    assert len(pairs) == size
    assert len({c.number for c, _ in pairs}) == size
    for case, inspector in pairs:
        assert inspector.department_id != case.department_id
        assert inspector.person_id not in handlers[case.number].person_ids
        assert inspector.user_id not in handlers[case.number].user_ids


@settings(max_examples=examples(150), deadline=None)
@given(scenarios())
def test_same_inputs_and_seed_give_the_same_draw(scenario):
    """N-17: the draw is reproducible from its seed, whatever order the inputs come in."""
    cases, pool, handlers, size, seed = scenario
    try:
        first = _run(cases, pool, handlers, size, seed)
    except NoEligibleInspector:
        with pytest.raises(NoEligibleInspector):
            _run(list(reversed(cases)), list(reversed(pool)), handlers, size, seed)
        return
    again = _run(list(reversed(cases)), list(reversed(pool)), handlers, size, seed)
    assert again == first


@settings(max_examples=examples(200), deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 50), min_size=1, max_size=8),
    st.data(),
)
def test_allocation_is_proportional_and_complete(sizes, data):
    """N-17 strata: quotas sum to the sample size, never exceed a stratum, and differ from
    the exact proportional share by less than one case (largest remainder)."""
    total = sum(sizes.values())
    n = data.draw(st.integers(0, total))
    quotas = allocate(sizes, n)
    if total == 0:
        assert quotas == {}
        return
    assert sum(quotas.values()) == n
    for key, size in sizes.items():
        assert 0 <= quotas[key] <= size
        assert abs(quotas[key] - size * n / total) < 1


def test_allocation_largest_remainder_example():
    """N-17: 15/10/5 cases, 7 drawn: exact shares 3.5/2.33/1.17 → 4/2/1."""
    assert allocate({"a": 15, "b": 10, "c": 5}, 7) == {"a": 4, "b": 2, "c": 1}


def test_allocation_refuses_more_than_the_population():
    with pytest.raises(DrawError):
        allocate({"a": 2}, 3)


def test_stratified_sample_takes_each_stratum_quota():
    """N-17: a department-stratified draw takes each department's proportional quota."""
    cases = [Candidate(f"A{i:03d}", 1, "d1") for i in range(20)] + [
        Candidate(f"B{i:03d}", 2, "d2") for i in range(10)
    ]
    picked = sample_cases(cases, 6, random.Random(7))
    assert sum(c.stratum == "d1" for c in picked) == 4
    assert sum(c.stratum == "d2" for c in picked) == 2
    assert [c.number for c in picked] == sorted(c.number for c in picked)


def test_assignment_spreads_the_load():
    """N-17: inspectors get cases in turn (least loaded first), at random among equals."""
    cases = [Candidate(f"C{i:03d}", 1) for i in range(9)]
    pool = [Inspector(p, 2) for p in (10, 11, 12)]
    pairs = assign(cases, pool, {}, random.Random(3))
    loads = {p.person_id: sum(1 for _, q in pairs if q == p) for p in pool}
    assert sorted(loads.values()) == [3, 3, 3]


def test_empty_pool_is_refused():
    with pytest.raises(DrawError, match="检查人员库"):
        draw([Candidate("C1", 1)], [], 1, 1, lambda numbers: {})


def test_digest_does_not_depend_on_order():
    """N-17: the population digest (SM3) identifies the set of case numbers."""
    assert population_digest(["B", "A"]) == population_digest(["A", "B"])
    assert population_digest(["A", "B"]) != population_digest(["A", "C"])
    assert len(population_digest(["A"])) == 64
