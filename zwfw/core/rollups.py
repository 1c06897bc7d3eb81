"""What the rollup tables of several apps share (cases.rollups, evaluations.rollups): a
recount or fold reads and replaces a whole table in one snapshot, so rows committed while it
runs are neither counted twice nor deleted unseen."""

from collections.abc import Callable

from django.db import connection, transaction


def in_snapshot(run: Callable[[], int]) -> int:
    """`run()` in the caller's transaction when there is one (tests, bulk loads), else in its
    own transaction, REPEATABLE READ on PostgreSQL (one snapshot for every statement)."""
    if connection.in_atomic_block:
        return run()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return run()


def replace_table(table: str, cols: str, select: str) -> int:
    """Replace every row of `table` by `select` (which may read `table` itself: it is
    materialised first), in one snapshot. Returns the number of rows written."""

    def run() -> int:
        with connection.cursor() as cur:
            cur.execute(f"CREATE TEMPORARY TABLE rollup_fold AS {select}")
            cur.execute(f"DELETE FROM {table}")
            cur.execute(f"INSERT INTO {table} ({cols}, n) SELECT {cols}, n FROM rollup_fold")
            n = cur.rowcount
            cur.execute("DROP TABLE rollup_fold")
            return n

    return in_snapshot(run)
