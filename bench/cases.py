"""Benchmark: case transitions through the service layer against the same writes in raw SQL,
and the overdue list over one million cases (ARCHITECTURE.md, Performance notes).

    .venv/bin/python bench/cases.py [--cases 2000] [--rows 1000000] [--skip-million]

Runs on a private SQLite database (a temporary file). When DATABASE_URL names PostgreSQL, the
same bench then runs there too, in a fresh database `<name>_bench` created and dropped by the
run. Both runs print:

- service path: N cases through receive → accept → pause → resume → decide → complete via
  `zwfw.cases.services` (row lock, permission, state table, clock, the rules' reads — item
  version, checklist, applicant, grants, materials —, timeline row, audit row with its hash
  chain, outbox SMS sent through the Huey task in-process), transitions per second;
- raw path: the same rows written with the bare driver (sqlite3 / psycopg) in the same
  tables, one transaction per transition: a conditional UPDATE … WHERE status, the timeline
  INSERT, the audit chain's head (on PostgreSQL with its lock, as the service takes it) and
  INSERT, the outbox INSERT (intake: the case, its three materials, the event, the audit row,
  the SMS), then the worker's send;
- the ratio of the two;
- `selectors.overdue_cases(department_id=…, on=today)` (first page of 50 and the count) over
  `--rows` cases in 20 departments built with one INSERT … SELECT (generate_series on
  PostgreSQL, a recursive CTE on SQLite), median of 5 runs, with the query plan's index.
"""

import argparse
import atexit
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=2000, help="cases pushed through (default 2000)")
    p.add_argument("--rows", type=int, default=1_000_000, help="rows for the list query")
    p.add_argument("--skip-million", action="store_true", help="skip the list-query part")
    p.add_argument(
        "--backend", choices=["sqlite", "postgres"], default="sqlite", help=argparse.SUPPRESS
    )
    return p.parse_args()


ARGS = _parse()
ORIGINAL_URL = os.environ.get("DATABASE_URL", "")
_tmp = tempfile.mkdtemp(prefix="bench_cases_")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
os.environ["ZWFW_VAR_DIR"] = _tmp
if ARGS.backend == "postgres":
    os.environ["DATABASE_URL"] = os.environ["BENCH_PG_URL"]
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from zwfw.core import crypto  # noqa: E402

D = datetime.date
DAY = D(2025, 9, 26)  # a Friday before 国庆: the clock crosses the holiday


def setup():
    call_command("migrate", verbosity=0)
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True  # SMS are sent in-process, as a worker would
    from tests.cases.factories import grant_for, make_item, officer
    from tests.factories import CenterFactory, DepartmentFactory, staff

    center = CenterFactory(code="QL")
    department = DepartmentFactory(code="QLGA", name="青岚市公安局", center=center)
    center_admin = staff("center_admin", department=department, center=center).user
    admin = staff("department_admin", department=department).user
    item = make_item(admin, department, name="保安服务公司设立许可", promised=20)
    clerk = staff("window_staff", department=department).user
    chief = officer(department)
    grant_for(center_admin, department, chief, final=[item])
    return center, department, item, clerk, chief.user


def service_path(n, item, clerk, chief):
    """receive, accept, pause, resume, decide, complete: 6 transitions per case."""
    from tests.cases.factories import org_applicant
    from zwfw.cases import services

    applicants = [org_applicant(seq=i) for i in range(50)]
    from django.db.models import prefetch_related_objects

    # As in a request: the login path loads the user's roles and person once.
    prefetch_related_objects([clerk, chief], "role_assignments", "person")
    start = time.perf_counter()
    for i in range(n):
        case = services.take_in(
            by=clerk,
            item=item,
            applicant=applicants[i % 50],
            phone="13912345678",
            channel="window",
            materials={"申请书": "paper", "营业执照": "paper"},
            on=DAY,
        )
        case = services.accept_case(case=case, by=clerk, on=DAY)
        case = services.pause_case(case=case, by=clerk, reason="site_inspection", on=D(2025, 9, 29))
        case = services.resume_case(case=case, by=clerk, on=D(2025, 10, 10))
        case = services.decide_case(case=case, by=chief, result="approve", on=D(2025, 10, 13))
        services.complete_case(case=case, by=clerk, on=D(2025, 10, 14))
    return 6 * n / (time.perf_counter() - start)


