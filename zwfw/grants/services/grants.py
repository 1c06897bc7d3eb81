"""Writes of the grants app: recording a decided grant and the daily status refresh
(N-10, C-4.3, R-12, N-9). Proposals are in services.proposals, revocation and renewal in
services.changes."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.grants import terms
from zwfw.grants.models import Grant, GrantProposal, LeadingGroupDecision
from zwfw.grants.services.checks import check_grant, decision_members
from zwfw.grants.terms import GrantStatus
from zwfw.org.models import Department, Person


def today_or(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def snapshot(grant: Grant) -> dict:
    return {
        "role": grant.role,
        "grantee": grant.grantee_id,
        "department": grant.department.code,
        "final_items": sorted(i.code for i in grant.final_items.all()),
        "preliminary_items": sorted(i.code for i in grant.preliminary_items.all()),
        "powers": list(grant.powers),
        "valid_from": grant.valid_from,
        "valid_to": grant.valid_to,
        "status": grant.status,
        "revoked_on": grant.revoked_on,
    }


def lock_department(department: Department) -> Department:
    # Two grants for one department decided at once must see each other (C-4.3 checks).
    return Department.objects.select_for_update().get(pk=department.pk)


def not_future(day: datetime.date, today: datetime.date, field: str) -> None:
    if day > today:
        raise RuleViolation("invalid", "研究决定日期不能晚于今天", field=field)


@transaction.atomic
def grant_authority(
    *,
    by,
    role: str,
    grantee: Person,
    department: Department,
    final_items: Iterable,
    preliminary_items: Iterable,
    powers: Iterable[str],
    valid_from: datetime.date,
    valid_to: datetime.date,
    justification: str = "",
    business_domain: str = "",
    decided_on: datetime.date | None = None,
    decision_note: str = "",
    members_present: Iterable[Person] = (),
) -> Grant:
    """Record a grant the leading group has decided (center administrator; N-10, C-4.3)."""
    require_role(by, Role.CENTER_ADMIN, department=department)
    today = timezone.localdate()
    decided_on = decided_on or today
    not_future(decided_on, today, "decided_on")
    members = decision_members(by, members_present, required=False)
    decision = LeadingGroupDecision.objects.create(
        kind=LeadingGroupDecision.Kind.APPOINT,
        result=LeadingGroupDecision.Result.APPROVE,
        decided_on=decided_on,
        note=decision_note.strip(),
        recorded_by=by,
    )
    decision.members_present.set(members)
    grant = create_checked_grant(
        by=by,
        decision=decision,
        proposal=None,
        role=role,
        grantee=grantee,
        department=department,
        final_items=list(final_items),
        preliminary_items=list(preliminary_items),
        powers=powers,
        valid_from=valid_from,
        valid_to=valid_to,
        justification=justification,
        business_domain=business_domain,
        on=decided_on,
    )
    decision.grant = grant
    decision.save(update_fields=["grant"])
    return grant


def create_checked_grant(
    *,
    by,
    decision: LeadingGroupDecision,
    proposal: GrantProposal | None,
    role: str,
    grantee: Person,
    department: Department,
    final_items: list,
    preliminary_items: list,
    powers,
    valid_from: datetime.date,
    valid_to: datetime.date,
    justification: str,
    business_domain: str,
    on: datetime.date,
) -> Grant:
    from zwfw.staff.services import ensure_may_start

    # a new resident named in a change letter holds no authority before the center's
    # approving reply.
    ensure_may_start(grantee, valid_from)
    department = lock_department(department)
    powers, overlapping = check_grant(
        role=role,
        grantee=grantee,
        department=department,
        final_items=final_items,
        preliminary_items=preliminary_items,
        powers=powers,
        valid_from=valid_from,
        valid_to=valid_to,
        business_domain=business_domain,
        justification=justification,
        on=on,
    )
    grant = Grant(
        role=role,
        grantee=grantee,
        department=department,
        powers=sorted(powers),
        valid_from=valid_from,
        valid_to=valid_to,
        justification=justification.strip(),
        business_domain=business_domain.strip(),
        decision=decision,
        proposal=proposal,
        exception_approved_by=by if overlapping else None,
        status=terms.status_on(valid_from, valid_to, None, timezone.localdate()),
    )
    grant.full_clean(exclude=["decision", "proposal"])
    grant.save()
    grant.final_items.set(final_items)
    grant.preliminary_items.set(preliminary_items)
    after = snapshot(grant)
    if overlapping:
        # C-4.3 "in principle one": the exception, its reason and its approver stay on record.
        after["exception"] = {
            "overlapping": [g.pk for g in overlapping],
            "business_domain": grant.business_domain,
            "justification": grant.justification,
            "approved_by": by.pk,
        }
    audit.record(actor=by, action="grant_authority", obj=grant, after=after)
    return grant


@transaction.atomic
def refresh_grant_statuses(*, on: datetime.date | None = None) -> int:
    """Bring the stored status column up to date (daily task); returns how many changed."""
    on = today_or(on)
    changed = 0
    candidates = (
        Grant.objects.select_related("department")
        .exclude(status__in=[GrantStatus.EXPIRED, GrantStatus.REVOKED])
        .select_for_update(of=("self",))
    )
    for grant in candidates:
        status = grant.status_on(on)
        if status != grant.status:
            audit.record(
                actor=None,
                action="refresh_grant_status",
                obj=grant,
                before={"status": grant.status},
                after={"status": status, "on": on},
            )
            Grant.objects.filter(pk=grant.pk).update(status=status)
            changed += 1
    return changed
