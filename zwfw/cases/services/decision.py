"""Decisions by authority (N-4, N-13, N-14): first review, decision, referral to the decision
committee and the committee's decision, and immediate items done on the spot."""

import datetime

from django.db import transaction

from zwfw.cases import notices
from zwfw.cases.models import Case, Procedure, Result, SealUse
from zwfw.cases.services.base import (
    CLOCK_FIELDS,
    lock,
    moment,
    person_of,
    refresh_clock,
    save_step,
    take,
)
from zwfw.cases.states import Action, CaseState, next_state
from zwfw.core import audit
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.permissions import Role, has_role

S = CaseState


def _authority(by, case: Case, on: datetime.date):
    """N-13: the grant by which this person acts on this item today (grants is the only
    source of a right to decide)."""
    from zwfw.grants.selectors import authority_for

    return authority_for(person_of(by), case.item, on=on)


def _no_authority(case: Case, on: datetime.date, what: str) -> RuleViolation:
    return RuleViolation(
        "N-13",
        f"您在{on:%Y年%m月%d日}没有“{case.item.name}”的{what}授权（谁审批谁负责：决定须依据"
        "有效的授权委托书）",
        field="result",
    )


def check_first_review(case: Case, by, on: datetime.date):
    """初审 by `by` now: a preliminary item, not yet reviewed, by a holder of preliminary
    authority for it (N-4). Returns the authority."""
    authority = _authority(by, case, on)
    if authority is None or authority.scope != "preliminary":
        raise _no_authority(case, on, "初审")
    if case.procedure != Procedure.PRELIMINARY:
        raise RuleViolation("N-4", "本事项由首席服务员直接决定，不经初审", field="opinion")
    if case.first_reviewed_by_id:
        raise Conflict("already_reviewed", "本件已经初审")
    return authority


