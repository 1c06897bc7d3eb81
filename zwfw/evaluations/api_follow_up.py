"""The 好差评 API, follow-up part: rectification tickets (API.md "GET /rectifications") and
statistics. Parse, call a service or selector, return."""

from django.utils import timezone
from ninja import Router

from zwfw.core.api import paginate
from zwfw.core.errors import RuleViolation
from zwfw.evaluations import presenters, selectors, services, statistics
from zwfw.evaluations.models import RectificationStatus
from zwfw.evaluations.schemas import (
    ERRORS,
    CallbackIn,
    CloseIn,
    ExtendIn,
    NoteIn,
    RectificationList,
    RectificationOut,
    StatisticsOut,
)

router = Router(tags=["好差评"])


# --- rectification -------------------------------------------------------------------------


@router.get(
    "/rectifications",
    response={200: RectificationList, **ERRORS},
    summary="差评整改单（含各环节期限）",
)
def list_rectifications(
    request,
    case: str = "",
    department: str = "",
    status: str = "",
    alert_level: str = "",
    escalated: bool | None = None,
    page: int = 1,
    page_size: int = 50,
):
    if status and status != "open" and status not in RectificationStatus.values:
        names = "、".join(["open", *RectificationStatus.values])
        raise RuleViolation("invalid", f"整改状态须为：{names}", field="status")
    if alert_level and alert_level not in ("green", "yellow", "red"):
        raise RuleViolation("invalid", "预警等级须为 green、yellow 或 red", field="alert_level")
    qs = selectors.visible_rectifications(
        request.user,
        case_number=case,
        department=presenters.department_by_code(department),
        status=status,
        alert_level=alert_level,
        escalated=escalated,
    )
    rows, count = paginate(qs, page, page_size)
    today = timezone.localdate()
    return {"items": [presenters.rectification_out(r, today) for r in rows], "count": count}


@router.get(
    "/rectifications/{int:rectification_id}",
    response={200: RectificationOut, **ERRORS},
    summary="差评整改单详情",
)
def get_rectification(request, rectification_id: int):
    return presenters.rectification_out(selectors.rectification_for(request.user, rectification_id))


def _act(request, rectification_id: int, call) -> dict:
    rect = selectors.rectification_for(request.user, rectification_id)
    call(rect)
    return presenters.rectification_out(selectors.rectification_for(request.user, rectification_id))


@router.post(
    "/rectifications/{int:rectification_id}/callback",
    response={200: RectificationOut, **ERRORS},
    summary="回访核实",
)
def callback(request, rectification_id: int, payload: CallbackIn):
    return _act(
        request,
        rectification_id,
        lambda r: services.call_back(
            rectification=r, by=request.user, finding=payload.finding, note=payload.note
        ),
    )


@router.post(
    "/rectifications/{int:rectification_id}/rectify",
    response={200: RectificationOut, **ERRORS},
    summary="登记整改",
)
def rectify(request, rectification_id: int, payload: NoteIn):
    return _act(
        request,
        rectification_id,
        lambda r: services.record_rectified(rectification=r, by=request.user, note=payload.note),
    )


@router.post(
    "/rectifications/{int:rectification_id}/report-back",
    response={200: RectificationOut, **ERRORS},
    summary="反馈评价人",
)
def report_back(request, rectification_id: int, payload: NoteIn):
    return _act(
        request,
        rectification_id,
        lambda r: services.report_back(rectification=r, by=request.user, note=payload.note),
    )


@router.post(
    "/rectifications/{int:rectification_id}/close",
    response={200: RectificationOut, **ERRORS},
    summary="办结（须填写整改结果）",
)
def close(request, rectification_id: int, payload: CloseIn):
    return _act(
        request,
        rectification_id,
        lambda r: services.close_rectification(
            rectification=r, by=request.user, result=payload.result
        ),
    )


@router.post(
    "/rectifications/{int:rectification_id}/extend",
    response={200: RectificationOut, **ERRORS},
    summary="延期（最长不超过15个工作日）",
)
def extend(request, rectification_id: int, payload: ExtendIn):
    return _act(
        request,
        rectification_id,
        lambda r: services.extend_rectification(
            rectification=r, by=request.user, days=payload.days, reason=payload.reason
        ),
    )


# --- statistics ----------------------------------------------------------------------------


def _report(request, dimension: str, month: str, end: str):
    first = selectors.parse_month(month) if month else timezone.localdate().replace(day=1)
    if first is None:
        raise RuleViolation("invalid", "月份须为 YYYY-MM 格式", field="month")
    last = selectors.parse_month(end) if end else first
    if last is None:
        raise RuleViolation("invalid", "月份须为 YYYY-MM 格式", field="end")
    return statistics.report(request.user, dimension=dimension, start=first, end=last)


@router.get(
    "/evaluations/statistics",
    response={200: StatisticsOut, **ERRORS},
    summary="好差评统计（好评率、主动评价好评率、未评价率、整改率、按时整改率）",
)
def get_statistics(request, dimension: str = "department", month: str = "", end: str = ""):
    rep = _report(request, dimension, month, end)
    return {
        "dimension": rep.dimension.code,
        "start": rep.start,
        "end": rep.end,
        "rows": [presenters.row_out(r) for r in rep.rows],
        "total": presenters.row_out(rep.total),
        "trend": rep.trend,
        "tags": rep.tags,
        "hotline": rep.hotline,
    }


@router.get(
    "/evaluations/statistics.xlsx", response={200: None, **ERRORS}, summary="好差评统计表（xlsx）"
)
def statistics_xlsx(request, dimension: str = "department", month: str = "", end: str = ""):
    rep = _report(request, dimension, month, end)
    return presenters.xlsx_response(rep)
