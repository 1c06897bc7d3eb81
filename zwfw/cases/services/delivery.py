"""The written documents of a case (issue 12 point 6): the intake receipt fixed at intake,
the decision document numbered once at the decision, and the delivery (送达) a case needs
before it completes (行政许可法第38条、第44条)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from zwfw.cases.models import Case, DecisionDocument, DecisionNumberCounter, Delivery, Result
from zwfw.cases.models_docs import IntakeReceipt
from zwfw.cases.services.base import (
    has_handler_role,
    lock,
    moment,
    record_event,
    require_handler,
)
from zwfw.cases.states import CaseState
from zwfw.core import audit, fastsql
from zwfw.core.errors import Conflict, RuleViolation

DELIVERY_REQUIRED = "delivery_required"


def decision_number_format() -> str:
    """CASES_DECISION_NUMBER_FORMAT: the number of a decision document, one sequence per
    center and year."""
    return getattr(settings, "CASES_DECISION_NUMBER_FORMAT", "{center}许决〔{year}〕{seq:05d}号")


# --- intake receipt -----------------------------------------------------------------------


def issue_intake_receipt(case: Case, *, at, submitted: dict[str, str], missing: list) -> None:
    """收件回执 written with the intake (inside its batch: no round trip of its own)."""
    fastsql.insert(
        IntakeReceipt(
            case=case,
            issued_at=at,
            received=[{"name": n, "form": f} for n, f in submitted.items()],
            missing=list(missing),
        ),
        read_key=False,
    )


# --- decision document --------------------------------------------------------------------

_NEXT = (
    "UPDATE cases_decisionnumbercounter SET last = last + 1 "
    "WHERE center_id = %s AND year = %s "
    "AND NOT EXISTS (SELECT 1 FROM cases_decisiondocument WHERE case_id = %s) RETURNING last"
)


def _next_seq(case: Case, year: int) -> int | None:
    """One UPDATE … RETURNING takes the counter row's lock and the number together (no two
    decisions share a number, no gaps), as cases' own numbers do. None when the case has its
    document already (checked in the same statement: the case row is locked)."""
    for _attempt in range(5):
        with connection.cursor() as cursor:
            cursor.execute(_NEXT, [case.center_id, year, case.pk])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        # No row: the document exists, or the center's counter for the year does not yet.
        if fastsql.first(DecisionDocument, {"case": case.pk}) is not None:
            return None
        try:
            with transaction.atomic():
                DecisionNumberCounter.objects.create(center_id=case.center_id, year=year, last=0)
        except IntegrityError:
            continue  # another decision created it first: take theirs
    raise RuntimeError("could not draw a decision document number")


def issue_decision_document(case: Case, *, by, on: datetime.date) -> DecisionDocument | None:
    """Number the decision document once, in the decision's transaction (called by
    base.save_step when a case becomes decided). A second call keeps the first number."""
    if case.result not in Result.values:
        return None
    seq = _next_seq(case, on.year)
    if seq is None:
        # One per case (a unique key): no ORDER BY, and the hot path's cached SQL.
        return fastsql.first(DecisionDocument, {"case": case.pk})
    center_code = case.center.code
    document = fastsql.insert(
        DecisionDocument(
            case=case,
            kind=case.result,
            center_id=case.center_id,
            year=on.year,
            seq=seq,
            number=decision_number_format().format(center=center_code, year=on.year, seq=seq),
            issued_on=on,
        )
    )
    audit.record(
        actor=by,
        action="issue_decision_document",
        obj=document,
        after={"case": case.number, "number": document.number, "kind": document.kind, "on": on},
    )
    return document


# --- delivery -----------------------------------------------------------------------------


def _clean(method: str, tracking_number: str, note: str) -> tuple[str, str, str]:
    if method not in Delivery.Method.values:
        raise RuleViolation(
            "invalid",
            "送达方式须为窗口领取（window）、邮寄（post）或电子送达（electronic）",
            "method",
        )
    tracking_number = (tracking_number or "").strip()
    if method == Delivery.Method.POST and not tracking_number:
        raise RuleViolation("invalid", "邮寄送达须填写邮寄单号", field="tracking_number")
    if len(tracking_number) > 40:
        raise RuleViolation("invalid", "邮寄单号最多40个字符", field="tracking_number")
    if method != Delivery.Method.POST:
        tracking_number = ""
    return method, tracking_number, (note or "").strip()[:300]


@transaction.atomic
def record_delivery(
    *,
    case: Case,
    by,
    method: str,
    tracking_number: str = "",
    note: str = "",
    on: datetime.date | None = None,
) -> Delivery:
    """送达: the decision (and its document) reached the applicant, at the window, by post
    with a tracking number, or electronically. Once per case, after the decision."""
    on, at = moment(on)
    method, tracking_number, note = _clean(method, tracking_number, note)
    case = lock(case, audited=True)
    from zwfw.windows.services import may_hand_out

    # The department's handlers always may (their roles are in hand: no query); otherwise a
    # clerk posted at the window the case was taken in at (R-17: handed out where it came in).
    if not has_handler_role(by, case) and not may_hand_out(by, case, on):
        require_handler(by, case)
    if case.status != CaseState.DECIDED:
        raise Conflict(
            "invalid_transition",
            f"办件当前状态为“{CaseState(case.status).label}”，作出决定后、办结前才能登记送达",
        )
    if fastsql.first(Delivery, {"case": case.pk}) is not None:
        raise Conflict("already_delivered", "本件已登记送达")
    delivery = fastsql.insert(
        Delivery(
            case=case,
            method=method,
            tracking_number=tracking_number,
            note=note,
            delivered_on=on,
            recorded_at=at,
            recorded_by=by,
        )
    )
    label = Delivery.Method(method).label
    text = f"决定文书已{label}" + (f"（邮寄单号{tracking_number}）" if tracking_number else "")
    with fastsql.together():  # one statement on PostgreSQL (core.fastsql.together)
        record_event(
            case, action="deliver", by=by, at=at, on=on, from_status=case.status, text=text
        )
        audit.record(
            actor=by,
            action="deliver_case",
            obj=case,
            after={"method": method, "tracking_number": tracking_number, "note": note, "on": on},
        )
    return delivery


def completion_text(case: Case, delivery: Delivery) -> str:
    """The applicant's SMS at 办结: how the decision reached them (no "come and collect" for
    what was posted or already handed over)."""
    from zwfw.cases import notices

    how = {
        Delivery.Method.WINDOW: "已在窗口交付",
        Delivery.Method.POST: f"已邮寄送达（邮寄单号{delivery.tracking_number}）",
        Delivery.Method.ELECTRONIC: "已电子送达",
    }[delivery.method]
    return f"{notices._head(case)}已办结，决定文书{how}。"


def require_delivery(case: Case) -> Delivery:
    """办结 needs the decision delivered first (行政许可法第44条): a clear refusal otherwise."""
    delivery = fastsql.first(Delivery, {"case": case.pk})  # one per case: no ORDER BY
    if delivery is None:
        raise RuleViolation(
            DELIVERY_REQUIRED,
            "决定文书尚未送达，不能办结：请先登记送达（窗口领取、邮寄送达或电子送达）",
            field="delivery",
        )
    return delivery
