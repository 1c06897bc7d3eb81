"""Benchmark: the monthly assessment (R-21) from rollups, next to the same aggregation done by
one GROUP BY over the raw tables, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/assessment.py [--residents 200] [--cases 100000] [--months 12]

The default size runs in about a minute and a half (most of it migrating and generating).
The issue's size (10,000 residents, 10 million cases over two years, ratings and 12345
tickets in proportion), generated once and kept, then timed as often as wanted:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw .venv/bin/python bench/assessment.py \\
        --residents 10000 --cases 10000000 --months 24 --db zwfw_bench_staff_10m --generate-only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw .venv/bin/python bench/assessment.py \\
        --residents 10000 --cases 10000000 --months 24 --db zwfw_bench_staff_10m --reuse --keep

(generating 10 M cases took 16 min on two shared cores: 3.5 min of INSERTs, the rest
rebuilding the indexes and foreign keys that are dropped for the load).

The run creates a database (`--db`, default `<name>_bench_staff`) next to DATABASE_URL's,
migrates it, generates residents (persons, accounts, postings), cases spread evenly over
`--months` months in time order (received by a resident's account, decided by a resident
three days later, a due date that one case in ten misses), ratings (one per three cases) and
12345 complaints (one per 200 cases) with INSERT … SELECT generate_series (in chunks of
`--chunk` rows, secondary indexes and foreign keys dropped and rebuilt after), records the
size in `bench_meta` (so `--reuse` takes the database again), then, after `migrate` (new
migrations apply to a reused database), writes the attendance of every resident on every
working day of the last two months and times, for the last month:

- refresh: `zwfw.staff.rollup.refresh` (one GROUP BY per source over the month's rows,
  replacing the month's MonthlyFacts rows by COPY);
- score: `services.score_from_rollup`, the scores of every resident from MonthlyFacts
  (`services.score_month` minus the refresh: rules, facts, explained parts, COPY);
- read: the month's results as the API reads them (one query over MonthlyAssessment);
- raw: the same facts by ONE GROUP BY over the raw tables (a UNION ALL of the sources
  grouped by person), which is what a report without the rollup would run each time;
and checks that the raw GROUP BY and the rollup agree. The database is dropped at the end
(`--keep` keeps it). `--scattered` spreads each month's rows over the whole table (every
month on every page) instead of time order, the worst case for reading one month.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root instead of bench/ (sys.path[0]): a bench module named like a standard one
# (bench/http.py) must not shadow it.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--residents", type=int, default=200)
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--keep", action="store_true", help="keep the bench database")
    p.add_argument(
        "--db",
        default="",
        help="bench database name (default <name>_bench_staff); with --reuse an existing one "
        "generated at the same size is used again",
    )
    p.add_argument("--reuse", action="store_true", help="reuse --db if it holds this size")
    p.add_argument(
        "--generate-only", action="store_true", help="generate (and keep) the database, no timing"
    )
    p.add_argument(
        "--scattered",
        action="store_true",
        help="spread each month's rows over the whole table (default: rows in time order)",
    )
    p.add_argument("--chunk", type=int, default=1_000_000, help="rows per INSERT … SELECT")
    return p.parse_args()


ARGS = _parse()
ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
if not ORIGINAL_URL.startswith(("postgres://", "postgresql://")):
    sys.exit("bench/assessment.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
BASE, NAME = ORIGINAL_URL.rsplit("/", 1)
BENCH_DB = ARGS.db or f"{NAME or 'zwfw'}_bench_staff"
ADMIN_URL = f"{BASE}/postgres"
SIZE = f"{ARGS.residents}/{ARGS.cases}/{ARGS.months}" + ("/scattered" if ARGS.scattered else "")
if ARGS.generate_only:
    ARGS.keep = True


def _recreate(drop_only=False):
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        if not drop_only:
            c.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _generated_size() -> str | None:
    """The size recorded by a finished generation in BENCH_DB (None: absent or unfinished)."""
    import psycopg

    try:
        with psycopg.connect(f"{BASE}/{BENCH_DB}") as c:
            row = c.execute("SELECT value FROM bench_meta WHERE key = 'size'").fetchone()
            return row[0] if row else None
    except psycopg.Error:
        return None


REUSED = ARGS.reuse and _generated_size() == SIZE
if not REUSED:
    _recreate()
os.environ["DATABASE_URL"] = f"{BASE}/{BENCH_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

D = datetime.date


def insert_select(model, n: int, exprs: dict[str, str]) -> float:
    """INSERT n rows of `model` by INSERT … SELECT over generate_series (g = 1 … n, in chunks of
    --chunk rows so a long load shows progress); columns not in `exprs` take their Django
    default (or '' for text, NULL when nullable)."""
    from bench.datagen import select_list

    cols, values = select_list(model, exprs)
    start = time.perf_counter()
    with connection.cursor() as cur:
        for lo in range(1, n + 1, ARGS.chunk):
            hi = min(n, lo + ARGS.chunk - 1)
            cur.execute(
                f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
                f"SELECT {', '.join(values)} FROM generate_series({lo}, {hi}) g"
            )
            if n > ARGS.chunk:
                print(
                    f"  {model.__name__}: {hi:,}/{n:,} in {time.perf_counter() - start:.0f} s",
                    flush=True,
                )
    return time.perf_counter() - start


def without_indexes(tables: list[str]):
    """Drop the tables' secondary indexes and foreign keys for a bulk load; the returned
    function recreates them (one index build and one FK validation per table is much
    cheaper than maintaining them row by row). Primary keys and unique constraints stay."""
    with connection.cursor() as cur:
        cur.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""",
            [tables],
        )
        indexes = cur.fetchall()
        cur.execute(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                 FROM pg_constraint c
                WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)""",
            [tables],
        )
        fks = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        for table, name, _ in fks:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')

    def restore():
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            for _, ddl in indexes:
                cur.execute(ddl)
            for table, name, ddl in fks:
                cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}')
        took = time.perf_counter() - start
        print(f"{len(indexes)} indexes and {len(fks)} foreign keys rebuilt in {took:.1f} s")
        return took

    return restore


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
    staff("center_admin", department=department, center=center)
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
    print(f"residents: {r:,} in {time.perf_counter() - t:.1f} s", flush=True)
    months = ARGS.months
    last = D(2025, 12, 1)
    first_month = last
    for _ in range(months - 1):
        first_month = (first_month - datetime.timedelta(days=1)).replace(day=1)
    days = (D(2026, 1, 1) - first_month).days
    n = ARGS.cases
    restore = without_indexes(
        ["cases_case", "evaluations_evaluation", "supervision_hotlinefeedback"]
    )

    def day_of(count: int) -> str:
        # Rows arrive in time order, as a center's tables fill up (a month's rows sit
        # together on disk); --scattered spreads every month over the whole table instead.
        if ARGS.scattered:
            return f"(DATE '{first_month}' + ((g::bigint * 7919) % {days})::int)"
        return f"(DATE '{first_month}' + (((g - 1)::bigint * {days}) / {count})::int)"

    day = day_of(n)
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
    print(f"cases: {n:,} over {months} months in {built:.1f} s", flush=True)
    ratings = n // 3
    day = day_of(ratings)
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
    day = day_of(tickets)
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
    restore()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        # Marks the generation finished, so --reuse may take this database again.
        cur.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text)")
        cur.execute("INSERT INTO bench_meta VALUES ('size', %s)", [SIZE])
    return center, last


RAW_SQL = """
SELECT person_id, sum(received), sum(decided), sum(on_time), sum(evaluations), sum(good),
       sum(hotline), sum(present), sum(late), sum(early), sum(absent)
