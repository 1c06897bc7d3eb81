"""Helpers for grants tests: service items, eligible people, grants made through services."""

import datetime
import itertools

from tests.factories import PersonFactory, staff
from zwfw.catalog.models import ServiceItem
from zwfw.grants import services
from zwfw.org.models import Section

_codes = itertools.count(1)

D = datetime.date
SERVICE_START = D(2018, 3, 1)
FROM, TO = D(2025, 1, 1), D(2026, 12, 31)


def item(department, *, name=None, included=True, active=True, handling_name=""):
    n = next(_codes)
    return ServiceItem.objects.create(
        code=f"T{department.code}-{n:04d}",
        name=name or f"测试许可事项{n}",
        handling_name=handling_name,
        department=department,
        item_type="license",
        chief_list_included=included,
        active=active,
    )


def service_section(department):
    section, _ = Section.objects.get_or_create(
        department=department, name="政务服务科", defaults={"is_service_section": True}
    )
    return section


def candidate(department, *, service_start_date=SERVICE_START, **fields):
    """A person of the department with years of approval work, in the service section."""
    return PersonFactory(
        department=department,
        section=service_section(department),
        position=fields.pop("position", "审批科副科长"),
        service_start_date=service_start_date,
        **fields,
    )


def leader(center):
    """A leading-group member (person with an account holding the role)."""
    return staff("leading_group", department=None, center=center)


ALL_POWERS = ["decide", "review_and_report", "use_seal", "coordinate"]


def make_grant(
    by,
    department,
    *,
    grantee=None,
    final=None,
    preliminary=(),
    valid_from=FROM,
    valid_to=TO,
    decided_on=None,
    role="chief_service_officer",
    powers=ALL_POWERS,
    **kwargs,
):
    """A grant recorded by a center admin as decided by the leading group."""
    grantee = grantee or candidate(department)
    final = [item(department)] if final is None else list(final)
    return services.grant_authority(
        by=by,
        role=role,
        grantee=grantee,
        department=department,
        final_items=final,
        preliminary_items=list(preliminary),
        powers=powers,
        valid_from=valid_from,
        valid_to=valid_to,
        decided_on=decided_on or valid_from,
        **kwargs,
    )
