"""Rate limits counted in a store that every worker shares: Redis when REDIS_URL is set,
otherwise the database (table core_ratecounter). Per-process memory would let each gunicorn
worker grant its own quota.

Fixed windows: a key's count starts again when the window (aligned to the epoch) turns.
Call these outside the use case's transaction when a refusal must still count (a wrong
guess that raises must not roll its own count back).

The database store always reads and writes the primary (`default`), never a read replica:
a count read from a lagging copy would grant hits past the limit.
"""

import hashlib
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from zwfw.core.errors import RuleViolation

DEFAULT_MESSAGE = "操作过于频繁，请稍后再试"


class RateLimited(RuleViolation):
    status = 429

    def __init__(self, message: str = DEFAULT_MESSAGE, code: str = "rate_limited"):
        super().__init__(code, message)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _bucket(window: int) -> int:
    now = int(timezone.now().timestamp())
    return now - now % window


@cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def _redis_key(key: str, window: int) -> str:
    return f"zwfw:rl:{_digest(key)}:{_bucket(window)}"


_UPSERT = (
    "INSERT INTO core_ratecounter (key, bucket, count, expires_at) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (key, bucket) DO UPDATE SET count = core_ratecounter.count + EXCLUDED.count "
    "RETURNING count"
)


_COUNT = "SELECT count FROM core_ratecounter WHERE key = %s AND bucket = %s"


def _add(key: str, window: int, amount: int) -> int:
    if settings.REDIS_URL:
        client = _redis(settings.REDIS_URL)
        name = _redis_key(key, window)
        with client.pipeline() as pipe:
            pipe.incrby(name, amount)
            pipe.expire(name, window + 1)
            count, _ = pipe.execute()
        return int(count)
    bucket = _bucket(window)
    expires = timezone.now() + timedelta(seconds=window + 1)
    # One statement, atomic on both databases: two workers never both read the old count.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_UPSERT, [_digest(key), bucket, amount, expires])
        return int(cursor.fetchone()[0])


def count(key: str, window: int) -> int:
    """Hits of `key` in the current window, without adding one."""
    if settings.REDIS_URL:
        value = _redis(settings.REDIS_URL).get(_redis_key(key, window))
        return int(value or 0)
    # Written out beside _UPSERT: the public pages ask this on every query, and Django took
    # longer to compile the SELECT than the database to answer it.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_COUNT, [_digest(key), _bucket(window)])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def hit(key: str, limit: int, window: int, *, message: str = DEFAULT_MESSAGE) -> int:
    """Count one hit; past `limit` hits in the window raise RateLimited (HTTP 429)."""
    n = _add(key, window, 1)
    if n > limit:
        raise RateLimited(message)
    return n


def exceeded(key: str, limit: int, window: int) -> bool:
    """True when `key` already has `limit` hits in the window (checks without counting)."""
    return count(key, window) >= limit


def record(key: str, window: int) -> int:
    """Count one event (a wrong guess …) without refusing; returns the window's count."""
    return _add(key, window, 1)


def clear(key: str, window: int) -> None:
    if settings.REDIS_URL:
        _redis(settings.REDIS_URL).delete(_redis_key(key, window))
        return
    from zwfw.core.models import RateCounter

    RateCounter.objects.filter(key=_digest(key), bucket=_bucket(window)).delete()


def purge_expired() -> int:
    """Drop finished windows (the periodic task); Redis expires its keys by itself."""
    from zwfw.core.models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