FROM (
  SELECT p.id AS person_id, 1 AS received, 0 AS decided, 0 AS on_time, 0 AS evaluations,
         0 AS good, 0 AS hotline, 0 AS present, 0 AS late, 0 AS early, 0 AS absent
    FROM cases_case c JOIN org_person p ON p.user_id = c.received_by_id
   WHERE c.received_at >= %(a)s AND c.received_at < %(b)s
  UNION ALL
  SELECT c.decided_by_id, 0, 1, (c.due_date IS NULL OR c.decided_on <= c.due_date)::int,
         0, 0, 0, 0, 0, 0, 0
    FROM cases_case c WHERE c.decided_on >= %(first)s AND c.decided_on < %(next)s
  UNION ALL
  SELECT e.staff_id, 0, 0, 0, 1, e.good::int, 0, 0, 0, 0, 0
    FROM evaluations_evaluation e WHERE e.month = %(first)s AND NOT e.excluded
  UNION ALL
  SELECT h.staff_id, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0
    FROM supervision_hotlinefeedback h
   WHERE h.kind = 'complaint' AND h.received_on >= %(first)s AND h.received_on < %(next)s
  UNION ALL
  SELECT t.person_id, 0, 0, 0, 0, 0, 0,
         (t.status IN ('present', 'late', 'early', 'late_early', 'business'))::int,
         (t.status IN ('late', 'late_early'))::int, (t.status IN ('early', 'late_early'))::int,
         (t.status = 'absent')::int
    FROM staff_attendancerecord t WHERE t.date >= %(first)s AND t.date < %(next)s
) facts
WHERE person_id IS NOT NULL
GROUP BY person_id
"""


def attendance(center, months: list[datetime.date]) -> None:
    """Attendance records of every resident on every working day of `months` (R-21), by one
    INSERT … SELECT per month: mostly 出勤, with lates, early leaves and absences spread by a
    hash of person and day. Replaces those months' rows, so a reused database stays right."""
    from zwfw.staff import selectors
    from zwfw.staff.models import AttendanceRecord

    for month in months:
        days = selectors.month_workdays(month)
        nxt = (month + datetime.timedelta(days=32)).replace(day=1)
        AttendanceRecord.objects.filter(date__gte=month, date__lt=nxt).delete()
        h = "((a.person_id * 31 + extract(day FROM d)::int) %% 100)"
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                f"""INSERT INTO staff_attendancerecord
                      (person_id, center_id, department_id, date, status, sign_in, sign_out,
                       minutes_late, minutes_early, source, note, recorded_at)
                    SELECT a.person_id, a.center_id, a.department_id, d,
                           CASE WHEN {h} = 0 THEN 'absent' WHEN {h} < 4 THEN 'late'
                                WHEN {h} < 6 THEN 'early' WHEN {h} = 6 THEN 'late_early'
                                WHEN {h} = 7 THEN 'business' ELSE 'present' END,
                           CASE WHEN {h} = 0 THEN NULL WHEN {h} < 4 OR {h} = 6
                                THEN TIME '09:10' ELSE TIME '08:50' END,
                           CASE WHEN {h} = 0 THEN NULL WHEN {h} IN (4, 5, 6)
                                THEN TIME '17:00' ELSE TIME '17:40' END,
                           CASE WHEN {h} < 4 AND {h} > 0 OR {h} = 6 THEN 10 ELSE 0 END,
                           CASE WHEN {h} IN (4, 5, 6) THEN 30 ELSE 0 END,
                           'import', '', now()
                      FROM staff_residentassignment a CROSS JOIN unnest(%s::date[]) d
                     WHERE a.center_id = %s""",
                [days, center.pk],
            )
            n = cur.rowcount
            cur.execute("ANALYZE staff_attendancerecord")
        print(
            f"attendance {month:%Y-%m}: {n:,} records in {time.perf_counter() - t:.1f} s",
            flush=True,
        )


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main():
    call_command("migrate", verbosity=0)
    from zwfw.org.models import ServiceCenter
    from zwfw.staff import rollup
    from zwfw.staff.models import MonthlyAssessment, MonthlyFacts

    if REUSED:
        print(f"reusing {BENCH_DB} ({SIZE} residents/cases/months, generated earlier)")
        center, month = ServiceCenter.objects.get(code="QL"), D(2025, 12, 1)
    else:
        t = time.perf_counter()
        center, month = generate()
        print(f"generated in {time.perf_counter() - t:.0f} s", flush=True)
    if ARGS.generate_only:
        return
    first, nxt = rollup.month_bounds(month)
    attendance(center, [D(2025, 11, 1), month])
    print(
        f"== PostgreSQL: {ARGS.residents:,} residents, {ARGS.cases:,} cases; month {month:%Y-%m} =="
    )

    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as refresh_queries:
        n, refresh_s = timed(lambda: rollup.refresh(month=month, center=center))

    def score_only():
        # score_month without its refresh (the rollup is fresh): rules, facts, scores.
        from zwfw.staff import services

        return services.score_from_rollup(center=center, month=month)

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
        f.person_id: (
            f.received,
            f.decided,
            f.on_time,
            f.evaluations,
            f.good,
            f.hotline_complaints,
            f.days_present,
            f.late,
            f.early,
            f.absent,
        )
        for f in MonthlyFacts.objects.filter(month=month)
    }
    agree = all(stored.get(r[0]) == tuple(int(v) for v in r[1:]) for r in rows)
    print(f"rollup refresh (GROUP BY per source, {n:,} residents) : {refresh_s * 1000:9.0f} ms")
    print(f"scores from the rollup ({scored:,} explained scores)   : {score_s * 1000:9.0f} ms")
    print(f"read the month's results                              : {read_s * 1000:9.0f} ms")
    print(f"one GROUP BY over the raw tables ({len(rows):,} rows)     : {raw_s * 1000:9.0f} ms")
    print(f"rollup equals the raw GROUP BY: {agree}")
    # How the refresh read the month (EXPLAIN of its GROUP BYs, without running them again).
    print("refresh plans (the scans of each GROUP BY; ms as run above):")
    with connection.cursor() as cur:
        for q in refresh_queries.captured_queries:
            sql = q["sql"]
            if not sql.startswith("SELECT") or "GROUP BY" not in sql:
                continue
            cur.execute("EXPLAIN " + sql)
            scans = [
                r[0].strip().lstrip("-> ").split("  (cost")[0]
                for r in cur.fetchall()
                if "Scan" in r[0]
            ]
            table = sql.split(" FROM ", 1)[1].split()[0].strip('"')
            print(f"  {float(q['time']) * 1000:7.0f} ms  {table}: {'; '.join(scans)}")


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if not ARGS.keep:
            _recreate(drop_only=True)
