"""Huey jobs of case handling: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zwfw.cases import services


@db_periodic_task(crontab(hour="0", minute="20"))
def refresh_open_cases():
    """Each night (and after a restart): deemed acceptances, due dates, remaining working days
    and alert levels of open cases (L-ACCEPT, L-LIMIT)."""
    return services.refresh_open_cases()


@db_periodic_task(crontab(hour="0", minute="40"))
def settle_joint_cases():
    """Each night: joint cases whose parts have all closed are stored as completed."""
    from zwfw.cases import joint

    return joint.settle_open_joint_cases()


@db_periodic_task(crontab(minute="*/10"))
def recount_case_rollups():
    """Every 10 minutes (so within 10 minutes of the nightly clock refresh at 00:20): fold
    the delta rows of the case rollups and take in clock columns changed without a
    transition (zwfw.cases.rollups explains why)."""
    from zwfw.cases import rollups

    return rollups.recount(), rollups.fold_completions()
