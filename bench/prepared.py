"""Benchmark: the hot reads through the ORM (compiled on every call) against the same reads
through core.prepared (compiled once), and the bare driver running the same SQL, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/prepared.py [--cases 1000000] [--calls 500]

On the database bench/datagen.py makes (or reuses) for `--cases`. For each read (a case by
number with its joins in a department's scope, its materials, its events, a token with its
user, a user's roles), `--calls` calls with random keys: the median microseconds per call of
the ORM, of the PreparedRead and of cursor.execute of the same statement, and the ratio
ORM / prepared. Keeping core.prepared (hand-written use of Django's compiler) rests on this
ratio; bench/http.py shows what it does to whole requests.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if not p.rstrip("/").endswith("/bench")]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _median_us(func, keys) -> float:
    for key in keys[:20]:
        func(key)
    times = []
    for key in keys:
        start = time.perf_counter()
        func(key)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--calls", type=int, default=500)
    args = p.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/prepared.py skipped: set DATABASE_URL to a PostgreSQL server")
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import datagen

    sys.path.pop(0)
    datagen.use(datagen.prepare(cases=args.cases))
    import django

    django.setup()
    import datetime

    from django.db import connection

    from zwfw.cases import selectors
    from zwfw.cases.models import Case, CaseEvent, CaseMaterial
    from zwfw.core.models import ApiToken
    from zwfw.org.models import RoleAssignment

    rng = random.Random(5)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT department_id FROM cases_case GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        department = cur.fetchone()[0]
        cur.execute(
            "SELECT id, number FROM cases_case WHERE department_id = %s ORDER BY random() LIMIT %s",
            [department, args.calls],
        )
        cases = cur.fetchall()
        cur.execute("SELECT digest FROM core_apitoken LIMIT 200")
        digests = [r[0] for r in cur.fetchall()] or ["none"]
        cur.execute("SELECT DISTINCT user_id FROM org_roleassignment LIMIT 200")
        users = [r[0] for r in cur.fetchall()]
    today = datetime.date.today()
    ids = [pk for pk, _ in cases]
    numbers = [n for _, n in cases]

    def in_scope(number):
        return selectors._one_case(number, [department], users[0], today)

    reads = [
        (
            "case by number, joins, scope",
            lambda n: list(in_scope(n)),
            lambda n: selectors._CASE_IN_SCOPE(
                number=n, departments=[department], user=users[0], on=today
            ),
            in_scope("x"),
            numbers,
        ),
        (
            "its materials",
            lambda pk: list(CaseMaterial.objects.filter(case_id=pk)),
            lambda pk: selectors._MATERIALS(case=pk),
            CaseMaterial.objects.filter(case_id=0),
            ids,
        ),
        (
            "its events",
            lambda pk: list(CaseEvent.objects.filter(case_id=pk)),
            lambda pk: selectors._EVENTS(case=pk),
            CaseEvent.objects.filter(case_id=0),
            ids,
        ),
        (
            "token with its user",
            lambda d: list(ApiToken.objects.select_related("user").filter(digest=d)[:1]),
            lambda d: __import__("zwfw.core.services", fromlist=["_TOKEN"])._TOKEN(digest=d),
            ApiToken.objects.select_related("user").filter(digest="x")[:1],
            [rng.choice(digests) for _ in ids],
        ),
        (
            "a user's roles",
            lambda u: list(
                RoleAssignment.objects.filter(user_id=u).select_related("center", "department")
            ),
            lambda u: __import__("zwfw.core.permissions", fromlist=["_ASSIGNMENTS"])._ASSIGNMENTS(
                user=u
            ),
            RoleAssignment.objects.filter(user_id=0).select_related("center", "department"),
            [rng.choice(users) for _ in ids],
        ),
    ]
    print(f"{len(cases)} calls each, {Case.objects.count():,} cases; median µs per call")
    print(f"{'read':32} {'ORM':>8} {'prepared':>9} {'driver':>8} {'ORM/prepared':>13}")
    for name, orm, prepared, sample, keys in reads:
        sql, params = sample.query.sql_with_params()
        position = next(i for i, v in enumerate(params) if v in ("x", 0))
        raw_params = list(params)

        def driver(key, sql=sql, raw_params=raw_params, position=position):
            raw_params[position] = key
            with connection.cursor() as cur:
                cur.execute(sql, raw_params)
                cur.fetchall()

        a, b, c = (_median_us(f, keys) for f in (orm, prepared, driver))
        print(f"{name:32} {a:8.0f} {b:9.0f} {c:8.0f} {a / b:13.1f}")
    now = datetime.datetime.now(datetime.UTC)
    print(f"({now:%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
