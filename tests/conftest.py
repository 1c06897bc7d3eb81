"""The fixed cast of test users, shared by every app's tests."""

import os

import pytest

from tests import slow
from tests.factories import CenterFactory, DepartmentFactory, staff

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls
# are in their own thread, but fixtures touching the DB here need this switch.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` run on PostgreSQL and with ZWFW_SLOW=1 (tests/slow.py)."""
    if slow.SLOW:
        return
    skip = pytest.mark.skip(reason="slow: runs on PostgreSQL or with ZWFW_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _audit_checkpoints_outside_var(tmp_path_factory):
    """Audit checkpoints of test databases never mix with var/ (a dev server's file)."""
    from django.conf import settings

    before = settings.ZWFW_AUDIT_CHECKPOINT_FILE
    settings.ZWFW_AUDIT_CHECKPOINT_FILE = str(tmp_path_factory.mktemp("audit") / "none.jsonl")
    yield
    settings.ZWFW_AUDIT_CHECKPOINT_FILE = before


@pytest.fixture(autouse=True, scope="session")
def _huey_immediate():
    """Tasks run in-process (djhuey built its HUEY at import, so settings cannot switch it);
    nothing goes to a queue file under var/."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture(autouse=True)
def _calendar_snapshot():
    """Each test reads the calendar as its own database holds it (tests edit years)."""
    from zwfw.workdays import loader

    loader.reset()
    yield
    loader.reset()


@pytest.fixture
def center(db):
    return CenterFactory(code="C370300", name="示范市政务服务中心")


@pytest.fixture
def department(center):
    return DepartmentFactory(code="D-GA", name="示范市公安局", center=center)


@pytest.fixture
def other_department(center):
    return DepartmentFactory(code="D-JT", name="示范市交通运输局", center=center)


@pytest.fixture
def center_admin(center):
    return staff("center_admin", department=DepartmentFactory(center=center), center=center).user


@pytest.fixture
def platform_admin(center):
    """A center admin without a scope: global, so it keeps the official calendar and the
    R-14 phrase list and reads platform-wide messages (issue 11 point 9)."""
    from tests.factories import global_staff

    return global_staff("center_admin", department=DepartmentFactory(center=center)).user


@pytest.fixture
def dept_admin(department):
    return staff("department_admin", department=department).user


@pytest.fixture
def clerk(department):
    return staff("window_staff", department=department).user


@pytest.fixture
def auditor(center):
    return staff("auditor", department=DepartmentFactory(center=center), center=center).user


@pytest.fixture
def outsider(other_department):
    return staff(None, department=other_department).user


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.cn", "Root#2026pass")


@pytest.fixture
def api(client):
    """A JSON client for /api/v1/ that logs in by bearer token."""

    class Api:
        def __init__(self):
            self.headers = {}

        def login(self, user, password="Zwfw#2026pass"):
            r = client.post(
                "/api/v1/auth/token",
                {"username": user.username, "password": password},
                content_type="application/json",
            )
            assert r.status_code == 200, r.content
            self.headers = {"Authorization": f"Bearer {r.json()['token']}"}
            return self

        def get(self, path, **params):
            return client.get(f"/api/v1{path}", params, headers=self.headers)

        def post(self, path, data=None, headers=None):
            return client.post(
                f"/api/v1{path}",
                data or {},
                content_type="application/json",
                headers={**self.headers, **(headers or {})},
            )

        def put(self, path, data=None):
            return client.put(
                f"/api/v1{path}", data or {}, content_type="application/json", headers=self.headers
            )

        def patch(self, path, data=None):
            return client.patch(
                f"/api/v1{path}", data or {}, content_type="application/json", headers=self.headers
            )

    return Api()
