"""Benchmark: working-day arithmetic against chinese-calendar (ARCHITECTURE.md, Performance).

    .venv/bin/python bench/workdays.py [--calls 100000] [--reference-calls 2000] [--rounds 5]

Times `add_workdays` and `count_workdays` on random calls (2004–2026, the years
chinese-calendar covers), first on one in-memory snapshot (`calendar.current()`), then
through the module functions other apps call (with their reload check), against
chinese-calendar's `find_workday` and `get_workdays` on the first calls of the same sample.
chinese-calendar walks day by day, so it runs on fewer calls; rates are per second either
way. Every reference call's answer is compared with ours.

Semantics (API.md): add_workdays(start, n) is the n-th working day after start, start never
counted. chinese-calendar's find_workday(n, d) counts a working day d itself as step 0 and,
from a non-working d, the next working day as step 0; so
add_workdays(start, n) == find_workday(n - 1, start + 1 day). count_workdays(a, b) counts
(a, b], i.e. len(get_workdays(a + 1 day, b)).

The calendar is read from a private SQLite database migrated on the fly (set
BENCH_DATABASE_URL to use another), so the bench never touches the project's database.
"""

import argparse
import atexit
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.mkdtemp(prefix="bench_workdays_")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")

import django  # noqa: E402

django.setup()

import chinese_calendar  # noqa: E402
from django.core.management import call_command  # noqa: E402

from zwfw.workdays import calendar  # noqa: E402

ONE_DAY = datetime.timedelta(days=1)
FIRST = datetime.date(2004, 1, 1)
LAST_START = datetime.date(2025, 12, 31)  # add results stay inside 2026


def sample(calls: int, seed: int = 2026):
    rng = random.Random(seed)
    span = (LAST_START - FIRST).days
    adds, counts = [], []
    for _ in range(calls):
        start = FIRST + datetime.timedelta(days=rng.randrange(span))
        adds.append((start, rng.randint(1, 250)))
        a = FIRST + datetime.timedelta(days=rng.randrange(span))
        counts.append((a, a + datetime.timedelta(days=rng.randint(0, 365))))
    return adds, counts


def rate(func, args, rounds: int) -> float:
    """Median calls per second over `rounds` passes."""
    timings = []
    for _ in range(rounds):
        begin = time.perf_counter()
        for a, b in args:
            func(a, b)
        timings.append(time.perf_counter() - begin)
    return len(args) / statistics.median(timings)


def cc_add(start, n):
    return chinese_calendar.find_workday(n - 1, start + ONE_DAY)


def cc_count(a, b):
    return len(chinese_calendar.get_workdays(a + ONE_DAY, b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--reference-calls", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", "workdays", verbosity=0)
    adds, counts = sample(args.calls)
    snapshot = calendar.current()
    ref_adds, ref_counts = adds[: args.reference_calls], counts[: args.reference_calls]

    mismatches = sum(snapshot.add_workdays(s, n) != cc_add(s, n) for s, n in ref_adds)
    mismatches += sum(snapshot.count_workdays(a, b) != cc_count(a, b) for a, b in ref_counts)
    checked = len(ref_adds) + len(ref_counts)

    rows = [
        ("add_workdays (snapshot)", rate(snapshot.add_workdays, adds, args.rounds), len(adds)),
        ("add_workdays (calendar.)", rate(calendar.add_workdays, adds, args.rounds), len(adds)),
        ("chinese_calendar.find_workday", rate(cc_add, ref_adds, 1), len(ref_adds)),
        (
            "count_workdays (snapshot)",
            rate(snapshot.count_workdays, counts, args.rounds),
            len(counts),
        ),
        (
            "count_workdays (calendar.)",
            rate(calendar.count_workdays, counts, args.rounds),
            len(counts),
        ),
        ("chinese_calendar.get_workdays", rate(cc_count, ref_counts, 1), len(ref_counts)),
    ]
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}; rounds: {args.rounds}")
    print(f"{'function':32} {'calls':>8} {'calls/s':>14}")
    for name, per_second, calls in rows:
        print(f"{name:32} {calls:>8} {per_second:>14,.0f}")
    add_ratio = rows[0][1] / rows[2][1]
    count_ratio = rows[3][1] / rows[5][1]
    print(f"ratio add   (snapshot / find_workday): {add_ratio:,.0f}x")
    print(f"ratio count (snapshot / get_workdays): {count_ratio:,.0f}x")
    print(
        f"module functions keep {rows[1][1] / rows[0][1]:.0%} (add) and "
        f"{rows[4][1] / rows[3][1]:.0%} (count) of the snapshot's speed"
    )
    print(f"identical answers: {checked - mismatches}/{checked} reference calls")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
