from zwfw.grants.models.committee import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    DecisionCommittee,
    MeetingAttendance,
    Vote,
)
from zwfw.grants.models.grants import (
    Grant,
    GrantProposal,
    LeadingGroupDecision,
    SectionHeadFiling,
)

__all__ = [
    "AgendaItem",
    "CommitteeMeeting",
    "CommitteeMember",
    "DecisionCommittee",
    "Grant",
    "GrantProposal",
    "LeadingGroupDecision",
    "MeetingAttendance",
    "SectionHeadFiling",
    "Vote",
]
