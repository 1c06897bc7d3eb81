"""Issue 11 point 2: limits live in a store shared by all workers (database or Redis)."""

import socket

import pytest
import time_machine

from zwfw.core import ratelimit


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["database", "redis"])
def store(request, settings, db):
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    else:
        settings.REDIS_URL = ""
    return request.param


def test_point2_hit_refuses_past_the_limit_with_429(store):
    key = f"test:{store}:{id(store)}:refuse"
    ratelimit.clear(key, 60)
    with time_machine.travel("2026-10-08 10:00:05+08:00", tick=False):
        for _ in range(3):
            ratelimit.hit(key, 3, 60)
        with pytest.raises(ratelimit.RateLimited) as exc:
            ratelimit.hit(key, 3, 60)
    assert exc.value.status == 429
    assert "频繁" in exc.value.message


def test_point2_window_turns_over(store):
    key = f"test:{store}:turn"
    with time_machine.travel("2026-10-08 10:00:05+08:00", tick=False):
        ratelimit.clear(key, 60)
        ratelimit.hit(key, 1, 60)
        assert ratelimit.exceeded(key, 1, 60)
    with time_machine.travel("2026-10-08 10:01:05+08:00", tick=False):
        ratelimit.clear(key, 60)
        assert not ratelimit.exceeded(key, 1, 60)
        ratelimit.hit(key, 1, 60)


def test_point2_database_store_is_a_table_not_process_memory(settings, db):
    """A second worker reads the same count: the counter is a row, not a dict in memory."""
    from zwfw.core.models import RateCounter

    settings.REDIS_URL = ""
    ratelimit.record("test:shared", 600)
    ratelimit.record("test:shared", 600)
    assert RateCounter.objects.get().count == 2
    assert ratelimit.count("test:shared", 600) == 2
    # Keys are stored as digests: a limit keyed by a phone keeps no phone.
    assert "test:shared" not in RateCounter.objects.get().key


def test_point2_purge_drops_finished_windows(settings, db):
    from zwfw.core.models import RateCounter

    settings.REDIS_URL = ""
    with time_machine.travel("2026-10-08 10:00:00+08:00", tick=False):
        ratelimit.record("test:old", 60)
    with time_machine.travel("2026-10-08 11:00:00+08:00", tick=False):
        ratelimit.record("test:new", 60)
        assert ratelimit.purge_expired() == 1
    assert RateCounter.objects.count() == 1
