"""Pages of interference reports (N-7) and fault-tolerance records (N-21): the form for chief
officers and the receipt; lists and details for the discipline role only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.supervision import access, selectors, services
from zwfw.supervision.forms import FaultToleranceForm, HandleForm, InterferenceForm
from zwfw.supervision.models import FaultToleranceDecision
from zwfw.supervision.views import page


def _case(form, number: str):
    if not number.strip():
        return None
    try:
        return selectors.case_by_number(number)
    except RuleViolation as exc:
        add_violation(form, exc)
        return False


@login_required
def interference_new(request):
    if not access.may_report_interference(request.user):
        raise Forbidden("干预记录由在任的首席服务员（首席代表）登记（N-7）", code="N-7")
    form = InterferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = _case(form, data.pop("case"))
        if case is not False:
            try:
                report = services.report_interference(by=request.user, case=case, **data)
            except Forbidden:
                raise
            except RuleViolation as exc:
                add_violation(form, exc)
            else:
                return redirect(
                    "supervision:interference_receipt", receipt_number=report.receipt_number
                )
    return page(
        request, "interference_form.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
def interference_receipt(request, receipt_number: str):
    receipt = selectors.own_receipt(request.user, receipt_number)
    return page(request, "interference_receipt.html", {"receipt": receipt})


@login_required
def interference_list(request):
    qs = selectors.interference_reports(request.user)
    return page(
        request,
        "interference_list.html",
        {"page": Paginator(qs, 30).get_page(request.GET.get("page"))},
    )


@login_required
def interference_detail(request, receipt_number: str):
    report = selectors.interference_for(request.user, receipt_number)
    # Reading what a report says is recorded (N-7), and GET never writes: the content shows
    # only after a POST (the 查看内容 button, or handling the report).
    revealing = request.method == "POST" and "reveal" in request.POST
    form = HandleForm(None if revealing else (request.POST or None))
    if revealing:
        services.record_viewing(by=request.user, report=report)
    elif request.method == "POST" and form.is_valid():
        try:
            services.handle_interference(by=request.user, report=report, **form.cleaned_data)
        except Forbidden:
            raise
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "已登记处理情况")
            return redirect("supervision:interference_detail", receipt_number=receipt_number)
    return page(
        request,
        "interference_detail.html",
        {"r": report, "form": form, "revealed": request.method == "POST"},
        status=422 if form.errors else 200,
    )


@login_required
def fault_list(request):
    decision = request.GET.get("decision", "")
    decision = decision if decision in FaultToleranceDecision.values else ""
    qs = selectors.fault_tolerance_records(request.user, decision=decision)
    return page(
        request,
        "fault_list.html",
        {
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "decision": decision,
            "decisions": FaultToleranceDecision.choices,
        },
    )


@login_required
def fault_new(request):
    form = FaultToleranceForm(
        request.POST or None,
        people=selectors.discipline_people(request.user),
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = _case(form, data.pop("case"))
        if case is not False:
            try:
                record = services.record_fault_tolerance(by=request.user, case=case, **data)
            except Forbidden:
                raise
            except RuleViolation as exc:
                add_violation(form, exc)
            else:
                messages.success(request, "已登记容错纠错记录")
                return redirect("supervision:fault", record_id=record.pk)
    return page(request, "fault_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def fault_detail(request, record_id: int):
    return page(
        request,
        "fault_detail.html",
        {"r": selectors.fault_tolerance_for(request.user, record_id)},
    )
