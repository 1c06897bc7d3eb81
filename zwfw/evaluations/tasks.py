"""Huey jobs of 好差评: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zwfw.evaluations import services


@db_periodic_task(crontab(hour="0", minute="40"))
def refresh_rectifications():
    """Each night: alert levels of rectification tickets near or past a step's due date; red
    ones are escalated to the center (L-EVAL)."""
    return services.refresh_rectifications()


# In the morning, so invitations do not arrive at night.
@db_periodic_task(crontab(hour="9", minute="30"))
def process_unrated():
    """Unrated completed cases: one SMS invitation after 3 days, a default 基本满意 after 7
    natural days (NATIONAL.md; settings ZWFW_EVAL_INVITE_AFTER_DAYS / _DEFAULT_AFTER_DAYS)."""
    return services.process_unrated()


@db_periodic_task(crontab(minute="*/10"))
def fold_rating_counts():
    """Every 10 minutes: fold the delta rows of the ratings rollup into one row per key
    (zwfw.evaluations.rollups explains why)."""
    from zwfw.evaluations import rollups

    return rollups.fold()
