"""Public pages (no login): apply online, the progress query, the one-time notice and the
applicant's withdrawal. Thin: parse, call, render; the rules are in services.public.

A refusal renders the page with its Chinese message and its status: 429 when a limit is
reached (issue 11 point 2), 404 for an unknown case or wrong digits, 422 for a wrong code."""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zwfw.cases import documents, forms, ratelimit, selectors, services
from zwfw.cases.joint_selectors import joint_number
from zwfw.cases.models import Channel
from zwfw.cases.services import public
from zwfw.cases.services.intake import _checklist
from zwfw.cases.states import PUBLIC_STAGES, Action, CaseState, allowed, public_stage
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.middleware import request_ip

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


# --- online application (point 5) ------------------------------------------------------------


def _application(d) -> tuple[services.ApplicantData, services.AgentData | None]:
    applicant = services.ApplicantData(
        kind=d["kind"], name=d["name"], id_number=d["id_number"], credit_code=d["credit_code"]
    )
    agent = (
        services.AgentData(
            name=d["agent_name"], id_number=d["agent_id_number"], phone=d["agent_phone"]
        )
        if d["agent_name"]
        else None
    )
    return applicant, agent


def _field(exc: RuleViolation) -> RuleViolation:
    exc.field = (exc.field or "").replace("applicant.", "").replace("agent.", "agent_") or None
    return exc


def apply(request, code):
    """Step 1 “获取验证码” texts a code to the phone given; step 2 submits with it."""
    from zwfw.catalog.channel_selectors import require_channel_open
    from zwfw.catalog.selectors import public_item

    item = public_item(code)
    try:  # the center closed online applications for this item, with its reason
        require_channel_open(item, Channel.ONLINE)
    except RuleViolation as exc:
        status = 200 if request.method == "GET" else exc.status
        return _apply_page(request, item, None, error=exc.message, status=status)
    checklist = _checklist(item)
    if request.method == "POST" and "send_code" in request.POST:
        # Keep what was typed, without complaining yet about fields left for step 2.
        form = forms.PublicApplicationForm(initial=request.POST.dict(), checklist=checklist)
        try:
            public.send_apply_code(
                item=item, phone=request.POST.get("phone", ""), ip=request_ip(request)
            )
        except RuleViolation as exc:
            return _apply_page(request, item, form, error=exc.message, status=exc.status)
        return _apply_page(
            request, item, form, notice="验证码已发送至您填写的手机号，请填写验证码后提交申请"
        )
    form = forms.PublicApplicationForm(request.POST or None, checklist=checklist)
    if request.method != "POST":
        return _apply_page(request, item, form)
    if not form.is_valid():
        return _apply_page(request, item, form, status=422)
    applicant, agent = _application(form.cleaned_data)
    try:
        case = public.apply_online(
            item=item,
            applicant=applicant,
            agent=agent,
            phone=form.cleaned_data["phone"],
            materials=form.submitted(),
            sms_code=form.cleaned_data["sms_code"],
            ip=request_ip(request),
            channel=Channel.ONLINE,
        )
    except RuleViolation as exc:
        add_violation(form, _field(exc))
        return _apply_page(request, item, form, status=exc.status)
    return render(request, "cases/public_applied.html", {"case": case})


def _apply_page(request, item, form, *, notice="", error="", status=200):
    return render(
        request,
        "cases/public_apply.html",
        {"item": item, "form": form, "notice": notice, "error": error},
        status=status,
    )


# --- progress query (points 2, 3) -------------------------------------------------------------


def _rated(case) -> bool:
    from zwfw.evaluations.selectors import rated_online  # evaluations builds on cases

    return rated_online(case)


def _stages(case) -> list[dict]:
    """The progress bar: each stage done, current or to come (states.public_stage)."""
    reached = public_stage(CaseState(case.status)) if case is not None else None
    if reached is None:
        return []
    return [
        {
            "label": label,
            "done": i < reached or reached == len(PUBLIC_STAGES) - 1,
            "current": i == reached,
        }
        for i, label in enumerate(PUBLIC_STAGES)
    ]


def _progress_page(request, form, *, status=200, case=None, error="", notice="", need_code=False):
    data = None
    if case is not None:
        from zwfw.cases.api import public_out

        # Shown as the catch-up would leave it, computed without writing (point 17).
        case = selectors.as_of(case)
        data = public_out(case)
    return render(
        request,
        "cases/public_progress.html",
        {
            "form": form,
            "case": case,
            "data": data,
            "error": error,
            "notice": notice,
            "need_code": need_code,
            "number": ((form.data if form.is_bound else form.initial).get("number") or "")[:40],
            "token": _token(case.number) if case else "",
            # The state table decides ("a rule lives once").
            "withdrawable": case is not None and allowed(CaseState(case.status), Action.WITHDRAW),
            "supplement_open": case is not None
            and allowed(CaseState(case.status), Action.SUPPLEMENT),
            "stages": _stages(case),
            "rate_open": case is not None
            and case.status == CaseState.COMPLETED
            and not _rated(case),
        },
        status=status,
    )


