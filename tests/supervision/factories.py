"""Helpers for supervision tests: closed cases written straight to the table (fast, with
exactly the dates and handlers a test needs), inspectors in the pool, a chief officer."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from tests.factories import staff
from tests.grants.factories import item as make_item
from zwfw.cases.models import Applicant, Case
from zwfw.core.crypto import blind_index
from zwfw.supervision.models import InspectorPoolMember

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def applicant() -> Applicant:
    n = next(_seq)
    ident = f"91371000MA{n:08d}"
    return Applicant.objects.create(
        kind="organisation",
        name=f"测试公司{n}",
        identifier=ident,
        identifier_index=blind_index(ident),
    )


def closed_case(
    department,
    *,
    on: datetime.date,
    item=None,
    status: str = "completed",
    number: str | None = None,
    received_by=None,
    decided_by=None,
    first_reviewed_by=None,
    procedure: str = "final",
) -> Case:
    """A case closed on `on` (completed, refused, withdrawn or terminated)."""
    n = next(_seq)
    item = item or make_item(department)
    dates = {
        "completed": {"completed_on": on},
        "refused": {"refused_on": on},
        "withdrawn": {"closed_on": on},
        "terminated": {"closed_on": on},
    }.get(status, {})
    return Case.objects.create(
        number=number or f"T-{on:%Y%m%d}-{n:05d}",
        item=item,
        department=department,
        center=department.center,
        applicant=applicant(),
        phone="13912345678",
        phone_last4="5678",
        channel="window",
        procedure=procedure,
        status=status,
        received_by=received_by,
        received_at=at(on - datetime.timedelta(days=3)),
        decided_by=decided_by,
        first_reviewed_by=first_reviewed_by,
        **dates,
    )


POOL_SINCE = D(2025, 1, 1)


def inspector(department, *, role="window_staff", since=POOL_SINCE, **fields):
    """A person of `department` with an account, in the inspector pool."""
    person = staff(role, department=department, **fields)
    InspectorPoolMember.objects.create(person=person, since=since, active=True)
    return person
