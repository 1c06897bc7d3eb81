"""Filing (备案) of the government service section head: who may be chief representative
(R-12, seed 002 第十二条)."""

import datetime

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.grants.models import SectionHeadFiling
from zwfw.org.models import Department, Person


@transaction.atomic
def file_section_head(
    *,
    by,
    department: Department,
    person: Person,
    acting: bool = False,
    filed_on: datetime.date | None = None,
    document_number: str = "",
) -> SectionHeadFiling:
    """Record the filed head (or acting deputy) of a department's government service section;
    the filing replaces the previous one from its date (R-12)."""
    require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department)
    today = timezone.localdate()
    filed_on = filed_on or today
    if filed_on > today:
        raise RuleViolation("invalid", "备案日期不能晚于今天", field="filed_on")
    if person.department_id != department.pk:
        raise RuleViolation("R-12", f"{person.name}不是{department.name}的工作人员", field="person")
    if person.section_id is None or not person.section.is_service_section:
        raise RuleViolation(
            "R-12",
            f"{person.name}不在本部门政务服务科（股），只能备案政务服务科科长或主持工作的副科长",
            field="person",
        )
    Department.objects.select_for_update().get(pk=department.pk)
    later = SectionHeadFiling.objects.filter(department=department, filed_on__gt=filed_on)
    if later.exists():
        raise RuleViolation("invalid", "已有更晚日期的备案，不能补登更早的备案", field="filed_on")
    previous = list(
        SectionHeadFiling.objects.filter(
            department=department, ended_on__isnull=True
        ).select_related("person")
    )
    for old in previous:
        old.ended_on = filed_on
        old.save(update_fields=["ended_on"])
    filing = SectionHeadFiling(
        department=department,
        person=person,
        acting=acting,
        filed_on=filed_on,
        document_number=document_number.strip(),
        recorded_by=by,
    )
    filing.full_clean()
    filing.save()
    audit.record(
        actor=by,
        action="file_section_head",
        obj=filing,
        before={"heads": [o.person_id for o in previous]} if previous else None,
        after={
            "department": department.code,
            "person": person.pk,
            "acting": acting,
            "filed_on": filed_on,
            "document_number": filing.document_number,
        },
    )
    return filing
