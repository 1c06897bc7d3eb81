"""Staff pages of talent services: the window home (TW-9, TC-4, TW-14, TW-17), the
commissioner home (my talents, my tasks), a request, a talent's archive. Rules and permission
checks are in services/selectors; these parse, call and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zwfw.core.basis import explain
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.documents.docx import DOCX_CONTENT_TYPE
from zwfw.talents import forms, selectors, services
from zwfw.talents.models import (
    ArchiveFiling,
    Commissioner,
    TalentRequest,
    TalentTask,
    WindowGrade,
)


def _refusal(request, exc: RuleViolation) -> None:
    if isinstance(exc, Forbidden):
        raise exc
    messages.error(request, explain(exc))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


@login_required
def index(request):
    selectors.require_open(request.user)
    return render(
        request,
        "talents/index.html",
        {
            "windows": selectors.visible_windows(request.user),
            "commissions": list(selectors.commissions_of(request.user)),
        },
    )


# --- the commissioner home ----------------------------------------------------------------


@login_required
def home(request):
    """My talents, my tasks, requests waiting for me to dispatch (TC-17)."""
    selectors.require_open(request.user)
    data = selectors.commissioner_home(request.user)
    form = None
    if data["unit_commissions"]:
        form = forms.RequestForm(
            request.POST or None,
            commissions=data["unit_commissions"],
            items=selectors.on_application_items(),
        )
    if request.method == "POST":
        if form is None:
            raise Forbidden("只有单位专员可以申办")
        if form.is_valid():
            uc = next(
                c for c in data["unit_commissions"] if c.pk == form.cleaned_data["commission"]
            )
            from zwfw.catalog.models import ServiceItem

            items = list(
                ServiceItem.objects.filter(code__in=form.cleaned_data["items"]).select_related(
                    "department"
                )
            )
            try:
                r = services.file_request(
                    by=request.user,
                    talent=uc.talent,
                    items=items,
                    unit_commissioner=uc,
                    note=form.cleaned_data["note"],
                )
            except RuleViolation as exc:
                _refusal(request, exc)
            else:
                messages.success(
                    request,
                    f"已提交申请{r.pk}："
                    + ("已直接交部门专员办理" if r.route == "single" else "已报窗口专员转办"),
                )
                return redirect("talents:request", pk=r.pk)
    return render(request, "talents/home.html", {**data, "form": form})


# --- the window home ---------------------------------------------------------------------


@login_required
def window_page(request, pk: int):
    window = selectors.window_for(request.user, pk)
    today = timezone.localdate()
    grades = list(WindowGrade.objects.filter(window=window).select_related("interview"))
    child_grades = list(
        WindowGrade.objects.filter(window__parent=window)
        .select_related("window", "interview")
        .order_by("-year", "window_id")
    )
    return render(
        request,
        "talents/window.html",
        {
            "window": window,
            "today": today,
            "tasks": selectors.open_tasks(window, today),
            "dispatch": selectors.awaiting_dispatch(window),
            "recent": selectors.recent_requests(window),
            "gaps": selectors.coverage(window),
            "periods": selectors.filing_periods(window, today),
            "reports": selectors.reports_received(window),
            "problems": selectors.problems_reported(window),
            "commissioners": selectors.commissioners(window),
            "grades": grades,
            "child_grades": child_grades,
            "children": list(window.children.select_related("window__center")),
            "stats": selectors.statistics(window),
            "filing_form": forms.FilingForm(initial={"year": today.year}),
            "publish_form": forms.PublishForm(items=_green_items()),
            "appoint_form": forms.AppointForm(initial={"appointed_on": today}),
            "training_form": forms.TrainingForm(
                commissioners=_active(window), initial={"held_on": today}
            ),
            "grade_form": forms.GradeForm(initial={"year": today.year - 1}),
            "interview_form": forms.InterviewForm(),
        },
    )


def _green_items():
    from zwfw.catalog.models import ServiceItem

    return ServiceItem.objects.filter(green_channel=True, active=True).select_related("department")


def _active(window):
    return list(
        Commissioner.objects.filter(window=window, ended_on__isnull=True).select_related("person")
    )


@login_required
@require_POST
def manage(request, pk: int):
    """The window's own records: publish a green-channel item (TW-7), appoint a commissioner
    and file the change (TC-4, TC-19), record a training session (TC-20)."""
    from zwfw.catalog.models import ServiceItem
    from zwfw.org.models import Department, Person
    from zwfw.talents.models import Talent

    window = selectors.window_for(request.user, pk)
    action = request.POST.get("action")
    if action == "publish":
        form = forms.PublishForm(request.POST, items=_green_items())
    elif action == "appoint":
        form = forms.AppointForm(request.POST)
    elif action == "training":
        form = forms.TrainingForm(request.POST, commissioners=_active(window))
    else:
        raise NotFound("未知操作")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("talents:window", pk=window.pk)
    d = form.cleaned_data
    try:
        if action == "publish":
            rule = services.publish_item(
                by=request.user,
                window=window,
                item=get_object_or_404(ServiceItem, code=d["item"]),
                min_level=d["min_level"],
                rules_text=d["rules_text"],
                undertaking=d["undertaking"],
            )
            messages.success(
                request,
                f"已公布“{rule.item.name}”第{rule.version}版"
                + ("，并已向上级窗口报备" if window.parent_id else ""),
            )
        elif action == "appoint":
            person = Person.objects.filter(pk=d["person"]).first()
            if person is None:
                raise RuleViolation("invalid", "未找到该人员", field="person")
            talent = Talent.objects.filter(pk=d["talent"]).first() if d["talent"] else None
            department = (
                Department.objects.filter(code=d["department"].strip()).first()
                if d["department"]
                else None
            )
            c = services.appoint_commissioner(
                by=request.user,
                window=window,
                person=person,
                kind=d["kind"],
                appointed_on=d["appointed_on"],
                talent=talent,
                department=department,
                organisation=d["organisation"],
            )
            f = c.filings.order_by("-id").first()
            text = f"已任命{c}并备案（{f.workdays}个工作日）"
            if f.late:
                messages.warning(request, text + "：超过7个工作日，已标记逾期备案（TC-19）")
            else:
                messages.success(request, text)
        else:
            chosen = [c for c in _active(window) if c.pk in set(d["attendees"])]
            services.record_training(
                by=request.user,
                window=window,
                title=d["title"],
                held_on=d["held_on"],
                attendees=chosen,
                hours=d["hours"],
            )
            messages.success(request, "已记录培训")
    except RuleViolation as exc:
        _refusal(request, exc)
    return redirect("talents:window", pk=window.pk)


@login_required
def window_talents(request, pk: int):
    """The window's talents, and (for its managers) the form registering one with the card
    shown (TC-16; the page's form of POST /api/v1/talents)."""
    window = selectors.window_for(request.user, pk)
    may_register = selectors.manages(request.user, window)
    form = forms.TalentForm(request.POST or None) if may_register else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("需要本窗口的窗口专员或中心管理员")
        if form.is_valid():
            d = form.cleaned_data
            try:
                talent = services.register_talent(
                    by=request.user,
                    window=window,
                    name=d["name"],
                    id_number=d["id_number"],
                    phone=d["phone"],
                    employer=d["employer"],
                    level=d["level"],
                    card=form.card(),
                )
            except RuleViolation as exc:
                if isinstance(exc, Forbidden):
                    raise
                add_violation(form, _card_field(exc))
            else:
                messages.success(request, f"已登记人才{talent.masked_name}并建立服务档案")
                return redirect("talents:talent", pk=talent.pk)
    return render(
        request,
        "talents/talents.html",
        {"window": window, "talents": selectors.talents_of(window), "form": form},
        status=422 if form is not None and form.errors else 200,
    )


def _card_field(exc: RuleViolation) -> RuleViolation:
    """The service names card fields card.kind …; the page's fields are card_kind …."""
    if exc.field and exc.field.startswith("card."):
        exc.field = "card_" + exc.field.split(".", 1)[1]
    return exc


@login_required
@require_POST
def file_archives(request, pk: int):
    window = selectors.window_for(request.user, pk)
    form = forms.FilingForm(request.POST)
    if form.is_valid():
        try:
            f = services.file_archives(
                by=request.user,
                window=window,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
            )
        except RuleViolation as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"已向上级窗口备案{f.label}档案（{f.archives}份）")
    else:
        _form_errors(request, form)
    return redirect("talents:window", pk=window.pk)


