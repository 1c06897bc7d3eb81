"""Benchmark: the monthly assessment (R-21) from rollups, next to the same aggregation done by
one GROUP BY over the raw tables, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/assessment.py [--residents 200] [--cases 100000] [--months 12]

The default size runs in about a minute and a half (most of it migrating and generating). The issue's size (10,000 residents, 10 million cases
over two years, ratings and 12345 tickets in proportion) is

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/assessment.py --residents 10000 --cases 10000000 --months 24

(generating 10 M cases with their indexes takes the better part of an hour on two cores;
the timings printed after it are the point).

The run creates a fresh database `<name>_bench_staff` next to DATABASE_URL's, migrates it,
generates residents (persons, accounts, postings), cases spread evenly over `--months`
months (received by a resident's account, decided by a resident, a due date that one case in
ten misses), ratings (one per three cases) and 12345 complaints (one per 200 cases) with one
INSERT … SELECT generate_series each, then times, for the last month:

- refresh: `zwfw.staff.rollup.refresh` (one GROUP BY per source over the month's rows,
  replacing the month's MonthlyFacts rows);
- score: the scores of every resident from MonthlyFacts (`services.score_month` minus the
  refresh: rules, facts, explained parts, bulk insert);
- read: the month's results as the API reads them (one query over MonthlyAssessment);
- raw: the same facts by ONE GROUP BY over the raw tables (a UNION ALL of the sources
  grouped by person), which is what a report without the rollup would run each time;
and checks that the raw GROUP BY and the rollup agree. The database is dropped at the end
(`--keep` keeps it).
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--residents", type=int, default=200)
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--keep", action="store_true", help="keep the bench database")
    return p.parse_args()


ARGS = _parse()
ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
if not ORIGINAL_URL.startswith(("postgres://", "postgresql://")):
    sys.exit("bench/assessment.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
BASE, NAME = ORIGINAL_URL.rsplit("/", 1)
BENCH_DB = f"{NAME or 'zwfw'}_bench_staff"
ADMIN_URL = f"{BASE}/postgres"


def _recreate(drop_only=False):
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        if not drop_only:
            c.execute(f'CREATE DATABASE "{BENCH_DB}"')


_recreate()
os.environ["DATABASE_URL"] = f"{BASE}/{BENCH_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

D = datetime.date


def _literal(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert_select(model, n: int, exprs: dict[str, str]) -> float:
    """INSERT n rows of `model` with one INSERT … SELECT over generate_series(1, n) g; columns
    not in `exprs` take their Django default (or '' for text, NULL when nullable)."""
    cols, values = [], []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.AutoField | models.BigAutoField):
            continue
        if f.column in exprs:
            expr = exprs[f.column]
        elif f.null:
            continue
        elif f.has_default():
            expr = _literal(f.get_default())
        elif isinstance(f, models.CharField | models.TextField):
            expr = "''"
        elif isinstance(f, models.DateTimeField):
            expr = "now()"
        else:
            raise ValueError(f"no value for {model.__name__}.{f.column}")
        cols.append(f'"{f.column}"')
        values.append(expr)
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
        f"SELECT {', '.join(values)} FROM generate_series(1, {n}) g"
    )
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql)
    return time.perf_counter() - start


def generate():
    from django.contrib.auth import get_user_model

    from tests.cases.factories import make_item
    from tests.factories import CenterFactory, DepartmentFactory, staff
    from zwfw.cases.models import Applicant, Case
    from zwfw.evaluations.models import Evaluation
    from zwfw.org.models import Person
    from zwfw.staff.models import ResidentAssignment
    from zwfw.supervision.models import HotlineFeedback

    center = CenterFactory(code="QL")
    department = DepartmentFactory(code="QLGA", name="青岚市公安局", center=center)
    center_admin = staff("center_admin", department=department, center=center).user
    admin = staff("department_admin", department=department).user
    item = make_item(admin, department, name="保安服务公司设立许可", promised=20)
    applicant = Applicant.objects.create(
        kind="organisation", name="青岚示范公司", identifier="x", identifier_index="bench"
    )
    r = ARGS.residents
    User = get_user_model()
    t = time.perf_counter()
    first_user = User.objects.order_by("-id").first().id + 1
    insert_select(
        User,
        r,
        {
            "username": "'bench' || g",
            "password": "'!'",
            "is_active": "true",
            "is_staff": "false",
            "is_superuser": "false",
            "date_joined": "now()",
        },
    )
    first_person = (Person.objects.order_by("-id").first().id or 0) + 1
    insert_select(
        Person,
        r,
        {
            "name": "'进驻人员' || g",
            "gender": "'male'",
            "birth_date": "DATE '1990-01-01'",
            "phone": "''",
            "phone_index": "'b' || g",
            "department_id": str(department.pk),
            "established": "true",
            "unit_start_date": "DATE '2015-01-01'",
            "user_id": f"{first_user - 1} + g",
            "active": "true",
        },
    )
    insert_select(
        ResidentAssignment,
        r,
        {
            "person_id": f"{first_person - 1} + g",
            "department_id": str(department.pk),
            "center_id": str(center.pk),
            "start_date": "DATE '2023-01-01'",
            "term_end": "DATE '2025-12-31'",
            "chief_representative": "false",
        },
    )
    print(f"residents: {r:,} in {time.perf_counter() - t:.1f} s")
    months = ARGS.months
    last = D(2025, 12, 1)
    first_month = last
    for _ in range(months - 1):
        first_month = (first_month - datetime.timedelta(days=1)).replace(day=1)
    days = (D(2026, 1, 1) - first_month).days
    n = ARGS.cases
    day = f"(DATE '{first_month}' + ((g::bigint * 7919) % {days})::int)"
    built = insert_select(
        Case,
        n,
        {
            "number": "'B' || g",
            "item_id": str(item.pk),
            "department_id": str(department.pk),
            "center_id": str(center.pk),
            "applicant_id": str(applicant.pk),
            "phone": "''",
            "phone_last4": "'0000'",
            "channel": "'window'",
            "status": "'completed'",
            "received_by_id": f"{first_user} + (g % {r})",
            "received_at": f"({day})::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '9 hours'",
            "decided_by_id": f"{first_person} + ((g::bigint * 31) % {r})::int",
            "decided_on": f"{day} + 3",
            "due_date": f"{day} + CASE WHEN g % 10 = 0 THEN 1 ELSE 20 END",
            "completed_on": f"{day} + 4",
            "updated_at": "now()",
        },
    )
    print(f"cases: {n:,} over {months} months in {built:.1f} s")
    ratings = n // 3
    t = insert_select(
        Evaluation,
        ratings,
        {
            "level": "CASE WHEN g % 25 = 0 THEN 1 ELSE 5 END",
            "good": "g % 25 <> 0",
            "channel": "'sms'",
            "center_id": str(center.pk),
            "department_id": str(department.pk),
            "staff_id": f"{first_person} + (g % {r})",
            "rated_at": f"({day})::timestamp AT TIME ZONE 'Asia/Shanghai'",
            "rated_on": day,
            "month": f"date_trunc('month', {day})::date",
            "is_default": "false",
            "verified": "false",
            "excluded": "false",
        },
    )
    print(f"ratings: {ratings:,} in {t:.1f} s")
    tickets = max(1, n // 200)
    t = insert_select(
        HotlineFeedback,
        tickets,
        {
            "ticket_number": "'H' || g",
            "received_on": day,
            "kind": "'complaint'",
            "content": "'投诉'",
            "caller_phone": "''",
            "staff_id": f"{first_person} + (g % {r})",
            "department_id": str(department.pk),
            "center_id": str(center.pk),
            "status": "'closed'",
            "created_at": "now()",
            "updated_at": "now()",
        },
    )
    print(f"12345 complaints: {tickets:,} in {t:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return center, center_admin, last, first_person


RAW_SQL = """
SELECT person_id, sum(received), sum(decided), sum(on_time), sum(evaluations), sum(good),
       sum(hotline)
