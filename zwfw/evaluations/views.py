"""Staff pages of 好差评: ratings, rectification tickets with their steps and actions, and
appeals. Thin: parse, call a service or selector, render. (Statistics, devices, QR sheets
and visits are in tool_views.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role, has_role_anywhere
from zwfw.evaluations import forms, selectors, services
from zwfw.evaluations.models import (
    LEVELS_BEST_FIRST,
    Appeal,
    EvaluationChannel,
    Level,
    RectificationStatus,
)
from zwfw.evaluations.services.rectifications import steps
from zwfw.org import selectors as org_selectors


def _departments(request):
    return org_selectors.visible_departments(request.user).order_by("code")


def _pick(departments, value):
    return next((d for d in departments if str(d.pk) == value), None)


@login_required
def index(request):
    g = request.GET
    departments = _departments(request)
    department = _pick(departments, g.get("department_id", ""))
    level = int(g["level"]) if g.get("level", "") in {str(v) for v in Level.values} else None
    channel = g.get("channel", "") if g.get("channel") in EvaluationChannel.values else ""
    bad = {"1": True, "0": False}.get(g.get("bad", ""))
    month = selectors.parse_month(g.get("month"))
    qs = selectors.visible_evaluations(
        request.user,
        department=department,
        level=level,
        channel=channel,
        bad=bad,
        month=month,
        case_number=g.get("case", "")[:40],
    )
    page = Paginator(qs, 50).get_page(g.get("page"))
    return render(
        request,
        "evaluations/index.html",
        {
            "page": page,
            "departments": departments,
            "department": department,
            "levels": LEVELS_BEST_FIRST,
            "level": level,
            "channels": EvaluationChannel.choices,
            "channel": channel,
            "bad": g.get("bad", ""),
            "month": g.get("month", ""),
            "case": g.get("case", ""),
        },
    )


def _detail_page(request, evaluation, appeal_form=None, status=200):
    can_appeal = (
        has_role(request.user, Role.DEPARTMENT_ADMIN, department=evaluation.department)
        if evaluation.department_id
        else False
    )
    appeal = getattr(evaluation, "appeal", None)
    return render(
        request,
        "evaluations/detail.html",
        {
            "e": evaluation,
            "appeal": appeal,
            "rectification": getattr(evaluation, "rectification", None),
            "appeal_form": appeal_form or forms.AppealForm(),
            "can_appeal": can_appeal
            and evaluation.bad
            and not evaluation.is_default
            and appeal is None,
        },
        status=status,
    )


@login_required
def detail(request, pk):
    return _detail_page(request, selectors.evaluation_for(request.user, pk))


@login_required
@require_POST
def file_appeal(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    form = forms.AppealForm(request.POST)
    if form.is_valid():
        try:
            services.file_appeal(
                evaluation=evaluation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            if exc.status == 403:
                raise
            add_violation(form, exc)
        else:
            messages.success(request, "申诉已提交，等待中心复核")
            return redirect("evaluations:detail", pk=pk)
    return _detail_page(request, evaluation, appeal_form=form, status=400)


# --- rectification -------------------------------------------------------------------------


@login_required
def rectification_list(request):
    g = request.GET
    departments = _departments(request)
    department = _pick(departments, g.get("department_id", ""))
    status = g.get("status", "")
    if status != "open" and status not in RectificationStatus.values:
        status = ""
    alert = g.get("alert_level", "") if g.get("alert_level") in ("green", "yellow", "red") else ""
    today = timezone.localdate()
    qs = selectors.visible_rectifications(
        request.user,
        case_number=g.get("case", "")[:40],
        department=department,
        status=status,
        alert_level=alert,
        escalated=True if g.get("escalated") == "1" else None,
        overdue=g.get("overdue") == "1",
        on=today,
    )
    page = Paginator(qs, 50).get_page(g.get("page"))
    return render(
        request,
        "evaluations/rectification_list.html",
        {
            "page": page,
            "departments": departments,
            "department": department,
            "statuses": RectificationStatus.choices,
            "status": status,
            "alert": alert,
            "escalated": g.get("escalated") == "1",
            "overdue": g.get("overdue") == "1",
            "case": g.get("case", ""),
            "today": today,
        },
    )


ACTIONS = {
    # action: (status it applies to, form, service call)
    "callback": (
        RectificationStatus.OPEN,
        forms.CallbackForm,
        lambda r, by, d: services.call_back(
            rectification=r, by=by, finding=d["finding"], note=d["note"]
        ),
    ),
    "rectify": (
        RectificationStatus.CALLED_BACK,
        forms.RectifyForm,
        lambda r, by, d: services.record_rectified(rectification=r, by=by, note=d["note"]),
    ),
    "report_back": (
        RectificationStatus.RECTIFIED,
        forms.ReportBackForm,
        lambda r, by, d: services.report_back(rectification=r, by=by, note=d["note"]),
    ),
    "close": (
        RectificationStatus.REPORTED,
        forms.CloseForm,
        lambda r, by, d: services.close_rectification(rectification=r, by=by, result=d["result"]),
    ),
    "extend": (
        None,
        forms.ExtendForm,
        lambda r, by, d: services.extend_rectification(
            rectification=r, by=by, days=d["days"], reason=d["reason"]
        ),
    ),
}


def _can_act(user, rect) -> bool:
    if rect.department_id:
        return has_role(user, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN, department=rect.department)
    return has_role(user, Role.CENTER_ADMIN, center=rect.center)


def _rectification_page(request, rect, bound=None, status=200):
    today = timezone.localdate()
    actions = []
    if rect.is_open and _can_act(request.user, rect):
        for name, (applies, form_class, _call) in ACTIONS.items():
            if name == "extend" and rect.status == RectificationStatus.REPORTED:
                continue
            if applies is not None and rect.status != applies:
                continue
            form = bound[1] if bound and bound[0] == name else form_class(prefix=name)
            actions.append((name, form))
    if bound and bound[0] not in {name for name, _form in actions}:
        actions.append(bound)  # a refused step keeps its form, to show why beside it
    evaluation = rect.evaluation
    return render(
        request,
        "evaluations/rectification_detail.html",
        {
            "r": rect,
            "e": evaluation,
            "steps": steps(rect, today),
            "actions": actions,
            "today": today,
            "phone": evaluation.masked_rater_phone
            or (rect.case.masked_phone if rect.case_id else ""),
        },
        status=status,
    )


@login_required
def rectification_detail(request, pk):
    return _rectification_page(request, selectors.rectification_for(request.user, pk))


@login_required
@require_POST
def rectification_act(request, pk, action):
    if action not in ACTIONS:
        raise NotFound("不支持的整改操作")
    rect = selectors.rectification_for(request.user, pk)
    _applies, form_class, call = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            call(rect, request.user, form.cleaned_data)
        except RuleViolation as exc:
            if exc.status == 403:
                raise
            add_violation(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("evaluations:rectification", pk=pk)
    return _rectification_page(request, rect, bound=(action, form), status=400)


# --- appeals -------------------------------------------------------------------------------


@login_required
def appeal_list(request):
    return _appeal_page(request)


def _appeal_page(request, bound=None, status_code=200):
    status = request.GET.get("status", "")
    status = status if status in Appeal.Status.values else ""
    qs = selectors.visible_appeals(request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    items = [
        (
            a,
            bound[1]
            if bound and bound[0] == a.pk
            else forms.DecideAppealForm(auto_id=f"appeal{a.pk}_%s"),
        )
        for a in page
    ]
    return render(
        request,
        "evaluations/appeal_list.html",
        {
            "page": page,
            "items": items,
            "status": status,
            "statuses": Appeal.Status.choices,
            "can_decide": has_role_anywhere(request.user, Role.CENTER_ADMIN),
        },
        status=status_code,
    )


@login_required
@require_POST
def decide_appeal(request, pk):
    appeal = selectors.appeal_for(request.user, pk)
    form = forms.DecideAppealForm(request.POST, auto_id=f"appeal{appeal.pk}_%s")
    if form.is_valid():
        try:
            services.decide_appeal(
                appeal=appeal,
                by=request.user,
                upheld=form.cleaned_data["upheld"],
                opinion=form.cleaned_data["opinion"],
            )
        except RuleViolation as exc:
            if exc.status == 403:
                raise
            add_violation(form, exc)
        else:
            messages.success(request, "复核结论已保存")
            return redirect("evaluations:appeals")
    return _appeal_page(request, bound=(appeal.pk, form), status_code=400)
