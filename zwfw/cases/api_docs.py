"""API of the first-inquiry log (首问登记, R-16, C-2.2) and of a case's documents and delivery
(issue 12 points 5, 6). Registered on the case router by cases.api before its catch-all
/cases/{number}/{action}. Parse, call a service or selector, return: no rules here."""

from ninja import Router

from zwfw.cases import inquiry_selectors, selectors
from zwfw.cases.models_docs import DecisionDocument, Delivery, Inquiry, IntakeReceipt
from zwfw.cases.schemas_docs import (
    CaseDocumentsOut,
    DeliveryIn,
    DeliveryOut,
    InquiryIn,
    InquiryList,
    InquiryOut,
    InquiryStatsOut,
)
from zwfw.cases.services import delivery as delivery_services
from zwfw.cases.services import inquiries as inquiry_services
from zwfw.core.api import idempotent, paginate
from zwfw.core.errors import RuleViolation


def inquiry_out(q: Inquiry) -> dict:
    return {
        "id": q.pk,
        "asked_at": q.asked_at,
        "asked_on": q.asked_on,
        "window": q.window_id,
        "window_name": str(q.window) if q.window_id else None,
        "department": q.department.code,
        "answered_by": q.answered_by.name,
        "asker_name": q.masked_name,
        "asker_phone": q.masked_phone,
        "item": q.item.code if q.item_id else None,
        "item_name": q.item.name if q.item_id else None,
        "question": q.question,
        "answer": q.answer,
        "notice_given": q.notice_given,
        "notice_materials": q.notice_materials,
        "referred_to_window": q.referred_to_window_id,
        "referred_to_department": (
            q.referred_to_department.code if q.referred_to_department_id else None
        ),
        "referral_note": q.referral_note,
    }


def _lookup(model, field: str, message: str, **where):
    found = model.objects.filter(**where).first()
    if found is None:
        raise RuleViolation("invalid", message, field=field)
    return found


def _places(payload: InquiryIn) -> dict:
    from zwfw.catalog.models import ServiceItem
    from zwfw.org.models import Department, Window

    out = {"item": None, "window": None, "referred_to_window": None, "referred_to_department": None}
    if payload.item:
        out["item"] = _lookup(ServiceItem, "item", "未找到该事项", code=payload.item)
    if payload.window is not None:
        out["window"] = _lookup(Window, "window", "未找到该窗口", pk=payload.window)
    if payload.referred_to_window is not None:
        out["referred_to_window"] = _lookup(
            Window, "referred_to_window", "未找到该窗口", pk=payload.referred_to_window
        )
    if payload.referred_to_department:
        out["referred_to_department"] = _lookup(
            Department,
            "referred_to_department",
            "未找到该部门",
            code=payload.referred_to_department,
        )
    return out


def delivery_out(d: Delivery, number: str) -> dict:
    return {
        "case": number,
        "method": d.method,
        "method_label": d.get_method_display(),
        "tracking_number": d.tracking_number,
        "note": d.note,
        "delivered_on": d.delivered_on,
    }


def register(router: Router, errors: dict) -> None:
    @router.post("/inquiries", response={201: InquiryOut, **errors}, summary="登记首问（首问首接）")
    def create_inquiry(request, payload: InquiryIn):
        """R-16: the staff member first asked logs the inquiry (the answering person is the
        caller). `notice_given` (C-2.2) needs `item`: all its materials are kept as told."""

        def produce():
            inquiry = inquiry_services.log_inquiry(
                by=request.user,
                question=payload.question,
                asker_name=payload.asker_name or "",
                asker_phone=payload.asker_phone or "",
                answer=payload.answer or "",
                notice_given=payload.notice_given,
                referral_note=payload.referral_note or "",
                **_places(payload),
            )
            return inquiry_out(inquiry)

        return idempotent(request, produce)

    @router.get("/inquiries", response={200: InquiryList, **errors}, summary="首问登记列表")
    def list_inquiries(
        request,
        window: int | None = None,
        year: int | None = None,
        page: int = 1,
        page_size: int = 50,
    ):
        qs = inquiry_selectors.visible_inquiries(request.user, window_id=window, year=year)
        rows, count = paginate(qs, page, page_size)
        return {"count": count, "items": [inquiry_out(q) for q in rows]}

    @router.get(
        "/inquiries/stats",
        response={200: InquiryStatsOut, **errors},
        summary="首问登记按月统计（按窗口、按工作人员）",
    )
    def inquiry_stats(request, year: int):
        if not 2000 <= year <= 2100:
            raise RuleViolation("invalid", "年份须在2000到2100之间", field="year")
        counts = inquiry_selectors.monthly_counts(request.user, year)
        return {"year": year, **counts}

    @router.post(
        "/cases/{number}/delivery",
        response={201: DeliveryOut, **errors},
        summary="登记送达（办结前须送达）",
    )
    def deliver(request, number: str, payload: DeliveryIn):
        """送达 of the decision: `window`, `post` (with `tracking_number`) or `electronic`;
        once per case, after the decision; `complete` answers 422 `delivery_required` before."""
        case = services_target(request, number)
        delivery = delivery_services.record_delivery(
            case=case,
            by=request.user,
            method=payload.method,
            tracking_number=payload.tracking_number or "",
            note=payload.note or "",
        )
        return 201, delivery_out(delivery, case.number)

    @router.get(
        "/cases/{number}/documents",
        response={200: CaseDocumentsOut, **errors},
        summary="办件文书（收件回执、行政许可决定书、送达）",
    )
    def case_documents(request, number: str):
        case = selectors.case_for(request.user, number)
        receipt = IntakeReceipt.objects.filter(case_id=case.pk).first()
        document = DecisionDocument.objects.filter(case_id=case.pk).first()
        delivery = Delivery.objects.filter(case_id=case.pk).first()
        return {
            "case": case.number,
            "receipt": (
                {
                    "issued_at": receipt.issued_at,
                    "received": receipt.received,
                    "missing": receipt.missing,
                }
                if receipt
                else None
            ),
            "decision": (
                {
                    "number": document.number,
                    "kind": document.kind,
                    "title": document.get_kind_display(),
                    "issued_on": document.issued_on,
                }
                if document
                else None
            ),
            "delivery": delivery_out(delivery, case.number) if delivery else None,
        }


def services_target(request, number: str):
    """The case in the caller's scope, with a due deemed acceptance applied (write path)."""
    from zwfw.cases import services

    return services.bring_up_to_date(case=selectors.case_for_action(request.user, number))
