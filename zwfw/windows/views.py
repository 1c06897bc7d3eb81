"""Staff pages of the comprehensive window (R-17): the center admin's authorization page,
the clerk's intake page (the authorized departments' items), and agency records of a case.
Rules and permission checks are in services/selectors; these only render and dispatch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role
from zwfw.org.models import Window
from zwfw.windows import forms, selectors, services
from zwfw.windows.models import ComprehensiveAuthorization


def _window(pk: int) -> Window:
    return get_object_or_404(
        Window.objects.select_related("center"), pk=pk, kind=Window.Kind.COMPREHENSIVE
    )


def _is_admin(user, window) -> bool:
    return has_role(user, Role.CENTER_ADMIN, center=window.center)


def _is_clerk(user, window) -> bool:
    return any(w.pk == window.pk for w in selectors.windows_of(user))


@login_required
def index(request):
    """The comprehensive windows this user manages or is posted at."""
    if not selectors.may_open(request.user):
        raise Forbidden("需要中心管理员或综合窗口工作人员")
    posted = selectors.windows_of(request.user)
    managed = [
        w
        for w in Window.objects.filter(kind=Window.Kind.COMPREHENSIVE, active=True)
        .select_related("center")
        .order_by("center__path", "number")
        if _is_admin(request.user, w)
    ]
    return render(request, "windows/index.html", {"posted": posted, "managed": managed})


@login_required
def window_page(request, pk: int):
    """The center's authorizations of a comprehensive window (R-17), its staff and cases."""
    window = _window(pk)
    rows = selectors.readable_authorizations(request.user, window)  # refuses outsiders
    admin = _is_admin(request.user, window)
    person = getattr(request.user, "person", None)
    initial = {"approved_on": timezone.localdate(), "approved_by": person}
    auth_form = forms.AuthorizationForm(window=window, initial=initial)
    staff_form = forms.StaffForm(window=window, initial={"valid_from": timezone.localdate()})
    if request.method == "POST":
        if not admin:
            raise Forbidden("需要中心管理员")
        action = request.POST.get("action")
        try:
            if action == "authorize":
                auth_form = forms.AuthorizationForm(request.POST, window=window)
                if auth_form.is_valid():
                    d = auth_form.cleaned_data
                    services.authorize(
                        by=request.user,
                        window=window,
                        department=d["department"],
                        items=list(d["items"]),
                        approved_on=d["approved_on"],
                        approved_by=d["approved_by"],
                        valid_from=d["valid_from"],
                        approval_ref=d["approval_ref"],
                    )
                    messages.success(request, "已记录综合窗口授权")
                    return redirect("windows:window", pk=window.pk)
            elif action == "revoke":
                form = forms.RevokeForm(request.POST)
                if form.is_valid():
                    auth = get_object_or_404(
                        ComprehensiveAuthorization,
                        pk=form.cleaned_data["authorization"],
                        window=window,
                    )
                    services.revoke(
                        by=request.user, authorization=auth, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, "已撤销授权")
                else:
                    messages.error(request, "请填写撤销原因")
                return redirect("windows:window", pk=window.pk)
            elif action == "staff":
                staff_form = forms.StaffForm(request.POST, window=window)
                if staff_form.is_valid():
                    d = staff_form.cleaned_data
                    services.post_staff(
                        by=request.user,
                        window=window,
                        person=d["person"],
                        valid_from=d["valid_from"],
                        valid_to=d["valid_to"],
                    )
                    messages.success(request, "已安排窗口人员")
                    return redirect("windows:window", pk=window.pk)
        except RuleViolation as exc:
            if isinstance(exc, Forbidden):
                raise
            add_violation(staff_form if action == "staff" else auth_form, exc)
    clerk = _is_clerk(request.user, window)
    return render(
        request,
        "windows/window.html",
        {
            "window": window,
            "authorizations": list(rows),
            "admin": admin,
            "clerk": clerk,
            "auth_form": auth_form,
            "staff_form": staff_form,
            "staff": selectors.window_staff(window),
            "cases": selectors.cases_taken_in_at(window) if (admin or clerk) else [],
        },
    )


def _may_take_in(user, window) -> None:
    if not (_is_clerk(user, window) or _is_admin(user, window)):
        raise Forbidden(f"您不是{window}的在岗工作人员（R-17）", code="R-17")


@login_required
def intake_list(request, pk: int):
    """The clerk's intake page: every authorized department's authorized items (一窗进出)."""
    window = _window(pk)
    _may_take_in(request.user, window)
    groups = selectors.authorized_items(window)
    return render(request, "windows/intake_list.html", {"window": window, "groups": groups})


@login_required
def intake(request, pk: int, code: str):
    """Take an application in at the comprehensive window (services check R-17)."""
    from zwfw.cases import services as cases
    from zwfw.cases.views import _agent, _applicant, _intake_form
    from zwfw.catalog.selectors import item_by_code

    window = _window(pk)
    _may_take_in(request.user, window)
    item = item_by_code(code)
    authorized = {i.pk for _d, items, _a in selectors.authorized_items(window) for i in items}
    if item.pk not in authorized:
        raise Forbidden(f"“{item.name}”不在本窗口的授权事项中（R-17）", code="R-17")
    form = _intake_form(request, item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = cases.take_in(
                by=request.user,
                item=item,
                applicant=_applicant(form),
                phone=form.cleaned_data["phone"],
                channel="window",
                materials=form.submitted(),
                project=form.cleaned_data.get("project"),
                agent=_agent(form),
                window=window,
            )
        except RuleViolation as exc:
            if isinstance(exc, Forbidden):
                raise
            exc.field = {
                "applicant.id_number": "id_number",
                "applicant.credit_code": "credit_code",
                "applicant.name": "name",
                "agent.id_number": "agent_id_number",
                "agent.phone": "agent_phone",
            }.get(exc.field, exc.field)
            add_violation(form, exc)
        else:
            messages.success(request, f"已在{window}收件，办件编号 {case.number}，转部门后台办理")
            return redirect("windows:window", pk=window.pk)
    return render(request, "windows/intake.html", {"window": window, "item": item, "form": form})


@login_required
def agency(request, number: str):
    """全程代办 records of a case, and the form to add one (R-17)."""
    from zwfw.cases.selectors import case_for, case_for_action

    case = case_for(request.user, number)
    form = forms.AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_agency(
                by=request.user,
                case=case_for_action(request.user, number),
                task=form.cleaned_data["task"],
            )
        except RuleViolation as exc:
            if isinstance(exc, Forbidden):
                raise
            add_violation(form, exc)
        else:
            messages.success(request, "已登记全程代办")
            return redirect("windows:agency", number=number)
    return render(
        request,
        "windows/agency.html",
        {
            "case": case,
            "records": selectors.agency_of(case),
            "intake": selectors.intake_window_of(case),
            "form": form,
        },
    )