def run_progress_query(request, *, make_form, lookup, page, subject: str):
    """The public progress query of a case or a joint case: the per-address limit, then the
    lookup with its guess lock and SMS code (services.public). `page(request, form, ...)`
    renders; what the lookup found is passed as `subject`."""
    number = request.GET.get("number", "")
    need_code = bool(request.GET) and public.locked(number)
    form = make_form(request.GET or None, need_code)
    if not request.GET:
        return page(request, form)
    if not form.is_valid():
        return page(request, form, status=422, need_code=need_code)
    d = form.cleaned_data
    try:
        ratelimit.check_public_query(request)
        found = lookup(number=d["number"], phone_last4=d["phone_last4"], sms_code=d["sms_code"])
    except RuleViolation as exc:
        need_code = need_code or exc.code == "sms_code_required"
        form = make_form(request.GET, need_code)
        form.is_valid()
        return page(request, form, status=exc.status, error=exc.message, need_code=need_code)
    return page(request, form, **{subject: found})


def send_progress_code(request, *, make_form, send, page, notice: str):
    """“获取验证码” of a locked number (issue 11 point 3); the answer is the same whether or not
    the number exists."""
    number = (request.POST.get("number") or "")[:40]
    form = make_form(None, True)
    form.initial = {"number": number}
    try:
        send(number=number, ip=request_ip(request))
    except RuleViolation as exc:
        return page(request, form, status=exc.status, error=exc.message, need_code=True)
    return page(request, form, notice=notice, need_code=True)


def _case_query_form(data, need_code):
    return forms.ProgressQueryForm(data, need_code=need_code)


def progress(request):
    number = request.GET.get("number", "")
    if joint_number(number):  # 一事联办: one progress page with every part (issue 12 point 3)
        return redirect("/public/joint/?" + request.GET.urlencode())
    return run_progress_query(
        request,
        make_form=_case_query_form,
        lookup=public.public_lookup,
        page=_progress_page,
        subject="case",
    )


@require_POST
def query_code(request):
    """“获取验证码” of a case that had too many wrong guesses (point 3)."""
    return send_progress_code(
        request,
        make_form=_case_query_form,
        send=public.send_query_code,
        page=_progress_page,
        notice="如该办件需要验证码，验证码已发送至办件预留的手机号，请填写后查询",
    )


# --- documents and withdrawal (point 4) -----------------------------------------------------


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


def _withdraw_page(request, case, token, form, *, status=200, notice="", error=""):
    return render(
        request,
        "cases/public_withdraw.html",
        {"case": case, "token": token, "form": form, "notice": notice, "error": error},
        status=status,
    )


def withdraw(request, token):
    """GET: the withdrawal form; POST: withdraw with the code texted to the case's phone."""
    case = _case_by_token(token)
    if not allowed(CaseState(case.status), Action.WITHDRAW):
        return redirect("public_cases:progress")
    if request.method != "POST":
        return _withdraw_page(request, case, token, forms.PublicWithdrawForm())
    form = forms.PublicWithdrawForm(request.POST)
    if not form.is_valid():
        return _withdraw_page(request, case, token, form, status=422)
    try:
        case = public.withdraw_by_applicant(
            case=case, sms_code=form.cleaned_data["sms_code"], reason=form.cleaned_data["reason"]
        )
    except RuleViolation as exc:
        add_violation(form, exc)
        return _withdraw_page(request, case, token, form, status=exc.status)
    return render(request, "cases/public_withdrawn.html", {"case": case})


@require_POST
def withdraw_code(request, token):
    """“获取验证码” on the withdrawal page: a code to the case's phone, never shown."""
    case = _case_by_token(token)
    form = forms.PublicWithdrawForm(initial={"reason": request.POST.get("reason", "")[:2000]})
    try:
        public.send_withdraw_code(case=case, ip=request_ip(request))
    except RuleViolation as exc:
        return _withdraw_page(request, case, token, form, status=exc.status, error=exc.message)
    return _withdraw_page(
        request, case, token, form, notice="验证码已发送至办件预留的手机号，请在10分钟内填写"
    )
