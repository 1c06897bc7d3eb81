"""Benchmark: a calendar edit with a million open cases (L-CAL, issue 17 point 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/recompute.py [--open 1000000] [--batch 2000] [--fresh] [--drop]

On PostgreSQL only. The database `zwfw_bench_recompute` (next to DATABASE_URL's) comes from
bench/datagen.py (organisation, residents, 20,000 cases in every state) plus `--open` open
cases made by one INSERT … SELECT over generate_series: accepted (75 %), paused (10 %) and
received (15 %) ones, accepted over the last four weeks, so nearly all their 20-working-day
clocks end after 1 December. It is kept for the next run (`--fresh` rebuilds it, `--drop`
drops it at the end).

One run:
1. a writer thread takes a case row lock, updates the case and appends an audit event (the
   shape of a transition) every 100 ms, for 5 s alone (the baseline), then on throughout;
   half of its targets are the rows just ahead of the job's cursor (the batch it is about to
   lock), half random open cases;
2. `workdays.services.set_year` edits this year's calendar: 1 December becomes a holiday
   (or stops being one: runs alternate, so each run moves nearly every due date);
3. the job it queued runs in this process as a Huey worker would (`recompute.step` in a loop,
   each batch timed) until done;
4. 2,000 random open cases are recomputed from scratch with the calendar as committed and
   compared with their stored clock.

It prints the edit's own transaction time, the whole recompute (rows/s), the slowest batch,
the writer's slowest and 99th percentile transaction during the job next to its baseline,
and the check's mismatches (must be 0). Aims: whole recompute < 2 min for 1 M open cases, no
other write waits more than 1 s.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not bench/ itself: bench/http.py would shadow the standard library's http package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import datagen  # noqa: E402

NAME = "zwfw_bench_recompute"
BASE_CASES = 20_000
META = "bench_recompute"
EDIT_DAY = (12, 1)


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--open", type=int, default=1_000_000, help="open cases (default 1 M)")
    p.add_argument("--batch", type=int, default=0, help="rows per batch (default: the app's)")
    p.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    p.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    p.add_argument(
        "--no-vacuum",
        action="store_true",
        help="keep the dead rows of earlier runs (vacuumed by default: see _vacuum)",
    )
    return p.parse_args()


def _add_open_cases(n: int) -> None:
    """`n` open cases in one INSERT … SELECT, indexes dropped and rebuilt around it."""
    from django.db import connection

    from zwfw.cases.models import Case

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META} (open_cases integer)")
        cur.execute(f"SELECT open_cases FROM {META}")
        row = cur.fetchone()
        if row and row[0] == n:
            print(f"recompute: reusing {n:,} open cases", flush=True)
            return
        if row:
            raise SystemExit(f"{NAME} holds {row[0]:,} bench cases: run with --fresh")
        cur.execute(
            "SELECT id FROM cases_case WHERE status = 'accepted' AND accepted_on IS NOT NULL "
            "ORDER BY id LIMIT 1"
        )
        template = cur.fetchone()[0]
        start = time.perf_counter()
        recreate = datagen._drop_secondary(cur, "cases_case")
        today = datetime.date.today()
        # mod(g, 20): 75 % accepted, 10 % paused, 15 % received; accepted 0–27 days ago.
        status = (
            "CASE WHEN mod(g, 20) < 15 THEN 'accepted' WHEN mod(g, 20) < 17 THEN 'paused' "
            "ELSE 'received' END"
        )
        accepted = f"(DATE '{today}' - 1 - mod(g, 28))"
        exprs = {
            "number": "'RC' || lpad(g::text, 9, '0')",
            "status": status,
            "received_at": f"{accepted}::timestamp + interval '9 hours'",
            "materials_complete_on": accepted,
            "acceptance_deadline": f"{accepted} + 7",
            "accepted_on": f"CASE WHEN mod(g, 20) < 17 THEN {accepted} END",
            "accepted_at": f"CASE WHEN mod(g, 20) < 17 THEN {accepted}::timestamp END",
            "limit_days": "20",
            "paused_since": f"CASE WHEN mod(g, 20) IN (15, 16) THEN DATE '{today}' - 1 END",
            "due_date": f"{accepted} + 28",
            "remaining_workdays": "10",
            "alert_level": "'green'",
            "clock_read_on": f"DATE '{today}'",
            "decided_on": "NULL",
            "completed_on": "NULL",
        }
        copied = []
        for f in Case._meta.concrete_fields:
            if f.primary_key or f.column in exprs:
                continue
            copied.append(f.column)
        columns = ", ".join(f'"{c}"' for c in [*exprs, *copied])
        values = ", ".join([*exprs.values(), *(f't."{c}"' for c in copied)])
        # FK triggers off for the load (the values come from an existing case).
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            f"INSERT INTO cases_case ({columns}) SELECT {values} "
            "FROM cases_case t, generate_series(1, %s) g WHERE t.id = %s",
            [n, template],
        )
        cur.execute("SET session_replication_role = DEFAULT")
        print(f"recompute: {n:,} open cases inserted in {time.perf_counter() - start:.0f} s")
        for sql in recreate:
            cur.execute(sql)
        cur.execute("ANALYZE cases_case")
        cur.execute(f"INSERT INTO {META} VALUES (%s)", [n])
        print(f"recompute: indexes rebuilt, {time.perf_counter() - start:.0f} s", flush=True)


def _vacuum() -> None:
    """Each run rewrites about a million case rows; this server runs without autovacuum, so
    without a VACUUM every run would find the dead rows of all the runs before it (and be
    slower than the last one: 96 s, then 129 s, for the same code). A production table has
    autovacuum: the run starts from a vacuumed table."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cur:
        for table in ("cases_case", "cases_caseevent", "core_auditevent"):
            cur.execute(f"VACUUM ANALYZE {table}")
    print(f"recompute: vacuumed in {time.perf_counter() - start:.0f} s", flush=True)


