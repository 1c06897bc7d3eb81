"""Rollups of case handling (R-21 monthly circulation, L-LIMIT alerts): the department
dashboards (home panel 办件预警, the summary page /cases/summary/ and its .xlsx export) and the
count of every case list (`visible_count`) read CaseCount instead of scanning cases_case.

CaseCount: cases counted by (center, department, status, due date, alert level); only open
cases keep their due date and alert level (the dashboards' overdue and alert counts), every
other case is counted under (center, department, status, NULL, ""), so a department's
closed history folds into a handful of rows and "how many cases of this department" is a
sum over a few hundred rows, not an index scan of its 100,000 cases (bench/http.py).

- Kept current IN THE SAME TRANSACTION as the change: every transition of a case goes through
  services.base.save_step (and intake through fastsql.insert), which call `changed` /
  `added` here. A dashboard that a clerk looks at right after accepting a case must show it,
  and tests (and the hypothesis recount test) see the rollup equal to a recount at once.
- Delta rows, not one counter row per key: a transition INSERTs (-1 for the old key, +1 for
  the new one) and never UPDATEs a shared row, so two clerks of one department never wait
  on each other's counter (no hot row) and the write is one more VALUES tuple in the step's
  batched round trip. Readers SUM(n) GROUP BY department: a few thousand rows.
- The periodic Huey task `cases.tasks.recount_case_rollups` (every 10 minutes and right after
  the nightly clock refresh) replaces the rollup in one REPEATABLE READ snapshot: the open
  keys recounted from cases_case, which takes in the writers that change the clock columns
  without a transition (the nightly refresh of alert levels and due dates in
  services.timing, calendar recomputes), and the closed keys folded from their own deltas
  (only a transition moves a closed case, and its key holds no clock column), so the task
  never scans a department's closed history. Bulk loads call `rebuild` (every key counted
  from the cases). The recount is exact under
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

from django.db import connection, connections, router
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from zwfw.cases.models import CaseCompletionCount, CaseCount
from zwfw.cases.states import CLOCK_OPEN, OPEN_STATES, CaseState
from zwfw.core import fastsql
from zwfw.core import rollups as core_rollups
from zwfw.core.lookups import constants_sql

OPEN_VALUES = sorted(s.value for s in OPEN_STATES)
CLOCK_OPEN_VALUES = sorted(s.value for s in CLOCK_OPEN)
YELLOW_STATES = sorted([CaseState.RECEIVED.value, *CLOCK_OPEN_VALUES])
_KEY = "_case_count_key"
_MISSING = object()


def key_of(case) -> tuple:
    """The CaseCount key of a case (see above: the clock columns only while it is open)."""
    return _key(case.center_id, case.department_id, case.status, case.due_date, case.alert_level)


def _key(center, department, status, due, alert) -> tuple:
    if status in OPEN_VALUES:
        return (center, department, status, due, alert)
    return (center, department, status, None, "")


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
    return None if row is None else _key(*row)


def _rows(before: tuple | None, after: tuple | None) -> list[CaseCount]:
    rows = []
    for key, n in ((before, -1), (after, 1)):
        if key is not None:
            center, department, status, due, alert = key
            rows.append(
                CaseCount(
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
    fastsql.insert_many(_rows(None, after), read_keys=False)
    setattr(case, _KEY, after)


_COLS = "center_id, department_id, status, due_date, alert_level"
_OPEN_SQL = constants_sql(OPEN_VALUES)
# Open keys recounted from the cases (the clock columns move without a transition), closed
# keys folded from their own deltas (only transitions move them).
RECOUNT_SQL = f"""
SELECT {_COLS}, count(*) AS n FROM cases_case WHERE status IN ({_OPEN_SQL}) GROUP BY {_COLS}
UNION ALL
SELECT {_COLS}, sum(n) AS n FROM cases_casecount WHERE status NOT IN ({_OPEN_SQL})
GROUP BY {_COLS} HAVING sum(n) <> 0
"""
# Every key from the cases (bulk loads, which write no deltas).
REBUILD_SQL = f"""
SELECT center_id, department_id, status,
       CASE WHEN status IN ({_OPEN_SQL}) THEN due_date END AS due_date,
       CASE WHEN status IN ({_OPEN_SQL}) THEN alert_level ELSE '' END AS alert_level,
       count(*) AS n
