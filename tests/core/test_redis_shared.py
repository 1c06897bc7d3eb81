"""Issue 17 point 5: with REDIS_URL every app node and Huey worker shares one store — rate
limits, the cache, sessions and the task queue. Each "worker" here is a client of its own
(its own connection pool), as a second gunicorn process or machine would be. Redis db 9 on
127.0.0.1:6379; skipped when no Redis answers there.
"""

import json
import os
import socket
import subprocess
import sys
import uuid

import pytest
import time_machine

from zwfw.core import ratelimit

REDIS_URL = "redis://127.0.0.1:6379/9"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_store(settings):
    import redis

    settings.REDIS_URL = REDIS_URL
    ratelimit._redis.cache_clear()
    yield redis.Redis.from_url(REDIS_URL)
    ratelimit._redis.cache_clear()


class Worker:
    """One process's view: its own Redis client for the rate limits."""

    def __init__(self):
        import redis

        self.client = redis.Redis.from_url(REDIS_URL)

    def __enter__(self):
        self._patch = pytest.MonkeyPatch()
        self._patch.setattr(ratelimit, "_redis", lambda url: self.client)
        return self

    def __exit__(self, *exc):
        self._patch.undo()


@needs_redis
def test_two_workers_share_one_rate_limit(redis_store):
    """Three hits allowed per minute: two from worker A and one from worker B use them up,
    so A's next hit is refused (429). Per-process counters would have granted six."""
    key = f"test:shared-limit:{uuid.uuid4().hex}"
    a, b = Worker(), Worker()
    assert a.client.connection_pool is not b.client.connection_pool
    with time_machine.travel("2026-10-08 10:00:05+08:00", tick=False):
        with a:
            ratelimit.hit(key, 3, 60)
            ratelimit.hit(key, 3, 60)
        with b:
            assert ratelimit.count(key, 60) == 2  # B sees A's hits
            ratelimit.hit(key, 3, 60)
            with pytest.raises(ratelimit.RateLimited) as refused_b:
                ratelimit.hit(key, 3, 60)
        with a, pytest.raises(ratelimit.RateLimited) as refused_a:
            ratelimit.hit(key, 3, 60)
        assert refused_a.value.status == refused_b.value.status == 429
        with b:
            ratelimit.clear(key, 60)
        with a:
            assert ratelimit.count(key, 60) == 0


@needs_redis
def test_two_workers_share_the_cache_and_sessions(settings):
    """A session written by one app node's cache client is read by another's: a user
    logged in on node 1 stays logged in when nginx sends the next request to node 2."""
    from django.contrib.sessions.backends.cache import SessionStore
    from django.core.cache import CacheHandler

    prefix = f"zwfw-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    node1, node2 = CacheHandler(), CacheHandler()  # each process builds its own clients
    assert node1["default"] is not node2["default"]
    node1["default"].set("workdays:calendar_version", "3:7", 30)
    assert node2["default"].get("workdays:calendar_version") == "3:7"

    session = SessionStore()
    session["_auth_user_id"] = "42"
    session.create()
    cache_key = session.cache_key
    try:
        stored = node2["default"].get(cache_key)
        assert stored == {"_auth_user_id": "42"}
        assert SessionStore(session.session_key).load() == {"_auth_user_id": "42"}
    finally:
        node1["default"].delete(cache_key)
        node1["default"].delete("workdays:calendar_version")


@needs_redis
def test_tasks_queued_on_an_app_node_reach_a_worker_on_another_machine():
    """RedisHuey: one queue in Redis, whichever consumer is free takes the task."""
    from huey import RedisHuey

    name = f"zwfw-test-{uuid.uuid4().hex[:8]}"
    app_node, worker = RedisHuey(name, url=REDIS_URL), RedisHuey(name, url=REDIS_URL)
    try:

        @app_node.task()
        def ping(n):
            return n

        ping(1)
        assert worker.pending_count() == 1
        assert worker.storage.dequeue() is not None
        assert app_node.pending_count() == 0
    finally:
        app_node.storage.flush_all()


def test_settings_put_everything_shared_in_redis_when_redis_url_is_set(tmp_path):
    """The settings of a node with REDIS_URL (read in a fresh interpreter, as a node starts)."""
    env = {
        **os.environ,
        "ZWFW_VAR_DIR": str(tmp_path),
        "REDIS_URL": REDIS_URL,
        "HUEY_PERIODIC": "0",
        "HUEY_WORKERS": "4",
    }
    code = (
        "import json; from zwfw import settings as s; print(json.dumps({"
        "'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default']['LOCATION'],"
        "'session': s.SESSION_ENGINE, 'huey': s.HUEY['huey_class'], 'url': s.HUEY['url'],"
        "'consumer': s.HUEY['consumer']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    got = json.loads(out.stdout)
    assert got["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert got["location"] == got["url"] == REDIS_URL
    assert got["session"] == "django.contrib.sessions.backends.cache"
    assert got["huey"] == "huey.RedisHuey"
    # One machine runs the periodic tasks; the others (HUEY_PERIODIC=0) only take tasks.
    assert got["consumer"] == {"workers": 4, "worker_type": "thread", "periodic": False}
