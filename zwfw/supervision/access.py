"""Who may do what in supervision. Services and selectors call these; views never decide.

Interference reports and fault-tolerance records are for the discipline office only (N-7,
N-21): unlike every other check in the platform, a superuser or center administrator gets
no implicit access. Only an account that explicitly holds the discipline role reads them.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from zwfw.core.errors import Forbidden
from zwfw.core.permissions import Role, department_scope, has_role, roles_of
from zwfw.grants.models import Grant
from zwfw.grants.selectors import in_force_q
from zwfw.org.models import Person

# Draws: the supervisor makes them; these read them and may replay them.
DRAW_VIEW_ROLES = (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.AUDITOR, Role.DISCIPLINE)
# The inspector pool is kept by the supervision office or the center.
POOL_ROLES = (Role.SUPERVISOR, Role.CENTER_ADMIN)
# Hotline tickets: written by the supervision office or the center (and the 12345 gateway's
# account, which holds one of these roles); read also by departments and auditors.
HOTLINE_WRITE_ROLES = (Role.SUPERVISOR, Role.CENTER_ADMIN)
HOTLINE_HANDLE_ROLES = (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)
HOTLINE_VIEW_ROLES = (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, Role.AUDITOR)
# Rectifications of inspection problems: the department records; these read.
RECTIFICATION_VIEW_ROLES = (
    Role.DEPARTMENT_ADMIN,
    Role.SUPERVISOR,
    Role.CENTER_ADMIN,
    Role.AUDITOR,
)

DISCIPLINE_ONLY = "仅纪检监察人员可以查看和处理干预记录、容错纠错记录"


def is_discipline(user) -> bool:
    """Holds the discipline role explicitly (a superuser without it does not count)."""
    return Role.DISCIPLINE in roles_of(user) and getattr(user, "is_active", False)


def require_discipline(user, department=None) -> None:
    """The discipline role, covering `department` when given (else in any scope; the lists
    are then filtered by `discipline_scope`)."""
    if not is_discipline(user):
        raise Forbidden(DISCIPLINE_ONLY)
    if department is not None and not has_role(user, Role.DISCIPLINE, department=department):
        raise Forbidden(DISCIPLINE_ONLY)


def discipline_scope(user):
    """Department ids the discipline account covers (None: all); refuses anyone else."""
    require_discipline(user)
    return department_scope(user, Role.DISCIPLINE)


def may_record_rectification(user, rectification) -> bool:
    """The department's administrator records the rectification of an open problem."""
    return rectification.status == "open" and has_role(
        user, Role.DEPARTMENT_ADMIN, department=rectification.department
    )


def holds_chief_grant(person: Person | None, *days: datetime.date) -> bool:
    """A chief service officer or chief representative with a grant in force on any of `days`."""
    if person is None:
        return False
    in_force = Q()
    for day in days:
        in_force |= in_force_q(day)
    return Grant.objects.filter(in_force, grantee=person).exists()


def may_report_interference(user, on: datetime.date | None = None) -> bool:
    """N-7: the page is offered to chief officers in office today."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return holds_chief_grant(person, on or timezone.localdate())
