"""Huey jobs of supervision: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zwfw.supervision import services


@db_periodic_task(crontab(hour="8", minute="10"))
def remind_overdue_rectifications():
    """Each morning: text departments once about inspection rectifications past due (N-17)."""
    return services.remind_overdue_rectifications()
