"""A cache-based limit on public rating submissions per client address (robots, floods)."""

from django.core.cache import cache

from zwfw.core.errors import RuleViolation
from zwfw.core.middleware import request_ip
from zwfw.evaluations import conf


def check_public_rating(request) -> None:
    limit, window = conf.public_limit()
    key = f"evaluations:public-rate:{request_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return
    if count > limit:
        raise RuleViolation("rate_limited", "提交过于频繁，请稍后再试", status=429)
