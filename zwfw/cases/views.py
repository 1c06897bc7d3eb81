"""Staff pages of case handling: lists, intake, the case page and its actions, documents.
Thin: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zwfw.cases import documents, explain, forms, offers, presenters, rollups, selectors, services
from zwfw.cases import exports as case_exports
from zwfw.cases.models import Channel, Procedure, Project
from zwfw.cases.states import Action, CaseState
from zwfw.core import exports
from zwfw.core.basis import explain as explain_refusal
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.org import selectors as org_selectors
from zwfw.workdays import calendar

PDF = "application/pdf"


def _pdf(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_required
def case_list(request):
    if request.GET.get("format") == "xlsx":
        return exports.respond(request, "cases")
    today = timezone.localdate()
    departments = org_selectors.visible_departments(request.user).order_by("code")
    g = request.GET
    filters = case_exports.list_filters(request.user, g, departments)
    department, status, alert = filters["department"], filters["status"], filters["alert_level"]
    overdue, open_only = filters["overdue"], filters["open_only"]
    count = rollups.visible_count(request.user, on=today, **filters)  # not a scan
    page = Paginator(range(count), 50).get_page(g.get("page"))  # the page numbers
    page.object_list, _ = selectors.case_list_page(
        request.user, page.number, 50, count=count, on=today, **filters
    )
    counts = selectors.totals(selectors.counts_by_department(request.user, on=today))
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "departments": departments,
            "department": department,
            "status": status,
            "alert": alert,
            "overdue": overdue,
            "open_only": open_only,
            "q": g.get("q", ""),
            "statuses": CaseState.choices,
            "counts": counts,
            "today": today,
        },
    )


@login_required
def summary(request):
    if request.GET.get("format") == "xlsx":
        return exports.respond(request, "summary")
    # The rollup (zwfw.cases.rollups): one small GROUP BY at any number of cases.
    counts = rollups.department_counts(request.user)
    return render(
        request, "cases/summary.html", {"counts": counts, "total": selectors.totals(counts)}
    )


@login_required
def new_case(request):
    from zwfw.catalog.selectors import visible_items

    code = request.GET.get("item", "")
    if code:
        return redirect("cases:intake", code=code)
    items = visible_items(request.user, active=True)
    return render(request, "cases/new_case.html", {"items": items})


def _intake_form(request, item, data=None):
    from zwfw.cases.services.intake import _checklist

    return forms.ApplicationForm(
        data,
        checklist=_checklist(item),
        channels=Channel.choices,
        projects=Project.objects.order_by("code"),
    )


def _applicant(form) -> services.ApplicantData:
    d = form.cleaned_data
    return services.ApplicantData(
        kind=d["kind"], name=d["name"], id_number=d["id_number"], credit_code=d["credit_code"]
    )


def _agent(form) -> services.AgentData | None:
    d = form.cleaned_data
    if not d["agent_name"]:
        return None
    return services.AgentData(
        name=d["agent_name"], id_number=d["agent_id_number"], phone=d["agent_phone"]
    )


@login_required
def intake(request, code):
    from zwfw.catalog.selectors import item_for

    item = item_for(request.user, code)
    form = _intake_form(request, item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.take_in(
                by=request.user,
                item=item,
                applicant=_applicant(form),
                phone=form.cleaned_data["phone"],
                channel=form.cleaned_data["channel"],
                materials=form.submitted(),
                project=form.cleaned_data.get("project"),
                agent=_agent(form),
            )
        except RuleViolation as exc:
            exc.field = {
                "applicant.id_number": "id_number",
                "applicant.credit_code": "credit_code",
                "applicant.name": "name",
                "agent.id_number": "agent_id_number",
                "agent.phone": "agent_phone",
            }.get(exc.field, exc.field)
            add_violation(form, exc)
        else:
            messages.success(request, f"已收件，办件编号 {case.number}")
            return redirect("cases:detail", number=case.number)
    from zwfw.cases.services import procedure_for
    from zwfw.grants.selectors import deciders_for

    today = timezone.localdate()
    return render(
        request,
        "cases/intake.html",
        {
            "item": item,
            "form": form,
            "deciders": deciders_for(item, today),
            "procedure": Procedure(procedure_for(item, today)),
        },
    )


# --- the case page ---------------------------------------------------------------------------

ACTION_LABELS = {a.value: a.label for a in Action}


def _form_for(case, action: str, data=None):
    """The form of one action (None for 受理, 恢复计时, 办结, which are buttons)."""
    if action == Action.SUPPLEMENT_NOTICE:
        return forms.NoticeForm(data, materials=list(case.materials.all()))
    if action == Action.SUPPLEMENT:
        notice = selectors.notice_of(case)
        asked = {i["name"] for i in notice.items} if notice else set()
        names = [m.name for m in case.materials.all() if m.name in asked and m.status != "received"]
        return forms.SupplementForm(data, names=names)
    if action == Action.REFER:
        return forms.ReferForm(data, meetings=selectors.scheduled_meetings(case))
    if action in (Action.WITHDRAW, Action.TERMINATE):
        return forms.ReasonForm(data, prefix=action)
    form_class = FORM_CLASSES.get(action)
    return form_class(data) if form_class else None


FORM_CLASSES = {
    "refuse": forms.RefuseForm,
    "pause": forms.PauseForm,
    "extend": forms.ExtendForm,
    "first_review": forms.FirstReviewForm,
    "decide": forms.DecideForm,
}


def _forms_for(case, user, data=None, which=None):
    """The forms of the actions `user` may take now (offers.offered: the state table and the
    services' own checks), only the submitted one bound; actions without a form are buttons."""
    out, buttons = {}, []
    for action in offers.offered(case, user):
        form = _form_for(case, action.value, data if action.value == which else None)
        if form is None:
            buttons.append(action)
        else:
            out[action.value] = form
    return out, buttons


def _render_case(request, number, data=None, which=None, error=None, status=200, rename_form=None):
    # Shown as the catch-up would leave it, computed without writing (GET never writes).
    case = selectors.as_of(selectors.case_for(request.user, number))
    action_forms, buttons = _forms_for(case, request.user, data, which)
    banner = []
    if which in action_forms and (error is not None or data is not None):
        form = action_forms[which]
        form.is_valid()
        if error is not None:
            add_violation(form, error)
        # Every error of the form at once, above the page as well as beside each field.
        banner = [e for errors in form.errors.values() for e in errors]
    elif error is not None:
        banner = [explain_refusal(error)]
    pauses = selectors.pauses_of(case)
    lines = explain.explain(
        calendar.current(),
        accepted_on=case.accepted_on,
        due_date=case.due_date if case.accepted_on else None,
        limit_days=case.limit_days,
        extension_days=case.extension_days,
        pauses=pauses,
        provisional=case.due_provisional,
    )
    notice = selectors.notice_of(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            # Display strings, rows and URLs computed once (presenters: the template engine
            # spent half the page's time on per-row lookups, filters and {% url %}).
            "shown": presenters.case_page(case, notice=notice, buttons=buttons, forms=action_forms),
            "forms": action_forms,
            "pauses": pauses,
            "extension": selectors.extension_of(case),
            "notice": notice,
            "explanation": lines,
            "buttons": buttons,
            "banner": banner,
            "rename_form": _rename_form(request.user, case, rename_form),
        },
        status=status,
    )


