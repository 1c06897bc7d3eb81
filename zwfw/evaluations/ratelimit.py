"""The per-address limit on public rating submissions, in the shared store (core.ratelimit)."""

from zwfw.core import ratelimit
from zwfw.core.middleware import request_ip
from zwfw.evaluations import conf


def check_public_rating(request) -> None:
    limit, window = conf.public_limit()
    key = f"evaluations:public-rate:{request_ip(request) or 'unknown'}"
    ratelimit.hit(key, limit, window, message="提交过于频繁，请稍后再试")
