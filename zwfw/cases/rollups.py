"""Rollups of case handling (R-21 monthly circulation, L-LIMIT alerts): the department
dashboards (home panel 办件预警, the summary page /cases/summary/ and its .xlsx export) read
CaseOpenCount instead of scanning cases_case.

CaseOpenCount: open cases counted by (center, department, status, due date, alert level).

- Kept current IN THE SAME TRANSACTION as the change: every transition of a case goes through
  services.base.save_step (and intake through fastsql.insert), which call `changed` /
  `added` here. A dashboard that a clerk looks at right after accepting a case must show it,
  and tests (and the hypothesis recount test) see the rollup equal to a recount at once.
- Delta rows, not one counter row per key: a transition INSERTs (-1 for the old key, +1 for
  the new one) and never UPDATEs a shared row, so two clerks of one department never wait
  on each other's counter (no hot row) and the write is one more VALUES tuple in the step's
  batched round trip. Readers SUM(n) GROUP BY department: a few thousand rows.
- The periodic Huey task `cases.tasks.recount_case_rollups` (every 10 minutes and right after
  the nightly clock refresh) recounts from cases_case in one REPEATABLE READ snapshot, which
  folds the deltas into one row per key and takes in the writers that change the clock
  columns without a transition: the nightly refresh of alert levels and due dates
  (services.timing, and calendar recomputes), bulk loads. The recount is exact under
  concurrent transitions: the snapshot sees a transition's case row and its delta rows
  together or neither (deltas committed after it are not deleted and still apply).
CaseCompletionCount: completed cases by (center, department, item, receiving staff member,
month of completion, rated), for the 好差评 未评价率 (statistics._cases).

- Same transaction, delta rows: +1 (rated or not) when save_step completes a case; -1/+1
  from unrated to rated with a completed case's first active rating (services.ratings via
  zwfw.evaluations.rollups; the case row is locked, so two ratings racing move it once).
  Nothing else completes a case or rates it, so the periodic task only folds the deltas
  (one snapshot of the rollup itself); `rebuild` recounts from the cases.
- "Overdue" depends on today, so it is not stored: the rollup is keyed by the due date and
  overdue on day D is the sum over due_date < D (open clocks), which is right on any day
  without a nightly rewrite. Yellow and red are the stored alert levels (as the case list
  shows them), refreshed nightly by the clock and recounted right after.
"""

import datetime

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from zwfw.cases.models import CaseCompletionCount, CaseOpenCount
from zwfw.cases.states import CLOCK_OPEN, OPEN_STATES, CaseState
from zwfw.core import fastsql
from zwfw.core import rollups as core_rollups

OPEN_VALUES = sorted(s.value for s in OPEN_STATES)
CLOCK_OPEN_VALUES = sorted(s.value for s in CLOCK_OPEN)
YELLOW_STATES = sorted([CaseState.RECEIVED.value, *CLOCK_OPEN_VALUES])
_KEY = "_open_count_key"
_MISSING = object()


def key_of(case) -> tuple | None:
    """The CaseOpenCount key of a case, or None when it is not open."""
    if case.status not in OPEN_VALUES:
        return None
    return (case.center_id, case.department_id, case.status, case.due_date, case.alert_level)


def track(case) -> None:
    """Remember the key of a case as read from the database (services.base.lock)."""
    setattr(case, _KEY, key_of(case))


def _stored_key(case) -> tuple | None:
    row = (
        type(case)
        .objects.filter(pk=case.pk)
        .values_list("center_id", "department_id", "status", "due_date", "alert_level")
        .first()
    )
    if row is None or row[2] not in OPEN_VALUES:
        return None
    return tuple(row)


def _rows(before: tuple | None, after: tuple | None) -> list[CaseOpenCount]:
    rows = []
    for key, n in ((before, -1), (after, 1)):
        if key is not None:
            center, department, status, due, alert = key
            rows.append(
                CaseOpenCount(
                    center_id=center,
                    department_id=department,
                    status=status,
                    due_date=due,
                    alert_level=alert,
                    n=n,
                )
            )
    return rows


def remember(case) -> None:
    """Before a case is written: make sure its stored key is known (a case not read through
    services.base.lock costs one small read of its row)."""
    if getattr(case, _KEY, _MISSING) is _MISSING:
        setattr(case, _KEY, _stored_key(case))