class Writer(threading.Thread):
    """A transition-shaped write every 100 ms: lock a case, update it, one audit event."""

    def __init__(self, ids: list[int]):
        super().__init__(daemon=True)
        self.ids = ids
        self.job_id = None
        self.samples: list[tuple[float, float, str]] = []  # (at, seconds, target kind)
        self.stop = threading.Event()

    def run(self):
        from django.db import connections, transaction
        from django.utils import timezone

        from zwfw.cases.models import Case
        from zwfw.core import audit
        from zwfw.workdays.models import CalendarRecompute

        rnd = random.Random(7)
        try:
            while not self.stop.is_set():
                kind, target = "random", rnd.choice(self.ids)
                if self.job_id is not None and rnd.random() < 0.5:
                    cursor = (
                        CalendarRecompute.objects.filter(pk=self.job_id)
                        .values_list("cursor", flat=True)
                        .first()
                    )
                    kind, target = "ahead", (cursor or 0) + rnd.randint(1, 1500)
                t = time.perf_counter()
                with transaction.atomic():
                    case = Case.objects.select_for_update().filter(pk=target).first()
                    if case is not None:
                        Case.objects.filter(pk=target).update(updated_at=timezone.now())
                        audit.record(
                            actor=None,
                            action="bench_touch_case",
                            obj=case,
                            after={"bench": True},
                        )
                self.samples.append((time.time(), time.perf_counter() - t, kind))
                self.stop.wait(0.1)
        finally:
            connections.close_all()


def _check(sample: int) -> int:
    """Stored clocks of `sample` random open cases against a from-scratch computation."""
    from django.utils import timezone

    from zwfw.cases import conf
    from zwfw.cases.models import Case
    from zwfw.cases.services.base import refresh_clock
    from zwfw.cases.services.timing import CLOCK_FIELDS, RECOMPUTE_FIELDS, RECOMPUTE_STATES
    from zwfw.workdays import loader

    cal = loader.load()
    today = timezone.localdate()
    ids = list(
        Case.objects.filter(status__in=RECOMPUTE_STATES)
        .order_by("?")
        .values_list("id", flat=True)[:sample]
    )
    bad = 0
    fields = ["acceptance_deadline", *CLOCK_FIELDS]
    for case in Case.objects.filter(id__in=ids).only(*RECOMPUTE_FIELDS):
        stored = [getattr(case, f) for f in fields]
        if case.status == "received":
            case.acceptance_deadline = cal.add_workdays(
                case.materials_complete_on, conf.accept_days()
            )
        refresh_clock(case, today, cal)
        bad += stored != [getattr(case, f) for f in fields]
    return bad


