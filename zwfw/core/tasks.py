"""Periodic housekeeping of core tables."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zwfw.core import ratelimit


@db_periodic_task(crontab(minute="17"))
def purge_rate_counters():
    ratelimit.purge_expired()
