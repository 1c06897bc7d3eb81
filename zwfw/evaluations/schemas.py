"""Ninja schemas of the 好差评 API (API.md: keep the documented fields, add freely)."""

import datetime

from ninja import Schema

from zwfw.core.api import ErrorOut

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    410: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class EvaluationIn(Schema):
    # 1 = 非常满意 … 5 = 非常不满意; or the name (very_satisfied …) or the Chinese label.
    level: int | str
    channel: str | None = None
    comment: str | None = None
    tags: list[str] = []


class VisitEvaluationIn(Schema):
    level: int | str
    comment: str | None = None
    tags: list[str] = []
    rater_phone: str | None = None


class VisitIn(Schema):
    window: int | None = None
    staff: int | None = None
    case: str | None = None


class VisitOut(Schema):
    id: int
    token: str
    url: str
    expires_at: datetime.datetime


class StepOut(Schema):
    kind: str
    label: str
    due_date: datetime.date
    done_on: datetime.date | None
    state: str


class EvaluationOut(Schema):
    id: int
    level: int
    level_name: str
    level_label: str
    good: bool
    channel: str
    channel_label: str
    case: str | None
    visit: int | None
    department: str | None
    window: int | None
    staff: int | None
    item: str | None
    comment: str
    tags: list[str]
    rated_at: datetime.datetime
    rated_on: datetime.date
    is_default: bool
    excluded: bool
    rectification: int | None
    appeal_status: str | None


class EvaluationList(Schema):
    items: list[EvaluationOut]
    count: int


class RectificationOut(Schema):
    id: int
    status: str
    status_label: str
    evaluation: int
    level: int
    level_label: str
    case: str | None
    department: str | None
    center: str
    opened_on: datetime.date
    next_due_date: datetime.date | None
    alert_level: str
    escalated: bool
    escalated_on: datetime.date | None
    extended_days: int
    finding: str
    result: str
    closed_on: datetime.date | None
    on_time: bool | None
    steps: list[StepOut]


class RectificationList(Schema):
    items: list[RectificationOut]
    count: int


class CallbackIn(Schema):
    finding: str
    note: str


class NoteIn(Schema):
    note: str


class CloseIn(Schema):
    result: str


class ExtendIn(Schema):
    days: int
    reason: str


class AppealIn(Schema):
    reason: str


class DecideAppealIn(Schema):
    upheld: bool
    opinion: str


class AppealOut(Schema):
    id: int
    evaluation: int
    status: str
    status_label: str
    department: str | None
    reason: str
    filed_on: datetime.date
    opinion: str
    decided_on: datetime.date | None


class AppealList(Schema):
    items: list[AppealOut]
    count: int


class DeviceIn(Schema):
    window: int
    name: str


class DeviceOut(Schema):
    id: int
    window: int
    window_label: str
    name: str
    active: bool
    registered_at: datetime.datetime
    last_used_at: datetime.datetime | None


class DeviceCreated(DeviceOut):
    token: str


class StatRowOut(Schema):
    key: int | None
    name: str
    total: int
    good: int
    bad: int
    good_rate: float | None
    active: int
    active_good_rate: float | None
    defaults: int
    excluded: int
    completed: int
    unrated: int
    unrated_rate: float | None
    tickets: int
    closed: int
    rectification_rate: float | None
    on_time: int
    on_time_rate: float | None
    tags: dict[str, int]
    hotline_total: int
    hotline_complaints: int


class StatisticsOut(Schema):
    dimension: str
    start: datetime.date
    end: datetime.date
    rows: list[StatRowOut]
    total: StatRowOut
    trend: list[dict]
    tags: list[dict]
    hotline: bool
