"""R-21 (monthly circulation) and L-EVAL (好差评 indicators): the statistics read the ratings
rollup (zwfw.evaluations.rollups), which must equal a full recount after any sequence of
ratings and appeals made through the real services."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwfw.cases import rollups as case_rollups
from zwfw.core.errors import RuleViolation
from zwfw.evaluations import rollups, services, statistics
from zwfw.evaluations.models import Evaluation, RatingCount

D = datetime.date


class _Rollback(Exception):
    pass


def _full_scan(dim, start, end) -> dict:
    """The indicators' counts grouped over evaluations_evaluation (the old query)."""
    return rollups.ratings_scanned(Q(), dim, start, end)


def _full_scan_cases(user, dim, start, end) -> dict:
    """Completed and unrated cases over cases_case (the old query of statistics._cases)."""
    from zwfw.cases.models import Case
    from zwfw.evaluations.selectors import scope_q

    if dim.case_column is None:
        return {}
    active = Evaluation.objects.filter(case=OuterRef("pk"), is_default=False)
    rows = (
        Case.objects.filter(
            scope_q(user),
            status="completed",
            completed_on__range=(start, statistics.month_end(end)),
        )
        .values(dim.case_column)
        .annotate(completed=Count("id"), unrated=Count("id", filter=~Exists(active)))
        .order_by()
    )
    return {r.pop(dim.case_column): r for r in rows}


@pytest.fixture
def cases(complete):
    return [complete(D(2026, 9, 28)), complete(D(2026, 10, 12)), complete(D(2026, 10, 26))]


STEPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("rate"),
            st.integers(0, 2),
            st.integers(1, 5),
            st.sampled_from(["sms", "web", "device"]),
        ),
        st.tuples(st.just("appeal"), st.integers(0, 5), st.just(0), st.just("")),
        st.tuples(st.just("fold"), st.just(0), st.just(0), st.just("")),
    ),
    min_size=1,
    max_size=10,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_r21_rating_rollup_equals_a_full_recount_after_random_ratings_and_appeals(
    cases, center_admin, dept_admin, steps
):
    """R-21, L-EVAL: after any sequence of ratings (online and at the window, good and bad),
    upheld appeals (申诉核减) and folds of the delta rows, the ratings rollup and the
    completion rollup (未评价率) equal recounts, and the statistics' counts per dimension
    equal the full-scan GROUP BYs."""
    try:
        with transaction.atomic():
            day = D(2026, 11, 2)
            for action, pick, level, channel in steps:
                try:
                    with transaction.atomic():
                        if action == "rate":
                            by = center_admin if channel == "device" else None
                            services.rate_case(
                                case=cases[pick], level=level, channel=channel, by=by, on=day
                            )
                        elif action == "appeal":
                            bad = list(Evaluation.objects.filter(good=False).order_by("id"))
                            if bad:
                                appeal = services.file_appeal(
                                    evaluation=bad[pick % len(bad)], by=dept_admin, reason="误评"
                                )
                                services.decide_appeal(
                                    appeal=appeal, by=center_admin, upheld=True, opinion="成立"
                                )
                        else:
                            rollups.fold()
                            case_rollups.fold_completions()
                except RuleViolation:
                    pass  # refused (a second rating, an appeal twice): nothing written
                assert rollups.recounted() == rollups.counted_from_ratings(), action
                assert case_rollups.completions_recounted() == (
                    case_rollups.completions_counted_from_cases()
                ), action
            start, end = D(2026, 9, 1), D(2026, 12, 1)
            for dim in statistics.DIMENSIONS.values():
                assert statistics._ratings(Q(), dim, start, end) == _full_scan(dim, start, end)
                assert statistics._cases(center_admin, dim, start, end) == (
                    _full_scan_cases(center_admin, dim, start, end)
                )
            raise _Rollback
    except _Rollback:
        pass


def test_r21_fold_keeps_the_counts_in_one_row_per_key(complete, center_admin, dept_admin):
    """R-21: folding leaves one row per key with the same net counts; rebuild recounts."""
    case = complete(D(2026, 9, 28))
    bad = services.rate_case(case=case, level=1, channel="sms", on=D(2026, 10, 5))
    services.rate_case(case=case, level=5, channel="device", by=center_admin, on=D(2026, 10, 5))
    appeal = services.file_appeal(evaluation=bad, by=dept_admin, reason="误评")
    services.decide_appeal(appeal=appeal, by=center_admin, upheld=True, opinion="成立")
    before = rollups.recounted()
    assert RatingCount.objects.count() == 4  # +1, +1, then -1 / +1 for the exclusion
    rollups.fold()
    assert rollups.recounted() == before == rollups.counted_from_ratings()
    assert RatingCount.objects.count() == 2
    rollups.rebuild()
    assert rollups.recounted() == before