FROM cases_case GROUP BY 1, 2, 3, 4, 5
"""


def recount() -> int:
    """Recount the open keys and fold the closed ones (one snapshot, see above)."""
    return core_rollups.replace_table("cases_casecount", _COLS, RECOUNT_SQL)


def rebuild() -> None:
    """Every rollup of this module from the raw tables (bench/datagen.py after a load)."""
    core_rollups.replace_table("cases_casecount", _COLS, REBUILD_SQL)
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


# Sums per department first, the department's name joined to each sum after: the ORM's
# GROUP BY (department, name) joined the name to every rollup row (1,200 rows of a
# department at 1 M cases: 2.5 ms in the database against 0.5 ms), and compiling its four
# filtered sums cost ~5 ms of Python on every home page (panel 办件预警) and summary page.
_COUNTS_SELECT = f"""SELECT d.id, d.name, c.open, c.overdue, c.yellow, c.red FROM (
  SELECT department_id, SUM(n) AS open,
    SUM(CASE WHEN status IN ({constants_sql(CLOCK_OPEN_VALUES)}) AND due_date < %s
        THEN n ELSE 0 END) AS overdue,
    SUM(CASE WHEN alert_level = 'yellow' AND status IN ({constants_sql(YELLOW_STATES)})
        THEN n ELSE 0 END) AS yellow,
    SUM(CASE WHEN alert_level = 'red' AND status IN ({constants_sql(CLOCK_OPEN_VALUES)})
        THEN n ELSE 0 END) AS red
  FROM cases_casecount WHERE status IN ({_OPEN_SQL})"""
_COUNTS_END = """
  GROUP BY department_id HAVING SUM(n) > 0
) c JOIN org_department d ON d.id = c.department_id
ORDER BY d.name, d.id"""


def department_counts(user, *, on: datetime.date | None = None):
    """Open, overdue, yellow and red cases per department in the user's scope, from the
    rollup: the same rows as selectors.counts_by_department (the full scan) gives
    (tests/cases/test_rollups.py compares the two), in the same scope (selectors.case_scope)."""
    from zwfw.cases.selectors import Counts, case_scope

    on = on or timezone.localdate()
    scope = case_scope(user)
    if scope is not None and not scope:
        return []  # (as the ORM answers an empty IN: no query)
    # The dashboards read from the replica where one is routed (core.routers), as the ORM
    # would.
    db = connections[router.db_for_read(CaseCount)]
    params = [db.ops.adapt_datefield_value(on)]
    where = ""
    if scope is not None:
        params += sorted(scope)
        where = f" AND department_id IN ({', '.join(['%s'] * len(scope))})"
    with db.cursor() as cur:
        cur.execute(_COUNTS_SELECT + where + _COUNTS_END, params)
        return [Counts(*row) for row in cur.fetchall()]


def recounted() -> dict[tuple, int]:
    """The rollup's net count per key (zero keys left out): what a recount must equal."""
    rows = (
        CaseCount.objects.values_list(
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
        Case.objects.values_list("center_id", "department_id", "status", "due_date", "alert_level")
        .annotate(total=Count("id"))
        .order_by()
    )
    counted: dict[tuple, int] = {}
    for *key, n in rows:
        key = _key(*key)
        counted[key] = counted.get(key, 0) + n
    return counted


def visible_count(user, **filters) -> int:
    """What `selectors.visible_cases(user, **filters)` counts, summed from the rollup: the
    same filters on the same columns (selectors.filtered; tests/cases/test_rollups.py
    compares the two for every filter). Alert levels are the stored ones, recounted right
    after the nightly refresh that moves them. A text query is counted over the cases (no
    rollup knows names)."""
    from zwfw.cases.selectors import _scoped, filtered, visible_cases

    if filters.get("query"):
        return visible_cases(user, **filters).count()
    filters.pop("query", None)
    qs = filtered(_scoped(user, CaseCount.objects.all()), **filters)
    return qs.aggregate(n=Coalesce(Sum("n"), 0))["n"]
