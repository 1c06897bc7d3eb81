"""Staff pages of 12345 hotline feedback (TW-10): list with filters, one ticket with its
handling, manual entry, .xlsx import and template, monthly counts by department."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import has_role, require_role_anywhere
from zwfw.documents.xlsx import XLSX_MIME, write_xlsx
from zwfw.org import selectors as org_selectors
from zwfw.supervision import access, selectors, services
from zwfw.supervision.forms import HotlineForm, HotlineHandleForm, ImportForm
from zwfw.supervision.models import HotlineKind, HotlineStatus
from zwfw.supervision.services.hotline import TEMPLATE_HEADERS, parse_date
from zwfw.supervision.views import page


def _date(request, name: str):
    try:
        return parse_date(request.GET.get(name, ""), name)
    except RuleViolation:
        return None


@login_required
def hotline_list(request):
    departments = org_selectors.visible_departments(request.user).order_by("code")
    code = request.GET.get("department", "")
    department = next((d for d in departments if d.code == code), None) if code else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in HotlineKind.values else ""
    status = request.GET.get("status", "")
    status = status if status in HotlineStatus.values else ""
    start, end = _date(request, "start"), _date(request, "end")
    qs = selectors.visible_hotline(
        request.user,
        department=department,
        kind=kind,
        status=status,
        start=start,
        end=end,
        query=request.GET.get("q", ""),
    )
    return page(
        request,
        "hotline_list.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "departments": departments,
            "department": department,
            "kind": kind,
            "kinds": HotlineKind.choices,
            "status": status,
            "statuses": HotlineStatus.choices,
            "start": start,
            "end": end,
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def hotline_detail(request, pk: int):
    ticket = selectors.hotline_by_pk(request.user, pk)
    form = HotlineHandleForm(
        request.POST or None,
        initial={
            "status": ticket.status,
            "resolution": ticket.resolution,
            "replied_on": ticket.replied_on or timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_hotline(by=request.user, feedback=ticket, **form.cleaned_data)
        except Forbidden:
            raise
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "已更新工单办理情况")
            return redirect("supervision:hotline_detail", pk=ticket.pk)
    may_handle = has_role(request.user, *access.HOTLINE_HANDLE_ROLES, department=ticket.department)
    return page(
        request,
        "hotline_detail.html",
        {"t": ticket, "form": form, "may_handle": may_handle},
        status=422 if form.errors else 200,
    )


@login_required
def hotline_new(request):
    require_role_anywhere(request.user, *access.HOTLINE_WRITE_ROLES)
    departments = org_selectors.visible_departments(request.user).order_by("code")
    form = HotlineForm(
        request.POST or None, departments=departments, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.save_hotline(
                by=request.user,
                rows=[services.HotlineRow(**data)],
                source="page",
                single=True,
            )
        except Forbidden:
            raise
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            ticket = result.tickets[0]
            messages.success(
                request,
                f"已登记工单{ticket.ticket_number}"
                if result.created
                else f"工单{ticket.ticket_number}已存在，已按本次填写内容更新",
            )
            return redirect("supervision:hotline_detail", pk=ticket.pk)
    return page(request, "hotline_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def hotline_import(request):
    require_role_anywhere(request.user, *access.HOTLINE_WRITE_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_hotline(by=request.user, file=form.cleaned_data["file"])
        except services.HotlineRejected as exc:
            errors = exc.errors
            add_violation(form, exc)
        except Forbidden:
            raise
        except RuleViolation as exc:
            add_violation(form, exc)
    return page(
        request,
        "hotline_import.html",
        {"form": form, "errors": errors, "result": result},
        status=422 if form.errors else 200,
    )


@login_required
def hotline_template(request):
    content = write_xlsx(
        TEMPLATE_HEADERS,
        [
            [
                "12345-20260901-0001",
                "2026-09-01",
                "投诉",
                "（示例）窗口办理时间过长",
                "13800000000",
                "",
                "",
                "",
                "",
                "待办理",
                "",
                "",
            ]
        ],
        title="12345工单",
        widths=[22, 12, 10, 40, 14, 24, 20, 12, 8, 10, 30, 12],
    )
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, "12345工单导入模板.xlsx")
    return response


@login_required
def hotline_summary(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2004), today.year)
    rows = selectors.hotline_monthly(request.user, year)
    totals = [sum(r["months"][m] for r in rows) for m in range(12)]
    complaints = [sum(r["complaints"][m] for r in rows) for m in range(12)]
    chart = {
        "months": [f"{m}月" for m in range(1, 13)],
        "series": [
            {
                "name": (r["department"].short_name or r["department"].name)
                if r["department"]
                else "未关联部门",
                "data": r["months"],
            }
            for r in rows
        ],
        "complaints": complaints,
    }
    return page(
        request,
        "hotline_summary.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "rows": rows,
            "totals": totals,
            "complaints": complaints,
            "grand_total": sum(totals),
            "chart": chart,
            "months": chart["months"],
        },
    )