def _rename_form(user, case, bound=None):
    """The rename form for those who may rename the applicant (point 5), prefilled with the
    name this application gave when it differs."""
    if not services.may_rename(user, case.applicant, case=case):
        return None
    if bound is not None:
        return bound
    return forms.RenameApplicantForm(initial={"name": case.applicant_name_given})


@login_required
def detail(request, number):
    return _render_case(request, number)


@login_required
@require_POST
def rename_applicant(request, number):
    """更正申请人名称: a staff action with an audit event (issue 11 point 5)."""
    case = selectors.case_for_action(request.user, number)
    form = forms.RenameApplicantForm(request.POST)
    if form.is_valid():
        try:
            services.rename_applicant(
                applicant=case.applicant,
                name=form.cleaned_data["name"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except RuleViolation as exc:
            if exc.status == 403:
                raise
            add_violation(form, exc)
        else:
            messages.success(request, "已更正申请人名称")
            return redirect("cases:detail", number=number)
    return _render_case(request, number, status=422, rename_form=form)


def _call(action: str, case, user, post):
    """Run the action's service; returns the bound form's name when input was invalid."""
    if action in ("accept", "resume", "complete"):
        return {
            "accept": services.accept_case,
            "resume": services.resume_case,
            "complete": services.complete_case,
        }[action](case=case, by=user)
    # Built whether or not the page offered it: the service gives its own refusal.
    form = _form_for(case, action, post)
    if not form.is_valid():
        return None
    d = form.cleaned_data
    calls = {
        "supplement_notice": lambda: services.send_supplement_notice(
            case=case, by=user, missing=form.missing(), note=d["note"]
        ),
        "supplement": lambda: services.supplement_case(
            case=case, by=user, materials=form.materials()
        ),
        "refuse": lambda: services.refuse_case(
            case=case, by=user, reason=d["reason"], competent_authority=d["competent_authority"]
        ),
        "pause": lambda: services.pause_case(
            case=case, by=user, reason=d["reason"], note=d["note"]
        ),
        "extend": lambda: services.extend_case(
            case=case, by=user, days=d["days"], reason=d["reason"]
        ),
        "first_review": lambda: services.first_review_case(
            case=case, by=user, opinion=d["opinion"]
        ),
        "decide": lambda: services.decide_case(
            case=case, by=user, result=d["result"], opinion=d["opinion"], use_seal=d["use_seal"]
        ),
        "refer": lambda: services.refer_case(
            case=case, by=user, meeting=d["meeting"], note=d["note"]
        ),
        "withdraw": lambda: services.withdraw_case(case=case, by=user, reason=d["reason"]),
        "terminate": lambda: services.terminate_case(case=case, by=user, reason=d["reason"]),
    }
    return calls[action]()


@login_required
@require_POST
def act(request, number, action):
    if action not in ACTION_LABELS:
        raise NotFound("不支持的办件操作")
    case = services.bring_up_to_date(case=selectors.case_for_action(request.user, number))
    try:
        result = _call(action, case, request.user, request.POST)
    except RuleViolation as exc:
        if exc.status in (403, 404, 409) or action in ("accept", "resume", "complete"):
            messages.error(request, explain_refusal(exc))
            return redirect("cases:detail", number=number)
        return _render_case(request, number, request.POST, action, exc, status=422)
    if result is None:
        return _render_case(request, number, request.POST, action, status=422)
    messages.success(request, f"已{ACTION_LABELS[action]}")
    return redirect("cases:detail", number=number)


@login_required
def document(request, number, kind):
    case = selectors.case_for(request.user, number)
    if kind == "notice":
        return _pdf(*documents.supplement_notice_pdf(case, selectors.notice_of(case)))
    if kind == "acceptance":
        return _pdf(*documents.acceptance_pdf(case))
    if kind == "refusal":
        return _pdf(*documents.refusal_pdf(case))
    raise NotFound("未找到该文书")
