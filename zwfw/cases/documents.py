"""Dated written receipts as PDF (行政许可法第32条): the one-time notice (一次性告知书), the
acceptance notice (受理通知书) and the refusal notice (不予受理通知书)."""

from django.utils import timezone

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