def changed(case) -> None:
    """Write the delta rows of a case whose status or clock columns may have changed; call
    in the transaction that writes the case, after `remember` (services.base.save_step)."""
    before = getattr(case, _KEY, None)
    after = key_of(case)
    if before != after:
        fastsql.insert_many(_rows(before, after), read_keys=False)
    setattr(case, _KEY, after)


def added(case) -> None:
    """A new case (intake): +1 for its key."""
    after = key_of(case)
    if after is not None:
        fastsql.insert_many(_rows(None, after), read_keys=False)
    setattr(case, _KEY, after)


RECOUNT_SQL = """
INSERT INTO cases_caseopencount (center_id, department_id, status, due_date, alert_level, n)
SELECT center_id, department_id, status, due_date, alert_level, count(*)
FROM cases_case WHERE status IN ({})
GROUP BY center_id, department_id, status, due_date, alert_level
"""


def recount() -> int:
    """Replace CaseOpenCount by a full recount of open cases (one snapshot, see above)."""
    sql = RECOUNT_SQL.format(", ".join(["%s"] * len(OPEN_VALUES)))

    def run() -> int:
        CaseOpenCount.objects.all()._raw_delete(CaseOpenCount.objects.db)
        with connection.cursor() as cur:
            cur.execute(sql, OPEN_VALUES)
            return cur.rowcount

    return core_rollups.in_snapshot(run)


def rebuild() -> None:
    """Every rollup of this module from the raw tables (bench/datagen.py after a load)."""
    recount()
    # A bulk load may run on a database a migration behind (it migrates again later, and
    # the migration that adds a rollup fills it).
    if "cases_casecompletioncount" in connection.introspection.table_names():
        _replace_completions(_completion_select())


# --- completions (未评价率) ---------------------------------------------------------------------


def _person_of_user(user_id) -> int | None:
    from zwfw.org.models import Person

    if user_id is None:
        return None
    return Person.objects.filter(user_id=user_id).values_list("id", flat=True).first()


def _completion_rows(case_row: dict, moves: list[tuple[bool, int]], *, staff=_MISSING) -> list:
    if staff is _MISSING:
        staff = _person_of_user(case_row["received_by_id"])
    return [
        CaseCompletionCount(
            center_id=case_row["center_id"],
            department_id=case_row["department_id"],
            item_id=case_row["item_id"],
            staff_id=staff,
            month=case_row["completed_on"].replace(day=1),
            rated=rated,
            n=n,
        )
        for rated, n in moves
    ]


def _actively_rated(case_id, *, but=None) -> bool:
    from zwfw.evaluations.models import Evaluation

    qs = Evaluation.objects.filter(case_id=case_id, is_default=False)
    if but is not None:
        qs = qs.exclude(pk=but)
    return qs.exists()


def completed(case) -> None:
    """+1 for a case that has just completed (services.base.save_step)."""
    row = {
        "center_id": case.center_id,
        "department_id": case.department_id,
        "item_id": case.item_id,
        "received_by_id": case.received_by_id,
        "completed_on": case.completed_on,
    }
    if row["completed_on"] is None:
        return
    staff, rated = _staff_and_rated(case.received_by_id, case.pk)
    fastsql.insert_many(_completion_rows(row, [(rated, 1)], staff=staff), read_keys=False)


_STAFF_AND_RATED = (
    "SELECT (SELECT p.id FROM org_person p WHERE p.user_id = %s), "
    "EXISTS (SELECT 1 FROM evaluations_evaluation e WHERE e.case_id = %s AND NOT e.is_default)"
)


def _staff_and_rated(user_id, case_id) -> tuple[int | None, bool]:
    """The receiving staff member's person (one per user) and whether the case has an active
    rating, in one statement: what a completion's delta row needs (no ORM query compiled on
    every completion, no ORDER BY for a one-row answer)."""
    with connection.cursor() as cur:
        cur.execute(_STAFF_AND_RATED, [user_id, case_id])
        staff, rated = cur.fetchone()
    return staff, bool(rated)


