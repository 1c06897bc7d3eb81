"""Writes of the decision committee (审批决策委员会, N-14; seed 004 第十四条)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.grants import hooks, quorum
from zwfw.grants.models import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    DecisionCommittee,
    MeetingAttendance,
    Vote,
)
from zwfw.grants.quorum import VoteChoice
from zwfw.org.models import Department, Person, ServiceCenter

SINGLE_POSITIONS = (CommitteeMember.Position.DIRECTOR, CommitteeMember.Position.EXECUTIVE_DEPUTY)


def _manage(by, committee: DecisionCommittee) -> None:
    # The committee's office is run by committee members or the center administrator.
    require_role(by, Role.CENTER_ADMIN, Role.COMMITTEE_MEMBER, center=committee.center)


def _check_ratio(text: str, field: str) -> str:
    text = (text or "").strip()
    if text and quorum.parse_ratio(text, None) is None:
        raise RuleViolation("invalid", "比例须写成“2/3”这样的分数，且在0与1之间", field=field)
    return text


@transaction.atomic
def create_committee(
    *,
    by,
    center: ServiceCenter,
    name: str = "审批决策委员会",
    department: Department | None = None,
    office_name: str = "委员会办公室",
    office_head: Person | None = None,
    office_location: str = "",
    quorum_ratio: str = "",
    majority_ratio: str = "",
) -> DecisionCommittee:
    """Set up a decision committee and its office (N-14)."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    committee = DecisionCommittee(
        name=(name or "").strip() or "审批决策委员会",
        center=center,
        department=department,
        office_name=(office_name or "").strip() or "委员会办公室",
        office_head=office_head,
        office_location=office_location.strip(),
        quorum=_check_ratio(quorum_ratio, "quorum"),
        majority=_check_ratio(majority_ratio, "majority"),
    )
    committee.full_clean()
    committee.save()
    audit.record(
        actor=by,
        action="create_committee",
        obj=committee,
        after={
            "name": committee.name,
            "center": center.code,
            "quorum": committee.quorum,
            "majority": committee.majority,
        },
    )
    return committee


@transaction.atomic
def add_committee_member(
    *,
    by,
    committee: DecisionCommittee,
    person: Person,
    position: str,
    joined_on: datetime.date | None = None,
) -> CommitteeMember:
    """Appoint a member: one director and one executive deputy at a time (N-14)."""
    require_role(by, Role.CENTER_ADMIN, center=committee.center)
    if position not in CommitteeMember.Position.values:
        raise RuleViolation("invalid", "职务须为主任、常务副主任、副主任或委员", field="position")
    active = CommitteeMember.objects.select_for_update().filter(committee=committee, active=True)
    if active.filter(person=person).exists():
        raise Conflict("duplicate", f"{person.name}已是本委员会成员")
    if position in SINGLE_POSITIONS and active.filter(position=position).exists():
        label = CommitteeMember.Position(position).label
        raise RuleViolation("N-14", f"委员会只设一名{label}，请先免去现任{label}", field="position")
    member = CommitteeMember.objects.create(
        committee=committee,
        person=person,
        position=position,
        joined_on=joined_on or timezone.localdate(),
    )
    audit.record(
        actor=by,
        action="add_committee_member",
        obj=member,
        after={"committee": committee.pk, "person": person.pk, "position": position},
    )
    return member


@transaction.atomic
def remove_committee_member(
    *, by, member: CommitteeMember, on: datetime.date | None = None
) -> CommitteeMember:
    require_role(by, Role.CENTER_ADMIN, center=member.committee.center)
    if not member.active:
        raise Conflict("already_removed", "该成员已离任")
    member.active = False
    member.left_on = on or timezone.localdate()
    member.save(update_fields=["active", "left_on"])
    audit.record(
        actor=by,
        action="remove_committee_member",
        obj=member,
        before={"active": True},
        after={"active": False, "left_on": member.left_on},
    )
    return member


@transaction.atomic
def schedule_meeting(
    *, by, committee: DecisionCommittee, title: str, held_on: datetime.date, location: str = ""
) -> CommitteeMeeting:
    """Call a meeting; every current member is on the attendance list, absent until marked."""
    _manage(by, committee)
    title = (title or "").strip()
    if not title:
        raise RuleViolation("invalid", "会议名称不能为空", field="title")
    members = list(committee.members.filter(active=True))
    if not members:
        raise RuleViolation("N-14", "委员会尚无成员，不能召开会议", field="committee")
    meeting = CommitteeMeeting.objects.create(
        committee=committee,
        title=title,
        held_on=held_on,
        location=location.strip(),
        recorded_by=by,
        members_total=len(members),
    )
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, member=m) for m in members]
    )
    audit.record(
        actor=by,
        action="schedule_meeting",
        obj=meeting,
        after={"committee": committee.pk, "held_on": held_on, "title": title},
    )
    return meeting


def _ratios(committee: DecisionCommittee):
    return (
        quorum.parse_ratio(committee.quorum, quorum.default_quorum()),
        quorum.parse_ratio(committee.majority, quorum.default_majority()),
    )