@login_required
def filing_document(request, pk: int, kind: str = "docx"):
    filing = get_object_or_404(ArchiveFiling.objects.select_related("window", "parent"), pk=pk)
    if not (selectors.manages(request.user, filing.window)):
        raise Forbidden("需要该窗口或上级窗口的专员")
    if kind == "pdf" and not filing.pdf:
        raise NotFound("该备案没有PDF快照")
    content, mime = (
        (bytes(filing.pdf), "application/pdf")
        if kind == "pdf"
        else (bytes(filing.document), DOCX_CONTENT_TYPE)
    )
    period = f"{filing.year}年第{filing.quarter}季度" if filing.quarter else f"{filing.year}年度"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(
        True, f"人才服务档案备案-{filing.window.name}-{period}.{kind}"
    )
    return response


@login_required
@require_POST
def grade_window(request, pk: int):
    """TW-17: the parent window grades a window below it."""
    window = selectors.window_for(request.user, pk)
    target = get_object_or_404(
        window.children.select_related("parent", "window"), pk=request.POST.get("window")
    )
    form = forms.GradeForm(request.POST)
    if form.is_valid():
        try:
            g = services.grade_window(
                by=request.user,
                window=target,
                year=form.cleaned_data["year"],
                manual_score=form.cleaned_data["manual_score"],
                manual_note=form.cleaned_data["manual_note"],
            )
        except RuleViolation as exc:
            _refusal(request, exc)
        else:
            messages.success(request, f"{target.name}{g.year}年度评定为{g.get_grade_display()}")
    else:
        _form_errors(request, form)
    return redirect("talents:window", pk=window.pk)


