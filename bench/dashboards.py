"""Benchmark: the dashboards on rollups (issue 17 item 2, R-21) next to the full-scan queries
they replaced, over the same generated data in the same run, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/dashboards.py [--cases 1000000] [--repeat 5] [--drop]

The data come from bench/datagen.py (`<name>_bench_<cases>`, reused when it already holds
that size; the issue's size is --cases 10000000). For each dashboard it prints the median
time of `--repeat` runs (after one warm-up) of the rollup read and of the full scan, their
ratio, and whether both give the same rows:

- 办件预警 / 办件情况汇总 (home panel, /cases/summary/ and its export), for the center
  administrator (every department) and a department administrator: rollups.department_counts
  vs selectors.counts_by_department (GROUP BY over the open cases of cases_case);
- the summary page itself through the Django test client (rollup only: it is the page);
- 好差评 statistics, counts per department, per staff member and the 12-month trend, for the
  last 12 months: statistics._ratings / _trend over RatingCount vs the same GROUP BY over
  evaluations_evaluation;
- 好差评 未评价率 (completed and unrated cases by department, 12 months): statistics._cases over
  CaseCompletionCount vs the GROUP BY over cases_case with NOT EXISTS a rating;
- the whole statistics.report() by department for the last month (rollups, plus the tickets
  and tags of bad reviews, which are few, read raw).
"""

import argparse
import os
import statistics as stats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--residents", type=int, default=200)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--drop", action="store_true", help="drop the bench database afterwards")
    return p.parse_args()


def timed(fn, repeat: int):
    fn()  # warm-up: plans and caches
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return out, stats.median(times)


def main():
    args = _parse()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench/dashboards.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    start = time.perf_counter()
    url = datagen.prepare(cases=args.cases, residents=args.residents, months=args.months)
    print(f"data ready in {time.perf_counter() - start:.0f} s")
    datagen.use(url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count, Exists, OuterRef, Q
    from django.test import Client
    from django.utils import timezone

    from zwfw.cases import rollups, selectors
    from zwfw.cases.models import Case, CaseCount
    from zwfw.evaluations import statistics
    from zwfw.evaluations.models import Evaluation, RatingCount
    from zwfw.evaluations.selectors import scope_q

    User = get_user_model()
    center_admin = User.objects.get(username="zhongxin")
    dept_admin = User.objects.get(username="ga_admin")
    today = timezone.localdate()
    end = today.replace(day=1)
    start12 = statistics.add_months(end, -11)

    from zwfw.evaluations.rollups import ratings_scanned as full_ratings

    def full_trend(q, end):
        counted = Q(excluded=False)
        return {
            r["month"]: (r["t"], r["g"], r["a"], r["ag"])
            for r in Evaluation.objects.filter(
                q, month__range=(statistics.add_months(end, -11), end)
            )
            .values("month")
            .annotate(
                t=Count("id", filter=counted),
                g=Count("id", filter=counted & Q(good=True)),
                a=Count("id", filter=counted & Q(is_default=False)),
                ag=Count("id", filter=counted & Q(is_default=False, good=True)),
            )
            .order_by()
        }

    client = Client()
    client.force_login(center_admin)
    q_center = scope_q(center_admin)
    dim_dept = statistics.DIMENSIONS["department"]
    dim_staff = statistics.DIMENSIONS["staff"]
    rows = []

    def compare(name, rollup_fn, full_fn, same=lambda a, b: a == b):
        a, ta = timed(rollup_fn, args.repeat)
        b, tb = (None, None) if full_fn is None else timed(full_fn, args.repeat)
        rows.append((name, ta, tb, None if full_fn is None else same(a, b)))

    compare(
        "办件预警/汇总 (center admin)",
        lambda: rollups.department_counts(center_admin, on=today),
        lambda: selectors.counts_by_department(center_admin, on=today),
    )
    compare(
        "办件预警/汇总 (department admin)",
        lambda: rollups.department_counts(dept_admin, on=today),
        lambda: selectors.counts_by_department(dept_admin, on=today),
    )
    compare("/cases/summary/ page (HTTP, rollup)", lambda: client.get("/cases/summary/"), None)
    compare(
        "好差评 by department, 12 months",
        lambda: statistics._ratings(q_center, dim_dept, start12, end),
        lambda: full_ratings(q_center, dim_dept, start12, end),
    )
    compare(
        "好差评 by staff, 12 months",
        lambda: statistics._ratings(q_center, dim_staff, start12, end),
        lambda: full_ratings(q_center, dim_staff, start12, end),
    )

    def same_trend(a, b):
        # The page lists 12 months (0 where none); the GROUP BY only months with ratings.
        got = {t["month"]: (t["total"], t["bad"]) for t in a}
        want = {m.strftime("%Y-%m"): (v[0], v[0] - v[1]) for m, v in b.items()}
        return all(got.get(m) == v for m, v in want.items()) and all(
            v == (0, 0) for m, v in got.items() if m not in want
        )

    compare(
        "好差评 12-month trend",
        lambda: statistics._trend(q_center, end),
        lambda: full_trend(q_center, end),
        same=same_trend,
    )

    def full_cases(user, dim, start, end):
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

    compare(
        "好差评 未评价率 by department, 12 months",
        lambda: statistics._cases(center_admin, dim_dept, start12, end),
        lambda: full_cases(center_admin, dim_dept, start12, end),
    )
    compare(
        "statistics.report by department, last month",
        lambda: statistics.report(center_admin, dimension="department", start=end),
        None,
    )
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        n_cases = cur.fetchone()[0]
    print(
        f"\n== PostgreSQL {connection.pg_version // 10000}, {n_cases:,} cases, "
        f"{Evaluation.objects.count():,} ratings; rollup rows: "
        f"{CaseCount.objects.count():,} open-case, {RatingCount.objects.count():,} rating; "
        f"today {today}; median of {args.repeat} =="
    )
    print(f"{'dashboard':44} {'rollup ms':>10} {'full scan ms':>13} {'ratio':>8}  same rows")
    for name, ta, tb, same in rows:
        full = f"{tb * 1000:13.1f}" if tb is not None else f"{'—':>13}"
        ratio = f"{tb / ta:7.0f}x" if tb is not None and ta else f"{'—':>8}"
        print(f"{name:44} {ta * 1000:10.1f} {full} {ratio}  {'' if same is None else same}")
    print(f"(open cases now: {Case.objects.filter(status__in=rollups.OPEN_VALUES).count():,})")
    connection.close()
    if args.drop:
        datagen.drop(url)


if __name__ == "__main__":
    main()
