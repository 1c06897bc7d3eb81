"""/healthz (what load balancers and bench/http.py poll) and the session middleware that lets
GET requests read without writing (issue 17 point 1)."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
DJANGO_SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
OURS = "zwfw.core.middleware.SessionMiddleware"
SESSION_WRITE = re.compile(r'^\s*(UPDATE|INSERT INTO) "django_session"', re.IGNORECASE)


@pytest.fixture
def throttled_sessions(settings):
    """The MIDDLEWARE list with core.middleware.SessionMiddleware in Django's place."""
    settings.MIDDLEWARE = [OURS if m == DJANGO_SESSIONS else m for m in settings.MIDDLEWARE]
    assert OURS in settings.MIDDLEWARE


def session_writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if SESSION_WRITE.match(q["sql"])]


def test_healthz_answers_ok_without_a_query(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/healthz")
        head = client.head("/healthz")
    assert (response.status_code, head.status_code) == (200, 200)
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert len(ctx.captured_queries) == 0


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_reads_no_session_even_with_a_logged_in_cookie(
    throttled_sessions, client, center_admin
):
    """A session cookie is neither loaded nor saved: the view never touches request.user."""
    client.force_login(center_admin)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/healthz").status_code == 200
    assert ctx.captured_queries == []


def test_pages_push_the_session_expiry_at_most_once_a_minute(
    throttled_sessions, client, center_admin
):
    """The idle timeout's push is a write: a page read within a minute of the last push does
    not write the session (nor open a transaction for it)."""
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(center_admin)
        assert client.get("/cases/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/").status_code == 200
        assert session_writes(ctx) == []
    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/cases/")
        assert response.status_code == 200
        assert len(session_writes(ctx)) == 1
        assert response.cookies["sessionid"]["max-age"] == 1800


def test_idle_session_still_ends_30_minutes_after_the_last_activity(
    throttled_sessions, client, center_admin
):
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    minutes = datetime.timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        client.force_login(center_admin)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + 29 * minutes, tick=False):
        assert client.get("/").status_code == 200  # activity pushes the expiry forward
    with time_machine.travel(start + 58 * minutes, tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + 58 * minutes + 31 * minutes, tick=False):
        assert client.get("/").status_code == 302
