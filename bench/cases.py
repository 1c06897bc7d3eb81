"""Benchmark: case transitions through the service layer against the same writes in raw SQL,
with 1 or more parallel writers, and the overdue list over one million cases (ARCHITECTURE.md,
Performance notes).

    .venv/bin/python bench/cases.py [--cases 2000] [--writers 1,4,8] [--runs 3]
                                    [--rows 1000000] [--skip-million]

Runs on a private SQLite database (a temporary file). When DATABASE_URL names PostgreSQL, the
same bench then runs there too, in a fresh database `<name>_bench` created and dropped by the
run. Both runs print:

- service path: cases through receive → accept → pause → resume → decide → deliver → complete
  via `zwfw.cases.services` (row lock, permission, state table, clock, the rules' reads — item
  version, checklist, applicant, grants, materials —, timeline row, intake receipt, decision
  document with its number, delivery, audit rows on their center's hash chain, outbox SMS sent
  through the Huey task in-process), transitions per second;
- raw path: the same rows written with the bare driver (sqlite3 / psycopg) in the same
  tables, one transaction per transition: a conditional UPDATE … WHERE status, the timeline
  INSERT, the audit chain's head (on PostgreSQL with its center's chain lock, in a statement
  of its own: the service reads it with the case row's lock, a round trip fewer) and INSERT,
  the outbox INSERT (intake: the case, its three materials, the receipt;
  decide: the document number and document; deliver: the delivery), then the worker's send;
- the ratio of the two.

`--writers 1,4,8` (PostgreSQL; SQLite has one writer) runs each path with that many writer
processes at once, each with its own connection and its own service center (independent
writers: one audit chain, case counter and decision counter per center), `--cases` cases
shared among them, and prints transitions/s per writer count for both paths, their ratio and
the scaling from the fewest to the most writers. `--runs 3` repeats the paired measurement
(service then raw, for every writer count) and prints the medians.

Then `selectors.overdue_cases(department_id=…, on=today)` (first page of 50 and the count) over
`--rows` cases in 20 departments built with one INSERT … SELECT (generate_series on
PostgreSQL, a recursive CTE on SQLite), median of 5 runs, with the query plan's index.
"""

import argparse
import atexit
import datetime
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not bench/ itself: bench/http.py would shadow the standard library's http package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=2000, help="cases pushed through (default 2000)")
    p.add_argument("--rows", type=int, default=1_000_000, help="rows for the list query")
    p.add_argument("--skip-million", action="store_true", help="skip the list-query part")
    p.add_argument(
        "--writers", default="1", help="parallel writer counts, e.g. 1,4,8 (PostgreSQL only)"
    )
    p.add_argument("--runs", type=int, default=1, help="paired runs (medians are printed)")
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


TRANSITIONS = 7  # receive, accept, pause, resume, decide, deliver, complete


def setup(writers: int):
    """One service center per writer, each with its department, item, clerk and chief (with
    the grant that lets them decide), and two warm-up cases through every step."""
    call_command("migrate", verbosity=0)
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True  # SMS are sent in-process, as a worker would
    from tests.cases.factories import grant_for, make_item, officer
    from tests.factories import CenterFactory, DepartmentFactory, staff

    places = []
    for w in range(writers):
        center = CenterFactory(code=f"QL{w}", name=f"青岚市政务服务中心{w}")
        department = DepartmentFactory(code=f"QLGA{w}", name=f"青岚市公安局{w}", center=center)
        center_admin = staff("center_admin", department=department, center=center).user
        admin = staff("department_admin", department=department).user
        item = make_item(admin, department, name="保安服务公司设立许可", promised=20)
        clerk = staff("window_staff", department=department).user
        chief = officer(department)
        grant_for(center_admin, department, chief, final=[item])
        places.append((item.pk, clerk.pk, chief.user.pk))
        service_path(2, w, 9999, *places[-1])  # warm-up, and the raw path's template case
    return places


def service_path(n, writer, run, item_id, clerk_id, chief_id, barrier=None):
    """receive, accept, pause, resume, decide, deliver, complete: 7 transitions per case.
    Returns (transitions, start, end) on the monotonic clock."""
    from django.contrib.auth import get_user_model
    from django.db.models import prefetch_related_objects

    from tests.cases.factories import org_applicant
    from zwfw.cases import services
    from zwfw.cases.services.delivery import record_delivery
    from zwfw.catalog.models import ServiceItem

    users = get_user_model().objects.in_bulk([clerk_id, chief_id])
    clerk, chief = users[clerk_id], users[chief_id]
    item = ServiceItem.objects.get(pk=item_id)
    # Applicants of their own per writer and run (credit codes are unique).
    applicants = [org_applicant(seq=(writer * 10000 + run) * 50 + i) for i in range(50)]
    # As in a request: the login path loads the user's roles and person once.
    prefetch_related_objects([clerk, chief], "role_assignments", "person")
    if barrier is not None:
        barrier.wait()
    start = time.monotonic()
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
        record_delivery(case=case, by=clerk, method="window", on=D(2025, 10, 14))
        services.complete_case(case=case, by=clerk, on=D(2025, 10, 14))
    return TRANSITIONS * n, start, time.monotonic()


