"""The decision committee (审批决策委员会, N-14): members, meetings, quorum, named votes."""

import datetime

import pytest

from tests.factories import PersonFactory, staff
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.grants import services
from zwfw.grants.models import AgendaItem, Vote

D = datetime.date


@pytest.fixture
def committee(center_admin, center):
    return services.create_committee(by=center_admin, center=center, office_location="行政审批股")


@pytest.fixture
def members(committee, center_admin, center):
    positions = ["director", "executive_deputy", "member"]
    return [
        services.add_committee_member(
            by=center_admin,
            committee=committee,
            position=p,
            joined_on=D(2025, 1, 1),
            person=staff("committee_member", department=None, center=center),
        )
        for p in positions
    ]


@pytest.fixture
def meeting(committee, members, center_admin):
    meeting = services.schedule_meeting(
        by=center_admin, committee=committee, title="2025年第1次会议", held_on=D(2025, 3, 1)
    )
    return meeting


def test_committee_has_director_deputies_and_members(committee, members, center_admin):
    """N-14: a director, an executive deputy, deputies and members; one director at a time."""
    assert [m.get_position_display() for m in members] == ["主任", "常务副主任", "委员"]
    services.add_committee_member(
        by=center_admin, committee=committee, person=PersonFactory(), position="deputy_director"
    )
    with pytest.raises(RuleViolation) as exc:
        services.add_committee_member(
            by=center_admin, committee=committee, person=PersonFactory(), position="director"
        )
    assert exc.value.code == "N-14"
    with pytest.raises(Conflict):
        services.add_committee_member(
            by=center_admin, committee=committee, person=members[2].person, position="member"
        )


def test_only_center_admin_sets_up_the_committee(db, dept_admin, center):
    with pytest.raises(Forbidden):
        services.create_committee(by=dept_admin, center=center)


def test_meeting_with_quorum_decides_by_named_vote(meeting, members, center_admin):
    """N-14: with 2 of 3 present (quorum 2/3), the present members' named votes decide."""
    director, deputy, member = members
    services.record_attendance(by=center_admin, meeting=meeting, present=[director, deputy])
    meeting.refresh_from_db()
    assert (meeting.members_present, meeting.members_total, meeting.quorum_met) == (2, 3, True)
    item = services.add_agenda_item(
        by=center_admin, meeting=meeting, title="某项目规划许可疑难问题", reference="QL-2025-000123"
    )
    item = services.decide_agenda_item(
        by=center_admin,
        item=item,
        votes={director.pk: "for", deputy.pk: "for"},
        decision_text="同意按程序办理",
    )
    assert item.result == AgendaItem.Result.APPROVED
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (2, 0, 0)
    assert {(v.member_id, v.choice) for v in Vote.objects.filter(agenda_item=item)} == {
        (director.pk, "for"),
        (deputy.pk, "for"),
    }
    event = AuditEvent.objects.get(action="decide_agenda_item")
    assert event.after["votes"] == {str(director.pk): "for", str(deputy.pk): "for"}


def test_without_quorum_the_meeting_cannot_decide(meeting, members, center_admin):
    """N-14: a meeting without quorum cannot decide."""
    director = members[0]
    services.record_attendance(by=center_admin, meeting=meeting, present=[director])
    item = services.add_agenda_item(by=center_admin, meeting=meeting, title="议题")
    with pytest.raises(RuleViolation) as exc:
        services.decide_agenda_item(by=center_admin, item=item, votes={director.pk: "for"})
    assert exc.value.code == "N-14"
    assert "未达到法定人数" in exc.value.message
    item.refresh_from_db()
    assert item.result == AgendaItem.Result.PENDING


def test_tie_is_not_adopted(meeting, members, center_admin):
    """N-14: adoption needs more than half of those present."""
    director, deputy, _ = members
    services.record_attendance(by=center_admin, meeting=meeting, present=[director, deputy])
    item = services.add_agenda_item(by=center_admin, meeting=meeting, title="议题")
    item = services.decide_agenda_item(
        by=center_admin, item=item, votes={director.pk: "for", deputy.pk: "against"}
    )
    assert item.result == AgendaItem.Result.REJECTED


