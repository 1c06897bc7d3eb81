"""Periodic housekeeping of core tables, and the audit chain's checkpoints."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zwfw.core import audit, ratelimit


@db_periodic_task(crontab(minute="17"))
def purge_rate_counters():
    ratelimit.purge_expired()


@db_periodic_task(crontab(minute=settings.ZWFW_AUDIT_CHECKPOINT_MINUTES))
def audit_checkpoint():
    """A signed checkpoint of the chain's head, outside the database (core.audit): deleting
    events it saw shows in `zwfw audit verify`."""
    audit.checkpoint()


@db_task()
def run_export_task(job_id: int):
    """A background .xlsx export (core.exports)."""
    from zwfw.core import exports

    exports.run(job_id)
