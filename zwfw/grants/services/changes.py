"""Writes of the grants app: revocation and renewal by leading-group decision (N-12, 第十二条)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.grants import terms
from zwfw.grants.eligibility import GrantRole
from zwfw.grants.models import Grant, LeadingGroupDecision
from zwfw.grants.services.checks import check_coverage, decision_members
from zwfw.grants.services.grants import lock_department, not_future, snapshot
from zwfw.org.models import Person


def _decision_role(by, grant: Grant) -> None:
    # The leading group decides; the center administrator may record its decision.
    require_role(by, Role.LEADING_GROUP, Role.CENTER_ADMIN, department=grant.department)


@transaction.atomic
def revoke_grant(
    *,
    by,
    grant: Grant,
    reason: str,
    on: datetime.date | None = None,
    members_present: Iterable[Person] = (),
    note: str = "",
) -> Grant:
    """Revoke a grant within or after its term by leading-group decision; authority ends on
    the revocation date (N-12, 第十二条)."""
    _decision_role(by, grant)
    today = timezone.localdate()
    on = on or today
    not_future(on, today, "decided_on")
    grant = Grant.objects.select_for_update().select_related("department").get(pk=grant.pk)
    if grant.revoked_on is not None:
        raise Conflict("already_revoked", f"该授权已于{grant.revoked_on:%Y年%m月%d日}撤销")
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("N-12", "撤销授权须记录原因", field="reason")
    members = decision_members(by, members_present, required=False)
    before = snapshot(grant)
    decision = LeadingGroupDecision.objects.create(
        kind=LeadingGroupDecision.Kind.REVOKE,
        result=LeadingGroupDecision.Result.APPROVE,
        decided_on=on,
        note=note.strip() or reason,
        grant=grant,
        recorded_by=by,
    )
    decision.members_present.set(members)
    grant.revoked_on = on
    grant.revocation_reason = reason
    grant.status = grant.status_on(today)
    grant.save(update_fields=["revoked_on", "revocation_reason", "status", "updated_at"])
    audit.record(
        actor=by,
        action="revoke_grant",
        obj=grant,
        before=before,
        after={**snapshot(grant), "reason": reason, "decision": decision.pk},
    )
    return grant


@transaction.atomic
def renew_grant(
    *,
    by,
    grant: Grant,
    valid_to: datetime.date,
    on: datetime.date | None = None,
    members_present: Iterable[Person] = (),
    note: str = "",
) -> Grant:
    """Renew a grant before it ends by leading-group decision (N-12, 第十二条; C-4.3 term)."""
    _decision_role(by, grant)
    today = timezone.localdate()
    on = on or today
    not_future(on, today, "decided_on")
    grant = (
        Grant.objects.select_for_update().select_related("department", "grantee").get(pk=grant.pk)
    )
    if grant.revoked_on is not None:
        raise RuleViolation("N-12", "已撤销的授权不能延续，请重新提名", field="valid_to")
    if grant.valid_to < on:
        raise RuleViolation(
            "N-12",
            f"该授权已于{grant.valid_to:%Y年%m月%d日}期满，不能延续，请由所在单位重新提名",
            field="valid_to",
        )
    if valid_to <= grant.valid_to:
        raise RuleViolation(
            "invalid",
            f"新的截止日期须晚于原截止日期{grant.valid_to:%Y年%m月%d日}",
            field="valid_to",
        )
    extension_from = grant.valid_to + datetime.timedelta(days=1)
    if grant.role == GrantRole.CHIEF_SERVICE_OFFICER and not terms.term_is_long_enough(
        extension_from, valid_to
    ):
        earliest = terms.add_years(extension_from, terms.MIN_TERM_YEARS) - datetime.timedelta(1)
        raise RuleViolation(
            "C-4.3",
            f"延续授权的任期原则上至少2年：截止日期不得早于{earliest:%Y年%m月%d日}",
            field="valid_to",
        )
    lock_department(grant.department)
    check_coverage(
        role=grant.role,
        department=grant.department,
        valid_from=extension_from,
        valid_to=valid_to,
        business_domain=grant.business_domain,
        justification=grant.justification,
        on=on,
        exclude=grant,
    )
    members = decision_members(by, members_present, required=False)
    before = snapshot(grant)
    decision = LeadingGroupDecision.objects.create(
        kind=LeadingGroupDecision.Kind.RENEW,
        result=LeadingGroupDecision.Result.APPROVE,
        decided_on=on,
        note=note.strip(),
        grant=grant,
        previous_valid_to=grant.valid_to,
        new_valid_to=valid_to,
        recorded_by=by,
    )
    decision.members_present.set(members)
    grant.valid_to = valid_to
    grant.status = grant.status_on(today)
    grant.save(update_fields=["valid_to", "status", "updated_at"])
    audit.record(
        actor=by,
        action="renew_grant",
        obj=grant,
        before=before,
        after={**snapshot(grant), "decision": decision.pk},
    )
    return grant