def rated(case_id: int, evaluation_id: int) -> None:
    """A new active rating of a case: a completed case rated for the first time moves from
    unrated to rated (zwfw.evaluations.rollups.added, in the rating's transaction)."""
    from zwfw.cases.models import Case

    row = (
        Case.objects.select_for_update()
        .filter(pk=case_id)
        .values("status", "center_id", "department_id", "item_id", "received_by_id", "completed_on")
        .first()
    )
    if row is None or row["status"] != CaseState.COMPLETED or row["completed_on"] is None:
        return
    if _actively_rated(case_id, but=evaluation_id):
        return
    fastsql.insert_many(_completion_rows(row, [(False, -1), (True, 1)]), read_keys=False)


_DONE_COLS = "center_id, department_id, item_id, staff_id, month, rated"


def _completion_select() -> str:
    month = (
        "CAST(date_trunc('month', c.completed_on) AS date)"
        if connection.vendor == "postgresql"
        else "date(c.completed_on, 'start of month')"
    )
    return f"""
    SELECT {_DONE_COLS}, count(*) AS n FROM (
      SELECT c.center_id, c.department_id, c.item_id, p.id AS staff_id, {month} AS month,
             EXISTS (SELECT 1 FROM evaluations_evaluation e
                     WHERE e.case_id = c.id AND NOT e.is_default) AS rated
      FROM cases_case c LEFT JOIN org_person p ON p.user_id = c.received_by_id
      WHERE c.status = 'completed' AND c.completed_on IS NOT NULL) x
    GROUP BY {_DONE_COLS}"""


FOLD_COMPLETIONS = (
    f"SELECT {_DONE_COLS}, sum(n) AS n FROM cases_casecompletioncount "
    f"GROUP BY {_DONE_COLS} HAVING sum(n) <> 0"
)


def _replace_completions(select: str) -> int:
    return core_rollups.replace_table("cases_casecompletioncount", _DONE_COLS, select)


def fold_completions() -> int:
    """One row per key (the periodic task)."""
    return _replace_completions(FOLD_COMPLETIONS)


def completions_recounted() -> dict[tuple, int]:
    rows = (
        CaseCompletionCount.objects.values_list(
            "center_id", "department_id", "item_id", "staff_id", "month", "rated"
        )
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {tuple(r[:-1]): r[-1] for r in rows if r[-1]}


def completions_counted_from_cases() -> dict[tuple, int]:
    """The same keys counted over cases_case (what the tests compare with)."""
    with connection.cursor() as cur:
        cur.execute(_completion_select())
        rows = cur.fetchall()

    def day(value):  # SQLite returns the month as text
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value

    return {(*r[:4], day(r[4]), bool(r[5])): r[6] for r in rows}


def department_counts(user, *, on: datetime.date | None = None):
    """Open, overdue, yellow and red cases per department in the user's scope, from the
    rollup: the same rows as selectors.counts_by_department (the full scan) gives."""
    from zwfw.cases.selectors import Counts, _scoped

    on = on or timezone.localdate()

    def total(condition=None):
        return Coalesce(Sum("n", filter=condition), 0)

    rows = (
        _scoped(user, CaseOpenCount.objects.all())
        .values("department_id", "department__name")
        .annotate(
            open=total(),
            overdue=total(Q(status__in=CLOCK_OPEN_VALUES, due_date__lt=on)),
            yellow=total(Q(alert_level="yellow", status__in=YELLOW_STATES)),
            red=total(Q(alert_level="red", status__in=CLOCK_OPEN_VALUES)),
        )
        .filter(open__gt=0)
        .order_by("department__name")
    )
    return [
        Counts(
            r["department_id"],
            r["department__name"],
            r["open"],
            r["overdue"],
            r["yellow"],
            r["red"],
        )
        for r in rows
    ]


def recounted() -> dict[tuple, int]:
    """The rollup's net count per key (zero keys left out): what a recount must equal."""
    rows = (
        CaseOpenCount.objects.values_list(
            "center_id", "department_id", "status", "due_date", "alert_level"
        )
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {tuple(r[:5]): r[5] for r in rows if r[5]}


def counted_from_cases() -> dict[tuple, int]:
    """The same keys counted over cases_case (the full recount the tests compare with)."""
    from django.db.models import Count

    from zwfw.cases.models import Case

    rows = (
        Case.objects.filter(status__in=OPEN_VALUES)
        .values_list("center_id", "department_id", "status", "due_date", "alert_level")
        .annotate(total=Count("id"))
        .order_by()
    )
    return {tuple(r[:5]): r[5] for r in rows}