@transaction.atomic
def first_review_case(*, case: Case, by, opinion: str, on: datetime.date | None = None) -> Case:
    """The chief officer's first review of a preliminary item (N-4; 授权委托书第二项)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.FIRST_REVIEW)
    authority = check_first_review(case, by, on)
    opinion = (opinion or "").strip()
    if not opinion:
        raise RuleViolation("invalid", "请填写初审意见", field="opinion")
    case.status = after
    case.first_reviewed_by = person_of(by)
    case.first_review_grant = authority.grant
    case.first_review_opinion = opinion[:4000]
    case.first_reviewed_on = on
    refresh_clock(case, on)
    save_step(
        case,
        action="first_review",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=[
            "first_reviewed_by",
            "first_review_grant",
            "first_review_opinion",
            "first_reviewed_on",
            *CLOCK_FIELDS,
        ],
        text=f"初审意见：{case.first_review_opinion}",
        public=False,
        audit_after={"grant": authority.grant.pk, "opinion": case.first_review_opinion},
    )
    return case


def check_decide(case: Case, by, on: datetime.date, use_seal: bool = False):
    """作出决定 by `by` now (N-4, N-13, N-14). Returns the authority relied on."""
    if case.status == S.REFERRED:
        raise RuleViolation(
            "N-14", "本件已提交审批决策委员会，由委员会会议作出决定", field="result"
        )
    if case.procedure == Procedure.NORMAL:
        raise RuleViolation(
            "N-4",
            "本件按一般程序办理（受理时无首席服务员授权），须逐环节办理，由最后环节作出决定",
            field="result",
        )
    authority = _authority(by, case, on)
    if authority is None or not authority.may_decide:
        raise _no_authority(case, on, "审批决定")
    if case.procedure == Procedure.PRELIMINARY:
        if not case.first_reviewed_by_id:
            raise RuleViolation("N-4", "本事项须先经首席服务员初审，再作出决定", field="result")
        if case.first_reviewed_by_id == authority.grant.grantee_id:
            raise RuleViolation(
                "N-4", "初审人不能同时作出终审决定，须由另一名有权人员决定", field="result"
            )
    if use_seal and "use_seal" not in authority.powers:
        raise RuleViolation("N-13", "您的授权不含印章使用权，不能使用审批专用章", field="use_seal")
    return authority


def _set_decision(case: Case, *, result: str, opinion: str, on: datetime.date) -> None:
    if result not in Result.values:
        raise RuleViolation("invalid", "决定结果须为准予（approve）或不予（deny）", field="result")
    # The clock stops at the decision: read it once more for that day and keep it.
    refresh_clock(case, on)
    case.result = result
    case.opinion = (opinion or "").strip()[:4000]
    case.decided_on = on


DECISION_FIELDS = [
    "result",
    "opinion",
    "decided_on",
    "decided_by",
    "grant",
    "post_assignment",
    "agenda_item",
    "committee_meeting",
    *CLOCK_FIELDS,
]


def record_decision(
    case: Case,
    *,
    by,
    on: datetime.date,
    at: datetime.datetime,
    before: str,
    result: str,
    opinion: str,
    decided_by,
    grant=None,
    post_assignment=None,
    label: str = "",
    audit_extra: dict | None = None,
) -> Case:
    """The one path of a decision by a person (N-13): the deciding person and the authority
    relied on (a grant, or the post assignment of the normal procedure's last step) are
    stored, the clock stops, the timeline, audit and the applicant's SMS are written. The
    caller holds the lock and has checked the authority."""
    after = next_state(S(before), Action.DECIDE)
    _set_decision(case, result=result, opinion=opinion, on=on)
    case.status = after
    case.decided_by = decided_by
    case.grant = grant
    case.post_assignment = post_assignment
    save_step(
        case,
        action="decide",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=DECISION_FIELDS,
        text=(f"{label}" if label else "")
        + f"作出{Result(result).label}的决定"
        + (f"：{case.opinion}" if case.opinion else ""),
        audit_after={
            "result": result,
            "grant": grant.pk if grant else None,
            "post_assignment": post_assignment.pk if post_assignment else None,
            "decided_by": decided_by.pk,
            "remaining_workdays": case.remaining_workdays,
            **(audit_extra or {}),
        },
        sms=("decision", notices.decision_text(case)),
    )
    return case


@transaction.atomic
def decide_case(
    *,
    case: Case,
    by,
    result: str,
    opinion: str = "",
    use_seal: bool = False,
    on: datetime.date | None = None,
) -> Case:
    """Decide by delegated authority: the person and the grant are recorded, and the seal use
    when the seal power is used (N-4, N-13; 行政许可法第42条)."""
    on, at = moment(on)
    case, before, _after = take(case, on, Action.DECIDE)
    authority = check_decide(case, by, on, use_seal)
    if result == Result.DENY and not (opinion or "").strip():
        raise RuleViolation("invalid", "不予许可须写明理由", field="opinion")
    if result not in Result.values:
        raise RuleViolation("invalid", "决定结果须为准予（approve）或不予（deny）", field="result")
    if use_seal:
        SealUse.objects.create(
            case=case, person=authority.grant.grantee, grant=authority.grant, used_on=on
        )
    return record_decision(
        case,
        by=by,
        on=on,
        at=at,
        before=before,
        result=result,
        opinion=opinion,
        decided_by=authority.grant.grantee,
        grant=authority.grant,
        audit_extra={"seal": use_seal},
    )


def check_refer(case: Case, by, on: datetime.date) -> None:
    """提请审批决策委员会研究: a chief officer with authority for the item, or the department's
    administrator (N-4, N-14)."""
    authority = _authority(by, case, on)
    if authority is None and not has_role(by, Role.DEPARTMENT_ADMIN, department=case.department):
        raise RuleViolation(
            "N-14",
            "只有对本事项有授权的首席服务员（或部门管理员）可以提请审批决策委员会研究",
            field="meeting",
        )


@transaction.atomic
def refer_case(*, case: Case, by, meeting, note: str = "", on: datetime.date | None = None) -> Case:
    """A chief officer refers a complex case to the decision committee; it goes on the agenda
    of a meeting with the case number as reference (N-4, N-14)."""
    from zwfw.grants.models import AgendaItem, CommitteeMeeting

    on, at = moment(on)
    case, before, after = take(case, on, Action.REFER)
    check_refer(case, by, on)
    if meeting is None:
        raise RuleViolation("invalid", "请选择审批决策委员会会议", field="meeting")
    meeting = CommitteeMeeting.objects.select_related("committee").get(pk=meeting.pk)
    if meeting.status != CommitteeMeeting.Status.SCHEDULED:
        raise RuleViolation("N-14", "该会议已召开，请选择待召开的会议", field="meeting")
    center_ids = case.department.center_path_ids()
    if meeting.committee.center_id not in center_ids:
        raise RuleViolation("N-14", "该委员会不属于本办件所在的政务服务中心", field="meeting")
    note = (note or "").strip()
    # Written here rather than through grants' add_agenda_item: that service is for the
    # committee's own office (center admin / members), while the referral is the officer's.
    agenda = AgendaItem.objects.create(
        meeting=meeting, title=f"{case.item.name}（办件{case.number}）"[:300], reference=case.number
    )
    audit.record(
        actor=by,
        action="add_agenda_item",
        obj=agenda,
        after={
            "meeting": meeting.pk,
            "title": agenda.title,
            "reference": case.number,
            "note": note,
        },
    )
    case.status = after
    case.agenda_item = agenda
    refresh_clock(case, on)
    save_step(
        case,
        action="refer",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["agenda_item", *CLOCK_FIELDS],
        text=f"提请{meeting.committee.name}{meeting.title}（{meeting.held_on:%Y年%m月%d日}）"
        "研究决定" + (f"：{note}" if note else ""),
        audit_after={"meeting": meeting.pk, "agenda_item": agenda.pk, "note": note},
    )
    return case


def on_agenda_decided(*, item, by) -> None:
    """grants.hooks callback: the committee decided an agenda item; when it is a referred case,
    the meeting's decision becomes the case's decision (N-14)."""
    if not item.reference:
        return
    case = Case.objects.filter(agenda_item=item).first()
    if case is None:
        return
    record_committee_decision(case=case, agenda_item=item, by=by)


@transaction.atomic
def record_committee_decision(*, case: Case, agenda_item, by) -> Case:
    """The decision of the committee meeting on a referred case (N-14)."""
    case = lock(case)
    if case.status != S.REFERRED or case.agenda_item_id != agenda_item.pk:
        return case  # already decided, withdrawn or referred elsewhere: nothing to carry
    before = case.status
    after = next_state(S(before), Action.DECIDE)
    # The committee decides at its meeting: that day is the decision date (N-14).
    on = agenda_item.meeting.held_on
    _, at = moment(on)
    approved = agenda_item.result == agenda_item.Result.APPROVED
    _set_decision(
        case,
        result=Result.APPROVE if approved else Result.DENY,
        opinion=agenda_item.decision_text,
        on=on,
    )
    case.status = after
    case.committee_meeting = agenda_item.meeting
    meeting = agenda_item.meeting
    save_step(
        case,
        action="committee_decide",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=DECISION_FIELDS,
        text=f"{meeting.title}（{meeting.held_on:%Y年%m月%d日}）研究决定："
        f"{Result(case.result).label}（同意{agenda_item.votes_for}票，"
        f"反对{agenda_item.votes_against}票，弃权{agenda_item.votes_abstain}票）"
        + (f"，{case.opinion}" if case.opinion else ""),
        audit_after={"result": case.result, "meeting": meeting.pk, "agenda_item": agenda_item.pk},
        sms=("decision", notices.decision_text(case)),
    )
    return case


def handle_on_the_spot(*, case: Case, by, on: datetime.date) -> Case:
    """R-16: an immediate item with complete materials is accepted, decided and completed at
    once when the person at the window holds the authority (else it waits for one who does)."""
    authority = _authority(by, case, on)
    if authority is None or not authority.may_decide or case.procedure != Procedure.FINAL:
        return case
    from zwfw.cases.services.acceptance import accept_case
    from zwfw.cases.services.closing import complete_on_the_spot

    case = accept_case(case=case, by=by, on=on)
    case = decide_case(case=case, by=by, result=Result.APPROVE, opinion="即办件，当场办结", on=on)
    return complete_on_the_spot(case=case, by=by, on=on)
