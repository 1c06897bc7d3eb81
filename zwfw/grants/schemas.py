"""Ninja schemas of the grants API (API.md, Grants section)."""

import datetime
from typing import Literal

from ninja import Schema

RoleName = Literal["chief_service_officer", "chief_representative"]
PowerName = Literal["decide", "review_and_report", "use_seal", "coordinate"]


class GrantIn(Schema):
    role: RoleName
    grantee: int
    department: str
    final_items: list[str] = []
    preliminary_items: list[str] = []
    powers: list[PowerName]
    valid_from: datetime.date
    valid_to: datetime.date
    justification: str | None = None
    business_domain: str | None = None
    decided_on: datetime.date | None = None
    decision_note: str | None = None
    members_present: list[int] = []


class ItemRef(Schema):
    code: str
    name: str


class DecisionOut(Schema):
    id: int
    kind: str
    result: str
    decided_on: datetime.date
    note: str
    members_present: list[int]


class GrantOut(Schema):
    id: int
    role: str
    grantee: int
    grantee_name: str
    department: str
    department_name: str
    final_items: list[str]
    preliminary_items: list[str]
    powers: list[str]
    valid_from: datetime.date
    valid_to: datetime.date
    last_day: datetime.date
    status: str
    justification: str
    business_domain: str
    decided_on: datetime.date
    decision_note: str
    proposal: int | None
    revoked_on: datetime.date | None
    revocation_reason: str


class GrantDetailOut(GrantOut):
    items: list[ItemRef]
    decisions: list[DecisionOut]


class GrantList(Schema):
    items: list[GrantOut]
    count: int


class ProposalIn(Schema):
    role: RoleName
    grantee: int
    department: str
    final_items: list[str] = []
    preliminary_items: list[str] = []
    powers: list[PowerName]
    valid_from: datetime.date
    valid_to: datetime.date
    justification: str | None = None
    business_domain: str | None = None


class ProposalOut(Schema):
    id: int
    role: str
    grantee: int
    grantee_name: str
    department: str
    final_items: list[str]
    preliminary_items: list[str]
    powers: list[str]
    valid_from: datetime.date
    valid_to: datetime.date
    justification: str
    business_domain: str
    status: str
    proposed_on: datetime.date
    grant: int | None


class ProposalList(Schema):
    items: list[ProposalOut]
    count: int


class DecisionIn(Schema):
    result: Literal["approve", "reject"]
    decided_on: datetime.date | None = None
    members_present: list[int] = []
    note: str | None = None


class ProposalDecisionOut(Schema):
    proposal: ProposalOut
    decision: DecisionOut
    grant: GrantOut | None


class RevokeIn(Schema):
    reason: str
    decided_on: datetime.date | None = None
    members_present: list[int] = []
    note: str | None = None


class RenewIn(Schema):
    valid_to: datetime.date
    decided_on: datetime.date | None = None
    members_present: list[int] = []
    note: str | None = None


class AuthorityOut(Schema):
    authorized: bool
    grant: int | None = None
    scope: str | None = None
    powers: list[str] = []
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


class SectionHeadIn(Schema):
    department: str
    person: int
    acting: bool = False
    filed_on: datetime.date | None = None
    document_number: str | None = None


class SectionHeadOut(Schema):
    id: int
    department: str
    person: int
    person_name: str
    acting: bool
    filed_on: datetime.date
    ended_on: datetime.date | None
    document_number: str
