"""Issue 17 point 5: list pages, dashboards and exports read from the `replica` alias; writes,
reads inside a write transaction and reads right after the client's own write use `default`.

The replica here is Django's TEST MIRROR of `default` (the same test database through a
second connection), added for this module only so no other test opens a second connection.
The tests that read rows are transactional: the mirror connection sees only committed rows,
as a real replica does.
"""

import json
import os
import subprocess
import sys

import pytest
import time_machine
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from tests.cases.factories import make_item, receive
from zwfw.cases.models import Case
from zwfw.core import routers

DATABASES = ["default", routers.REPLICA]
# Committed rows, as a replica sees them; each such test costs a flush of the database, so
# the routed pages are checked in two tests, and the rules without queries in plain ones.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=DATABASES)

ROUTER = "zwfw.core.routers.ReplicaRouter"


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup, django_db_blocker):
    """`replica` as a mirror of the test database, as DATABASES gets it from
    DATABASE_REPLICA_URL (settings.py), with the router installed."""
    primary = connections["default"].settings_dict
    connections.settings[routers.REPLICA] = {
        **primary,
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        yield
    with django_db_blocker.unblock():
        connections[routers.REPLICA].close()
    del connections[routers.REPLICA]
    del connections.settings[routers.REPLICA]


@pytest.fixture(autouse=True)
def _db_rate_store(settings):
    settings.REDIS_URL = ""


class Both:
    """Queries on each connection during the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[routers.REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def _sql(captured, table=None):
        return [q["sql"] for q in captured if table is None or table in q["sql"]]

    def on_primary(self, table=None):
        return self._sql(self.primary, table)

    def on_replica(self, table=None):
        return self._sql(self.replica, table)


@pytest.fixture(autouse=True)
def _monday():
    """Monday 2025-09-29, one working day after the case came in: still to be accepted."""
    with time_machine.travel("2025-09-29 10:00:00+08:00", tick=False):
        yield


@pytest.fixture
def case(clerk, department, dept_admin):
    item = make_item(dept_admin, department, name="保安服务公司设立许可", promised=20)
    return receive(clerk, item)  # received on Friday 2025-09-26


def _only_selects(sqls):
    # "(SELECT …) UNION ALL (SELECT …)": the PostgreSQL department list (selectors.page_of_cases)
    return all(s.lstrip(" (").upper().startswith(("SELECT", "WITH")) for s in sqls)


@committed
def test_lists_dashboards_and_exports_read_from_the_replica(client, clerk, case):
    client.force_login(clerk)
    with Both() as q:
        r = client.get("/cases/")
    assert r.status_code == 200
    assert case.number in r.content.decode()  # the replica's rows are the page's rows
    assert q.on_replica("cases_case") and _only_selects(q.on_replica())
    assert not q.on_primary("cases_case")

    for path, params in (("/", {}), ("/cases/summary/", {}), ("/cases/", {"format": "xlsx"})):
        with Both() as q:
            r = client.get(path, params)
        assert r.status_code == 200, path
        assert q.on_replica("cases_case") and _only_selects(q.on_replica()), path
        assert not q.on_primary("cases_case"), path
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")  # the export

    # Only the listed views are routed: a case page feeds the forms that change the case.
    with Both() as q:
        r = client.get(f"/cases/{case.number}/")
    assert r.status_code == 200
    assert q.on_primary("cases_case") and not q.on_replica()

    # The background export (the Huey task, no request around it): rows from the replica,
    # the job's own row on the primary, where the POST that queued it wrote it.
    from zwfw.core import exports
    from zwfw.core.models import ExportJob

    job = ExportJob.objects.create(user=clerk, name="cases", title="办件.xlsx", params={}, total=1)
    with Both() as q:
        done = exports.run(job.pk)
    assert done.status == ExportJob.Status.DONE
    assert q.on_replica("cases_case") and not q.on_primary("cases_case")
    assert q.on_primary("core_exportjob") and not q.on_replica("core_exportjob")


@committed
def test_writes_go_to_the_primary_and_pin_their_client_there(client, api, clerk, case):
    """Read-your-writes: after a POST, this client's list pages read the primary for
    ZWFW_REPLICA_PIN_SECONDS — a cookie for browsers, a cache key for a bearer token — so
    the page after the redirect shows the change even when the replica lags."""
    client.force_login(clerk)
    with Both() as q:
        r = client.post(f"/cases/{case.number}/accept/")
    assert r.status_code == 302
    assert not q.on_replica()
    assert q.on_primary("cases_case")
    assert Case.objects.get(pk=case.pk).status == "accepted"
    pin = r.cookies[routers.PIN_COOKIE]
    assert pin["max-age"] == routers.pin_seconds() and pin["httponly"]
    with Both() as q:
        client.get("/cases/")
    assert q.on_primary("cases_case") and not q.on_replica()
    # Once the pin expires (the browser drops the cookie) lists use the replica again.
    client.cookies.pop(routers.PIN_COOKIE)
    with Both() as q:
        client.get("/cases/")
    assert q.on_replica("cases_case") and not q.on_primary("cases_case")

    # The API: a token client keeps no cookies, only its bearer token.
    client.logout()
    api.login(clerk)
    client.cookies.clear()
    with Both() as q:
        r = api.get("/cases")
    assert r.status_code == 200 and r.json()["count"] == 1
    assert q.on_replica("cases_case") and not q.on_primary("cases_case")
    second = receive(clerk, case.item)
    assert api.post(f"/cases/{second.number}/accept").status_code == 200
    client.cookies.clear()
    with Both() as q:
        r = api.get("/cases")
    assert r.status_code == 200 and r.json()["count"] == 2
    assert q.on_primary("cases_case") and not q.on_replica()


@pytest.mark.django_db
def test_reads_inside_a_write_transaction_stay_on_the_primary():
    """A service's reads inside its transaction see its own writes and hold its locks."""
    with routers.replica_reads():
        assert router.db_for_read(Case) == routers.REPLICA
        with transaction.atomic():
            assert router.db_for_read(Case) == "default"
            assert routers.alias_for_read() == "default"
        assert router.db_for_read(Case) == routers.REPLICA


def test_router_rules():
    from django.contrib.sessions.models import Session

    from zwfw.core.models import ApiToken, RateCounter
    from zwfw.workdays.models import Holiday

    assert router.db_for_read(Case) == "default"  # outside a replica scope
    with routers.replica_reads():
        assert router.db_for_read(Case) == routers.REPLICA
        assert routers.alias_for_read() == routers.REPLICA
        for model in (Session, ApiToken, RateCounter, Holiday):
            assert router.db_for_read(model) == "default", model
        assert router.db_for_write(Case) == "default"
        with routers.primary_reads():
            assert router.db_for_read(Case) == "default"
    assert router.allow_migrate("default", "cases")
    assert not router.allow_migrate(routers.REPLICA, "cases")


def test_every_routed_view_name_exists():
    """A renamed URL would silently fall back to the primary: every name must resolve."""
    from django.urls import reverse

    for name in routers.REPLICA_VIEWS:
        assert reverse(name), name


def test_settings_add_the_replica_alias_only_with_its_url(tmp_path):
    """DATABASE_REPLICA_URL adds `replica` (a mirror of `default` in tests) and the router;
    without it there is neither, so nothing else pays for the routing."""
    code = (
        "import json; from zwfw import settings as s; print(json.dumps({"
        "'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS,"
        "'mirror': s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'),"
        "'host': s.DATABASES.get('replica', {}).get('HOST')}))"
    )

    def read(**env):
        run = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "ZWFW_VAR_DIR": str(tmp_path), **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(run.stdout)

    env = {"DATABASE_URL": "postgres://zwfw@10.0.0.11:5432/zwfw"}
    assert read(**env, DATABASE_REPLICA_URL="") == {
        "aliases": ["default"],
        "routers": [],
        "mirror": None,
        "host": None,
    }
    assert read(**env, DATABASE_REPLICA_URL="postgres://zwfw_ro@10.0.0.12:5432/zwfw") == {
        "aliases": ["default", "replica"],
        "routers": [ROUTER],
        "mirror": "default",
        "host": "10.0.0.12",
    }


@committed
def test_reads_compiled_once_honour_the_router():
    """core.prepared asks the router for each call's alias (a statement compiled for one
    alias is never run on the other)."""
    from zwfw.core.prepared import PreparedRead

    read = PreparedRead(Case, lambda number: Case.objects.filter(number=number))
    with Both() as q:
        read(number="无此号")
    assert q.on_primary("cases_case") and not q.on_replica()
    with routers.replica_reads():
        with Both() as q:
            read(number="无此号")
        assert q.on_replica("cases_case") and not q.on_primary()
        with transaction.atomic(), Both() as q:
            read(number="无此号")
        assert q.on_primary("cases_case") and not q.on_replica()
