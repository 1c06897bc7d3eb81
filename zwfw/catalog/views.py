"""Staff pages for items: list, create, edit (with reason), guide, history and inclusion."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from zwfw.catalog import channel_selectors, selectors, services
from zwfw.catalog import snapshot as snap
from zwfw.catalog.forms import (
    INCLUSION_CHOICES,
    InclusionForm,
    ItemForm,
    formset_rows,
    make_formsets,
)
from zwfw.catalog.models import ExclusionReason, ItemType, ServiceItem
from zwfw.core.basis import explain
from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation


def parse_day(text: str | None) -> datetime.date:
    """`?on=YYYY-MM-DD`; a malformed date is a refusal shown to the user, never a 500."""
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise RuleViolation("invalid", "日期格式应为 YYYY-MM-DD", field="on")


@login_required
def item_list(request):
    departments = selectors.visible_departments_for_items(request.user)
    department = departments.filter(code=request.GET.get("department", "")).first()
    included = {"yes": True, "no": False}.get(request.GET.get("included", ""))
    qs = selectors.visible_items(
        request.user,
        department=department,
        item_type=request.GET.get("item_type", ""),
        chief_list_included=included,
        undecided=request.GET.get("included") == "undecided",
        query=request.GET.get("q", "").strip(),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/item_list.html",
        {
            "page": page,
            "departments": departments,
            "item_types": ItemType.choices,
            "filters": request.GET,
            "may_create": selectors.editable_departments(request.user).exists(),
        },
    )


def _list_errors(exc: RuleViolation, form, formsets) -> dict:
    """A refusal about a material or step list goes above that table; others beside the field."""
    if exc.field in formsets:
        return {exc.field: explain(exc)}
    if exc.field == "parent":
        exc.field = "parent_code"
    add_violation(form, exc)
    return {}


@login_required
def item_create(request):
    departments = selectors.editable_departments(request.user)
    if not departments.exists():
        raise RuleViolation("forbidden", "只有部门管理员或中心管理员可以新增事项", status=403)
    form = ItemForm(request.POST or None, departments=departments)
    formsets = make_formsets(request.POST or None, request.FILES or None)
    list_errors = {}
    if request.method == "POST" and form.is_valid() and _all_valid(formsets):
        data = {**form.data_dict(), **formset_rows(formsets)}
        try:
            item = services.create_item(
                by=request.user,
                department=form.cleaned_data["department"],
                data=data,
                reason=form.cleaned_data["reason"] or "新增事项",
            )
        except RuleViolation as exc:
            list_errors = _list_errors(exc, form, formsets)
        else:
            messages.success(request, f"已新增事项：{item}（第1版）")
            return redirect("catalog:item", code=item.code)
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "formsets": formsets, "list_errors": list_errors},
    )


def _all_valid(formsets: dict) -> bool:
    return all([fs.is_valid() for fs in formsets.values()])


def _initial(data: dict) -> dict:
    initial = {k: v for k, v in data.items() if k not in snap.LISTS}
    initial["chief_list_included"] = {True: "yes", False: "no", None: ""}[
        data["chief_list_included"]
    ]
    return initial


@login_required
def item_edit(request, code: str):
    item = selectors.item_for(request.user, code)
    if not selectors.may_edit(request.user, item.department):
        raise RuleViolation("forbidden", "您无权修改该部门的事项", status=403)
    item = selectors.with_guide(ServiceItem.objects.filter(pk=item.pk)).get()
    data = selectors.current_data(item)
    form = ItemForm(request.POST or None, initial=_initial(data), editing=True)
    formsets = make_formsets(request.POST or None, request.FILES or None, initial=data)
    list_errors = {}
    if request.method == "POST" and form.is_valid() and _all_valid(formsets):
        changes = {**form.data_dict(), **formset_rows(formsets)}
        try:
            item = services.update_item(
                by=request.user, item=item, changes=changes, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            list_errors = _list_errors(exc, form, formsets)
        else:
            messages.success(request, f"已保存：{item}（当前第{item.version_number}版）")
            return redirect("catalog:item", code=item.code)
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "formsets": formsets, "list_errors": list_errors, "item": item},
    )


@login_required
def item_detail(request, code: str):
    """The window's guide: rendered from the same published version as the public page (R-18)."""
    item = selectors.item_for(request.user, code)
    on = parse_day(request.GET.get("on"))
    version = selectors.version_in_force(item, on)
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "version": version,
            "g": snap.guide_view(version.data),
            "on": on,
            "may_edit": selectors.may_edit(request.user, item.department),
            # the ways the center accepts (and who may change them).
            "channels": channel_selectors.channels_of(item),
            "may_set_channels": channel_selectors.may_set_channels(request.user, item),
            "inclusion_form": InclusionForm(
                initial={
                    "included": "no" if item.chief_list_included is False else "yes",
                    "exclusion_reason": item.exclusion_reason,
                    "exclusion_note": item.exclusion_note,
                }
            ),
        },
    )


@login_required
def item_history(request, code: str):
    item = selectors.item_for(request.user, code)
    versions = list(selectors.versions(item))
    changes, a, b = None, None, None
    if len(versions) > 1:
        numbers = {v.number: v for v in versions}
        a = _number(request.GET.get("a"), versions[1].number)
        b = _number(request.GET.get("b"), versions[0].number)
        if a not in numbers or b not in numbers:
            raise RuleViolation("invalid", "请选择存在的版本号", field="a", status=404)
        changes = snap.diff(numbers[a].data, numbers[b].data)
    return render(
        request,
        "catalog/item_history.html",
        {"item": item, "versions": versions, "changes": changes, "a": a, "b": b},
    )


def _number(text: str | None, default: int) -> int:
    if not text:
        return default
    if not text.isdigit():
        raise RuleViolation("invalid", "版本号须为正整数", field="a")
    return int(text)


@login_required
def item_inclusion(request, code: str):
    """Decide whether the item is in the chief service officer list (C-4.1, N-4)."""
    item = selectors.item_for(request.user, code)
    form = InclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_inclusion(
                by=request.user,
                item=item,
                included=form.cleaned_data["included"] == "yes",
                exclusion_reason=form.cleaned_data["exclusion_reason"],
                exclusion_note=form.cleaned_data["exclusion_note"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已更新“{item}”的清单纳入情况")
            back = request.POST.get("next", "")
            if back.startswith("/catalog/"):
                return redirect(back)
            return redirect("catalog:item", code=item.code)
    return render(
        request,
        "catalog/item_inclusion.html",
        {
            "item": item,
            "form": form,
            "reasons": ExclusionReason.choices,
            "choices": INCLUSION_CHOICES,
        },
    )