def test_every_present_member_votes_and_only_they(meeting, members, center_admin):
    """N-14: a named vote records each present member; absent members do not vote."""
    director, deputy, member = members
    services.record_attendance(by=center_admin, meeting=meeting, present=[director, deputy])
    item = services.add_agenda_item(by=center_admin, meeting=meeting, title="议题")
    with pytest.raises(RuleViolation):
        services.decide_agenda_item(by=center_admin, item=item, votes={director.pk: "for"})
    with pytest.raises(RuleViolation):
        services.decide_agenda_item(
            by=center_admin,
            item=item,
            votes={director.pk: "for", deputy.pk: "for", member.pk: "for"},
        )
    with pytest.raises(RuleViolation):
        services.decide_agenda_item(
            by=center_admin, item=item, votes={director.pk: "for", deputy.pk: "maybe"}
        )


def test_quorum_is_a_committee_setting(committee, members, center_admin, center):
    """N-14: the quorum ratio is configurable (here 1/3: one of three may decide)."""
    committee.quorum = "1/3"
    committee.save()
    meeting = services.schedule_meeting(
        by=center_admin, committee=committee, title="临时会议", held_on=D(2025, 4, 1)
    )
    services.record_attendance(by=center_admin, meeting=meeting, present=[members[0]])
    meeting.refresh_from_db()
    assert meeting.quorum_met


def test_committee_member_runs_meetings_but_outsider_cannot(committee, members, outsider):
    """N-14: the committee's members run meetings; others are refused."""
    member_user = members[0].person.user
    meeting = services.schedule_meeting(
        by=member_user, committee=committee, title="会议", held_on=D(2025, 5, 1)
    )
    assert meeting.members_total == 3
    with pytest.raises(Forbidden):
        services.schedule_meeting(
            by=outsider, committee=committee, title="会议", held_on=D(2025, 5, 1)
        )


def test_removed_member_is_not_called(committee, members, center_admin):
    services.remove_committee_member(by=center_admin, member=members[2], on=D(2025, 6, 1))
    meeting = services.schedule_meeting(
        by=center_admin, committee=committee, title="会议", held_on=D(2025, 6, 2)
    )
    assert meeting.attendance.count() == 2


def test_attendance_is_frozen_after_a_decision(meeting, members, center_admin):
    director, deputy, _ = members
    services.record_attendance(by=center_admin, meeting=meeting, present=[director, deputy])
    item = services.add_agenda_item(by=center_admin, meeting=meeting, title="议题")
    services.decide_agenda_item(
        by=center_admin, item=item, votes={director.pk: "for", deputy.pk: "abstain"}
    )
    with pytest.raises(Conflict):
        services.record_attendance(by=center_admin, meeting=meeting, present=[director])
    with pytest.raises(Conflict):
        services.decide_agenda_item(
            by=center_admin, item=item, votes={director.pk: "for", deputy.pk: "for"}
        )


def test_bad_ratio_is_refused(db, center_admin, center):
    with pytest.raises(RuleViolation) as exc:
        services.create_committee(by=center_admin, center=center, quorum_ratio="two thirds")
    assert exc.value.field == "quorum"


def test_referring_apps_learn_the_decision(meeting, members, center_admin, monkeypatch):
    """N-14: a decided agenda item is passed to the apps that referred it (grants.hooks)."""
    from zwfw.grants import hooks

    seen = []
    monkeypatch.setattr(hooks, "on_agenda_decided", [lambda **kw: seen.append(kw)])
    director, deputy, _ = members
    services.record_attendance(by=center_admin, meeting=meeting, present=[director, deputy])
    item = services.add_agenda_item(
        by=center_admin, meeting=meeting, title="议题", reference="QL-2025-000001"
    )
    services.decide_agenda_item(
        by=center_admin, item=item, votes={director.pk: "for", deputy.pk: "for"}
    )
    assert seen == [{"item": item, "by": center_admin}]
    assert seen[0]["item"].result == AgendaItem.Result.APPROVED