class Raw:
    """The same writes with the bare driver, in the same tables."""

    def __init__(self, case_template):
        self.t = case_template
        self.cipher = crypto.encrypt("13912345678")
        self.seq = 0
        if connection.vendor == "sqlite":
            import sqlite3

            self.db = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
            for pragma in (
                "journal_mode=WAL",
                "synchronous=NORMAL",
                "busy_timeout=10000",
                "wal_autocheckpoint=10000",
            ):
                self.db.execute(f"PRAGMA {pragma}")
            self.ph, self.begin = "?", "BEGIN IMMEDIATE"
        else:
            import psycopg

            self.db = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
            self.ph, self.begin = "%s", "BEGIN"

    def q(self, sql):
        return sql.replace("?", self.ph)

    def audit(self, cur, obj_id, action):
        if self.ph == "%s":
            # The chain's append protocol on PostgreSQL: lock and head in one call (without
            # the lock, concurrent appends would fork the chain).
            cur.execute("SELECT zwfw_audit_head(732011)")
        else:
            cur.execute("SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
        row = cur.fetchone()
        prev = (row and row[0]) or "0" * 64
        self.seq += 1
        now = timezone.now()
        digest = crypto.sm3(f"{prev}|{obj_id}|{action}|{self.seq}|{now}".encode())
        cur.execute(
            self.q(
                "INSERT INTO core_auditevent (created_at, actor_id, actor_name, actor_role, "
                "actor_department, action, object_type, object_id, object_repr, before, after, ip, "
                "prev_hash, hash) VALUES (?, NULL, '测试员', 'window_staff', '青岚市公安局', ?, "
                "'cases.Case', ?, ?, '{\"status\": \"x\"}', '{\"status\": \"y\"}', '', ?, ?)"
            ),
            [now, action, str(obj_id), str(obj_id), prev, digest],
        )

    def event_and_sms(self, cur, case_id, action, before, after):
        now = timezone.now()
        cur.execute(
            self.q(
                'INSERT INTO cases_caseevent (case_id, at, "on", action, from_status, to_status, '
                "actor_id, actor_name, text, public) VALUES (?, ?, ?, ?, ?, ?, NULL, '测试员', ?, ?)"
            ),
            [case_id, now, DAY, action, before, after, "办理", True],
        )
        self.audit(cur, case_id, action)
        cur.execute(
            self.q(
                "INSERT INTO notifications_outboxmessage (phone, text, kind, ref, department_id, "
                "status, attempts, error, sender, created_at, sent_at) VALUES (?, ?, 'other', ?, ?, "
                "'queued', 0, '', 'raw', ?, NULL)"
            ),
            [self.cipher, "您的办件有新进展", str(case_id), self.t.department_id, now],
        )

    def send(self, cur):
        """The outbox worker's write after commit: mark the message sent."""
        cur.execute(self.begin)
        cur.execute("SELECT id FROM notifications_outboxmessage ORDER BY id DESC LIMIT 1")
        message_id = cur.fetchone()[0]
        cur.execute(
            self.q(
                "UPDATE notifications_outboxmessage SET status = 'sent', attempts = 1, "
                "sent_at = ? WHERE id = ?"
            ),
            [timezone.now(), message_id],
        )
        cur.execute("COMMIT")

    def intake(self, cur, i):
        t, now = self.t, timezone.now()
        cur.execute(
            self.q(
                "INSERT INTO cases_case (number, item_id, item_version, department_id, center_id, "
                "applicant_id, phone, phone_last4, agent_name, agent_id_number, agent_phone, "
                "channel, procedure, status, received_at, materials_complete_on, "
                "acceptance_deadline, deemed_accepted, refusal_reason, refusal_authority, "
                "limit_days, extension_days, paused_workdays, closed_pause_workdays, due_date, "
                "due_provisional, remaining_workdays, alert_level, first_review_opinion, result, "
                "opinion, closed_reason, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, '5678', '', '', "
                "'', 'window', 'final', 'received', ?, ?, ?, ?, '', '', 20, 0, 0, 0, ?, ?, 5, "
                "'green', '', '', '', '', ?) RETURNING id"
            ),
            [
                f"RAW-{i:07d}",
                t.item_id,
                t.department_id,
                t.center_id,
                t.applicant_id,
                self.cipher,
                now,
                DAY,
                DAY,
                False,
                DAY,
                False,
                now,
            ],
        )
        case_id = cur.fetchone()[0]
        for pos, (name, status) in enumerate(
            [("申请书", "received"), ("营业执照", "received"), ("场地租赁合同", "missing")]
        ):
            cur.execute(
                self.q(
                    "INSERT INTO cases_casematerial (case_id, position, name, required, "
                    "electronic_ok, form, status, problem, received_on) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)"
                ),
                [case_id, pos, name, pos < 2, True, "paper" if pos < 2 else "", status, DAY],
            )
        self.event_and_sms(cur, case_id, "receive", "", "received")
        return case_id

    def step(self, cur, case_id, before, after, sets):
        cur.execute(
            self.q(
                f"UPDATE cases_case SET status = ?, {sets}, updated_at = ? "
                "WHERE id = ? AND status = ?"
            ),
            [after, timezone.now(), case_id, before],
        )
        assert cur.rowcount == 1
        self.event_and_sms(cur, case_id, after, before, after)

    def run(self, n):
        cur = self.db.cursor()
        steps = [
            (
                "received",
                "accepted",
                "accepted_on = '2025-09-26', due_date = '2025-10-30', remaining_workdays = 20",
            ),
            ("accepted", "paused", "paused_since = '2025-09-29'"),
            (
                "paused",
                "accepted",
                "paused_since = NULL, closed_pause_workdays = 3, due_date = '2025-11-04'",
            ),
            ("accepted", "decided", "result = 'approve', decided_on = '2025-10-13'"),
            ("decided", "completed", "completed_on = '2025-10-14'"),
        ]
        start = time.perf_counter()
        for i in range(n):
            cur.execute(self.begin)
            case_id = self.intake(cur, i)
            cur.execute("COMMIT")
            self.send(cur)
            for before, after, sets in steps:
                cur.execute(self.begin)
                self.step(cur, case_id, before, after, sets)
                cur.execute("COMMIT")
                self.send(cur)
        rate = 6 * n / (time.perf_counter() - start)
        self.db.close()
        return rate


def million(rows, template):
    """Bulk-build `rows` cases in 20 departments and time the overdue list of one."""
    from zwfw.cases import selectors
    from zwfw.org.models import Department

    first = Department.objects.create(
        code="BENCH00", name="基准部门0", center_id=template.center_id
    )
    dept_ids = [first.id] + [
        Department.objects.create(
            code=f"BENCH{i:02d}", name=f"基准部门{i}", center_id=template.center_id
        ).id
        for i in range(1, 20)
    ]
    assert dept_ids == list(range(first.id, first.id + 20)), "departments must be consecutive"
    cols = [f.column for f in type(template)._meta.concrete_fields if f.column != "id"]
    today = timezone.localdate()
    # 30% open (accepted) with due dates from 60 days ago to 60 days ahead; the rest closed.
    overrides = {
        "number": "'M' || g.x",
        "department_id": f"{first.id} + (g.x %% 20)",
        "status": "CASE WHEN g.x %% 10 < 3 THEN 'accepted' ELSE 'completed' END",
        "due_date": None,  # per backend below
        "alert_level": "CASE WHEN g.x %% 10 < 1 THEN 'red' ELSE 'green' END",
    }
    if connection.vendor == "postgresql":
        overrides["due_date"] = f"DATE '{today}' + ((g.x %% 121) - 60)"
        source = f"generate_series(1, {rows}) AS g(x)"
        prefix = ""
    else:
        overrides["due_date"] = f"date('{today}', ((g.x %% 121) - 60) || ' days')"
        source = "g"
        prefix = (
            f"WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {rows}) "
        )
    select = ", ".join(overrides.get(c) or f"t.{c}" for c in cols)
    start = time.perf_counter()
    with connection.cursor() as cur:
        quoted = ", ".join(connection.ops.quote_name(c) for c in cols)
        cur.execute(
            f"{prefix}INSERT INTO cases_case ({quoted}) SELECT {select} "
            f"FROM cases_case t, {source} WHERE t.id = %s",
            [template.id],
        )
        # As autovacuum would leave a loaded table: statistics and the visibility map.
        cur.execute("VACUUM ANALYZE cases_case" if connection.vendor == "postgresql" else "ANALYZE")
    built = time.perf_counter() - start
    qs = selectors.overdue_cases(department_id=first.id + 1, on=today)
    timings, page_ms, count_ms, count = [], [], [], 0
    for _ in range(5):
        t0 = time.perf_counter()
        page = list(qs[:50])
        t1 = time.perf_counter()
        count = qs.count()
        t2 = time.perf_counter()
        page_ms.append((t1 - t0) * 1000)
        count_ms.append((t2 - t1) * 1000)
        timings.append((t2 - t0) * 1000)
    print(
        f"page of 50: median {statistics.median(page_ms):.1f} ms; "
        f"count: median {statistics.median(count_ms):.1f} ms"
    )
    sql, params = qs[:50].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(
            ("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql,
            params,
        )
        plan = " | ".join(str(r[-1]) for r in cur.fetchall())
    return built, statistics.median(timings), count, len(page), plan


def main():
    center, department, item, clerk, chief = setup()
    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite (WAL)"
    n = ARGS.cases
    print(f"== {label}: {n} cases × 6 transitions ==")
    orm = service_path(n, item, clerk, chief)
    from zwfw.cases.models import Case

    template = Case.objects.order_by("id").first()
    raw = Raw(template).run(n)
    print(f"service layer : {orm:8.0f} transitions/s")
    print(f"raw driver    : {raw:8.0f} transitions/s")
    print(f"ratio         : {orm / raw:8.2f}")
    if not ARGS.skip_million:
        built, ms, count, page, plan = million(ARGS.rows, template)
        print(f"built {ARGS.rows:,} cases in {built:.1f} s")
        print(
            f"overdue list of one department (page of {page}, count {count:,}): median {ms:.1f} ms"
        )
        print(f"plan: {plan[:300]}")


if __name__ == "__main__":
    main()
    if ARGS.backend == "sqlite" and ORIGINAL_URL.startswith(("postgres://", "postgresql://")):
        import psycopg

        base = ORIGINAL_URL.rsplit("/", 1)
        bench_db = f"{base[1] or 'zwfw'}_bench"
        admin_url = f"{base[0]}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
            c.execute(f'CREATE DATABASE "{bench_db}"')
        try:
            argv = [
                sys.executable,
                __file__,
                "--backend",
                "postgres",
                "--cases",
                str(ARGS.cases),
                "--rows",
                str(ARGS.rows),
            ] + (["--skip-million"] if ARGS.skip_million else [])
            env = {**os.environ, "BENCH_PG_URL": f"{base[0]}/{bench_db}"}
            subprocess.run(argv, env=env, check=True)
        finally:
            with psycopg.connect(admin_url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
