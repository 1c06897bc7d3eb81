"""Ninja schemas of the 好差评 API (API.md: keep the documented fields, add freely)."""

import datetime

from ninja import Field, Schema

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


LEVEL_DOC = (
    "评价等级（全国好差评星级）：5=非常满意，4=满意，3=基本满意，2=不满意，1=非常不满意"
    "（1、2为差评）；也可传名称 very_satisfied/satisfied/basically_satisfied/dissatisfied/"
    "very_dissatisfied 或中文“非常满意”等"
)
LEVEL_OUT_DOC = "评价等级（星级）：5=非常满意 … 1=非常不满意；1、2为差评"


class EvaluationIn(Schema):
    level: int | str = Field(..., description=LEVEL_DOC, examples=[5, "satisfied", "不满意"])
    channel: str | None = None
    comment: str | None = None
    tags: list[str] = []


class VisitEvaluationIn(Schema):
    level: int | str = Field(..., description=LEVEL_DOC, examples=[5, "satisfied", "不满意"])
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
    level: int = Field(..., description=LEVEL_OUT_DOC)
    level_name: str = Field(..., description="very_satisfied … very_dissatisfied")
    level_label: str = Field(..., description="中文等级：非常满意 … 非常不满意")
    good: bool = Field(..., description="好评（3至5星）；false 为差评（1、2星）")
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
    verified: bool = Field(
        ...,
        description="评价人已核验（办件手机号、短信验证码、对接平台或评价器）；"
        "未核验的差评计入统计但不启动整改",
    )
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
    level: int = Field(..., description=LEVEL_OUT_DOC)
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


class IntegratorIn(Schema):
    username: str = Field(..., description="对接平台的账号（非工作人员账号）")
    name: str = Field(..., description="对接平台名称，如“省政务服务好差评系统”")
    center: str | None = Field(None, description="中心编码；空为全部中心（需全局中心管理员）")


class IntegratorOut(Schema):
    id: int
    username: str
    name: str
    center: str | None
    active: bool


class StatRowOut(Schema):
    key: int | None
    name: str
    total: int
    good: int
    bad: int
    unverified: int = Field(0, description="未核验的差评数（计入差评，不启动整改）")
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
