"""A modest cache-based limit on the public progress query (no enumeration by brute force)."""

from django.core.cache import cache

from zwfw.cases import conf
from zwfw.core.errors import RuleViolation
from zwfw.core.middleware import request_ip


def check_public_query(request) -> None:
    limit, window = conf.public_query_limit()
    key = f"cases:public-query:{request_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return
    if count > limit:
        raise RuleViolation("rate_limited", "查询过于频繁，请稍后再试", status=429)
