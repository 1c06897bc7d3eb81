"""Huey jobs of the working-day calendar: thin wrappers around zwfw.workdays.recompute."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zwfw.workdays import recompute


@db_task()
def recompute_due_dates(job_id: int):
    """After a calendar edit: open cases' due dates, batch after batch (L-CAL)."""
    job = recompute.run(job_id)
    return job.state if job is not None else None


@db_periodic_task(crontab(minute="*"))
def resume_due_date_recomputes():
    """A worker that died mid-job (or a queue that lost the task) leaves the job's heartbeat
    still: queue it again; it goes on from its cursor."""
    return recompute.resume()
