"""Shared bench data on PostgreSQL: a migrated database with the demo organisation, resident
staff and `cases` generated cases, ratings (好差评) and 12345 tickets, made in SQL. Measured on
the 2-core machine while six other agents loaded it (2026-11-29): 1 M cases in 119 s (cases
45 s, indexes 53 s), 10 M in 992 s (cases 255 s, indexes 610 s); the migrated template is
made once (about 4 minutes) and copied in a second.

    from bench import datagen
    url = datagen.prepare(cases=1_000_000)   # before django.setup()
    datagen.use(url)
    django.setup()

or from the shell (prints the URL; `--fresh` regenerates, `--drop` drops):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zwfw \\
        .venv/bin/python bench/datagen.py --cases 1000000 [--residents 200] [--months 24]

What is in it (the database `<name>_bench_<cases>` next to DATABASE_URL's):
- the demo organisation (zwfw.org/workdays/catalog/grants demo: a city center with six
  departments and 117 items, county and township centers, accounts with the demo password
  `Zwfw@2026`), plus departments with items and windows in the county center 云溪县, the
  district center 白石区 and the township center 桃源镇, so cases spread over four centers;
- `residents` resident staff (account bench<n>, person, posting) spread over the departments;
- applicants (one per four cases) and `cases` cases received over the last `months` months up
  to today: about 60 % in the city center; refused, withdrawn and terminated ones; completed
  ones (about 6 % decided after their due date); and the open ones of recent weeks in every
  state (received, awaiting supplement, accepted, paused, referred, decided), some overdue;
  due dates approximate working days (5 of 7), alert levels as the clock sets them;
- ratings for one completed case in three (online channels, levels mostly 5, about 3 % bad,
  some default ratings) and 12345 tickets for one case in 200 (60 % complaints);
- the case-number counters of today (new intakes do not collide with generated numbers);
- the rollup tables, rebuilt by a full recount after the load when the project has them
  (zwfw.cases.rollups, zwfw.evaluations.rollups).

How it is fast: the generation runs in a child process (the caller's Django is untouched),
FK triggers are off for the session (session_replication_role = replica), the secondary
indexes and unique constraints of the bulk tables are dropped before the load and recreated
after it (parallel maintenance workers), and every bulk table is one INSERT … SELECT over
generate_series joined to small lookup tables. The size is recorded in the table
`bench_datagen`; `reuse` keeps a database that already holds exactly this size.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where bench/http.py would shadow the
# standard library's http package: import from the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

META_TABLE = "bench_datagen"
BULK_TABLES = (
    "cases_applicant",
    "cases_case",
    "evaluations_evaluation",
    "supervision_hotlinefeedback",
)


def _split(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base, (name.split("?", 1)[0] or "zwfw")


def _base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench data live on PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def _connect(url: str, **kw):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), **kw)


def _recorded(url: str):
    """The recorded (cases, residents, months) of a bench database, or None."""
    import psycopg

    try:
        with _connect(url) as c:
            row = c.execute(
                f"SELECT cases, residents, months FROM {META_TABLE} ORDER BY id DESC LIMIT 1"
            ).fetchone()
            return tuple(row) if row else None
    except psycopg.Error:
        return None


def drop(url: str) -> None:
    base, name = _split(url)
    with _connect(f"{base}/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(
    *, cases: int, residents: int = 200, months: int = 24, name: str = "", reuse: bool = True
) -> str:
    """Create (or, with reuse, keep when it already holds exactly this size) a PostgreSQL
    database next to DATABASE_URL's, migrated, with org data, residents, `cases` cases over
    `months` months, ratings and 12345 tickets (see the module docstring). Returns its URL.
    Default name: f"{base}_bench_{cases}"."""
    base_url = _base_url()
    base, dbname = _split(base_url)
    name = name or f"{dbname}_bench_{cases}"
    url = f"{base}/{name}"
    if reuse and _recorded(url) == (cases, residents, months):
        print(f"datagen: reusing {name} ({cases:,} cases)", flush=True)
        _child(url, "migrate")  # new migrations (rollups fill themselves from the rows)
        return url
    drop(url)
    start = time.perf_counter()
    template = f"{dbname}_bench_template"
    signature = _signature()
    if _template_signature(f"{base}/{template}") == signature:
        _create(base, name, template)
        _log(f"{name} copied from {template}", start)
    else:
        _create(base, name)
        _child(url, "org")
        # The migrated database with its organisation is the template of the next sizes.
        drop(f"{base}/{template}")
        _create(base, template, name)
        with _connect(f"{base}/{template}", autocommit=True) as c:
            c.execute("CREATE TABLE bench_datagen_template (signature text)")
            c.execute("INSERT INTO bench_datagen_template VALUES (%s)", [signature])
        _log(f"template {template} saved", start)
    _child(url, "bulk", cases=cases, residents=residents, months=months)
    print(f"datagen: {name} ready in {time.perf_counter() - start:.0f} s", flush=True)
    return url


def _signature() -> str:
    """What the template depends on: the migrations on disk and the generator's org data."""
    import hashlib

    names = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("zwfw/*/migrations/0*.py"))
    return hashlib.sha256(repr((names, EXTRA_ORG)).encode()).hexdigest()[:16]


