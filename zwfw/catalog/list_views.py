"""Staff pages for the chief service officer list, Excel import/export and vague phrases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zwfw.catalog import exports, selectors, services
from zwfw.catalog.forms import (
    CampaignForm,
    DueDateForm,
    ImportForm,
    PhraseForm,
    ReviewForm,
    SubmitForm,
)
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role, has_role_anywhere
from zwfw.documents.xlsx import XLSX_MIME


def _department(user, code: str):
    department = selectors.visible_departments_for_items(user).filter(code=code).first()
    if department is None:
        raise NotFound("未找到该部门，或不在您的管理范围内")
    return department


@login_required
def list_overview(request):
    return render(
        request,
        "catalog/list_overview.html",
        {
            "rows": selectors.list_overview(request.user),
            "awaiting": selectors.lists_awaiting_review(request.user),
            "is_coordinator": has_role_anywhere(request.user, Role.COORDINATION_OFFICE),
            "campaign_form": CampaignForm(),
        },
    )


def _list_context(request, department, **forms) -> dict:
    user = request.user
    summary = selectors.list_summary(department)
    items = list(selectors.list_items(department))
    return {
        "department": department,
        "summary": summary,
        "chief_list": summary["list"],
        "items": items,
        "undecided": [i for i in items if i.chief_list_included is None],
        "officers": selectors.officers_by_item(department),
        "submissions": selectors.submissions(department),
        "published": selectors.published_list(department),
        "may_submit": has_role(user, Role.DEPARTMENT_ADMIN, department=department)
        and selectors.list_open_for_submission(summary["list"]),
        "may_review": has_role(user, Role.COORDINATION_OFFICE, department=department),
        "may_edit": selectors.may_edit(user, department),
        "submit_form": forms.get("submit_form") or SubmitForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "due_form": forms.get("due_form") or DueDateForm(initial={"due_date": summary["due_date"]}),
    }


@login_required
def list_detail(request, department_code: str):
    department = _department(request.user, department_code)
    return render(request, "catalog/list_detail.html", _list_context(request, department))


@login_required
@require_POST
def list_submit(request, department_code: str):
    department = _department(request.user, department_code)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            submission = services.submit_list(
                by=request.user, department=department, note=form.cleaned_data["note"]
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"清单已报送协调办公室（第{submission.number}次报送）")
            return redirect("catalog:list", department_code=department.code)
    context = _list_context(request, department, submit_form=form)
    return render(request, "catalog/list_detail.html", context, status=422)


@login_required
@require_POST
def list_review(request, department_code: str):
    department = _department(request.user, department_code)
    form = ReviewForm(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == "approve":
                published = services.approve_list(
                    by=request.user, department=department, comment=comment
                )
                text = f"已审核通过并发布（第{published.number}版）"
            else:
                services.return_list(by=request.user, department=department, comment=comment)
                text = "已退回部门修改"
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, text)
            return redirect("catalog:list", department_code=department.code)
    context = _list_context(request, department, review_form=form)
    return render(request, "catalog/list_detail.html", context, status=422)


@login_required
@require_POST
def list_due_date(request, department_code: str):
    department = _department(request.user, department_code)
    form = DueDateForm(request.POST)
    if form.is_valid():
        services.set_due_date(
            by=request.user, department=department, due_date=form.cleaned_data["due_date"]
        )
        messages.success(request, "已设置报送截止日期")
        return redirect("catalog:list", department_code=department.code)
    context = _list_context(request, department, due_form=form)
    return render(request, "catalog/list_detail.html", context, status=422)


@login_required
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(
                request, f"已发布报送批次“{campaign.name}”，截止{campaign.due_date:%Y年%m月%d日}"
            )
            return redirect("catalog:lists")
    return render(request, "catalog/campaign_form.html", {"form": form})


@login_required
def import_items(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_items(
                by=request.user, file=form.cleaned_data["file"], reason=form.cleaned_data["reason"]
            )
        except services.ImportRejected as exc:
            errors = exc.errors
            add_violation(form, exc)
        except RuleViolation as exc:
            add_violation(form, exc)
    return render(
        request,
        "catalog/import.html",
        {"form": form, "errors": errors, "result": result},
        status=422 if errors else 200,
    )


@login_required
def export_items(request):
    code = request.GET.get("department", "")
    department = _department(request.user, code) if code else None
    content = exports.items_workbook(request.user, department=department)
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(department)}"'
    )
    return response


@login_required
def phrases(request):
    form = PhraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phrase = services.add_vague_phrase(by=request.user, phrase=form.cleaned_data["phrase"])
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已添加模糊表述“{phrase.phrase}”")
            return redirect("catalog:phrases")
    return render(
        request,
        "catalog/phrases.html",
        {
            "form": form,
            "phrases": selectors.all_phrases(),
            "may_edit": has_role(request.user, Role.CENTER_ADMIN),
        },
    )


@login_required
@require_POST
def phrase_toggle(request, phrase_id: int):
    phrase = selectors.vague_phrase(phrase_id)
    services.set_vague_phrase_active(by=request.user, phrase=phrase, active=not phrase.active)
    messages.success(request, f"已{'启用' if phrase.active else '停用'}“{phrase.phrase}”")
    return redirect("catalog:phrases")