@login_required
@require_POST
def record_interview(request, pk: int, grade_pk: int):
    window = selectors.window_for(request.user, pk)
    grade = get_object_or_404(
        WindowGrade.objects.select_related("window__parent"), pk=grade_pk, window__parent=window
    )
    form = forms.InterviewForm(request.POST)
    if form.is_valid():
        try:
            services.record_interview(by=request.user, grade=grade, **form.cleaned_data)
        except RuleViolation as exc:
            _refusal(request, exc)
        else:
            messages.success(request, "已记录约谈及联席会议说明")
    else:
        _form_errors(request, form)
    return redirect("talents:window", pk=window.pk)


# --- a request ---------------------------------------------------------------------------


@login_required
def request_page(request, pk: int):
    r = selectors.request_for(request.user, pk)
    data = selectors.request_detail(r)
    person = getattr(request.user, "person", None)
    manager = selectors.manages(request.user, r.window)
    for t in data["tasks"]:
        t.mine = manager or (person is not None and t.commissioner.person_id == person.pk)
        t.overdue = t.is_overdue(timezone.localdate())
    return render(
        request,
        "talents/request.html",
        {
            "r": r,
            **data,
            "may_dispatch": r.status == TalentRequest.Status.AWAITING_DISPATCH
            and (selectors.window_commissioner_of(request.user, r.window) or manager),
            "may_notify": r.status == TalentRequest.Status.COMPLETED
            and (manager or (person and person.pk == r.unit_commissioner.person_id)),
            "manager": manager,
            "complete_form": forms.CompleteForm(),
            "delay_form": forms.DelayForm(),
            "referral_form": forms.ReferralForm(),
        },
    )


@login_required
@require_POST
def dispatch(request, pk: int):
    r = selectors.request_for(request.user, pk)
    try:
        tasks = services.dispatch(by=request.user, request=r)
    except RuleViolation as exc:
        _refusal(request, exc)
    else:
        messages.success(request, f"已按部门转办，共{len(tasks)}个任务")
    return redirect("talents:request", pk=r.pk)


@login_required
@require_POST
def notify(request, pk: int):
    r = selectors.request_for(request.user, pk)
    try:
        services.notify_talent(by=request.user, request=r)
    except RuleViolation as exc:
        _refusal(request, exc)
    else:
        messages.success(request, "已短信告知人才办理结果（附评价链接）")
    return redirect("talents:request", pk=r.pk)


@login_required
@require_POST
def referral(request, pk: int):
    r = selectors.request_for(request.user, pk)
    form = forms.ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.record_referral(
                by=request.user, window=r.window, request=r, **form.cleaned_data
            )
        except RuleViolation as exc:
            _refusal(request, exc)
        else:
            messages.success(request, "已登记热线转办")
    else:
        _form_errors(request, form)
    return redirect("talents:request", pk=r.pk)


def _task(request, pk: int) -> TalentTask:
    task = TalentTask.objects.select_related("request").filter(pk=pk).first()
    if task is None:
        raise NotFound("未找到该任务")
    selectors.request_for(request.user, task.request_id)  # readers only
    return task


@login_required
@require_POST
def complete(request, pk: int):
    task = _task(request, pk)
    form = forms.CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.complete_task(by=request.user, task=task, result=form.cleaned_data["result"])
        except RuleViolation as exc:
            _refusal(request, exc)
        else:
            messages.success(request, "已办结，并已反馈单位专员和窗口专员")
    else:
        _form_errors(request, form)
    return redirect("talents:request", pk=task.request_id)


