"""Staff pages of the random inspections (N-17): draws, my inspection tasks, department
rectifications, the inspector pool. Thin: parse, call, render."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role_anywhere, require_role_anywhere
from zwfw.supervision import access, selectors, services
from zwfw.supervision.forms import DrawForm, FindingForm, PoolForm, RectifyForm
from zwfw.supervision.models import InspectionDraw, InspectionRectification
from zwfw.supervision.sampling import ALGORITHM


def page(request, template: str, context: dict, status: int = 200):
    """Render with the sub-navigation this user is offered."""
    return render(
        request,
        f"supervision/{template}",
        {"nav": selectors.nav_flags(request.user), **context},
        status=status,
    )


@login_required
def index(request):
    return page(request, "index.html", {})


# --- draws -------------------------------------------------------------------------------


@login_required
def draw_list(request):
    status = request.GET.get("status", "")
    status = status if status in InspectionDraw.Status.values else ""
    qs = selectors.visible_draws(request.user, status=status)
    return page(
        request,
        "draw_list.html",
        {
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "status": status,
            "statuses": InspectionDraw.Status.choices,
        },
    )


@login_required
def draw_new(request):
    # Offered to supervisors only; the service checks again on submit.
    require_role_anywhere(request.user, Role.SUPERVISOR)
    departments = selectors.departments_in_scope(request.user)
    form = DrawForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = services.create_draw(
                by=request.user,
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                size=data["size"],
                departments=list(data["departments"]),
                strata=data["strata"],
                method=data["method"],
                seed=data["seed"],
            )
        except Forbidden:
            raise  # not a supervisor: the error page, not a form message
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(
                request, f"已抽取{draw.size}件办件并随机分派检查人员（随机种子 {draw.seed}）"
            )
            return redirect("supervision:draw", draw_id=draw.pk)
    return page(request, "draw_form.html", {"form": form}, status=422 if form.errors else 200)


def _draw_page(request, draw, replay=None):
    today = timezone.localdate()
    rows = list(selectors.draw_inspections(draw))
    for r in rows:
        rect = getattr(r, "rectification", None) if r.result == "problem" else None
        r.rect = rect
        r.rect_overdue = bool(rect and rect.is_overdue(today))
    done = sum(1 for r in rows if r.result != "pending")
    return page(
        request,
        "draw_detail.html",
        {
            "draw": draw,
            "rows": rows,
            "done": done,
            "percent": round(done * 100 / len(rows)) if rows else 0,
            "replay": replay,
            "algorithm": ALGORITHM,
            "inputs_json": json.dumps(draw.inputs, ensure_ascii=False, indent=1),
        },
    )


@login_required
def draw_detail(request, draw_id: int):
    return _draw_page(request, selectors.draw_for(request.user, draw_id))


@login_required
@require_POST
def draw_replay(request, draw_id: int):
    draw = selectors.draw_for(request.user, draw_id)
    return _draw_page(request, draw, replay=services.replay_draw(by=request.user, draw=draw))


# --- my inspection tasks -------------------------------------------------------------------


@login_required
def task_list(request):
    pending_only = request.GET.get("all") != "1"
    qs = selectors.my_inspections(request.user, pending_only=pending_only)
    return page(
        request,
        "task_list.html",
        {"page": Paginator(qs, 30).get_page(request.GET.get("page")), "all": not pending_only},
    )


@login_required
def task_detail(request, inspection_id: int):
    inspection = selectors.inspection_for_inspector(request.user, inspection_id)
    form = FindingForm(
        request.POST or None,
        initial={"method": inspection.draw.method, "found_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_finding(
                by=request.user,
                inspection=inspection,
                result=data["result"],
                method=data["method"],
                category=data["category"],
                note=data["note"],
                on=data["found_on"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已记录办件{inspection.case.number}的检查结论")
            return redirect("supervision:tasks")
    return page(
        request,
        "task_detail.html",
        {
            "inspection": inspection,
            "case": selectors.case_summary(inspection.case_id),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


# --- rectifications ------------------------------------------------------------------------


@login_required
def rectification_list(request):
    status = request.GET.get("status", "open")
    status = status if status in InspectionRectification.Status.values else ""
    today = timezone.localdate()
    qs = selectors.visible_rectifications(
        request.user, status=status, overdue=request.GET.get("overdue") == "1", on=today
    )
    return page(
        request,
        "rectification_list.html",
        {
            "page": Paginator(qs, 30).get_page(request.GET.get("page")),
            "status": status,
            "statuses": InspectionRectification.Status.choices,
            "today": today,
        },
    )


@login_required
def rectification_detail(request, rectification_id: int):
    rectification = selectors.rectification_for(request.user, rectification_id)
    form = RectifyForm(request.POST or None, initial={"rectified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_rectification(
                by=request.user,
                rectification=rectification,
                measures=form.cleaned_data["measures"],
                on=form.cleaned_data["rectified_on"],
            )
        except Forbidden:
            raise
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "已登记整改情况")
            return redirect("supervision:rectification", rectification_id=rectification.pk)
    return page(
        request,
        "rectification_detail.html",
        {
            "r": rectification,
            "form": form,
            "may_record": access.may_record_rectification(request.user, rectification),
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


# --- the inspector pool --------------------------------------------------------------------


@login_required
def pool(request):
    require_role_anywhere(request.user, *access.POOL_ROLES, Role.AUDITOR)
    people = selectors.poolable_people(request.user)
    form = PoolForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_pool_member(
                by=request.user,
                person=form.cleaned_data["person"],
                since=form.cleaned_data["since"],
                note=form.cleaned_data["note"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已将{member.person.name}纳入检查人员库")
            return redirect("supervision:pool")
    return page(
        request,
        "pool.html",
        {
            "members": selectors.pool_members(request.user),
            "form": form,
            "may_edit": has_role_anywhere(request.user, *access.POOL_ROLES),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def pool_toggle(request, person_id: int):
    member = selectors.pool_members(request.user).filter(person_id=person_id).first()
    if member is None:
        raise NotFound("该人员不在检查人员库中")
    member = services.set_pool_member_active(
        by=request.user, member=member, active=not member.active
    )
    messages.success(
        request, f"已将{member.person.name}{'重新纳入' if member.active else '移出'}检查人员库"
    )
    return redirect("supervision:pool")
