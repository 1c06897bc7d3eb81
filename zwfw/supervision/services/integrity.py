"""Writes of interference reports (干预记录, N-7) and fault-tolerance records (容错纠错, N-21).

Both are for the discipline office's eyes only. The audit chain (which auditors read)
records that a report was filed or handled, by whom and its id — never its content.
"""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from zwfw.cases.models import Case
from zwfw.core import audit
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.validators import clean_date_range
from zwfw.org.models import Person
from zwfw.supervision import access
from zwfw.supervision.models import (
    FaultToleranceDecision,
    FaultToleranceRecord,
    InterferenceManner,
    InterferenceReport,
)

MAX_TEXT = 5000


def _text(value: str, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise RuleViolation("invalid", f"请填写{label}", field=field)
    if len(value) > limit:
        raise RuleViolation("invalid", f"{label}最多{limit}字", field=field)
    return value


def _receipt_number(today: datetime.date) -> str:
    # Random, not sequential: a receipt must not tell how many reports others filed.
    while True:
        number = f"GY{today:%Y%m%d}-{secrets.token_hex(3).upper()}"
        if not InterferenceReport.objects.filter(receipt_number=number).exists():
            return number


@transaction.atomic
def report_interference(
    *,
    by,
    interferer_name: str,
    occurred_on: datetime.date,
    manner: str,
    content: str,
    interferer_unit: str = "",
    interferer_post: str = "",
    case: Case | None = None,
) -> InterferenceReport:
    """A chief officer records an attempt to interfere with a decision (N-7)."""
    today = timezone.localdate()
    person = getattr(by, "person", None) if getattr(by, "is_authenticated", False) else None
    if person is None:
        raise Forbidden("只有登记在册的工作人员可以登记干预记录")
    if occurred_on is None:
        raise RuleViolation("invalid", "请填写干预日期", field="occurred_on")
    if occurred_on > today:
        raise RuleViolation("invalid", "干预日期不能晚于今天", field="occurred_on")
    clean_date_range(occurred_on, "occurred_on", label="干预日期", today=today)
    # In office on the day of the interference or today (a term may have ended since).
    if not access.holds_chief_grant(person, occurred_on, today):
        raise Forbidden(
            "只有首席服务员（首席代表）可以登记干预记录：干预发生时或现在须持有有效授权", code="N-7"
        )
    if manner not in InterferenceManner.values:
        raise RuleViolation("invalid", "请选择干预方式", field="manner")
    report = InterferenceReport.objects.create(
        receipt_number=_receipt_number(today),
        reporter=person,
        reporter_user=by,
        interferer_name=_text(interferer_name, "interferer_name", "干预人姓名", limit=50),
        interferer_unit=_text(
            interferer_unit, "interferer_unit", "干预人单位", required=False, limit=200
        ),
        interferer_post=_text(
            interferer_post, "interferer_post", "干预人职务", required=False, limit=100
        ),
        occurred_on=occurred_on,
        manner=manner,
        case=case,
        content=_text(content, "content", "干预内容"),
        department_id=person.department_id,
        filed_at=timezone.now(),
    )
    # Action and id only: auditors read the chain, the content is for discipline alone.
    audit.record(
        actor=by,
        action="report_interference",
        object_type=InterferenceReport._meta.label,
        object_id=str(report.pk),
        object_repr=report.receipt_number,
    )
    return report


@transaction.atomic
def handle_interference(
    *, by, report: InterferenceReport, note: str, on: datetime.date | None = None
) -> InterferenceReport:
    """The discipline office records how it dealt with a report (N-7)."""
    access.require_discipline(by, department=report.department)
    report = InterferenceReport.objects.select_for_update().get(pk=report.pk)
    if report.status == InterferenceReport.Status.HANDLED:
        raise Conflict("already_handled", "该干预记录已登记处理情况")
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise RuleViolation("invalid", "处理日期不能晚于今天", field="handled_on")
    report.handling_note = _text(note, "note", "处理情况")
    report.status, report.handled_on, report.handled_by = (
        InterferenceReport.Status.HANDLED,
        on,
        by,
    )
    report.save(update_fields=["handling_note", "status", "handled_on", "handled_by"])
    audit.record(
        actor=by,
        action="handle_interference",
        object_type=InterferenceReport._meta.label,
        object_id=str(report.pk),
        object_repr=report.receipt_number,
    )
    return report


def record_viewing(*, by, report: InterferenceReport) -> None:
    """Reading a report is itself recorded (who looked, which id; never what it says)."""
    with transaction.atomic():
        audit.record(
            actor=by,
            action="view_interference",
            object_type=InterferenceReport._meta.label,
            object_id=str(report.pk),
            object_repr=report.receipt_number,
        )


@transaction.atomic
def record_fault_tolerance(
    *,
    by,
    person: Person,
    event: str,
    innovation_context: str,
    error: str,
    decision: str,
    basis: str,
    decided_on: datetime.date,
    correction: str = "",
    case: Case | None = None,
) -> FaultToleranceRecord:
    """The discipline office records an error made while innovating and its decision (N-21)."""
    access.require_discipline(by, department=person.department)
    if decision not in FaultToleranceDecision.values:
        raise RuleViolation("invalid", "认定结论须为免责、减责或不予容错", field="decision")
    if decided_on is None:
        raise RuleViolation("invalid", "请填写认定日期", field="decided_on")
    if decided_on > timezone.localdate():
        raise RuleViolation("invalid", "认定日期不能晚于今天", field="decided_on")
    record = FaultToleranceRecord.objects.create(
        person=person,
        department_id=person.department_id,
        event=_text(event, "event", "事件经过"),
        innovation_context=_text(innovation_context, "innovation_context", "改革创新背景"),
        error=_text(error, "error", "失误错误情形"),
        decision=decision,
        basis=_text(basis, "basis", "认定依据"),
        correction=_text(correction, "correction", "纠错措施", required=False),
        decided_on=decided_on,
        case=case,
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="record_fault_tolerance",
        object_type=FaultToleranceRecord._meta.label,
        object_id=str(record.pk),
        object_repr=f"容错纠错记录 {record.pk}",
    )
    return record
