"""JSON shapes of the 好差评 API (and the .xlsx answer both the API and the page give)."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from zwfw.core.errors import RuleViolation
from zwfw.documents.xlsx import XLSX_MIME, write_xlsx
from zwfw.evaluations import services, statistics
from zwfw.evaluations.models import Appeal, Evaluation, EvaluatorDevice, Rectification


def evaluation_out(e: Evaluation) -> dict:
    # Reverse one-to-ones: None when absent (lists select them, no query per row).
    rect = getattr(e, "rectification", None)
    appeal = getattr(e, "appeal", None)
    return {
        "id": e.pk,
        "level": e.level,
        "level_name": e.level_name,
        "level_label": e.get_level_display(),
        "good": e.good,
        "channel": e.channel,
        "channel_label": e.get_channel_display(),
        "case": e.case.number if e.case_id else None,
        "visit": e.visit_id,
        "department": e.department.code if e.department_id else None,
        "window": e.window_id,
        "staff": e.staff_id,
        "item": e.item.code if e.item_id else None,
        "comment": e.comment,
        "tags": [t.tag for t in e.tags.all()],
        "rated_at": e.rated_at,
        "rated_on": e.rated_on,
        "is_default": e.is_default,
        "verified": e.verified,
        "excluded": e.excluded,
        "rectification": rect.pk if rect is not None else None,
        "appeal_status": appeal.status if appeal is not None else None,
    }


def rectification_out(r: Rectification, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": r.pk,
        "status": r.status,
        "status_label": r.get_status_display(),
        "evaluation": r.evaluation_id,
        "level": r.evaluation.level,
        "level_label": r.evaluation.get_level_display(),
        "case": r.case.number if r.case_id else None,
        "department": r.department.code if r.department_id else None,
        "center": r.center.code,
        "opened_on": r.opened_on,
        "next_due_date": r.next_due_date,
        "alert_level": r.alert_level,
        "escalated": r.escalated,
        "escalated_on": r.escalated_on,
        "extended_days": r.extended_days,
        "finding": r.finding,
        "result": r.result,
        "closed_on": r.closed_on,
        "on_time": r.on_time,
        "steps": services.rectifications.steps(r, today),
    }


def appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "evaluation": a.evaluation_id,
        "status": a.status,
        "status_label": a.get_status_display(),
        "department": a.department.code if a.department_id else None,
        "reason": a.reason,
        "filed_on": a.filed_on,
        "opinion": a.opinion,
        "decided_on": a.decided_on,
    }


def device_out(d: EvaluatorDevice) -> dict:
    return {
        "id": d.pk,
        "window": d.window_id,
        "window_label": f"{d.center.name} {d.window}",
        "name": d.name,
        "active": d.active,
        "registered_at": d.registered_at,
        "last_used_at": d.last_used_at,
    }


def department_by_code(code: str):
    if not code:
        return None
    from zwfw.org.models import Department

    found = Department.objects.filter(code=code).first()
    if found is None:
        raise RuleViolation("invalid", f"未找到部门“{code[:30]}”", field="department")
    return found


def fresh_evaluation(evaluation_id: int) -> dict:
    e = (
        Evaluation.objects.select_related("case", "department", "item", "rectification", "appeal")
        .prefetch_related("tags")
        .get(pk=evaluation_id)
    )
    return evaluation_out(e)


def row_out(r: statistics.Row) -> dict:
    return {
        "key": r.key,
        "name": r.name,
        "total": r.total,
        "good": r.good,
        "bad": r.bad,
        "unverified": r.unverified,
        "good_rate": r.good_rate,
        "active": r.active,
        "active_good_rate": r.active_good_rate,
        "defaults": r.defaults,
        "excluded": r.excluded,
        "completed": r.completed,
        "unrated": r.unrated,
        "unrated_rate": r.unrated_rate,
        "tickets": r.tickets,
        "closed": r.closed,
        "rectification_rate": r.rectification_rate,
        "on_time": r.on_time,
        "on_time_rate": r.on_time_rate,
        "tags": r.tags,
        "hotline_total": r.hotline_total,
        "hotline_complaints": r.hotline_complaints,
    }


def xlsx_response(rep: statistics.Report) -> HttpResponse:
    span = f"{rep.start:%Y-%m}" + (f"至{rep.end:%Y-%m}" if rep.end != rep.start else "")
    content = write_xlsx(
        statistics.xlsx_headers(rep),
        statistics.xlsx_rows(rep),
        title="好差评统计",
        caption=f"好差评统计（按{rep.dimension.label}，{span}）",
        widths=[30] + [12] * 30,
    )
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(
        True, f"好差评统计-{rep.dimension.label}-{span}.xlsx"
    )
    return response
