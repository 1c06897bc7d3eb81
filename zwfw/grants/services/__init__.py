"""Writes of the grants app, one function per use case; re-exported so call sites read
`services.revoke_grant(...)`."""

from zwfw.grants.services.changes import renew_grant, revoke_grant
from zwfw.grants.services.committee import (
    add_agenda_item,
    add_committee_member,
    create_committee,
    decide_agenda_item,
    record_attendance,
    remove_committee_member,
    schedule_meeting,
)
from zwfw.grants.services.filings import file_section_head
from zwfw.grants.services.grants import grant_authority, refresh_grant_statuses
from zwfw.grants.services.proposals import decide_proposal, propose_grant

__all__ = [
    "add_agenda_item",
    "add_committee_member",
    "create_committee",
    "decide_agenda_item",
    "decide_proposal",
    "file_section_head",
    "grant_authority",
    "propose_grant",
    "record_attendance",
    "refresh_grant_statuses",
    "remove_committee_member",
    "renew_grant",
    "revoke_grant",
    "schedule_meeting",
]