def _template_signature(url: str):
    import psycopg

    try:
        with _connect(url) as c:
            return c.execute("SELECT signature FROM bench_datagen_template").fetchone()[0]
    except psycopg.Error:
        return None


def _create(base: str, name: str, template: str = "") -> None:
    """CREATE DATABASE (from a template: retried while another session still holds it)."""
    import psycopg

    sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
    for attempt in range(60):
        try:
            with _connect(f"{base}/postgres", autocommit=True) as c:
                c.execute(sql)
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 59:
                raise
            time.sleep(2)


def _child(url: str, phase: str, *, cases=0, residents=0, months=0) -> None:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="zwfw.settings")
    cmd = [sys.executable, "-m", "bench.datagen", "--generate-into", url, "--phase", phase]
    cmd += ["--cases", str(cases), "--residents", str(residents), "--months", str(months)]
    subprocess.run(cmd, env=env, check=True, cwd=str(ROOT))


def use(url: str) -> None:
    """Point Django at url (set DATABASE_URL) before django.setup()."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")


# ---------------------------------------------------------------------------------------------
# The generation (runs in the child process, Django set up on the bench database).

EXTRA_ORG = [  # center code, department code, name, short name, window number, item names
    ("YX", "YXSJ", None, None, "01", ["个体工商户设立登记", "食品经营许可", "药品零售许可"]),
    ("YX", "YXGA", "云溪县公安局", "县公安", "02", ["居民身份证换领", "户口迁移", "出入境证件"]),
    ("BS", "BSSJ", "白石区市场监督管理局", "区市场监管", "01", ["企业设立登记", "食品经营许可"]),
    ("BS", "BSRS", "白石区人力资源和社会保障局", "区人社", "02", ["社会保险登记", "就业登记"]),
    ("YX-TY", "TYMZ", "桃源镇社会事务办公室", "镇社会事务", "01", ["低保申请", "老年人优待证"]),
]
# Share of cases per center level (a city center takes most).
CENTER_WEIGHT = {"QL": 12, "YX": 4, "BS": 3, "YX-TY": 1}


def _log(msg: str, start: float | None = None) -> None:
    took = f" in {time.perf_counter() - start:.1f} s" if start is not None else ""
    print(f"datagen: {msg}{took}", flush=True)


def _literal(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def select_list(model, exprs: dict[str, str]) -> tuple[list[str], list[str]]:
    """The quoted columns and SQL expressions of an INSERT … SELECT of `model`: `exprs` where
    given, else the Django default ('' for text, now() for timestamps; nullable left out)."""
    from django.db import models

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
    return cols, values


def insert_select(cur, model, exprs: dict[str, str], source: str) -> int:
    """INSERT INTO model's table SELECT exprs FROM source (see select_list)."""
    cols, values = select_list(model, exprs)
    cur.execute(
        f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) '
        f"SELECT {', '.join(values)} FROM {source}"
    )
    return cur.rowcount