FROM (
  SELECT p.id AS person_id, 1 AS received, 0 AS decided, 0 AS on_time, 0 AS evaluations,
         0 AS good, 0 AS hotline
    FROM cases_case c JOIN org_person p ON p.user_id = c.received_by_id
   WHERE c.received_at >= %(a)s AND c.received_at < %(b)s
  UNION ALL
  SELECT c.decided_by_id, 0, 1, (c.due_date IS NULL OR c.decided_on <= c.due_date)::int, 0, 0, 0
    FROM cases_case c WHERE c.decided_on >= %(first)s AND c.decided_on < %(next)s
  UNION ALL
  SELECT e.staff_id, 0, 0, 0, 1, e.good::int, 0
    FROM evaluations_evaluation e WHERE e.month = %(first)s AND NOT e.excluded
  UNION ALL
  SELECT h.staff_id, 0, 0, 0, 0, 0, 1
    FROM supervision_hotlinefeedback h
   WHERE h.kind = 'complaint' AND h.received_on >= %(first)s AND h.received_on < %(next)s
) facts
WHERE person_id IS NOT NULL
GROUP BY person_id
"""


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main():
    call_command("migrate", verbosity=0)
    from zwfw.staff import rollup, selectors
    from zwfw.staff.models import MonthlyAssessment, MonthlyFacts

    center, _admin, month, _ = generate()
    first, nxt = rollup.month_bounds(month)
    print(
        f"== PostgreSQL: {ARGS.residents:,} residents, {ARGS.cases:,} cases; month {month:%Y-%m} =="
    )

    with transaction.atomic():
        n, refresh_s = timed(lambda: rollup.refresh(month=month, center=center))

    def score_only():
        # score_month without its refresh (the rollup is fresh): rules, facts, scores.
        from zwfw.staff import scoring

        rules = selectors.rules_for(center)
        facts = list(selectors.facts_of_month(center, month))
        adjustments = selectors.adjustments_of_month(center, month)
        now = timezone.now()
        MonthlyAssessment.objects.filter(center=center, month=month).delete()
        rows = []
        for f in facts:
            result = scoring.score(rules, f.as_dict(), adjustments.get(f.person_id, []))
            rows.append(
                MonthlyAssessment(
                    person_id=f.person_id,
                    center_id=f.center_id,
                    department_id=f.department_id,
                    month=month,
                    score=result["score"],
                    parts={"facts": f.as_dict(), "parts": result["parts"]},
                    computed_at=now,
                )
            )
        MonthlyAssessment.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    with transaction.atomic():
        scored, score_s = timed(score_only)
    _, read_s = timed(
        lambda: list(
            MonthlyAssessment.objects.filter(center=center, month=month).values_list(
                "person_id", "score"
            )
        )
    )
    tz = timezone.get_current_timezone()
    params = {
        "a": datetime.datetime.combine(first, datetime.time.min, tz),
        "b": datetime.datetime.combine(nxt, datetime.time.min, tz),
        "first": first,
        "next": nxt,
    }

    def raw():
        with connection.cursor() as cur:
            cur.execute(RAW_SQL, params)
            return cur.fetchall()

    rows, raw_s = timed(raw)
    stored = {
        f.person_id: (f.received, f.decided, f.on_time, f.evaluations, f.good, f.hotline_complaints)
        for f in MonthlyFacts.objects.filter(month=month)
    }
    agree = all(stored.get(r[0]) == tuple(int(v) for v in r[1:]) for r in rows)
    print(f"rollup refresh (GROUP BY per source, {n:,} residents) : {refresh_s * 1000:9.0f} ms")
    print(f"scores from the rollup ({scored:,} explained scores)   : {score_s * 1000:9.0f} ms")
    print(f"read the month's results                              : {read_s * 1000:9.0f} ms")
    print(f"one GROUP BY over the raw tables ({len(rows):,} rows)     : {raw_s * 1000:9.0f} ms")
    print(f"rollup equals the raw GROUP BY: {agree}")


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if not ARGS.keep:
            _recreate(drop_only=True)
