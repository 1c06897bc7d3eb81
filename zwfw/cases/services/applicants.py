"""The registered applicant (申请人) behind the ledgers: renaming is a staff action with an
audit event, never a side effect of an application (issue 11 point 5, C-2.2)."""

from django.db import transaction

from zwfw.cases.models import Applicant, Case
from zwfw.cases.services.base import MANAGING_ROLES
from zwfw.core import audit
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.permissions import has_role


def may_rename(by, applicant: Applicant, *, case: Case | None = None) -> bool:
    """A department or center administrator covering a department that handles one of the
    applicant's cases (the name shows in that department's ledgers and documents). `case`,
    one of them already read (the case page), answers without a query when it suffices."""
    from zwfw.org.models import Department

    if case is not None and has_role(by, *MANAGING_ROLES, department=case.department):
        return True
    department_ids = Case.objects.filter(applicant=applicant).values("department_id")
    departments = Department.objects.filter(id__in=department_ids)
    return any(has_role(by, *MANAGING_ROLES, department=d) for d in departments)


@transaction.atomic
def rename_applicant(*, applicant: Applicant, name: str, by, reason: str) -> Applicant:
    """Change the registered name of an applicant (a company renamed, a typo corrected) in
    every case, ledger and document, after staff checked the licence or ID: audited."""
    if not may_rename(by, applicant):
        raise Forbidden("更正申请人名称须由办件所属部门的部门管理员或中心管理员办理")
    name = (name or "").strip()
    reason = (reason or "").strip()
    if not name:
        raise RuleViolation("invalid", "请填写申请人名称", field="name")
    if len(name) > 200:
        raise RuleViolation("invalid", "申请人名称过长", field="name")
    if not reason:
        raise RuleViolation("invalid", "请填写更正理由（如营业执照变更）", field="reason")
    row = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if row.name == name:
        raise RuleViolation("invalid", "新名称与登记名称相同", field="name")
    before = row.name
    row.name = name
    row.save(update_fields=["name"])
    audit.record(
        actor=by,
        action="rename_applicant",
        obj=row,
        before={"name": before},
        after={"name": name, "reason": reason[:500]},
    )
    applicant.name = name
    return row