@transaction.atomic
def record_attendance(
    *, by, meeting: CommitteeMeeting, present: Iterable[CommitteeMember]
) -> CommitteeMeeting:
    """Mark who attended; the meeting is held and the quorum is computed (N-14)."""
    meeting = (
        CommitteeMeeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    )
    _manage(by, meeting.committee)
    if meeting.agenda_items.exclude(result=AgendaItem.Result.PENDING).exists():
        raise Conflict("meeting_decided", "会议已有议题作出决定，出席情况不能再修改")
    present_ids = {m.pk for m in present}
    rows = list(meeting.attendance.all())
    known = {a.member_id for a in rows}
    if present_ids - known:
        raise RuleViolation("invalid", "出席人员须为本次会议的应到成员", field="present")
    for row in rows:
        row.present = row.member_id in present_ids
    MeetingAttendance.objects.bulk_update(rows, ["present"])
    quorum_ratio, _majority = _ratios(meeting.committee)
    before = {"present": meeting.members_present, "quorum_met": meeting.quorum_met}
    meeting.members_total = len(rows)
    meeting.members_present = len(present_ids)
    meeting.quorum_met = quorum.quorum_met(len(present_ids), len(rows), quorum_ratio)
    meeting.status = CommitteeMeeting.Status.HELD
    meeting.save(update_fields=["members_total", "members_present", "quorum_met", "status"])
    audit.record(
        actor=by,
        action="record_attendance",
        obj=meeting,
        before=before,
        after={
            "present": sorted(present_ids),
            "members_total": len(rows),
            "quorum_met": meeting.quorum_met,
        },
    )
    return meeting


@transaction.atomic
def add_agenda_item(
    *, by, meeting: CommitteeMeeting, title: str, reference: str = ""
) -> AgendaItem:
    """Put a matter on the agenda; `reference` lets another app attach e.g. a case number."""
    _manage(by, meeting.committee)
    title = (title or "").strip()
    if not title:
        raise RuleViolation("invalid", "议题不能为空", field="title")
    item = AgendaItem.objects.create(meeting=meeting, title=title, reference=reference.strip())
    audit.record(
        actor=by,
        action="add_agenda_item",
        obj=item,
        after={"meeting": meeting.pk, "title": title, "reference": item.reference},
    )
    return item


@transaction.atomic
def decide_agenda_item(
    *, by, item: AgendaItem, votes: dict[int, str], decision_text: str = ""
) -> AgendaItem:
    """Decide one agenda item by named vote of the members present; a meeting without a
    quorum cannot decide (N-14)."""
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting__committee").get(pk=item.pk)
    )
    meeting = item.meeting
    _manage(by, meeting.committee)
    if item.result != AgendaItem.Result.PENDING:
        raise Conflict("already_decided", "该议题已作出决定")
    if meeting.status != CommitteeMeeting.Status.HELD:
        raise RuleViolation("N-14", "请先登记出席情况", field="votes")
    quorum_ratio, majority = _ratios(meeting.committee)
    present = {a.member_id for a in meeting.attendance.filter(present=True)}
    if not quorum.quorum_met(len(present), meeting.members_total, quorum_ratio):
        needed = quorum.needed_for_quorum(meeting.members_total, quorum_ratio)
        raise RuleViolation(
            "N-14",
            f"出席人数{len(present)}人，未达到法定人数（应到"
            f"{meeting.members_total}人，至少{needed}人出席），会议不能作出决定",
            field="votes",
        )
    votes = {int(k): v for k, v in votes.items()}
    if set(votes) - present:
        raise RuleViolation("N-14", "只有出席会议的成员可以表决", field="votes")
    if present - set(votes):
        raise RuleViolation("N-14", "记名投票须记录每位出席成员的表决意见", field="votes")
    if any(choice not in VoteChoice.values for choice in votes.values()):
        raise RuleViolation("invalid", "表决意见须为同意、不同意或弃权", field="votes")
    Vote.objects.bulk_create(
        [
            Vote(agenda_item=item, member_id=member_id, choice=choice)
            for member_id, choice in sorted(votes.items())
        ]
    )
    result = quorum.tally(list(votes.values()), present=len(present))
    item.votes_for, item.votes_against, item.votes_abstain = (
        result.for_,
        result.against,
        result.abstain,
    )
    item.result = (
        AgendaItem.Result.APPROVED
        if quorum.passes(result, majority)
        else AgendaItem.Result.REJECTED
    )
    item.decision_text = decision_text.strip()
    item.decided_at = timezone.now()
    item.save()
    audit.record(
        actor=by,
        action="decide_agenda_item",
        obj=item,
        before={"result": AgendaItem.Result.PENDING},
        after={
            "result": item.result,
            "votes": {str(k): v for k, v in votes.items()},
            "decision_text": item.decision_text,
        },
    )
    # Referring apps (cases) carry the outcome over to the matter they attached (N-14).
    hooks.agenda_item_decided(item=item, by=by)
    return item
