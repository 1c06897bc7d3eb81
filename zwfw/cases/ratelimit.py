"""The per-address limit on the public progress query, in the shared store (core.ratelimit)."""

from zwfw.cases import conf
from zwfw.core import ratelimit
from zwfw.core.middleware import request_ip


def check_public_query(request) -> None:
    limit, window = conf.public_query_limit()
    key = f"cases:public-query:{request_ip(request) or 'unknown'}"
    ratelimit.hit(key, limit, window, message="查询过于频繁，请稍后再试")
