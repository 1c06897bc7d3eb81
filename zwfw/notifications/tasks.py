"""Huey jobs of the outbox: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zwfw.notifications import services


@db_task()
def send_message(message_id: int) -> None:
    # Nothing is returned: Huey would store a result per SMS that nobody reads.
    services.send_message(message_id=message_id)


@db_periodic_task(crontab(minute="*/5"))
def send_pending():
    return services.send_pending()
