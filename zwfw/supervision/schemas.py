"""Ninja schemas of the supervision API (API.md: inspections; 12345; N-7; N-21)."""

import datetime

from ninja import Schema


class DrawIn(Schema):
    period_start: datetime.date
    period_end: datetime.date
    size: int
    departments: list[str] | None = None  # department codes; none: all in the caller's scope
    strata: str = "department"  # none | department | procedure | item
    method: str = "case_file"  # on_site | system_retrieval | case_file
    seed: int | None = None
    title: str = ""


class AssignmentOut(Schema):
    position: int
    case: str
    inspector: int
    inspector_name: str
    department: str
    result: str
    method: str
    category: str
    note: str
    found_on: datetime.date | None
    rectification: dict | None


class DrawOut(Schema):
    id: int
    title: str
    seed: int
    status: str
    period_start: datetime.date
    period_end: datetime.date
    size: int
    strata: str
    method: str
    inputs: dict
    population_size: int
    population_digest: str
    created_at: datetime.datetime
    completed_on: datetime.date | None
    pending: int
    assignments: list[AssignmentOut]


class DrawSummaryOut(Schema):
    id: int
    title: str
    seed: int
    status: str
    period_start: datetime.date
    period_end: datetime.date
    size: int
    pending: int
    problems: int
    created_at: datetime.datetime


class DrawList(Schema):
    items: list[DrawSummaryOut]
    count: int


class ReplayOut(Schema):
    matches: bool
    population_changed: bool
    population_size_then: int
    population_size_now: int
    message: str
    assignments: list[dict]


class FindingIn(Schema):
    case: str
    result: str  # passed | problem
    method: str = ""  # defaults to the draw's method
    category: str = ""
    note: str = ""
    found_on: datetime.date | None = None


class RectifyIn(Schema):
    measures: str
    rectified_on: datetime.date | None = None


class RectificationOut(Schema):
    id: int
    case: str
    department: str
    draw: int
    category: str
    note: str
    status: str
    opened_on: datetime.date
    due_date: datetime.date
    overdue: bool
    measures: str
    rectified_on: datetime.date | None


class RectificationList(Schema):
    items: list[RectificationOut]
    count: int


class PoolIn(Schema):
    person: int
    since: datetime.date | None = None
    note: str = ""


class PoolPatch(Schema):
    active: bool


class PoolOut(Schema):
    person: int
    name: str
    department: str
    active: bool
    since: datetime.date
    note: str


class HotlineIn(Schema):
    ticket_number: str
    received_on: datetime.date
    kind: str  # complaint | consultation | help | suggestion | praise (or the Chinese label)
    content: str
    caller_phone: str = ""
    case: str = ""  # case number
    department: str = ""  # department code (derived from the case when one is linked)
    staff: int | None = None  # person id
    window: str = ""  # window number at the department's center
    status: str = ""  # pending | processing | closed
    resolution: str = ""
    replied_on: datetime.date | None = None


class HotlineBatchIn(Schema):
    items: list[HotlineIn]


class HotlineOut(Schema):
    id: int
    ticket_number: str
    received_on: datetime.date
    kind: str
    content: str
    caller_phone: str  # masked
    case: str | None
    department: str | None
    staff: int | None
    staff_name: str | None
    window: str | None
    status: str
    resolution: str
    replied_on: datetime.date | None
    created: bool | None = None


class HotlineList(Schema):
    items: list[HotlineOut]
    count: int


class HotlineImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class InterferenceIn(Schema):
    interferer_name: str
    interferer_unit: str = ""
    interferer_post: str = ""
    occurred_on: datetime.date
    manner: str
    content: str
    case: str = ""


class ReceiptOut(Schema):
    receipt_number: str
    filed_at: datetime.datetime


class InterferenceOut(Schema):
    receipt_number: str
    reporter: int
    reporter_name: str
    department: str
    interferer_name: str | None
    interferer_unit: str | None
    interferer_post: str | None
    occurred_on: datetime.date
    manner: str
    case: str | None
    content: str | None
    filed_at: datetime.datetime
    status: str
    handling_note: str | None
    handled_on: datetime.date | None


class InterferenceList(Schema):
    items: list[InterferenceOut]
    count: int


class HandleIn(Schema):
    note: str
    handled_on: datetime.date | None = None


class FaultToleranceIn(Schema):
    person: int
    event: str
    innovation_context: str
    error: str
    decision: str  # exempt | mitigate | refuse
    basis: str
    decided_on: datetime.date
    correction: str = ""
    case: str = ""


class FaultToleranceOut(Schema):
    id: int
    person: int
    person_name: str
    department: str
    event: str
    innovation_context: str
    error: str
    decision: str
    basis: str
    correction: str
    decided_on: datetime.date
    case: str | None


class FaultToleranceList(Schema):
    items: list[FaultToleranceOut]
    count: int
