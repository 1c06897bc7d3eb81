"""Dated written receipts as PDF (行政许可法第32条): the one-time notice (一次性告知书), the
acceptance notice (受理通知书) and the refusal notice (不予受理通知书)."""

from django.utils import timezone

from zwfw.cases import conf
from zwfw.cases.models import Case
from zwfw.core.errors import NotFound
from zwfw.documents.pdf import render_pdf

APPEAL_RIGHTS = (
    "申请人如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，"
    "或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。"
)


def _base(case: Case) -> dict:
    return {
        "case": case,
        "authority": case.department.name,
        "center": case.center.name,
        "applicant": case.applicant.name,
        "item": str(case.item),
        "printed_on": timezone.localdate(),
    }


def supplement_notice_pdf(case: Case, notice) -> tuple[str, bytes]:
    if notice is None:
        raise NotFound("本件没有一次性告知书")
    context = {**_base(case), "notice": notice, "title": "补正材料一次性告知书"}
    return f"{case.number}-一次性告知书.pdf", render_pdf("cases/doc_notice.html", {"c": context})


def acceptance_pdf(case: Case) -> tuple[str, bytes]:
    if case.accepted_on is None:
        raise NotFound("本件尚未受理")
    context = {**_base(case), "title": "受理通知书"}
    return f"{case.number}-受理通知书.pdf", render_pdf("cases/doc_acceptance.html", {"c": context})


def refusal_pdf(case: Case) -> tuple[str, bytes]:
    if case.refused_on is None:
        raise NotFound("本件没有不予受理决定")
    context = {**_base(case), "title": "不予受理通知书", "appeal": APPEAL_RIGHTS}
    return f"{case.number}-不予受理通知书.pdf", render_pdf("cases/doc_refusal.html", {"c": context})


# --- issue 12 point 6: receipt and decision documents; point 5: an inquiry's notice ----------

DECISION_APPEAL_RIGHTS = (
    "申请人如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
)


def progress_url(number: str, request=None) -> str:
    """The public progress query of a case with its number filled in (printed in QR codes)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from zwfw.evaluations import links

    path = reverse("public_cases:progress") + "?" + urlencode({"number": number})
    return links.absolute(path, request)


def _older_receipt(case: Case):
    """A case taken in before receipts were written has none: its receipt is read from the
    materials received on the intake day (unsaved; a GET never writes)."""
    from zwfw.cases.models_docs import IntakeReceipt

    day = timezone.localdate(case.received_at)
    materials = list(case.materials.all())
    received = [
        {"name": m.name, "form": m.form}
        for m in materials
        if m.status == "received" and m.received_on == day
    ]
    names = {r["name"] for r in received}
    missing = [m.name for m in materials if m.required and m.name not in names]
    return IntakeReceipt(case=case, issued_at=case.received_at, received=received, missing=missing)


def intake_receipt_pdf(case: Case, request=None) -> tuple[str, bytes]:
    """收件回执: the materials handed in at intake, with QR codes of the progress query and of
    the rating page (R-16: progress queries answered, every case rated once)."""
    from zwfw.cases.models_docs import IntakeReceipt
    from zwfw.evaluations import links

    receipt = IntakeReceipt.objects.filter(case_id=case.pk).first() or _older_receipt(case)
    progress = progress_url(case.number, request)
    rating = links.case_url(case.number, "qr", request)
    context = {
        **_base(case),
        "title": "收件回执",
        "accept_days": conf.accept_days(),
        "receipt": receipt,
        "receiver": case.received_by.get_full_name() if case.received_by_id else "",
        "progress_url": progress,
        "progress_qr": links.qr_png_data_uri(progress, 3),
        "rating_qr": links.qr_png_data_uri(rating, 3),
    }
    return f"{case.number}-收件回执.pdf", render_pdf("cases/doc_receipt.html", {"c": context})


def _authority_text(case: Case) -> str:
    """What the decision relied on (N-13): the grant, the normal procedure's post assignment,
    or the committee meeting (N-14)."""
    if case.committee_meeting_id:
        meeting = case.committee_meeting
        return f"{meeting.committee.name}{meeting.title}（{meeting.held_on:%Y年%m月%d日}）研究决定"
    if case.grant_id:
        grant = case.grant
        return (
            f"{grant.department.name}授权委托书（{grant.get_role_display()}，"
            f"授权编号{grant.pk}，有效期{grant.valid_from:%Y年%m月%d日}至"
            f"{grant.valid_to:%Y年%m月%d日}）"
        )
    assignment = getattr(case, "post_assignment", None)
    if assignment is not None:
        return f"办理岗位：{assignment}（一般程序）"
    return ""


def _item_basis(case: Case) -> str:
    """The item's own legal basis, when it adds to the Administrative Licensing Law cited."""
    basis = (getattr(case.item, "legal_basis", "") or "").strip()
    return "" if not basis or basis == "《中华人民共和国行政许可法》" else basis


def decision_pdf(case: Case) -> tuple[str, bytes]:
    """准予/不予行政许可决定书 (行政许可法第38条): number and date from the decision, the reasons,
    the deciding person and the authority relied on, the rights of appeal."""
    from zwfw.cases.models_docs import DecisionDocument

    document = DecisionDocument.objects.filter(case_id=case.pk).first()
    if document is None:
        raise NotFound("本件没有行政许可决定书")
    decided_by = case.decided_by
    context = {
        **_base(case),
        "title": document.get_kind_display(),
        "document": document,
        "approve": document.kind == DecisionDocument.Kind.APPROVE,
        "decided_by": decided_by.name if decided_by else "",
        "decided_position": decided_by.position if decided_by else "",
        "relied_on": _authority_text(case),
        "legal_basis": _item_basis(case),
        "appeal": DECISION_APPEAL_RIGHTS,
    }
    filename = f"{case.number}-{document.get_kind_display()}.pdf"
    return filename, render_pdf("cases/doc_decision.html", {"c": context})


def inquiry_notice_pdf(inquiry) -> tuple[str, bytes]:
    """一次性告知单 of an inquiry (C-2.2): every material the item needs, as told that day."""
    if not inquiry.notice_given or inquiry.item_id is None:
        raise NotFound("本次咨询没有一次性告知材料清单")
    context = {
        "title": "一次性告知单",
        "inquiry": inquiry,
        "item": str(inquiry.item),
        "authority": inquiry.item.department.name,
        "center": inquiry.center.name,
        "answered_by": inquiry.answered_by.name,
    }
    filename = f"一次性告知单-{inquiry.pk}.pdf"
    return filename, render_pdf("cases/doc_inquiry_notice.html", {"c": context})
