"""Staff pages of issue 12 points 5 and 6: the first-inquiry log (首问登记) and its monthly
counts, the case documents (收件回执, 行政许可决定书) and the delivery record (送达).
Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zwfw.cases import documents, inquiry_selectors, selectors
from zwfw.cases.forms_docs import DeliveryForm, InquiryForm
from zwfw.cases.services import delivery as delivery_services
from zwfw.cases.services import inquiries as inquiry_services
from zwfw.cases.services.base import HANDLING_ROLES
from zwfw.cases.views import _pdf
from zwfw.core.basis import explain
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import has_role


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _center_of(user):
    """The center whose windows the logging form offers: the staff member's own."""
    person = getattr(user, "person", None)
    if person is None or not has_role(user, *HANDLING_ROLES, department=person.department):
        return None
    return person.department.center


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def inquiries(request):
    """首问登记: log one quickly (staff at a window) and read the log in one's scope."""
    qs = inquiry_selectors.visible_inquiries(
        request.user, window_id=_int(request.GET.get("window"))
    )
    center = _center_of(request.user)
    form = InquiryForm(request.POST or None, center=center) if center else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Forbidden("只有进驻中心部门的窗口工作人员可以登记首问", code="R-16")
        if form.is_valid():
            d = form.cleaned_data
            try:
                inquiry = inquiry_services.log_inquiry(by=request.user, **d)
            except RuleViolation as exc:
                if exc.status == 403:
                    raise
                add_violation(form, exc)
            else:
                messages.success(request, f"已登记首问（编号{inquiry.pk}）")
                return redirect("cases:inquiries")
        status = 422
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "cases/inquiries.html", {"page": page, "form": form}, status=status)


@login_required
def inquiry_stats(request):
    """Counts per window and per staff member by month (R-16)."""
    year = _year(request.GET.get("year"))
    counts = inquiry_selectors.monthly_counts(request.user, year)
    return render(
        request,
        "cases/inquiry_stats.html",
        {"year": year, "counts": counts, "months": range(1, 13)},
    )


@login_required
def inquiry_notice(request, pk):
    return _pdf(*documents.inquiry_notice_pdf(inquiry_selectors.inquiry_for(request.user, pk)))


@login_required
def decision_document(request, number):
    return _pdf(*documents.decision_pdf(selectors.case_for(request.user, number)))


@login_required
def intake_receipt(request, number):
    case = selectors.case_for(request.user, number)
    return _pdf(*documents.intake_receipt_pdf(case, request))


@login_required
@require_POST
def deliver(request, number):
    """送达 from the case page; a refusal comes back as a message with its rule code."""
    case = selectors.case_for_action(request.user, number)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择送达方式")
        return redirect("cases:detail", number=number)
    try:
        delivery_services.record_delivery(case=case, by=request.user, **form.cleaned_data)
    except RuleViolation as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, explain(exc))
    else:
        messages.success(request, "已登记送达")
    return redirect("cases:detail", number=number)
