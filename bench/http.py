"""Benchmark: the reads people wait on, over HTTP through gunicorn with the production
settings, each next to /healthz in the same run (issue 17 point 1).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/http.py [--cases 1000000] [--seconds 10] [--connections 16]

What it does, in one run:
- data: `bench/datagen.py` makes (or reuses) the PostgreSQL database <name>_bench_<cases> (the one
  the other benches use; `--db` names another) with `--cases` generated cases over four centers (`--demo`: the demo city of
  `manage.py load_demo` instead, in zwfw_bench_http_demo);
- the reader: a department admin of the department with the most cases (its whole scope is
  that department, as a clerk's), with 16 API tokens (token auth, core.auth_api) and 16
  logged-in sessions (a cookie for pages), 2,000 of its cases picked at random;
- gunicorn (`--workers`, by default one sync worker per core) with DEBUG off, the settings
  module as deployed (bench/floor_settings.py: zwfw.settings with two reference URLs
  appended; REDIS_URL, when set, moves sessions and the cache to Redis as deployed), and the
  public query's per-address limit raised (every request comes
  from 127.0.0.1; the counter is still counted, in the database as without REDIS_URL);
- wrk (`--connections`, 2 threads, a warm-up of 2 s, then `--seconds` each, bench/http.lua
  choosing a random case and a random credential per request) against: /healthz (no
  query), GET /api/v1/cases/{number}, GET /api/v1/cases?page_size=50&department=…,
  GET /api/v1/cases?overdue=true, the public progress page, the staff case page, the staff
  home page, and a mix of case reads with 10 % intakes (POST /api/v1/cases: a case, its
  materials, its event, its audit row and its SMS in one transaction), and two floors
  (bench/floor_urls.py): a plain Django view reading one row by key without authentication
  (the reference the issue gives for the detail's aim), and a page with the session's user,
  one row and the base template: what the stack costs before the platform does anything;
- prints requests/s, p50 and p99 latency, and each figure's ratio to /healthz, against the
  issue's aims (case detail ≥ 0.40, case list ≥ 0.25, pages ≥ 0.20 of /healthz; p99 < 100 ms
  for every read at 16 connections).

The machine is shared by everything else running on it (the database too), so compare the
ratios of one run rather than absolute figures across runs. Without wrk (Debian package
`wrk`; `make bench` installs it as root) or without PostgreSQL the bench says so and stops.
The mix's intakes stay in the bench database (a few hundred cases per run).
"""

import sys  # noqa: I001 (first: the next line must run before any stdlib import of `http`)

# This file is bench/http.py: with bench/ first on sys.path, `import http.client` (urllib,
# Django) would find it instead of the standard library's package.
sys.path[:] = [p for p in sys.path if not p or not p.rstrip("/").endswith("/bench")]

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
LUA = ROOT / "bench" / "http.lua"
PREFIX = "zwfw_bench_http"

# (name, kind, aim as a ratio to /healthz or None)
SCENARIOS = [
    ("/healthz", "health", None),
    ("case detail  GET /api/v1/cases/{number}", "detail", 0.40),
    ("case list    GET /api/v1/cases?page_size=50&department=…", "list", 0.25),
    ("overdue      GET /api/v1/cases?overdue=true", "overdue", 0.25),
    ("public progress page  /public/cases/?number=…", "public", 0.20),
    ("staff case page  /cases/{number}/", "page", 0.20),
    ("staff home page  /", "home", 0.20),
    ("mix: case detail + 10 % intakes (POST /api/v1/cases)", "mix", None),
    # What the stack itself costs (bench/floor_urls.py), for reading the aims above.
    ("floor: one row by key, plain Django view, no auth", "floor_row", None),
    ("floor: session user, one row, base template", "floor_page", None),
]


def _parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1_000_000, help="generated cases (datagen)")
    p.add_argument("--demo", action="store_true", help="the demo city instead of datagen")
    p.add_argument(
        "--db", default="", help="bench database name (default: datagen's, shared by the benches)"
    )
    p.add_argument("--seconds", type=int, default=10, help="wrk duration per endpoint")
    p.add_argument("--connections", type=int, default=16)
    # One sync worker per core. 2 x cores + 1 (docs/deployment.md, for a node without the
    # database and wrk on it) was measured here: /healthz fell from 2,457 to 913 req/s and
    # the case detail from 225 to 160 (the ratio rose only because /healthz fell).
    workers = os.cpu_count() or 1
    p.add_argument("--workers", type=int, default=workers, help="gunicorn workers")
    p.add_argument("--only", default="", help="comma-separated kinds, e.g. health,detail")
    return p.parse_args()


def _skip(why: str) -> None:
    print(f"bench/http.py skipped: {why}")
    sys.exit(0)


def _run(cmd, **kw):
    return subprocess.run(cmd, cwd=str(ROOT), check=True, **kw)