def _drop_secondary(cur, table: str) -> list[str]:
    """Drop the secondary indexes and unique constraints of `table` (not its primary key);
    return the statements that recreate them."""
    cur.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype = 'u'""",
        [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
        [table],
    )
    indexes = cur.fetchall()
    again = []
    for name, definition in constraints:
        cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        again.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
        again.append(definition)
    return again


def _org(today: datetime.date):
    """The demo organisation plus departments, items and windows in the other centers."""
    import importlib

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from zwfw.catalog import services as catalog_services
    from zwfw.catalog.models import ItemVersion
    from zwfw.org.models import Department, ServiceCenter, Window

    for module in ("zwfw.org.demo", "zwfw.workdays.demo", "zwfw.catalog.demo", "zwfw.grants.demo"):
        start = time.perf_counter()
        with transaction.atomic():
            importlib.import_module(module).load()
        _log(f"{module}", start)
    admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    centers = {c.code: c for c in ServiceCenter.objects.all()}
    n = 0
    with transaction.atomic():
        for center_code, code, name, short, window, items in EXTRA_ORG:
            center = centers[center_code]
            department = Department.objects.filter(code=code).first()
            if department is None:
                department = Department.objects.create(
                    code=code, name=name, short_name=short, center=center, region=center.region
                )
            elif department.center_id is None:
                department.center = center
                department.save(update_fields=["center"])
            w, _ = Window.objects.get_or_create(
                center=center,
                number=f"{code[-2:]}{window}",
                defaults={"name": f"{department.short_name or department.name}窗口"},
            )
            w.department = department
            w.save(update_fields=["department"])
            w.departments.add(department)
            for i, item_name in enumerate(items, start=1):
                n += 1
                item = catalog_services.create_item(
                    by=admin,
                    department=department,
                    data={
                        "code": f"{code}-B{i:03d}",
                        "name": item_name,
                        "handling_name": "新办",
                        "item_type": "license",
                        "legal_basis": "《中华人民共和国行政许可法》",
                        "legal_limit_days": 20,
                        "promised_limit_days": 5 + 3 * i,
                        "immediate": False,
                        "high_frequency": True,
                        "chief_list_included": True,
                        "fee": "不收费",
                        "conditions": "符合法定条件",
                        "materials": [
                            {"name": "申请书", "required": True, "original": True, "copies": 1},
                            {"name": "身份证明", "required": True, "original": False, "copies": 1},
                        ],
                        "steps": [
                            {"name": "受理", "post": "窗口受理岗", "days": 1},
                            {"name": "决定", "post": "首席服务员", "days": 1},
                        ],
                    },
                )
                ItemVersion.objects.filter(item=item).update(
                    effective_from=datetime.date(2020, 1, 1)
                )
    _log(f"{n} items in the county, district and township centers")


def _lookup_tables(cur, residents: int) -> tuple[int, int, list[int]]:
    """_gen_items (k → item, department, center, limit; weighted by center) and _gen_res
    (department index, n → resident person and account). Returns (len(_gen_items), #depts)."""
    from zwfw.cases.services.base import limit_days_of
    from zwfw.catalog.models import ServiceItem

    items = list(
        ServiceItem.objects.filter(active=True, department__center__isnull=False)
        .select_related("department__center")
        .order_by("id")
    )
    departments = sorted({i.department_id for i in items})
    dept_index = {d: n for n, d in enumerate(departments)}
    rows = []
    for item in items:
        weight = CENTER_WEIGHT.get(item.department.center.code, 1)
        # Spread each center's weight over its items: the city's 117 items share 12 parts.
        per_center = sum(1 for i in items if i.department.center_id == item.department.center_id)
        copies = max(1, round(weight * 240 / per_center))
        for _ in range(copies):
            rows.append(
                (
                    item.pk,
                    item.version_number,
                    item.department_id,
                    item.department.center_id,
                    item.department.center.code,
                    max(1, limit_days_of(item)),
                    dept_index[item.department_id],
                )
            )
    cur.execute(
        "CREATE TEMP TABLE _gen_items (k int PRIMARY KEY, item_id bigint, version int, "
        "department_id bigint, center_id bigint, center_code text, limit_days int, dept int)"
    )
    with cur.copy("COPY _gen_items FROM STDIN") as copy:
        for k, row in enumerate(rows):
            copy.write_row((k, *row))
    return len(rows), len(departments), departments


def _residents(cur, residents: int, departments: list[int]) -> None:
    """Accounts, persons and postings of `residents` resident staff, one department each in
    turn; _gen_res maps (department index, n) to them."""
    from django.contrib.auth import get_user_model

    from zwfw.org.models import Department, Person
    from zwfw.staff.models import ResidentAssignment

    User = get_user_model()
    ndept = len(departments)
    residents = max(residents, ndept)
    cur.execute(
        "CREATE TEMP TABLE _gen_dept (dept int PRIMARY KEY, department_id bigint, center_id bigint)"
    )
    centers = dict(Department.objects.filter(pk__in=departments).values_list("pk", "center_id"))
    with cur.copy("COPY _gen_dept FROM STDIN") as copy:
        for n, d in enumerate(departments):
            copy.write_row((n, d, centers[d]))
    cur.execute("SELECT coalesce(max(id), 0) FROM auth_user")
    first_user = cur.fetchone()[0] + 1
    insert_select(
        cur,
        User,
        {
            "username": "'bench' || g",
            "password": "'!'",
            "is_active": "true",
            "is_staff": "false",
            "is_superuser": "false",
            "date_joined": "now()",
        },
        f"generate_series(1, {residents}) g",
    )
    cur.execute("SELECT coalesce(max(id), 0) FROM org_person")
    first_person = cur.fetchone()[0] + 1
    source = f"generate_series(1, {residents}) g JOIN _gen_dept d ON d.dept = (g - 1) % {ndept}"
    insert_select(
        cur,
        Person,
        {
            "name": "'进驻人员' || g",
            "gender": "CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END",
            "birth_date": "DATE '1985-01-01' + (g % 3650)",
            "phone": "''",
            "phone_index": "'bench' || g",
            "department_id": "d.department_id",
            "established": "true",
            "unit_start_date": "DATE '2015-01-01'",
            "service_start_date": "DATE '2018-03-01'",
            "user_id": f"{first_user - 1} + g",
            "active": "true",
        },
        source,
    )
    insert_select(
        cur,
        ResidentAssignment,
        {
            "person_id": f"{first_person - 1} + g",
            "department_id": "d.department_id",
            "center_id": "d.center_id",
            "start_date": "DATE '2023-01-01'",
            "term_end": "DATE '2027-12-31'",
            "chief_representative": "false",
        },
        source,
    )
    # n-th resident of a department: persons were dealt out in turn.
    cur.execute(
        f"""CREATE TEMP TABLE _gen_res AS
            SELECT (g - 1) % {ndept} AS dept, (g - 1) / {ndept} AS n,
                   {first_person - 1} + g AS person_id, {first_user - 1} + g AS user_id
            FROM generate_series(1, {residents}) g"""
    )
    cur.execute("ALTER TABLE _gen_res ADD PRIMARY KEY (dept, n)")
    cur.execute(
        "CREATE TEMP TABLE _gen_per AS SELECT dept, count(*) AS per FROM _gen_res GROUP BY dept"
    )
    # The n-th resident of department index `dept` is person0 + n * ndept (no join per case).
    cur.execute(
        "ALTER TABLE _gen_items ADD per int, ADD user0 bigint, ADD person0 bigint, ADD ndept int"
    )
    cur.execute(
        f"""UPDATE _gen_items it SET per = p.per, user0 = {first_user} + it.dept,
                   person0 = {first_person} + it.dept, ndept = {ndept}
            FROM _gen_per p WHERE p.dept = it.dept"""
    )
    cur.execute("ANALYZE _gen_items")


def _cases(cur, cases: int, months: int, today: datetime.date, nitems: int) -> int:
    """Applicants and cases: one INSERT … SELECT each (see the module docstring)."""
    from zwfw.cases.models import Applicant, Case
    from zwfw.core import crypto

    first = today
    for _ in range(months):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    first = max(first, today - datetime.timedelta(days=months * 31))
    days = (today - first).days + 1
    applicants = max(100, cases // 4)
    phone = crypto.encrypt("13912345678")
    start = time.perf_counter()
    cur.execute("SELECT coalesce(max(id), 0) FROM cases_applicant")
    first_applicant = cur.fetchone()[0] + 1
    insert_select(
        cur,
        Applicant,
        {
            "kind": "CASE WHEN g % 3 = 0 THEN 'organisation' ELSE 'person' END",
            "name": "CASE WHEN g % 3 = 0 THEN '青岚示范企业' || g || '有限公司' ELSE '申请人' || g END",
            "identifier": _literal(crypto.encrypt("370302199001011234")),
            "identifier_index": "'bench' || g",
            "created_at": "now()",
        },
        f"generate_series(1, {applicants}) g",
    )
    _log(f"{applicants:,} applicants", start)
    # s: one row per case with its day, hash and item; c: its dates and status.
    # h is a multiplicative hash of g (uniform digits r, r2, r3 in 0..999).
    s = f"""
      SELECT g, d, h, (h % 1000)::int AS r, ((h / 1000) % 1000)::int AS r2,
             ((h / 1000000) % 1000)::int AS r3,
             DATE '{today}' - d AS age, it.*,
             ceil(it.limit_days * 1.4)::int + 1 AS span
      FROM (SELECT g, DATE '{first}' + (g % {days})::int AS d,
                   (g::bigint * 2654435761) % 4294967291 AS h
            FROM generate_series(1, {cases}) g) s0
      JOIN _gen_items it ON it.k = (s0.h / 7) % {nitems}
      OFFSET 0
    """
    c = f"""
      SELECT s.*, s.d + s.span AS due,
             s.d + CASE WHEN s.r3 < 60 THEN s.span + 1 + s.r2 % 10
                        ELSE 1 + s.r2 % s.span END AS decided,
             CASE
               WHEN s.r < 30 AND s.age >= 1 THEN 'refused'
               WHEN s.r < 50 AND s.age >= 3 THEN 'withdrawn'
               WHEN s.r < 65 AND s.age >= 5 THEN 'terminated'
               WHEN s.age = 0 AND s.r2 < 400 THEN 'received'
               WHEN s.r BETWEEN 65 AND 79 AND s.age < 20 THEN 'awaiting_supplement'
               WHEN s.r BETWEEN 80 AND 84 AND s.age < 120 THEN
                 CASE WHEN s.r2 < 200 THEN 'paused' ELSE 'accepted' END
               WHEN s.d + CASE WHEN s.r3 < 60 THEN s.span + 1 + s.r2 % 10
                               ELSE 1 + s.r2 % s.span END + s.r3 % 2 <= DATE '{today}'
                 THEN 'completed'
               WHEN s.d + CASE WHEN s.r3 < 60 THEN s.span + 1 + s.r2 % 10
                               ELSE 1 + s.r2 % s.span END <= DATE '{today}'
                 THEN 'decided'
               WHEN s.r2 < 50 THEN 'paused'
               WHEN s.r2 < 70 THEN 'referred'
               ELSE 'accepted'
             END AS st
      FROM ({s}) s
      OFFSET 0
    """
    # OFFSET 0 keeps each subquery from being flattened: else every use of c.st re-evaluates
    # its CASE (80 µs a row instead of 5).
    source = f"({c}) c"
    clock_open = "c.st IN ('accepted', 'paused', 'referred')"
    decided = "c.st IN ('decided', 'completed')"
    remaining = f"((c.due - DATE '{today}') * 5 / 7)"
    start = time.perf_counter()
    n = insert_select(
        cur,
        Case,
        {
            "number": (
                "c.center_code || '-' || to_char(c.d, 'YYYYMMDD') || '-' || "
                f"lpad((c.g / {days} + 1)::text, 5, '0')"
            ),
            "item_id": "c.item_id",
            "item_version": "c.version",
            "department_id": "c.department_id",
            "center_id": "c.center_id",
            "applicant_id": f"{first_applicant} + (c.h / 17) % {applicants}",
            "phone": _literal(phone),
            "phone_last4": "'5678'",
            "channel": (
                "CASE WHEN c.r3 < 600 THEN 'window' WHEN c.r3 < 900 THEN 'online' "
                "WHEN c.r3 < 980 THEN 'mobile' ELSE 'self_service' END"
            ),
            "procedure": "'final'",
            "status": "c.st",
            "received_by_id": "c.user0 + (c.h % c.per) * c.ndept",
            "received_at": (
                "(c.d + time '08:30' + (c.h % 510) * interval '1 minute') "
                "AT TIME ZONE 'Asia/Shanghai'"
            ),
            "materials_complete_on": "CASE WHEN c.st = 'awaiting_supplement' THEN NULL ELSE c.d END",
            "acceptance_deadline": "c.d + 7",
            "accepted_on": (
                "CASE WHEN c.st IN ('received', 'awaiting_supplement', 'refused') THEN NULL "
                "WHEN c.st IN ('withdrawn', 'terminated') AND c.r % 2 = 0 THEN NULL ELSE c.d END"
            ),
            "accepted_at": (
                "CASE WHEN c.st IN ('received', 'awaiting_supplement', 'refused') THEN NULL "
                "WHEN c.st IN ('withdrawn', 'terminated') AND c.r % 2 = 0 THEN NULL "
                "ELSE (c.d + time '09:00') AT TIME ZONE 'Asia/Shanghai' END"
            ),
            "refused_on": "CASE WHEN c.st = 'refused' THEN c.d + 1 END",
            "refusal_reason": "CASE WHEN c.st = 'refused' THEN '申请事项不属于本机关职权范围' ELSE '' END",
            "limit_days": "c.limit_days",
            "paused_since": f"CASE WHEN c.st = 'paused' THEN least(c.d + 2, DATE '{today}') END",
            "due_date": (
                "CASE WHEN c.st IN ('received', 'refused') THEN c.d + 7 "
                "WHEN c.st = 'awaiting_supplement' THEN NULL ELSE c.due END"
            ),
            "remaining_workdays": f"CASE WHEN {clock_open} THEN {remaining} END",
            "alert_level": (
                f"CASE WHEN NOT {clock_open} THEN 'green' "
                f"WHEN c.due < DATE '{today}' THEN 'red' "
                f"WHEN {remaining} <= 2 OR {remaining} * 5 <= c.limit_days THEN 'yellow' "
                "ELSE 'green' END"
            ),
            "clock_read_on": f"DATE '{today}'",
            "result": (
                f"CASE WHEN {decided} THEN "
                "CASE WHEN c.r3 % 50 = 0 THEN 'deny' ELSE 'approve' END ELSE '' END"
            ),
            "opinion": f"CASE WHEN {decided} THEN '符合法定条件，准予许可' ELSE '' END",
            "decided_on": f"CASE WHEN {decided} THEN c.decided END",
            "decided_by_id": f"CASE WHEN {decided} THEN c.person0 + (c.h / 13 % c.per) * c.ndept END",
            "completed_on": "CASE WHEN c.st = 'completed' THEN c.decided + c.r3 % 2 END",
            "closed_reason": (
                "CASE WHEN c.st = 'withdrawn' THEN '申请人申请撤回' "
                "WHEN c.st = 'terminated' THEN '申请人未在规定期限内补正' ELSE '' END"
            ),
            "closed_on": (
                "CASE WHEN c.st = 'withdrawn' THEN c.d + 2 "
                "WHEN c.st = 'terminated' THEN c.d + 4 END"
            ),
            "updated_at": "now()",
        },
        source,
    )
    _log(f"{n:,} cases over {months} months ({first} – {today})", start)
    return n


def _ratings_and_tickets(cur, today: datetime.date) -> None:
    from zwfw.evaluations.models import Evaluation
    from zwfw.supervision.models import HotlineFeedback

    x = "((c.id * 2654435761) % 4294967291 / 11) % 1000"
    on = f"least(c.completed_on + (c.id % 3)::int, DATE '{today}')"
    start = time.perf_counter()
    n = insert_select(
        cur,
        Evaluation,
        {
            "level": (
                f"CASE WHEN {x} < 30 THEN 3 WHEN {x} < 800 THEN 5 WHEN {x} < 920 THEN 4 "
                f"WHEN {x} < 970 THEN 3 WHEN {x} < 988 THEN 2 ELSE 1 END"
            ),
            "good": f"{x} < 970",
            "channel": (
                f"CASE WHEN {x} < 30 THEN 'default' WHEN c.id % 4 = 0 THEN 'web' "
                "WHEN c.id % 4 = 1 THEN 'mobile' WHEN c.id % 4 = 2 THEN 'qr' ELSE 'sms' END"
            ),
            "case_id": "c.id",
            "center_id": "c.center_id",
            "department_id": "c.department_id",
            "staff_id": "c.decided_by_id",
            "item_id": "c.item_id",
            "rated_at": f"({on} + time '15:00') AT TIME ZONE 'Asia/Shanghai'",
            "rated_on": on,
            "month": f"date_trunc('month', {on})::date",
            "comment": "''",
            "rater_phone": "''",
            "is_default": f"{x} < 30",
            "verified": "false",
            "excluded": "false",
        },
        "cases_case c WHERE c.status = 'completed' AND c.id % 3 = 0",
    )
    _log(f"{n:,} ratings", start)
    start = time.perf_counter()
    received = f"least((c.received_at AT TIME ZONE 'Asia/Shanghai')::date + 10, DATE '{today}')"
    n = insert_select(
        cur,
        HotlineFeedback,
        {
            "ticket_number": "'H' || c.id",
            "received_on": received,
            "kind": (
                "CASE WHEN c.id % 1000 < 600 THEN 'complaint' WHEN c.id % 1000 < 800 "
                "THEN 'consultation' WHEN c.id % 1000 < 900 THEN 'help' ELSE 'praise' END"
            ),
            "content": "'办件进度咨询及服务反映'",
            "caller_phone": "''",
            "case_id": "c.id",
            "staff_id": "c.decided_by_id",
            "department_id": "c.department_id",
            "center_id": "c.center_id",
            "item_id": "c.item_id",
            "status": f"CASE WHEN {received} > DATE '{today}' - 5 THEN 'processing' ELSE 'closed' END",
            "created_at": "now()",
            "updated_at": "now()",
        },
        "cases_case c WHERE c.id % 200 = 0",
    )
    _log(f"{n:,} 12345 tickets", start)


def _rebuild_rollups() -> None:
    import importlib

    from django.db import transaction

    for module in ("zwfw.cases.rollups", "zwfw.evaluations.rollups"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        start = time.perf_counter()
        with transaction.atomic():
            mod.rebuild()
        _log(f"{module}.rebuild()", start)


def migrate(url: str) -> None:
    """Apply migrations the database does not have yet (a reused one)."""
    import django

    use(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        _log("migrate (new migrations)", start)


def generate_org(url: str) -> None:
    """Phase 1 (kept as the template): migrate and the organisation."""
    import django

    use(url)
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    _log("migrate", start)
    _org(timezone.localdate())


def generate_bulk(url: str, cases: int, residents: int, months: int) -> None:
    """Phase 2: residents, cases, ratings, tickets, indexes, rollups, the recorded size."""
    import django

    use(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    total = time.perf_counter()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)
        _log("migrate (new migrations since the template)", total)
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cur:
        # FK checks are triggers: off for this session only (the generator keeps them true).
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SET LOCAL work_mem = '256MB'")
        again = []
        for table in BULK_TABLES:
            again += _drop_secondary(cur, table)
        nitems, _ndept, departments = _lookup_tables(cur, residents)
        start = time.perf_counter()
        _residents(cur, residents, departments)
        _log(f"{max(residents, len(departments)):,} residents", start)
        _cases(cur, cases, months, today, nitems)
        # Drawn numbers of today continue after the generated ones.
        cur.execute(
            f"""INSERT INTO cases_casenumbercounter (center_id, day, last)
                SELECT center_id, DATE '{today}', {cases} FROM _gen_items GROUP BY center_id
                ON CONFLICT (center_id, day) DO UPDATE SET last = EXCLUDED.last"""
        )
        _ratings_and_tickets(cur, today)
        start = time.perf_counter()
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cur.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        for statement in again:
            cur.execute(statement)
        _log(f"{len(again)} indexes and unique constraints recreated", start)
        cur.execute("SET session_replication_role = DEFAULT")
        for table in BULK_TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    _log("vacuum analyze", start)
    _rebuild_rollups()
    with connection.cursor() as cur:
        cur.execute(
            f"""CREATE TABLE IF NOT EXISTS {META_TABLE} (id serial PRIMARY KEY, cases bigint,
                residents int, months int, today date, made_at timestamptz DEFAULT now(),
                seconds real)"""
        )
        cur.execute(
            f"INSERT INTO {META_TABLE} (cases, residents, months, today, seconds) "
            "VALUES (%s, %s, %s, %s, %s)",
            [cases, residents, months, today, time.perf_counter() - total],
        )
    _log(f"{cases:,} cases generated", total)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--residents", type=int, default=200)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--name", default="")
    p.add_argument("--fresh", action="store_true", help="regenerate even when it exists")
    p.add_argument("--drop", action="store_true", help="drop the database and stop")
    p.add_argument("--generate-into", help=argparse.SUPPRESS)
    p.add_argument("--phase", choices=["org", "bulk", "migrate"], help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.generate_into:
        if a.phase == "org":
            generate_org(a.generate_into)
        elif a.phase == "migrate":
            migrate(a.generate_into)
        else:
            generate_bulk(a.generate_into, a.cases, a.residents, a.months)
        return
    if a.drop:
        base, dbname = _split(_base_url())
        drop(f"{base}/{a.name or f'{dbname}_bench_{a.cases}'}")
        return
    print(
        prepare(
            cases=a.cases,
            residents=a.residents,
            months=a.months,
            name=a.name,
            reuse=not a.fresh,
        )
    )


if __name__ == "__main__":
    main()
