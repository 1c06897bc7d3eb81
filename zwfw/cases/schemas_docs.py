"""Ninja schemas of the first-inquiry log and the case documents (issue 12 points 5, 6)."""

import datetime
from typing import Literal

from ninja import Schema


class InquiryIn(Schema):
    question: str
    asker_name: str | None = None
    asker_phone: str | None = None
    item: str | None = None  # item code
    window: int | None = None  # window id
    answer: str | None = None
    notice_given: bool = False
    referred_to_window: int | None = None
    referred_to_department: str | None = None  # department code
    referral_note: str | None = None


class NoticeMaterialOut(Schema):
    name: str
    required: bool
    original: bool
    copies: int


class InquiryOut(Schema):
    id: int
    asked_at: datetime.datetime
    asked_on: datetime.date
    window: int | None
    window_name: str | None
    department: str
    answered_by: str
    asker_name: str  # masked
    asker_phone: str  # masked
    item: str | None
    item_name: str | None
    question: str
    answer: str
    notice_given: bool
    notice_materials: list[NoticeMaterialOut]
    referred_to_window: int | None
    referred_to_department: str | None
    referral_note: str


class InquiryList(Schema):
    count: int
    items: list[InquiryOut]


class CountLineOut(Schema):
    label: str
    months: list[int]
    total: int
    notices: int
    referred: int


class InquiryStatsOut(Schema):
    year: int
    total: int
    windows: list[CountLineOut]
    staff: list[CountLineOut]


class DeliveryIn(Schema):
    method: Literal["window", "post", "electronic"]
    tracking_number: str | None = None
    note: str | None = None


class DeliveryOut(Schema):
    case: str
    method: str
    method_label: str
    tracking_number: str
    note: str
    delivered_on: datetime.date


class DecisionDocumentOut(Schema):
    number: str
    kind: str
    title: str
    issued_on: datetime.date


class ReceiptOut(Schema):
    issued_at: datetime.datetime
    received: list[dict]
    missing: list[str]


class CaseDocumentsOut(Schema):
    case: str
    receipt: ReceiptOut | None
    decision: DecisionDocumentOut | None
    delivery: DeliveryOut | None
