"""申诉复核: a department contests a mistaken or malicious bad review; the center decides. An
upheld appeal excludes the rating from statistics and keeps it on record (NATIONAL.md). A
department can never delete or hide a rating: no service here or anywhere does."""

import datetime

from django.db import transaction

from zwfw.core import audit
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.evaluations import rollups
from zwfw.evaluations.models import Appeal, Evaluation, Rectification
from zwfw.evaluations.services import rectifications
from zwfw.evaluations.services.base import moment, required_text


@transaction.atomic
def file_appeal(
    *, evaluation: Evaluation, by, reason: str, on: datetime.date | None = None
) -> Appeal:
    """The rated department asks the center to review a bad rating (申诉)."""
    on, at = moment(on)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.department_id is None:
        raise Forbidden("该评价不属于任何部门，由中心直接处理，无需申诉")
    require_role(by, Role.DEPARTMENT_ADMIN, department=evaluation.department)
    if evaluation.good or evaluation.is_default:
        raise RuleViolation(
            "L-EVAL", "只能对差评（不满意、非常不满意）提出申诉", field="evaluation"
        )
    if evaluation.excluded:
        raise Conflict("already_excluded", "该评价已申诉核减")
    if Appeal.objects.filter(evaluation=evaluation).exists():
        raise Conflict("appeal_exists", "该评价已提出过申诉，不能重复申诉")
    appeal = Appeal.objects.create(
        evaluation=evaluation,
        center_id=evaluation.center_id,
        department_id=evaluation.department_id,
        reason=required_text(reason, "reason", "申诉理由"),
        filed_on=on,
        filed_at=at,
        filed_by=by,
    )
    audit.record(
        actor=by,
        action="file_appeal",
        obj=appeal,
        after={"evaluation": evaluation.pk, "reason": appeal.reason},
    )
    return appeal


@transaction.atomic
def decide_appeal(
    *, appeal: Appeal, by, upheld: bool, opinion: str, on: datetime.date | None = None
) -> Appeal:
    """The center upholds or rejects an appeal with its opinion; upheld excludes the rating
    from statistics (kept, shown as 已申诉核减) and ends its open rectification."""
    on, _at = moment(on)
    appeal = Appeal.objects.select_for_update().select_related("center").get(pk=appeal.pk)
    require_role(by, Role.CENTER_ADMIN, center=appeal.center)
    if appeal.status != Appeal.Status.PENDING:
        raise Conflict("invalid_transition", f"该申诉已复核（{appeal.get_status_display()}）")
    if appeal.filed_by_id == by.pk:
        raise Forbidden("申诉人不能复核本人提出的申诉")
    appeal.opinion = required_text(opinion, "opinion", "复核意见")
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
    appeal.decided_on, appeal.decided_by = on, by
    appeal.save(update_fields=["opinion", "status", "decided_on", "decided_by"])
    audit.record(
        actor=by,
        action="decide_appeal",
        obj=appeal,
        before={"status": Appeal.Status.PENDING},
        after={"status": appeal.status, "opinion": appeal.opinion},
    )
    if upheld:
        evaluation = Evaluation.objects.select_for_update().get(pk=appeal.evaluation_id)
        evaluation.excluded, evaluation.excluded_on = True, on
        evaluation.save(update_fields=["excluded", "excluded_on"])
        rollups.excluded(evaluation)  # the statistics' rollup, same transaction (R-21)
        audit.record(
            actor=by,
            action="exclude_evaluation",
            obj=evaluation,
            before={"excluded": False},
            after={"excluded": True, "appeal": appeal.pk},
        )
        rect = (
            Rectification.objects.select_for_update(of=("self",))
            .filter(evaluation_id=evaluation.pk)
            .first()
        )
        if rect is not None:
            rectifications.stop_for_exclusion(rect, by=by, on=on)
    return appeal
