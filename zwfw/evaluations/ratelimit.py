"""Limits on public rating submissions, in the shared store (core.ratelimit), counted before
(outside) the rating's transaction so that a refusal, or a rollback, never gives a count back:

- per client address (any public rating page, and the SMS code button);
- per window and per staff member rated (issue 11 point 6: a flood of ratings against one
  person), and a lower one for bad reviews, so a burst can neither bury a window in praise
  nor open a pile of complaints against one person. Bad reviews whose rater proved a phone
  and those who did not are counted apart: a flood of anonymous bad reviews (which open no
  ticket) never uses up the quota of verified ones.
"""

from zwfw.core import ratelimit
from zwfw.core.middleware import request_ip
from zwfw.evaluations import conf
from zwfw.evaluations.models import is_bad_level

FLOOD_MESSAGE = "该窗口或工作人员本时段收到的评价过多，请稍后再试"
BAD_FLOOD_MESSAGE = "该窗口或工作人员本时段收到的差评过多，请稍后再试或拨打12345反映"


def check_public_rating(request) -> None:
    limit, window = conf.public_limit()
    key = f"evaluations:public-rate:{request_ip(request) or 'unknown'}"
    ratelimit.hit(key, limit, window, message="提交过于频繁，请稍后再试")


def check_targets(
    *, level: int, window_id: int | None, staff_id: int | None, verified: bool = False
) -> None:
    """Count one public rating against the window and the staff member it is about; past a
    limit raise RateLimited (429)."""
    targets = []
    if window_id:
        targets.append(f"w{window_id}")
    if staff_id:
        targets.append(f"p{staff_id}")
    limit, seconds = conf.target_limit()
    for target in targets:
        ratelimit.hit(f"evaluations:target:{target}", limit, seconds, message=FLOOD_MESSAGE)
    if is_bad_level(level):
        limit, seconds = conf.bad_limit()
        kind = "verified" if verified else "unverified"
        for target in targets:
            key = f"evaluations:bad:{kind}:{target}"
            ratelimit.hit(key, limit, seconds, message=BAD_FLOOD_MESSAGE)
