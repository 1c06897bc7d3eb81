"""Staff pages of the chief experts: the office, the industry committees and the nominating
organisations. Rules and permission checks are in services/selectors; these only render and
dispatch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from zwfw.core.basis import explain
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.documents import uploads
from zwfw.experts import documents, forms, selectors, services
from zwfw.experts.models import (
    Ballot,
    Campaign,
    ExpertPool,
    NominatingOrganisation,
    Nomination,
    Objection,
    Sector,
    StudioEvaluation,
)

S = Nomination.Status


def _ctx(request, **extra) -> dict:
    user = request.user
    return {
        "is_office": selectors.is_office(user),
        "org_names": [o.name for o in services.orgs_of(user)],
        "committee_sectors": selectors.committee_sector_ids(user),
        **extra,
    }


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    mime = documents.DOCX if fmt == "docx" else documents.PDF
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}.{fmt}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _fail(request, form, exc: RuleViolation):
    if isinstance(exc, Forbidden):
        raise exc
    if form is not None:
        add_violation(form, exc)
    else:
        messages.error(request, explain(exc))


@login_required
def index(request):
    selectors.require_open(request.user)
    today = timezone.localdate()
    campaign = selectors.current_campaign(today)
    mine = list(selectors.nominations(request.user, campaign=campaign)[:30]) if campaign else []
    return render(
        request,
        "experts/index.html",
        _ctx(
            request,
            campaign=campaign,
            counts=selectors.nomination_counts(campaign) if campaign else {},
            statuses=S.choices,
            nominations=mine,
            open_for_nomination=bool(campaign and today <= campaign.nomination_deadline),
            expiring=list(selectors.expiring(today)[:10])
            if selectors.is_office(request.user)
            else [],
            active_count=selectors.experts(status="active", today=today).count(),
            today=today,
        ),
    )


@login_required
def campaign_new(request):
    if not selectors.is_office(request.user):
        raise Forbidden("仅市选拔管理工作办公室可以部署选拔")
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_campaign(
                by=request.user,
                year=form.cleaned_data["year"],
                sectors=list(form.cleaned_data["sectors"]),
                nomination_deadline=form.cleaned_data["nomination_deadline"],
                schedule=form.schedule(),
            )
            messages.success(request, f"已部署{c.year}年度选拔，时间安排已在公开页面发布")
            return redirect("experts:index")
        except RuleViolation as exc:
            _fail(request, form, exc)
    return render(request, "experts/campaign_form.html", _ctx(request, form=form))


@login_required
def sectors(request):
    selectors.require_open(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.SectorForm(request.POST if action == "sector" else None)
    committee_form = forms.CommitteeForm(request.POST if action == "committee" else None)
    org_form = forms.OrganisationForm(request.POST if action == "organisation" else None)
    current = {"sector": form, "committee": committee_form, "organisation": org_form}.get(action)
    if current is not None and current.is_valid():
        d = current.cleaned_data
        try:
            if action == "sector":
                services.create_sector(by=request.user, **d)
                messages.success(request, "已新增行业领域及其工作委员会")
            elif action == "committee":
                services.set_committee_members(
                    by=request.user, sector=d["sector"], members=list(d["members"])
                )
                messages.success(request, "已更新工作委员会委员")
            else:
                services.create_organisation(
                    by=request.user, name=d["name"], kind=d["kind"], accounts=list(d["accounts"])
                )
                messages.success(request, "已新增推荐单位")
            return redirect("experts:sectors")
        except RuleViolation as exc:
            _fail(request, current, exc)
    rows = selectors.sectors().prefetch_related("committee__members")
    orgs = NominatingOrganisation.objects.prefetch_related("accounts")
    return render(
        request,
        "experts/sectors.html",
        _ctx(
            request,
            sectors=rows,
            form=form,
            committee_form=committee_form,
            org_form=org_form,
            orgs=orgs,
        ),
    )


@login_required
def coverage(request):
    selectors.require_open(request.user)
    return render(request, "experts/coverage.html", _ctx(request, c=selectors.coverage()))


@login_required
def nomination_list(request):
    selectors.require_open(request.user)
    campaign = None
    if (request.GET.get("campaign") or "").isdigit():
        campaign = Campaign.objects.filter(pk=int(request.GET["campaign"])).first()
    status = request.GET.get("status", "")
    status = status if status in S.values else ""
    rows = list(selectors.nominations(request.user, campaign=campaign, status=status)[:200])
    return render(
        request,
        "experts/nomination_list.html",
        _ctx(
            request,
            rows=rows,
            campaigns=Campaign.objects.all(),
            statuses=S.choices,
            campaign=campaign,
            status=status,
        ),
    )


@login_required
def nomination_new(request):
    if not services.orgs_of(request.user).exists():
        raise Forbidden("仅推荐单位账号可以推荐（不受理个人申请）", code="E-7")
    today = timezone.localdate()
    campaign = Campaign.objects.filter(nomination_deadline__gte=today).order_by("year").first()
    if campaign is None:
        messages.error(request, "当前没有正在申报的选拔批次")
        return redirect("experts:index")
    form = forms.NominationForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            n = services.nominate(
                by=request.user,
                campaign=campaign,
                sector=d["sector"],
                talent_type=d["talent_type"],
                nominee={
                    k: d[k]
                    for k in (
                        "name",
                        "gender",
                        "birth_date",
                        "phone",
                        "id_number",
                        "position",
                        "unit_start_date",
                        "field_start_date",
                        "service_work_start_date",
                    )
                },
                deeds=d["deeds"],
                attestations={k: d[k] for k in ("political", "ethics", "health", "integrity")},
                age_justification=d["age_justification"],
                form={
                    k: d[k]
                    for k in (
                        "education",
                        "professional_title",
                        "qualifications",
                        "achievements",
                        "awards",
                        "workplace",
                    )
                },
            )
            if n.age_at_deadline > 55:
                messages.warning(
                    request,
                    "被推荐人超过55周岁：已记录推荐理由，报送前须经市选拔管理工作办公室审批（E-6.6）",
                )
            messages.success(request, "已提交推荐申报，请上传证明材料并组织公示")
            return redirect("experts:nomination", pk=n.pk)
        except RuleViolation as exc:
            field = {
                "nominee.field_start_date": "field_start_date",
                "nominee": "name",
            }.get(
                exc.field or "",
                (exc.field or "").removeprefix("nominee.").removeprefix("attestations."),
            )
            exc.field = field
            _fail(request, form, exc)
    return render(
        request, "experts/nomination_form.html", _ctx(request, form=form, campaign=campaign)
    )


@login_required
def nomination(request, pk: int):
    n = selectors.nomination_for(request.user, pk)
    user = request.user
    is_org = n.organisation in services.orgs_of(user)
    is_office = selectors.is_office(user)
    is_committee = services.is_committee_member(user, n.sector)
    today = timezone.localdate()
    attachment_form = forms.AttachmentForm()
    notice_form = forms.NoticeForm(initial={"start": today})
    inspection_form = forms.InspectionForm(sector=n.sector, initial={"date": today})
    approve_form = forms.ApproveForm(initial={"approved_on": today})
    cancel_form = forms.FindingForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form = None
        try:
            if action == "attach":
                form = attachment_form = forms.AttachmentForm(request.POST, request.FILES)
                if form.is_valid():
                    services.add_attachment(
                        by=user,
                        nomination=n,
                        upload=form.cleaned_data["file"],
                        kind=form.cleaned_data["kind"],
                    )
                    messages.success(request, "已上传证明材料")
                    return redirect("experts:nomination", pk=n.pk)
            elif action in ("notice", "second_notice"):
                form = notice_form = forms.NoticeForm(request.POST)
                if form.is_valid():
                    if action == "notice":
                        notice = services.publish_notice(
                            by=user,
                            nomination=n,
                            start=form.cleaned_data["start"],
                            review_note=form.cleaned_data["review_note"],
                        )
                    else:
                        notice = services.publish_second_notice(
                            by=user, nomination=n, start=form.cleaned_data["start"]
                        )
                    messages.success(request, f"已公示，公示期至{notice.end:%Y-%m-%d}（5个工作日）")
                    return redirect("experts:nomination", pk=n.pk)
            elif action == "decide":
                form = forms.DecideForm(request.POST)
                if form.is_valid():
                    o = get_object_or_404(
                        Objection, pk=form.cleaned_data["objection"], notice__nomination=n
                    )
                    services.decide_objection(
                        by=user,
                        objection=o,
                        upheld=form.cleaned_data["upheld"],
                        finding=form.cleaned_data["finding"],
                    )
                    messages.success(request, "已记录异议核查结论")
                else:
                    messages.error(request, "请填写核查情况")
                return redirect("experts:nomination", pk=n.pk)
            elif action == "forward":
                services.forward(by=user, nomination=n)
                messages.success(request, "已报送市选拔管理工作办公室")
                return redirect("experts:nomination", pk=n.pk)
            elif action == "approve_age":
                services.approve_age(by=user, nomination=n)
                messages.success(request, "已审批超龄推荐理由")
                return redirect("experts:nomination", pk=n.pk)
            elif action == "cancel":
                form = cancel_form = forms.FindingForm(request.POST)
                if form.is_valid():
                    services.cancel_for_falsification(
                        by=user, nomination=n, finding=form.cleaned_data["finding"]
                    )
                    messages.success(request, "已取消申报资格")
                    return redirect("experts:nomination", pk=n.pk)
            elif action == "inspection":
                form = inspection_form = forms.InspectionForm(request.POST, sector=n.sector)
                if form.is_valid():
                    d = form.cleaned_data
                    services.record_inspection(
                        by=user,
                        nomination=n,
                        date=d["date"],
                        members=list(d["members"]),
                        findings=d["findings"],
                        passed=d["passed"],
                    )
                    messages.success(request, "已记录实地考察")
                    return redirect("experts:nomination", pk=n.pk)
            elif action == "approve":
                form = approve_form = forms.ApproveForm(request.POST)
                if form.is_valid():
                    e = services.approve(by=user, nomination=n, **form.cleaned_data)
                    messages.success(request, "已认定为首席专家，工作室挂牌运行")
                    return redirect("experts:expert", pk=e.pk)
        except RuleViolation as exc:
            _fail(request, form, exc)
    n = selectors.nomination_detail(n)
    notices = list(n.notices.all())
    pool_link = None
    if n.status in (
        S.POOLED,
        S.PROPOSED,
        S.NOT_SELECTED,
        S.SECOND_NOTICE,
        S.INSPECTED,
        S.APPROVED,
    ) and (is_office or is_committee):
        pool_link = (n.campaign_id, n.sector_id)
    return render(
        request,
        "experts/nomination.html",
        _ctx(
            request,
            n=n,
            notices=notices,
            is_org=is_org,
            may_office=is_office,
            is_committee=is_committee,
            today=today,
            attachment_form=attachment_form,
            notice_form=notice_form,
            inspection_form=inspection_form,
            approve_form=approve_form,
            cancel_form=cancel_form,
            pool_link=pool_link,
            expert=getattr(n, "expert", None) if n.status == S.APPROVED else None,
        ),
    )


@login_required
def nomination_document(request, pk: int, fmt: str):
    n = selectors.nomination_detail(selectors.nomination_for(request.user, pk))
    content = documents.form_docx(n) if fmt == "docx" else documents.form_pdf(n)
    return _download(content, f"首席专家申报表-{n.nominee.name}", fmt)


@login_required
def attachment(request, pk: int, aid: int):
    n = selectors.nomination_for(request.user, pk)
    a = get_object_or_404(n.attachments, pk=aid)
    return uploads.response(a.stored_name, a.file_kind, a.filename)


@login_required
def pool(request, campaign: int, sector: int):
    campaign = get_object_or_404(Campaign, pk=campaign)
    sector = get_object_or_404(Sector, pk=sector)
    user = request.user
    is_office = selectors.is_office(user)
    if not (is_office or services.is_committee_member(user, sector)):
        raise Forbidden("仅市选拔管理工作办公室或本行业工作委员会可以查看")
    pool_obj = ExpertPool.objects.filter(campaign=campaign, sector=sector).first()
    ballot = Ballot.objects.filter(pool=pool_obj).first() if pool_obj else None
    forwarded = list(
        Nomination.objects.filter(
            campaign=campaign, sector=sector, status=S.FORWARDED
        ).select_related("nominee")
    )
    pool_form = forms.PoolForm(candidates=forwarded)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "pool":
                pool_form = forms.PoolForm(request.POST, candidates=forwarded)
                if pool_form.is_valid():
                    ids = [int(x) for x in pool_form.cleaned_data["nominations"]]
                    services.build_pool(
                        by=user,
                        campaign=campaign,
                        sector=sector,
                        members=list(pool_form.cleaned_data["members"]),
                        nominations=[n for n in forwarded if n.pk in ids],
                    )
                    messages.success(request, "已更新专家库")
                    return redirect("experts:pool", campaign=campaign.pk, sector=sector.pk)
            elif action == "ballot" and pool_obj is not None:
                candidates = {n.pk for n in selectors.pool_candidates(campaign, sector)}
                votes = []
                for member in pool_obj.members.all():
                    if request.POST.get(f"voted_{member.pk}"):
                        choices = [
                            int(c)
                            for c in request.POST.getlist(f"vote_{member.pk}")
                            if c.isdigit() and int(c) in candidates
                        ]
                        votes.append({"voter": member.pk, "choices": choices})
                seats = request.POST.get("seats", "1")
                services.hold_ballot(
                    by=user,
                    campaign=campaign,
                    sector=sector,
                    votes=votes,
                    discussion=request.POST.get("discussion", ""),
                    seats=int(seats) if seats.isdigit() else 1,
                )
                messages.success(request, "已记录记名投票并计票")
                return redirect("experts:pool", campaign=campaign.pk, sector=sector.pk)
        except RuleViolation as exc:
            _fail(request, None, exc)
    return render(
        request,
        "experts/pool.html",
        _ctx(
            request,
            campaign=campaign,
            sector=sector,
            pool=pool_obj,
            ballot=ballot,
            members=list(pool_obj.members.select_related("department")) if pool_obj else [],
            candidates=list(selectors.pool_candidates(campaign, sector)) if pool_obj else [],
            results=list(ballot.results.select_related("nomination__nominee")) if ballot else [],
            votes=list(ballot.votes.select_related("voter").prefetch_related("choices__nominee"))
            if ballot
            else [],
            pool_form=pool_form,
            may_office=is_office,
            forwarded=forwarded,
        ),
    )


@login_required
def tally_document(request, pk: int, fmt: str):
    ballot = get_object_or_404(
        Ballot.objects.select_related("pool__campaign", "pool__sector"), pk=pk
    )
    if not (
        selectors.is_office(request.user)
        or services.is_committee_member(request.user, ballot.pool.sector)
    ):
        raise Forbidden("仅市选拔管理工作办公室或本行业工作委员会可以下载")
    content = documents.tally_docx(ballot) if fmt == "docx" else documents.tally_pdf(ballot)
    return _download(
        content, f"记名投票计票表-{ballot.pool.campaign.year}-{ballot.pool.sector.name}", fmt
    )


@login_required
def expert_list(request):
    selectors.require_open(request.user)
    status = request.GET.get("status", "")
    status = status if status in ("active", "expired", "revoked") else ""
    rows = list(selectors.experts(status=status)[:300])
    return render(
        request,
        "experts/expert_list.html",
        _ctx(request, rows=rows, status=status, today=timezone.localdate()),
    )


@login_required
def expert(request, pk: int):
    selectors.require_open(request.user)
    e = selectors.expert_detail(pk)
    user = request.user
    studio = getattr(e, "studio", None)
    is_office = selectors.is_office(user)
    is_committee = services.is_committee_member(user, e.sector)
    today = timezone.localdate()
    f = {
        "log": forms.LogForm(initial={"date": today}),
        "mentoring": forms.MentoringForm(initial={"start": today}),
        "change": forms.ChangeForm(initial={"date": today}),
        "evaluation": forms.EvaluationForm(initial={"date": today}),
        "agreement": forms.AgreementForm(initial={"signed_on": today}),
        "studio_evaluation": forms.StudioEvaluationForm(initial={"year": today.year}),
        "revoke": forms.RevokeForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        classes = {
            "log": forms.LogForm,
            "mentoring": forms.MentoringForm,
            "change": forms.ChangeForm,
            "evaluation": forms.EvaluationForm,
            "agreement": forms.AgreementForm,
            "studio_evaluation": forms.StudioEvaluationForm,
            "revoke": forms.RevokeForm,
        }
        if action in classes:
            form = f[action] = classes[action](request.POST, request.FILES)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    if action == "log":
                        services.log_work(by=user, studio=studio, **d)
                    elif action == "mentoring":
                        services.add_mentoring(by=user, studio=studio, **d)
                    elif action == "change":
                        services.report_change(by=user, expert=e, **d)
                    elif action == "evaluation":
                        services.add_evaluation(by=user, expert=e, **d)
                    elif action == "agreement":
                        services.file_agreement(
                            by=user, expert=e, signed_on=d["signed_on"], upload=d["file"]
                        )
                    elif action == "studio_evaluation":
                        services.evaluate_studio(by=user, studio=studio, **d)
                    elif action == "revoke":
                        services.revoke(
                            by=user,
                            expert=e,
                            ground=d["ground"],
                            approved_by=d["approved_by"],
                            reason=d["reason"],
                        )
                    messages.success(request, "已保存")
                    return redirect("experts:expert", pk=e.pk)
                except RuleViolation as exc:
                    _fail(request, form, exc)
    may_studio = (
        studio is not None
        and studio.is_open
        and (
            is_office
            or is_committee
            or (getattr(user, "person", None) and user.person.pk == e.person_id)
        )
    )
    return render(
        request,
        "experts/expert.html",
        _ctx(
            request,
            e=e,
            studio=studio,
            logs=selectors.studio_logs(studio) if studio else [],
            f=f,
            may_office=is_office,
            may_committee=is_committee or is_office,
            may_studio=may_studio,
            may_change=services.may_report_change(user, e),
            state=e.state_label(today),
            today=today,
        ),
    )


@login_required
def studio_report(request, pk: int, year: int, fmt: str):
    selectors.require_open(request.user)
    ev = get_object_or_404(
        StudioEvaluation.objects.select_related("studio__expert__person", "studio__expert__sector"),
        studio__expert__pk=pk,
        year=year,
    )
    content = documents.report_docx(ev) if fmt == "docx" else documents.report_pdf(ev)
    return _download(content, f"工作室评估报告-{ev.studio.expert.person.name}-{year}", fmt)


@login_required
def agreement(request, pk: int, aid: int):
    """E-11.3: the filed agreement, for the office and the sector's committee only."""
    e = selectors.expert_detail(pk)
    if not (
        selectors.is_office(request.user) or services.is_committee_member(request.user, e.sector)
    ):
        raise Forbidden("仅市选拔管理工作办公室或本行业工作委员会可以查看协议")
    a = get_object_or_404(e.agreements, pk=aid)
    return uploads.response(a.stored_name, a.file_kind, a.filename)
