"""Staff pages of 好差评 tools: statistics with charts and .xlsx, evaluator devices, printable
QR sheets per window and staff member, and the one-time rating link of a window visit.
Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zwfw.cases.selectors import case_for_action
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.evaluations import forms, links, presenters, selectors, services, statistics
from zwfw.org import selectors as org_selectors

CHART_ROWS = 15
SHEET_LIMIT = 200


def _months(today, count: int = 24) -> list[str]:
    first = today.replace(day=1)
    return [statistics.add_months(first, -i).strftime("%Y-%m") for i in range(count)]


@login_required
def statistics_page(request):
    g = request.GET
    today = timezone.localdate()
    month = g.get("month") or today.strftime("%Y-%m")
    start = selectors.parse_month(month)
    end = selectors.parse_month(g.get("end")) if g.get("end") else start
    dimension = g.get("dimension", "department")
    error = ""
    rep = None
    if start is None or end is None:
        error = "月份须为 YYYY-MM 格式"
    else:
        try:
            rep = statistics.report(request.user, dimension=dimension, start=start, end=end)
        except RuleViolation as exc:
            if exc.status == 403:
                raise
            error = exc.message
    if rep is not None and g.get("format") == "xlsx":
        return presenters.xlsx_response(rep)
    chart = None
    if rep is not None:
        top = rep.rows[:CHART_ROWS]
        chart = {
            "names": [r.name for r in top],
            "good_rate": [r.good_rate for r in top],
            "bad": [r.bad for r in top],
            "trend": rep.trend,
            "tags": rep.tags,
        }
    return render(
        request,
        "evaluations/statistics.html",
        {
            "rep": rep,
            "chart": chart,
            "error": error,
            "month": month,
            "end": g.get("end", ""),
            "dimension": dimension,
            "dimensions": [(d.code, d.label) for d in statistics.DIMENSIONS.values()],
            "months": _months(today),
            "query": g.urlencode(),
        },
        status=400 if error else 200,
    )


# --- devices -------------------------------------------------------------------------------


def _require_center_admin(user) -> None:
    if not has_role_anywhere(user, Role.CENTER_ADMIN):
        raise Forbidden("需要中心管理员角色")


@login_required
def devices(request):
    _require_center_admin(request.user)
    windows = selectors.sheet_windows(request.user)
    form = forms.DeviceForm(request.POST or None, windows=windows)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device, token = services.register_device(
                    by=request.user,
                    window=form.cleaned_data["window"],
                    name=form.cleaned_data["name"],
                )
            except RuleViolation as exc:
                if exc.status == 403:
                    raise
                add_violation(form, exc)
            else:
                # The only time the token is shown: it is stored as a digest.
                return render(
                    request,
                    "evaluations/device_token.html",
                    {"device": device, "token": token},
                    status=201,
                )
    return render(
        request,
        "evaluations/devices.html",
        {"devices": selectors.visible_devices(request.user), "form": form},
        status=status,
    )


@login_required
@require_POST
def deactivate_device(request, pk):
    device = selectors.device_for(request.user, pk)
    services.deactivate_device(by=request.user, device=device)
    messages.success(request, f"评价器“{device.name}”已停用")
    return redirect("evaluations:devices")


# --- QR sheets -----------------------------------------------------------------------------


@login_required
def qr_windows(request):
    """A printable page with one QR sheet per window of a center."""
    windows = selectors.sheet_windows(request.user)
    centers = sorted({w.center for w in windows}, key=lambda c: c.path)
    center = next((c for c in centers if str(c.pk) == request.GET.get("center_id")), None)
    center = center or (centers[0] if centers else None)
    rows = [w for w in windows if center is not None and w.center_id == center.pk]
    sheets = []
    for w in rows[:SHEET_LIMIT]:
        url = links.window_url(w.pk, request)
        sheets.append({"window": w, "url": url, "svg": links.qr_svg(url, 5)})
    return render(
        request,
        "evaluations/qr_windows.html",
        {"centers": centers, "center": center, "sheets": sheets},
    )


@login_required
def qr_staff(request):
    """Printable QR sheets of the staff members of a department."""
    departments = list(org_selectors.visible_departments(request.user).order_by("code"))
    department = next(
        (d for d in departments if str(d.pk) == request.GET.get("department_id")), None
    )
    people = selectors.sheet_people(request.user, department)[:SHEET_LIMIT]
    sheets = []
    for p in people:
        url = links.staff_url(p.pk, request)
        sheets.append({"person": p, "url": url, "svg": links.qr_svg(url, 4)})
    return render(
        request,
        "evaluations/qr_staff.html",
        {"departments": departments, "department": department, "sheets": sheets},
    )


# --- window visits -------------------------------------------------------------------------


@login_required
def new_visit(request):
    """A service ends at the window: hand the applicant a one-time rating QR (一次一评)."""
    if not has_role_anywhere(
        request.user, Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN
    ):
        raise Forbidden("需要窗口工作人员或管理员角色")
    windows = selectors.sheet_windows(request.user)
    form = forms.VisitForm(request.POST or None, windows=windows)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = case_for_action(request.user, d["case"]) if d["case"] else None
                visit, token = services.start_visit(by=request.user, window=d["window"], case=case)
            except NotFound as exc:
                form.add_error("case", exc.message)
            except RuleViolation as exc:
                if exc.status == 403:
                    raise
                add_violation(form, exc)
            else:
                url = links.visit_url(token, request)
                return render(
                    request,
                    "evaluations/visit_created.html",
                    {"visit": visit, "url": url, "svg": links.qr_svg(url, 6)},
                    status=201,
                )
    return render(request, "evaluations/visit_new.html", {"form": form}, status=status)
