"""Public pages (no login): apply online, the progress query, the one-time notice and the
applicant's withdrawal. Thin: parse, call, render."""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zwfw.cases import documents, forms, ratelimit, selectors, services
from zwfw.cases.models import Channel
from zwfw.cases.services.intake import _checklist
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.forms_util import add_violation

SALT = "cases.public-progress"
TOKEN_SECONDS = 1800  # a query result's links stay valid for half an hour


def _token(number: str) -> str:
    return signing.dumps(number, salt=SALT)


def _number(token: str) -> str:
    try:
        return signing.loads(token, salt=SALT, max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        raise NotFound("链接已失效，请重新查询")


def _case_by_token(token: str):
    from zwfw.cases.models import Case

    case = (
        Case.objects.select_related("item", "department", "center", "applicant")
        .filter(number=_number(token))
        .first()
    )
    if case is None:
        raise NotFound("链接已失效，请重新查询")
    return case


def apply(request, code):
    from zwfw.catalog.selectors import public_item

    item = public_item(code)
    form = forms.ApplicationForm(request.POST or None, checklist=_checklist(item))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.take_in(
                by=None,
                item=item,
                channel=Channel.ONLINE,
                phone=d["phone"],
                applicant=services.ApplicantData(
                    kind=d["kind"],
                    name=d["name"],
                    id_number=d["id_number"],
                    credit_code=d["credit_code"],
                ),
                materials=form.submitted(),
                agent=(
                    services.AgentData(
                        name=d["agent_name"], id_number=d["agent_id_number"], phone=d["agent_phone"]
                    )
                    if d["agent_name"]
                    else None
                ),
            )
        except RuleViolation as exc:
            exc.field = (exc.field or "").replace("applicant.", "").replace("agent.", "agent_")
            add_violation(form, exc)
        else:
            return render(request, "cases/public_applied.html", {"case": case})
    return render(request, "cases/public_apply.html", {"item": item, "form": form})


def progress(request):
    form = forms.ProgressQueryForm(request.GET or None)
    case = data = None
    error = ""
    if request.GET and form.is_valid():
        try:
            ratelimit.check_public_query(request)
            case = selectors.public_case(
                form.cleaned_data["number"], form.cleaned_data["phone_last4"]
            )
            case = services.bring_up_to_date(case=case)
        except RuleViolation as exc:
            error = exc.message
            case = None
        else:
            from zwfw.cases.api import public_out

            data = public_out(case)
    return render(
        request,
        "cases/public_progress.html",
        {
            "form": form,
            "data": data,
            "error": error,
            "token": _token(case.number) if case else "",
            "withdrawable": case is not None
            and case.status in ("received", "awaiting_supplement", "accepted", "paused"),
            "withdraw_form": forms.ReasonForm(),
        },
    )


def notice(request, token):
    case = _case_by_token(token)
    notice_row = selectors.notice_of(case)
    if notice_row is None:
        raise NotFound("本件没有一次性告知书")
    if request.GET.get("format") == "pdf":
        filename, content = documents.supplement_notice_pdf(case, notice_row)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
        return response
    return render(
        request, "cases/public_notice.html", {"case": case, "notice": notice_row, "token": token}
    )


@require_POST
def withdraw(request, token):
    case = _case_by_token(token)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        services.withdraw_case(case=case, by=None, reason=form.cleaned_data["reason"])
        return render(request, "cases/public_withdrawn.html", {"case": case})
    return redirect("public_cases:progress")