def main():
    args = _parse()
    base, _ = datagen._split(datagen._base_url())
    url = f"{base}/{NAME}"
    if args.fresh:
        datagen.drop(url)
    url = datagen.prepare(cases=BASE_CASES, name=NAME)
    datagen.use(url)
    os.environ["HUEY_IMMEDIATE"] = "1"  # nothing goes to a queue: the job runs here
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from zwfw.cases.models import Case
    from zwfw.cases.services.timing import RECOMPUTE_STATES
    from zwfw.workdays import loader, recompute, services
    from zwfw.workdays.models import CalendarRecompute

    _add_open_cases(args.open)
    if not args.no_vacuum:
        _vacuum()
    load = os.getloadavg()
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    today = datetime.date.today()
    year = today.year
    day = datetime.date(year, *EDIT_DAY)
    cal = loader.load()
    holidays = dict(cal.holidays_in(year))
    adjusted = dict(cal.adjusted_workdays_in(year))
    if day in holidays:
        del holidays[day]
        change = f"{day} 不再放假"
    else:
        holidays[day] = "临时休假"
        change = f"{day} 改为放假"
    open_ids = list(Case.objects.filter(status__in=RECOMPUTE_STATES).values_list("id", flat=True))
    print(f"recompute: {len(open_ids):,} open cases; edit: {change}", flush=True)

    writer = Writer(open_ids)
    writer.start()
    time.sleep(5)
    baseline = [s for _, s, _ in writer.samples]

    queued = []
    recompute.enqueue = queued.append  # the worker is this process (below), not Huey
    t0 = time.perf_counter()
    services.set_year(
        by=admin,
        year=year,
        holidays=sorted(holidays.items()),
        adjusted_workdays=sorted(adjusted.items()),
        source=f"bench: {change}",
        reason="bench",
    )
    edit_seconds = time.perf_counter() - t0
    job_id = queued[0]
    writer.job_id = job_id
    job_started = time.time()
    batch_times, sizes = [], []
    snapshot, more = None, True
    size = args.batch or recompute.BATCH_SIZE
    while more:  # what recompute.run does, each batch timed
        t = time.perf_counter()
        job, snapshot, more = recompute.step(job_id, size=size, snapshot=snapshot)
        batch_times.append(time.perf_counter() - t)
        sizes.append(size)
        if not args.batch:
            size = recompute.next_size(size, batch_times[-1])
    total_seconds = time.perf_counter() - t0
    # The last step writes no case: it marks the job done, then (after its commit, holding
    # no case row) recounts the dashboards' open-case rollup.
    finish_seconds = batch_times.pop()
    sizes.pop()
    job_ended = time.time()
    time.sleep(1)
    writer.stop.set()
    writer.join(10)
    during = [(s, k) for at, s, k in writer.samples if job_started <= at <= job_ended + 0.2]
    job = CalendarRecompute.objects.get(pk=job_id)
    bad = _check(2000)

    def ms(x):
        return f"{x * 1000:.0f} ms"

    def p99(values):
        return sorted(values)[max(0, int(len(values) * 0.99) - 1)] if values else 0.0

    waits = [s for s, _ in during]
    ahead = [s for s, k in during if k == "ahead"]
    print()
    print(
        f"PostgreSQL {connection.pg_version // 10000}, {NAME}, {datetime.datetime.now():%Y-%m-%d %H:%M}"
    )
    print(
        f"open cases visited            {job.done:>12,} of {job.total:,} ({job.changed:,} due dates moved)"
    )
    print(f"edit transaction (set_year)   {ms(edit_seconds):>12}")
    print(
        f"whole recompute               {total_seconds:>10.1f} s   "
        f"({job.done / total_seconds:,.0f} cases/s, {job.batches} batches of "
        f"{min(sizes)}–{max(sizes)} rows, median {statistics.median(sizes):.0f})"
    )
    print(
        f"batch transaction             median {ms(statistics.median(batch_times))}, "
        f"slowest {ms(max(batch_times))} (batch {batch_times.index(max(batch_times)) + 1}); "
        f"finish and rollup recount {ms(finish_seconds)}"
    )
    print(
        f"other writer, baseline        median {ms(statistics.median(baseline))}, "
        f"slowest {ms(max(baseline))} ({len(baseline)} writes)"
    )
    if waits:
        print(
            f"other writer, during the job  median {ms(statistics.median(waits))}, "
            f"p99 {ms(p99(waits))}, slowest {ms(max(waits))} ({len(waits)} writes, "
            f"{len(ahead)} on rows just ahead of the cursor: slowest {ms(max(ahead or [0]))})"
        )
    print(f"from-scratch check            {bad} mismatches in 2,000 random open cases")
    now = os.getloadavg()
    print(
        f"load average (1, 5, 15 min)   before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"after {now[0]:.2f} {now[1]:.2f} {now[2]:.2f} ({os.cpu_count()} CPUs)"
    )
    print(
        f"aims: whole < 120 s: {'ok' if total_seconds < 120 else 'MISSED'}; "
        f"writer < 1 s: {'ok' if waits and max(waits) < 1 else 'MISSED'}"
    )
    connection.close()
    if args.drop:
        datagen.drop(url)


if __name__ == "__main__":
    main()