@login_required
@require_POST
def delay(request, pk: int):
    task = _task(request, pk)
    form = forms.DelayForm(request.POST)
    if form.is_valid():
        try:
            services.delay_task(by=request.user, task=task, **form.cleaned_data)
        except RuleViolation as exc:
            _refusal(request, exc)
        else:
            messages.success(request, "已报备延期，并已告知窗口专员和单位专员")
    else:
        _form_errors(request, form)
    return redirect("talents:request", pk=task.request_id)


# --- a talent's archive -------------------------------------------------------------------


@login_required
def talent_page(request, pk: int):
    talent = selectors.talent_for(request.user, pk)
    manager = selectors.manages(request.user, talent.window)
    from zwfw.catalog.models import ServiceItem

    green = ServiceItem.objects.filter(green_channel=True, active=True).select_related("department")
    card_form = forms.CardCheckForm(request.POST or None, items=green)
    status_form = forms.StatusForm(request.POST or None)
    add_card_form = forms.CardFields(request.POST or None)
    result = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "add_card" and add_card_form.is_valid():
                services.add_card(by=request.user, talent=talent, card=add_card_form.card())
                messages.success(request, "已登记惠才卡")
                return redirect("talents:talent", pk=talent.pk)
            if request.POST.get("action") == "card" and card_form.is_valid():
                item = get_object_or_404(ServiceItem, code=card_form.cleaned_data["item"])
                result = services.check_card(by=request.user, talent=talent, item=item)
                messages.info(
                    request,
                    ("核验通过：" if result.allowed else "核验不通过：") + result.reason,
                )
                return redirect("talents:talent", pk=talent.pk)
            if request.POST.get("action") == "status" and status_form.is_valid():
                services.check_status(by=request.user, talent=talent, **status_form.cleaned_data)
                messages.success(request, "已更新人才状态")
                return redirect("talents:talent", pk=talent.pk)
        except RuleViolation as exc:
            _refusal(request, exc)
    return render(
        request,
        "talents/talent.html",
        {
            "talent": talent,
            "manager": manager,
            **selectors.talent_archive(talent),
            "card_form": card_form,
            "status_form": status_form,
            "add_card_form": add_card_form,
        },
    )


@login_required
def commissioner_page(request, pk: int):
    c = get_object_or_404(
        Commissioner.objects.select_related("person", "window", "talent", "department"), pk=pk
    )
    if not selectors.manages(request.user, c.window):
        raise Forbidden("需要该窗口的窗口专员或中心管理员")
    window = c.window
    commissioners = [c]
    assessment_form = forms.AssessmentForm(request.POST or None, commissioners=commissioners)
    action_form = forms.ActionForm(request.POST or None, commissioners=commissioners)
    end_form = forms.EndCommissionerForm(request.POST or None) if c.ended_on is None else None
    if request.method == "POST":
        which = request.POST.get("action")
        try:
            if which == "end" and end_form is not None and end_form.is_valid():
                filing = services.end_commissioner(
                    by=request.user, commissioner=c, ended_on=end_form.cleaned_data["ended_on"]
                )
                late = "（超过7个工作日，已标记逾期备案）" if filing.late else ""
                messages.success(request, f"已免职并备案{late}")
                return redirect("talents:commissioner", pk=c.pk)
            if which == "assess" and assessment_form.is_valid():
                d = assessment_form.cleaned_data
                services.record_assessment(
                    by=request.user, commissioner=c, result=d["result"], note=d["note"]
                )
                messages.success(request, "已记录日常考核")
                return redirect("talents:commissioner", pk=c.pk)
            if which == "reward" and action_form.is_valid():
                d = dict(action_form.cleaned_data)
                d.pop("commissioner")
                services.record_action(by=request.user, commissioner=c, **d)
                messages.success(request, "已记录奖励问责")
                return redirect("talents:commissioner", pk=c.pk)
        except RuleViolation as exc:
            _refusal(request, exc)
    return render(
        request,
        "talents/commissioner.html",
        {
            "c": c,
            "window": window,
            "filings": list(c.filings.all()),
            "trainings": list(c.trainings.all()),
            "assessments": list(c.assessments.all()[:30]),
            "actions": list(c.actions.select_related("interview")),
            "assessment_form": assessment_form,
            "action_form": action_form,
            "end_form": end_form,
            "tasks": list(c.tasks.select_related("request").order_by("-dispatched_on")[:30]),
        },
    )
