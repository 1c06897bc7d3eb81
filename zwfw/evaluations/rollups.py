"""Rollup of ratings (R-21 monthly circulation, L-EVAL 好差评 indicators): the statistics page,
its export and API (statistics.report: 好评率, 主动评价好评率, defaults, 申诉核减, unverified bad
reviews, the 12-month trend) read RatingCount instead of grouping evaluations_evaluation.

- Kept current IN THE SAME TRANSACTION as the change: a rating is written only by
  services.ratings.record (`added`), and changes its counted columns only when an upheld
  appeal excludes it (services.appeals, `excluded`). The statistics right after a rating or
  a decided appeal show it (raters and auditors check exactly that), and there is no window
  in which the page disagrees with the list of ratings.
- Delta rows, never an UPDATE of a shared counter: a department's evaluator pads rate in
  parallel all day; each rating INSERTs its own row, so no two of them wait on one row.
- The periodic Huey task `evaluations.tasks.fold_rating_counts` (every 10 minutes) folds
  the delta rows into one row per key, in one REPEATABLE READ snapshot of the rollup itself
  (a delta committed after the snapshot is neither read nor deleted, so it still counts).
  `rebuild` recounts from the ratings (migrations, bench loads).
- Months are stored keys, so nothing depends on "today" here.
"""

from django.db.models import Count, Q, Sum

from zwfw.core import fastsql
from zwfw.core import rollups as core_rollups
from zwfw.evaluations.models import Evaluation, RatingCount

KEY = ("center_id", "department_id", "window_id", "staff_id", "item_id", "month")
FLAGS = ("good", "is_default", "excluded", "verified")
COLUMNS = KEY + FLAGS


def _row(evaluation, n: int) -> RatingCount:
    return RatingCount(**{c: getattr(evaluation, c) for c in COLUMNS}, n=n)


def added(evaluation: Evaluation) -> None:
    """+1 for a new rating (services.ratings, in its transaction)."""
    fastsql.insert_many([_row(evaluation, 1)], read_keys=False)
    if evaluation.case_id is not None and not evaluation.is_default:
        from zwfw.cases import rollups as case_rollups

        case_rollups.rated(evaluation.case_id, evaluation.pk)  # 未评价率 (CaseCompletionCount)


def excluded(evaluation: Evaluation) -> None:
    """A rating an upheld appeal excludes: -1 as it was counted, +1 as excluded."""
    before = _row(evaluation, -1)
    before.excluded = False
    fastsql.insert_many([before, _row(evaluation, 1)], read_keys=False)


_COLS = ", ".join(COLUMNS)
FOLD_SELECT = (
    f"SELECT {_COLS}, sum(n) AS n FROM evaluations_ratingcount GROUP BY {_COLS} HAVING sum(n) <> 0"
)
REBUILD_SELECT = f"SELECT {_COLS}, count(*) AS n FROM evaluations_evaluation GROUP BY {_COLS}"


def _replace(select: str) -> int:
    """Replace the rollup by `select` (over the rollup itself or the ratings), in one
    snapshot: rows committed after it are neither read nor deleted."""
    return core_rollups.replace_table("evaluations_ratingcount", _COLS, select)


def fold() -> int:
    """One row per key (the periodic task)."""
    return _replace(FOLD_SELECT)


def rebuild() -> int:
    """Recount the rollup from the ratings (bench/datagen.py after a load)."""
    return _replace(REBUILD_SELECT)


def recounted() -> dict[tuple, int]:
    """The rollup's net counts per key and flags (zero keys left out)."""
    rows = RatingCount.objects.values_list(*COLUMNS).annotate(total=Sum("n")).order_by()
    return {tuple(r[:-1]): r[-1] for r in rows if r[-1]}


def counted_from_ratings() -> dict[tuple, int]:
    """The same counted over evaluations_evaluation (what the tests compare with)."""
    from django.db.models import Count

    rows = Evaluation.objects.values_list(*COLUMNS).annotate(total=Count("id")).order_by()
    return {tuple(r[:-1]): r[-1] for r in rows}


def ratings_scanned(q, dim, start, end) -> dict:
    """The statistics' rating counts per `dim` over evaluations_evaluation itself (the query
    the rollup replaced): the oracle of the tests and the full scan of bench/dashboards.py."""
    counted = Q(excluded=False)
    rows = (
        Evaluation.objects.filter(q, month__range=(start, end))
        .values(dim.column)
        .annotate(
            n_total=Count("id", filter=counted),
            n_good=Count("id", filter=counted & Q(good=True)),
            n_active=Count("id", filter=counted & Q(is_default=False)),
            n_active_good=Count("id", filter=counted & Q(is_default=False, good=True)),
            n_defaults=Count("id", filter=counted & Q(is_default=True)),
            n_excluded=Count("id", filter=Q(excluded=True)),
            n_unverified=Count("id", filter=counted & Q(good=False, verified=False)),
        )
        .order_by()
    )
    return {r.pop(dim.column): {k[2:]: v for k, v in r.items()} for r in rows}
