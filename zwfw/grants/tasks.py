"""Huey jobs of the grants app: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zwfw.grants import services


@db_periodic_task(crontab(hour="0", minute="5"))
def refresh_grant_statuses():
    """Each night, move the stored status column of grants that started, began to expire or
    ended. Authority never waits for this: selectors.authority_for reads the dates."""
    return services.refresh_grant_statuses()