class Raw:
    """The same writes with the bare driver, in the same tables."""

    def __init__(self, case_template, tag="0"):
        self.t = case_template
        self.prefix = f"RAW{tag}-"
        self.chain = str(case_template.center_id)  # the writer's center: its audit chain
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
            # The chain's append protocol on PostgreSQL: the center's chain lock and head in
            # one call (without the lock, concurrent appends would fork the chain).
            cur.execute("SELECT zwfw_audit_chain_head(%s)", [self.chain])
        else:
            cur.execute(
                "SELECT hash FROM core_auditevent WHERE chain = ? ORDER BY id DESC LIMIT 1",
                [self.chain],
            )
        row = cur.fetchone()
        prev = (row and row[0]) or "0" * 64
        self.seq += 1
        now = timezone.now()
        digest = crypto.sm3(f"{prev}|{obj_id}|{action}|{self.seq}|{now}".encode())
        cur.execute(
            self.q(
                "INSERT INTO core_auditevent (chain, created_at, actor_id, actor_name, actor_role, "
                "actor_department, action, object_type, object_id, object_repr, before, after, ip, "
                "prev_hash, hash) VALUES (?, ?, NULL, '测试员', 'window_staff', '青岚市公安局', ?, "
                "'cases.Case', ?, ?, '{\"status\": \"x\"}', '{\"status\": \"y\"}', '', ?, ?)"
            ),
            [self.chain, now, action, str(obj_id), str(obj_id), prev, digest],
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
                "opinion, closed_reason, updated_at, applicant_name_given, step_plan) VALUES (?, ?, 1, "
                "?, ?, ?, ?, '5678', '', '', '', 'window', 'final', 'received', ?, ?, ?, ?, '', "
                "'', 20, 0, 0, 0, ?, ?, 5, 'green', '', '', '', '', ?, '', '[]') RETURNING id"
            ),
            [
                f"{self.prefix}{i:07d}",
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
        cur.execute(
            self.q(
                "INSERT INTO cases_intakereceipt (case_id, issued_at, received, missing) "
                "VALUES (?, ?, ?, ?)"
            ),
            [
                case_id,
                now,
                '[{"name": "申请书", "form": "paper"}, {"name": "营业执照", "form": "paper"}]',
                "[]",
            ],
        )
        self.event_and_sms(cur, case_id, "receive", "", "received")
        return case_id

    def document(self, cur, case_id):
        """decide: the center's decision number (counter row lock) and the document."""
        cur.execute(
            self.q(
                "UPDATE cases_decisionnumbercounter SET last = last + 1 "
                "WHERE center_id = ? AND year = 2025 RETURNING last"
            ),
            [self.t.center_id],
        )
        seq = cur.fetchone()[0]
        cur.execute(
            self.q(
                "INSERT INTO cases_decisiondocument (case_id, kind, center_id, year, seq, number, "
                "issued_on, created_at) VALUES (?, 'approve', ?, 2025, ?, ?, ?, ?)"
            ),
            [case_id, self.t.center_id, seq, f"{self.prefix}许决{seq:05d}", DAY, timezone.now()],
        )
        self.audit(cur, case_id, "issue_decision_document")

    def deliver(self, cur, case_id):
        cur.execute(
            self.q(
                "INSERT INTO cases_delivery (case_id, method, tracking_number, note, "
                "delivered_on, recorded_at, recorded_by_id) VALUES (?, 'window', '', '', ?, ?, NULL)"
            ),
            [case_id, DAY, timezone.now()],
        )
        now = timezone.now()
        cur.execute(
            self.q(
                'INSERT INTO cases_caseevent (case_id, at, "on", action, from_status, to_status, '
                "actor_id, actor_name, text, public) VALUES (?, ?, ?, ?, ?, ?, NULL, '测试员', ?, ?)"
            ),
            [case_id, now, DAY, "deliver", "decided", "decided", "决定文书已窗口领取", True],
        )
        self.audit(cur, case_id, "deliver_case")

    def step(self, cur, case_id, before, after, sets):
        cur.execute(
            self.q(
                f"UPDATE cases_case SET status = ?, {sets}, updated_at = ? "
                "WHERE id = ? AND status = ?"
            ),
            [after, timezone.now(), case_id, before],
        )
        assert cur.rowcount == 1
        if after == "decided":
            self.document(cur, case_id)
        self.event_and_sms(cur, case_id, after, before, after)

    def run(self, n, barrier=None):
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
        if barrier is not None:
            barrier.wait()
        start = time.monotonic()
        for i in range(n):
            cur.execute(self.begin)
            case_id = self.intake(cur, i)
            cur.execute("COMMIT")
            self.send(cur)
            for before, after, sets in steps:
                if after == "completed":
                    cur.execute(self.begin)
                    self.deliver(cur, case_id)
                    cur.execute("COMMIT")
                cur.execute(self.begin)
                self.step(cur, case_id, before, after, sets)
                cur.execute("COMMIT")
                self.send(cur)
        end = time.monotonic()
        self.db.close()
        return TRANSITIONS * n, start, end


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


def _child(job, args, barrier, out):
    """One writer process: its own connection (Django's or the raw driver's)."""
    from django.db import connections

    connections.close_all()  # never share the parent's socket
    try:
        if job == "service":
            out.put(service_path(*args, barrier=barrier))
        else:
            from zwfw.cases.models import Case

            n, tag, center_id = args
            template = Case.objects.filter(center_id=center_id).order_by("id").first()
            out.put(Raw(template, tag).run(n, barrier=barrier))
    except BaseException as exc:  # the parent reports it
        out.put(exc)
        raise
    finally:
        connections.close_all()


def parallel(job, writers, n, run, places, centers):
    """`writers` processes at once, each in its own center, `n` cases each: transitions/s
    from the first start to the last end."""
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(writers), ctx.Queue()
    procs = []
    for w in range(writers):
        if job == "service":
            args = (n, w, run * 10 + writers, *places[w])  # applicants of their own
        else:
            args = (n, f"{writers}.{w}.{run}", centers[w])  # case numbers of their own
        procs.append(ctx.Process(target=_child, args=(job, args, barrier, out)))
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    for r in results:
        if isinstance(r, BaseException):
            raise r
    done = sum(r[0] for r in results)
    return done / (max(r[2] for r in results) - min(r[1] for r in results))


def main():
    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite (WAL)"
    counts = sorted({int(w) for w in ARGS.writers.split(",") if w.strip()})
    if connection.vendor != "postgresql":
        counts = [1]  # SQLite has one writer at a time by design
    places = setup(max(counts))
    from zwfw.cases.models import Case
    from zwfw.catalog.models import ServiceItem

    centers = [ServiceItem.objects.get(pk=p[0]).department.center_id for p in places]
    print(
        f"== {label}: {ARGS.cases} cases × {TRANSITIONS} transitions per measurement, "
        f"writers {counts}, {ARGS.runs} paired run(s) =="
    )
    rates: dict[int, list[tuple[float, float]]] = {w: [] for w in counts}
    for run in range(ARGS.runs):
        for w in counts:
            n = max(1, ARGS.cases // w)
            orm = parallel("service", w, n, run, places, centers)
            raw = parallel("raw", w, n, run, places, centers)
            rates[w].append((orm, raw))
            print(
                f"run {run + 1} writers {w}: service {orm:7.0f}/s  raw {raw:7.0f}/s  "
                f"ratio {orm / raw:5.2f}",
                flush=True,
            )
    med = statistics.median
    print(f"{'writers':>8} {'service/s':>10} {'raw/s':>10} {'ratio':>6}   (medians)")
    for w in counts:
        orm, raw = med(r[0] for r in rates[w]), med(r[1] for r in rates[w])
        ratio = med(r[0] / r[1] for r in rates[w])
        print(f"{w:>8} {orm:>10.0f} {raw:>10.0f} {ratio:>6.2f}")
    if len(counts) > 1:
        lo, hi = counts[0], counts[-1]
        s_orm = med(r[0] for r in rates[hi]) / med(r[0] for r in rates[lo])
        s_raw = med(r[1] for r in rates[hi]) / med(r[1] for r in rates[lo])
        print(
            f"scaling {lo}→{hi} writers: service ×{s_orm:.2f}, raw ×{s_raw:.2f} "
            f"(service's scaling / raw's: {s_orm / s_raw:.2f})"
        )
    if not ARGS.skip_million:
        template = Case.objects.order_by("id").first()
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
                "--writers",
                ARGS.writers,
                "--runs",
                str(ARGS.runs),
            ] + (["--skip-million"] if ARGS.skip_million else [])
            env = {**os.environ, "BENCH_PG_URL": f"{base[0]}/{bench_db}"}
            subprocess.run(argv, env=env, check=True)
        finally:
            with psycopg.connect(admin_url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
