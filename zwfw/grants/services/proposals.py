"""Writes of the grants app: a department's proposal and the leading group's decision on it
(N-10, 第十条–第十一条)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.grants.models import GrantProposal, LeadingGroupDecision
from zwfw.grants.services.checks import check_grant, decision_members
from zwfw.grants.services.grants import create_checked_grant, not_future, today_or
from zwfw.org.models import Department, Person


@transaction.atomic
def propose_grant(
    *,
    by,
    department: Department,
    role: str,
    grantee: Person,
    final_items: Iterable,
    preliminary_items: Iterable,
    powers: Iterable[str],
    valid_from: datetime.date,
    valid_to: datetime.date,
    justification: str = "",
    business_domain: str = "",
    on: datetime.date | None = None,
) -> GrantProposal:
    """A department proposes a chief service officer or chief representative (N-10, 第十条)."""
    require_role(by, Role.DEPARTMENT_ADMIN, department=department)
    on = today_or(on)
    final_items, preliminary_items = list(final_items), list(preliminary_items)
    powers, _overlapping = check_grant(
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
    proposal = GrantProposal(
        department=department,
        role=role,
        grantee=grantee,
        powers=sorted(powers),
        valid_from=valid_from,
        valid_to=valid_to,
        justification=justification.strip(),
        business_domain=business_domain.strip(),
        proposed_on=on,
        proposed_by=by,
    )
    proposal.full_clean()
    proposal.save()
    proposal.final_items.set(final_items)
    proposal.preliminary_items.set(preliminary_items)
    audit.record(
        actor=by,
        action="propose_grant",
        obj=proposal,
        after={
            "department": department.code,
            "role": role,
            "grantee": grantee.pk,
            "final_items": sorted(i.code for i in final_items),
            "preliminary_items": sorted(i.code for i in preliminary_items),
            "powers": sorted(powers),
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return proposal


@transaction.atomic
def decide_proposal(
    *,
    by,
    proposal: GrantProposal,
    result: str,
    members_present: Iterable[Person] = (),
    note: str = "",
    on: datetime.date | None = None,
) -> LeadingGroupDecision:
    """The leading group decides a proposal in a recorded decision; approval creates the
    grant (N-10, 第十条–第十一条)."""
    require_role(by, Role.LEADING_GROUP, department=proposal.department)
    today = timezone.localdate()
    on = on or today
    not_future(on, today, "decided_on")
    proposal = GrantProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != GrantProposal.Status.PENDING:
        raise Conflict(
            "already_decided", f"该人选建议已研究决定（{proposal.get_status_display()}）"
        )
    if result not in LeadingGroupDecision.Result.values:
        raise RuleViolation("invalid", "决定结果须为同意或不同意", field="result")
    members = decision_members(by, members_present, required=True)
    if result == LeadingGroupDecision.Result.REJECT and not note.strip():
        raise RuleViolation("N-10", "不同意的，须记录研究意见", field="note")
    decision = LeadingGroupDecision.objects.create(
        kind=LeadingGroupDecision.Kind.APPOINT,
        result=result,
        decided_on=on,
        note=note.strip(),
        proposal=proposal,
        recorded_by=by,
    )
    decision.members_present.set(members)
    if result == LeadingGroupDecision.Result.APPROVE:
        grant = create_checked_grant(
            by=by,
            decision=decision,
            proposal=proposal,
            role=proposal.role,
            grantee=proposal.grantee,
            department=proposal.department,
            final_items=list(proposal.final_items.all()),
            preliminary_items=list(proposal.preliminary_items.all()),
            powers=proposal.powers,
            valid_from=proposal.valid_from,
            valid_to=proposal.valid_to,
            justification=proposal.justification,
            business_domain=proposal.business_domain,
            on=on,
        )
        decision.grant = grant
        decision.save(update_fields=["grant"])
        proposal.status = GrantProposal.Status.APPROVED
    else:
        proposal.status = GrantProposal.Status.REJECTED
    proposal.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="decide_proposal",
        obj=proposal,
        before={"status": GrantProposal.Status.PENDING},
        after={
            "status": proposal.status,
            "decided_on": on,
            "note": decision.note,
            "members_present": [m.pk for m in members],
            "grant": decision.grant_id,
        },
    )
    return decision