def _demo_database(base_url: str) -> str:
    """The demo city in zwfw_bench_http_demo (made once: migrate + load_demo)."""
    import psycopg

    base = base_url.rsplit("/", 1)[0]
    url = f"{base}/{PREFIX}_demo"
    conninfo = f"{base}/postgres".replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{PREFIX}_demo"])
        if exists.fetchone() is None:
            c.execute(f'CREATE DATABASE "{PREFIX}_demo"')
    env = dict(os.environ, DATABASE_URL=url)
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    probe = "from zwfw.cases.models import Case; print(Case.objects.exists())"
    has_cases = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=str(ROOT),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if has_cases != "True":
        _run([sys.executable, "manage.py", "load_demo"], env=env, stdout=subprocess.DEVNULL)
    return url


# --- fixtures read and made in-process (Django set up on the bench database) ----------------


def _id_number(rng: random.Random) -> str:
    from zwfw.core.validators import id_number_check_digit

    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
    first17 = f"370302{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_number_check_digit(first17)


def _fixtures(workdir: Path, connections: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    from zwfw.cases.services.intake import _checklist
    from zwfw.catalog.models import ServiceItem as Item
    from zwfw.core import services
    from zwfw.org.models import Department, RoleAssignment

    with connection.cursor() as cur:
        # The department with the most cases: the reader is one of its admins.
        cur.execute(
            "SELECT department_id, count(*) FROM cases_case GROUP BY department_id "
            "ORDER BY 2 DESC LIMIT 1"
        )
        department_id, department_cases = cur.fetchone()
        cur.execute("SELECT count(*) FROM cases_case")
        total = cur.fetchone()[0]
        cur.execute(
            "SELECT number, phone_last4 FROM cases_case WHERE department_id = %s "
            "ORDER BY random() LIMIT 2000",
            [department_id],
        )
        sample = cur.fetchall()
    department = Department.objects.get(pk=department_id)
    role = (
        RoleAssignment.objects.filter(role="department_admin", department=department)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if role is None:
        raise SystemExit(f"no department admin in {department.code}")
    user = role.user
    tokens = [services._store_token(user)[0] for _ in range(connections)]
    cookies = []
    # The deployed store: the database, or Redis when REDIS_URL is set.
    SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    for _ in range(connections):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    item = next(
        i
        for i in Item.objects.filter(department=department, active=True).order_by("code")
        if _checklist(i)
    )
    materials = [{"name": m.name, "form": "paper"} for m in _checklist(item)]
    rng = random.Random(17)
    bodies = [
        json.dumps(
            {
                "item": item.code,
                "channel": "window",
                "applicant": {
                    "kind": "person",
                    "name": f"压测申请人{n:04d}",
                    "id_number": _id_number(rng),
                    "phone": f"139{rng.randrange(10**8):08d}",
                },
                "materials": materials,
            },
            ensure_ascii=False,
        )
        for n in range(500)
    ]

    def write(name: str, lines: list[str]) -> str:
        path = workdir / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    numbers = [n for n, _ in sample]
    return {
        "total": total,
        "department": department.code,
        "department_cases": department_cases,
        "user": user.username,
        "item": item.code,
        "files": {
            "health": write("health.txt", ["/healthz"]),
            "detail": write("detail.txt", [f"/api/v1/cases/{n}" for n in numbers]),
            "list": write("list.txt", [f"/api/v1/cases?page_size=50&department={department.code}"]),
            "overdue": write("overdue.txt", ["/api/v1/cases?overdue=true"]),
            "public": write(
                "public.txt",
                [f"/public/cases/?number={n}&phone_last4={last4}" for n, last4 in sample],
            ),
            "page": write("page.txt", [f"/cases/{n}/" for n in numbers]),
            "floor_row": write("floor_row.txt", [f"/floor/row/{n}" for n in numbers]),
            "floor_page": write("floor_page.txt", [f"/floor/page/{n}" for n in numbers]),
            "home": write("home.txt", ["/"]),
            "tokens": write("tokens.txt", [f"Authorization: Bearer {t}" for t in tokens]),
            "cookies": write(
                "cookies.txt", [f"Cookie: {settings.SESSION_COOKIE_NAME}={c}" for c in cookies]
            ),
            "bodies": write("bodies.txt", bodies),
        },
    }


# --- gunicorn and wrk -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        # Every wrk request comes from 127.0.0.1: the per-address limit of the public query
        # would answer 429 after 20. The counter itself still runs (one UPSERT per query).
        CASES_PUBLIC_QUERY_COUNT=str(10**9),
        # zwfw.settings with the floors' two URLs appended (bench/floor_settings.py).
        DJANGO_SETTINGS_MODULE="bench.floor_settings",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    cmd = [str(gunicorn), "zwfw.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, start_new_session=True)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the login page) is the answer checked, not followed


_OPENER = urllib.request.build_opener(_NoRedirect)


def _check(port: int, path: str, header: str, body: str = "") -> None:
    """One request before and after measuring an endpoint: a bench of error pages or of
    redirects to the login page (wrk counts neither as an error) would measure nothing."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if header:
        name, _, value = header.partition(": ")
        request.add_header(name, value)
    if body:
        request.data = body.encode()
        request.add_header("Content-Type", "application/json")
    try:
        with _OPENER.open(request, timeout=30) as r:
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        print(exc.read()[:500].decode("utf-8", "replace"))
    if status >= 300:
        raise SystemExit(f"{path} answered {status}")


def _wrk(port: int, seconds: int, connections: int, args: list[str]) -> dict:
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
    cmd += ["-s", str(LUA), f"http://127.0.0.1:{port}", "--", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def _drain(port: int) -> None:
    """Wait for the requests wrk left queued (it stops at its deadline, the workers do not)
    so they do not slow the next endpoint's figures: a /healthz sent now is answered after
    them."""
    for _ in range(3):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=120).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)


def _args_for(kind: str, files: dict) -> list[str]:
    if kind == "health":
        return [files["health"], ""]
    if kind in ("detail", "list", "overdue"):
        return [files[kind], files["tokens"]]
    if kind == "public":
        return [files["public"], ""]
    if kind in ("page", "home", "floor_page"):
        return [files[kind], files["cookies"]]
    if kind == "floor_row":
        return [files[kind], ""]
    return [files["detail"], files["tokens"], files["bodies"], "/api/v1/cases", "0.10"]


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} at the start"


def main():
    a = _parse()
    if shutil.which("wrk") is None:
        _skip("wrk is missing (Debian package `wrk`; `make bench` installs it as root)")
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        _skip("set DATABASE_URL=postgres://… (the bench measures PostgreSQL, as deployed)")
    started = time.perf_counter()
    if a.demo:
        url = _demo_database(base_url)
    else:
        from bench import datagen

        url = datagen.prepare(cases=a.cases, name=a.db)
        datagen.use(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
    workdir = Path(tempfile.mkdtemp(prefix="bench_http_"))
    try:
        fx = _fixtures(workdir, a.connections)
        print(
            f"data: {fx['total']:,} cases in {url.rsplit('/', 1)[1]} (ready in "
            f"{time.perf_counter() - started:.0f} s); reader {fx['user']}, department "
            f"{fx['department']} ({fx['department_cases']:,} cases); intakes of item {fx['item']}",
            flush=True,
        )
        files = fx["files"]
        port = _free_port()
        proc = _start_gunicorn(url, port, a.workers)
        try:
            tokens = Path(files["tokens"]).read_text().splitlines()
            cookies = Path(files["cookies"]).read_text().splitlines()
            first = Path(files["detail"]).read_text().splitlines()[0]
            number = first.rsplit("/", 1)[1]
            checks = {
                "health": ("/healthz", ""),
                "detail": (first, tokens[0]),
                "list": (f"/api/v1/cases?page_size=50&department={fx['department']}", tokens[0]),
                "overdue": ("/api/v1/cases?overdue=true", tokens[0]),
                "public": (Path(files["public"]).read_text().splitlines()[0], ""),
                "page": (f"/cases/{number}/", cookies[0]),
                "home": ("/", cookies[0]),
                "floor_row": (f"/floor/row/{number}", ""),
                "floor_page": (f"/floor/page/{number}", cookies[0]),
            }
            checks["mix"] = checks["detail"]
            for path, header in checks.values():
                _check(port, path, header)
            only = {k for k in a.only.split(",") if k}
            results = []
            print(
                f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {_machine()}; "
                f"gunicorn {a.workers} sync workers, DEBUG off; wrk 2 threads, "
                f"{a.connections} connections, {a.seconds} s each after 2 s of warm-up",
                flush=True,
            )
            for title, kind, aim in SCENARIOS:
                if only and kind not in only and kind != "health":
                    continue
                args = _args_for(kind, files)
                _wrk(port, 2, a.connections, args)  # warm-up: connections, plans, caches
                r = _wrk(port, a.seconds, a.connections, args)
                results.append((title, kind, aim, r))
                _drain(port)
                _check(port, *checks[kind])
                print(
                    f"  measured {kind}: {r['rps']:.0f} req/s, p50 {r['p50_ms']:.1f} ms, "
                    f"p99 {r['p99_ms']:.1f} ms",
                    flush=True,
                )
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _report(results, a.connections)


def _report(results, connections: int) -> None:
    health = next(r for _, kind, _, r in results if kind == "health")["rps"]
    head = f"{'':58} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}  aim"
    print()
    print(head)
    print("-" * len(head))
    for title, kind, aim, r in results:
        ratio = r["rps"] / health
        target = ""
        if aim is not None:
            ok = ratio >= aim and r["p99_ms"] < 100
            target = f"≥ {aim:.2f}, p99 < 100 ms: {'met' if ok else 'NOT met'}"
        notes = []
        if r["http_errors"] or r["socket_errors"]:
            notes.append(f"{r['http_errors']} HTTP ≥ 400, {r['socket_errors']} socket errors")
        if kind == "mix":
            notes.append(f"{r['writes']} intakes of {r['requests']} requests")
        print(
            f"{title[:58]:58} {r['rps']:7.0f} {r['p50_ms']:7.1f} {r['p99_ms']:7.1f} "
            f"{ratio:6.2f}  {target}{'; '.join(notes)}"
        )
    print(f"(ratios to /healthz in this run; {connections} connections)")


if __name__ == "__main__":
    main()
