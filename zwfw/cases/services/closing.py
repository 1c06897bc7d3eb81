"""Completion (办结), withdrawal (撤回) and termination (终止)."""

import datetime

from django.db import transaction

from zwfw.cases import notices
from zwfw.cases.models import Case
from zwfw.cases.services.base import (
    MANAGING_ROLES,
    PhoneProof,
    moment,
    require_handler,
    require_proof,
    save_step,
    take,
)
from zwfw.cases.services.delivery import completion_text, record_delivery, require_delivery
from zwfw.cases.states import Action
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import require_role


def check_complete(case: Case, by):
    """办结 by `by` now: a handler, and the decision delivered (returns the delivery)."""
    require_handler(by, case)
    return require_delivery(case)


@transaction.atomic
def complete_case(*, case: Case, by, on: datetime.date | None = None) -> Case:
    """Complete a decided case whose decision was delivered (送达, 行政许可法第44条: refused
    with `delivery_required` before); the applicant is told it is done (R-16)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.COMPLETE)
    delivery = check_complete(case, by)
    case.status = after
    case.completed_on = on
    save_step(
        case,
        action="complete",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["completed_on"],
        text="办结，决定文书已送达",
        sms=("ready", completion_text(case, delivery)),
    )
    return case


def complete_on_the_spot(*, case: Case, by, on: datetime.date) -> Case:
    """R-16: an immediate item decided at the window is handed over there and completed."""
    record_delivery(case=case, by=by, method="window", note="即办件，当场送达", on=on)
    return complete_case(case=case, by=by, on=on)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("invalid", "请填写原因", field="reason")
    if len(reason) > 2000:
        raise RuleViolation("invalid", "原因最多2000字", field="reason")
    return reason


WITHDRAW_PURPOSE = "withdraw"


@transaction.atomic
def withdraw_case(
    *,
    case: Case,
    by,
    reason: str,
    on: datetime.date | None = None,
    proof: PhoneProof | None = None,
) -> Case:
    """The applicant withdraws: at the window, recorded by staff, or on the public site
    (`by` is None) with a one-time SMS code sent to the case's phone as `proof` (issue 11
    point 4: the last four digits are not enough). Public callers go through
    services.public.withdraw_by_applicant, which checks the code outside this transaction."""
    on, at = moment(on)
    if by is None:
        require_proof(proof, phone=case.phone, purpose=WITHDRAW_PURPOSE, subject=case.number)
    case, before, after = take(case, on, Action.WITHDRAW)
    if by is not None:
        require_handler(by, case)
    case.status = after
    case.closed_reason = _reason(reason)
    case.closed_on = on
    save_step(
        case,
        action="withdraw",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["closed_reason", "closed_on"],
        text=("申请人撤回申请：" if by is None else "撤回申请：") + case.closed_reason,
        audit_after={"reason": case.closed_reason, "by_applicant": by is None},
        sms=("withdrawal", notices.closed_text(case, "撤回")),
    )
    return case


def check_terminate(case: Case, by) -> None:
    """终止 is the department's managers' decision."""
    require_role(by, *MANAGING_ROLES, department=case.department)


@transaction.atomic
def terminate_case(*, case: Case, by, reason: str, on: datetime.date | None = None) -> Case:
    """Terminate handling (the applicant died, the entity was dissolved …), with the reason."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.TERMINATE)
    check_terminate(case, by)
    case.status = after
    case.closed_reason = _reason(reason)
    case.closed_on = on
    save_step(
        case,
        action="terminate",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["closed_reason", "closed_on"],
        text="终止办理：" + case.closed_reason,
        audit_after={"reason": case.closed_reason},
        sms=("withdrawal", notices.closed_text(case, "终止办理")),
    )
    return case
