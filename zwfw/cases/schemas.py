"""Ninja schemas of the case API (API.md, Cases: keep the documented fields)."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import BaseModel


class ApplicantIn(Schema):
    kind: Literal["person", "organisation"]
    name: str
    id_number: str | None = None
    credit_code: str | None = None
    phone: str | None = None


class AgentIn(Schema):
    name: str
    id_number: str
    phone: str


class MaterialIn(Schema):
    name: str
    form: str | None = None  # electronic | paper (R-18: one of them)


class CaseIn(Schema):
    item: str
    applicant: ApplicantIn
    channel: Literal["window", "online", "mobile", "self_service"] = "window"
    materials: list[str | MaterialIn] = []
    phone: str | None = None
    project: int | None = None
    agent: AgentIn | None = None
    # the window number it is taken in at (a comprehensive window takes in for the
    # departments that authorized it); optional, the department's own windows need none.
    window: str | None = None


# What the API answers is built as dicts (api.case_out, public_out, list_cases): plain
# pydantic models validate those in pydantic's core, without ninja's attribute getter per
# field (ninja's Schema: about 1.5 ms for a list page of 50 rows). Input schemas stay
# ninja's.
class EventOut(BaseModel):
    at: datetime.datetime
    on: datetime.date
    action: str
    from_status: str
    to_status: str
    actor: str
    text: str


class MaterialOut(BaseModel):
    name: str
    required: bool
    status: str
    form: str
    problem: str


class NoticeOut(BaseModel):
    issued_on: datetime.date
    items: list[dict]
    note: str
    completed_on: datetime.date | None


class StepOut(BaseModel):
    """One recorded handling step of the normal procedure (R-15)."""

    step: str
    post: str
    by: str
    on: datetime.date
    opinion: str
    result: str


class CaseOut(BaseModel):
    number: str
    window: str | None = None  # the window number it was taken in at, if recorded
    status: str
    status_label: str
    item: str
    item_name: str
    item_version: int
    department: str
    channel: str
    procedure: str
    applicant: str
    received_at: datetime.datetime
    acceptance_deadline: datetime.date | None
    accepted_at: datetime.datetime | None
    accepted_on: datetime.date | None
    deemed_accepted: bool
    limit_days: int
    extension_days: int
    due_date: datetime.date | None
    due_provisional: bool
    remaining_workdays: int | None
    alert_level: str
    paused_workdays: int
    decided_by: str | None
    decided_on: datetime.date | None
    grant: int | None
    post_assignment: int | None = None
    result: str
    opinion: str
    committee_meeting: int | None
    project: int | None
    # Issue 11 point 5: the name this application gave, when it differs from the registered
    # applicant's (kept on the case, flagged for staff; the registered name is unchanged).
    name_mismatch: bool = False
    applicant_name_given: str | None = None
    materials: list[MaterialOut]
    notice: NoticeOut | None
    events: list[EventOut]
    # N-4, R-15: the normal procedure's recorded steps and the one due next (null when none).
    steps: list[StepOut] = []
    current_step: dict | None = None


class CaseRow(BaseModel):
    number: str
    status: str
    item: str
    item_name: str
    department: str
    applicant: str
    received_at: datetime.datetime
    due_date: datetime.date | None
    remaining_workdays: int | None
    alert_level: str


class CaseList(BaseModel):
    items: list[CaseRow]
    count: int


class ReasonIn(Schema):
    reason: str


class RefuseIn(Schema):
    reason: str
    competent_authority: str = ""


class NoticeItemIn(Schema):
    name: str
    problem: str = ""


class SupplementNoticeIn(Schema):
    missing: list[str | NoticeItemIn] = []
    note: str = ""


class SupplementIn(Schema):
    materials: list[str | MaterialIn]


class PauseIn(Schema):
    reason: str
    note: str = ""


class ExtendIn(Schema):
    days: int
    reason: str


class FirstReviewIn(Schema):
    opinion: str


class DecideIn(Schema):
    result: str
    opinion: str = ""
    use_seal: bool = False


class StepIn(Schema):
    step: str
    opinion: str = ""
    result: str | None = None


class ReferIn(Schema):
    meeting: int
    note: str = ""


class PublicPauseOut(BaseModel):
    reason: str
    start: datetime.date
    end: datetime.date | None


class PublicEventOut(BaseModel):
    on: datetime.date
    action: str
    text: str


class PublicCaseOut(BaseModel):
    number: str
    status: str
    status_label: str
    item: str
    department: str
    applicant: str
    received_on: datetime.date
    accepted_on: datetime.date | None
    deemed_accepted: bool
    due_date: datetime.date | None
    due_provisional: bool
    result: str
    pauses: list[PublicPauseOut]
    notice: NoticeOut | None
    events: list[PublicEventOut]


class RenameApplicantIn(Schema):
    name: str
    reason: str


class PublicCodeIn(Schema):
    """`query`: a case that had too many wrong phone_last4 guesses; `withdraw`: the code the
    withdrawal needs (with `phone_last4`, and `sms_code` when the case asks for a query
    code)."""

    purpose: Literal["query", "withdraw"] = "query"
    phone_last4: str = ""
    sms_code: str = ""


class PublicCodeOut(Schema):
    message: str


class PublicWithdrawIn(Schema):
    reason: str
    sms_code: str
