"""Staff pages of grants: list, detail with downloads, revoke/renew, proposals and the
leading group's decision, section-head filing. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role, has_role_anywhere
from zwfw.documents.docx import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from zwfw.grants import letters, roster, selectors, services
from zwfw.grants.eligibility import GrantRole
from zwfw.grants.forms import (
    DecisionForm,
    ProposalForm,
    RenewForm,
    RevokeForm,
    SectionHeadForm,
)
from zwfw.grants.models import GrantProposal
from zwfw.grants.terms import GrantStatus
from zwfw.org import selectors as org_selectors


def _file(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _choice(value: str, choices) -> str:
    return value if value in {c[0] for c in choices} else ""


def _with_status(grants, today):
    for g in grants:
        status = g.status_on(today)
        g.current_status, g.current_status_label = status.value, status.label
    return grants


@login_required
def grant_list(request):
    today = timezone.localdate()
    departments = org_selectors.visible_departments(request.user).order_by("code")
    code = request.GET.get("department", "")
    department = next((d for d in departments if d.code == code), None) if code else None
    role = _choice(request.GET.get("role", ""), GrantRole.choices)
    status = _choice(request.GET.get("status", ""), GrantStatus.choices)
    qs = selectors.visible_grants(
        request.user, department=department, role=role, status=status, on=today
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    _with_status(page.object_list, today)
    return render(
        request,
        "grants/grant_list.html",
        {
            "page": page,
            "departments": departments,
            "department": department,
            "role": role,
            "status": status,
            "roles": GrantRole.choices,
            "statuses": GrantStatus.choices,
            "can_propose": has_role_anywhere(request.user, Role.DEPARTMENT_ADMIN),
        },
    )


def _decision_forms(request, grant, revoke_form=None, renew_form=None):
    members = selectors.leading_group_members(grant.department)
    person = getattr(request.user, "person", None)
    initial = {"members_present": [person.pk] if person else []}
    return {
        "revoke_form": revoke_form or RevokeForm(members=members, initial=initial, prefix="revoke"),
        "renew_form": renew_form or RenewForm(members=members, initial=initial, prefix="renew"),
    }


def _grant_page(request, grant, **forms):
    today = timezone.localdate()
    _with_status([grant], today)
    return render(
        request,
        "grants/grant_detail.html",
        {
            "grant": grant,
            "today": today,
            "decisions": grant.decisions.all(),
            "can_decide": has_role(
                request.user, Role.LEADING_GROUP, Role.CENTER_ADMIN, department=grant.department
            ),
            **_decision_forms(request, grant, **forms),
        },
    )


@login_required
def grant_detail(request, grant_id: int):
    return _grant_page(request, selectors.grant_for(request.user, grant_id))


def _leading_group_change(request, grant_id: int, *, form_class, prefix: str, change, done: str):
    """Revocation and renewal: one leading-group decision form each, the same page flow (N-12)."""
    grant = selectors.grant_for(request.user, grant_id)
    form = form_class(
        request.POST, members=selectors.leading_group_members(grant.department), prefix=prefix
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            change(
                by=request.user,
                grant=grant,
                on=data["decided_on"],
                members_present=data["members_present"],
                note=data["note"],
                **{k: v for k, v in data.items() if k in ("reason", "valid_to")},
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, done)
            return redirect("grants:grant", grant_id=grant.pk)
    return _grant_page(request, grant, **{f"{prefix}_form": form})


@login_required
@require_POST
def grant_revoke(request, grant_id: int):
    return _leading_group_change(
        request,
        grant_id,
        form_class=RevokeForm,
        prefix="revoke",
        change=services.revoke_grant,
        done="已记录领导小组撤销授权的决定",
    )


@login_required
@require_POST
def grant_renew(request, grant_id: int):
    return _leading_group_change(
        request,
        grant_id,
        form_class=RenewForm,
        prefix="renew",
        change=services.renew_grant,
        done="已记录领导小组延续授权的决定",
    )


@login_required
def letter_docx(request, grant_id: int):
    filename, content = letters.letter_docx(selectors.grant_for(request.user, grant_id))
    return _file(filename, content, DOCX_CONTENT_TYPE)


@login_required
def letter_pdf(request, grant_id: int):
    filename, content = letters.letter_pdf(selectors.grant_for(request.user, grant_id))
    return _file(filename, content, PDF_CONTENT_TYPE)


@login_required
def roster_xlsx(request):
    today = timezone.localdate()
    code = request.GET.get("department", "")
    department = org_selectors.department_by_code(code) if code else None
    grants = selectors.visible_grants(request.user, department=department).filter(
        selectors.in_force_q(today)
    )
    rows = selectors.roster_rows(
        grants,
        on=today,
        full_phone=lambda g: selectors.may_see_full_phone(request.user, g.department),
    )
    unit = department.name if department else "全部进驻单位"
    return _file(
        f"首席服务员名单-{unit}-{today:%Y%m%d}.xlsx",
        roster.roster_xlsx(rows, unit=unit, on=today),
        roster.XLSX_CONTENT_TYPE,
    )


@login_required
def proposal_list(request):
    status = _choice(request.GET.get("status", ""), GrantProposal.Status.choices)
    qs = selectors.visible_proposals(request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/proposal_list.html",
        {
            "page": page,
            "status": status,
            "statuses": GrantProposal.Status.choices,
            "can_propose": has_role_anywhere(request.user, Role.DEPARTMENT_ADMIN),
        },
    )


@login_required
def proposal_create(request):
    departments = list(selectors.proposing_departments(request.user))
    if not has_role_anywhere(request.user, Role.DEPARTMENT_ADMIN) or not departments:
        raise Forbidden("只有部门管理员可以提名首席服务员（首席代表）人选")
    code = request.GET.get("department") or request.POST.get("department_code")
    department = next((d for d in departments if d.code == code), None)
    if department is None and len(departments) == 1:
        department = departments[0]
    if department is None:
        return render(request, "grants/proposal_pick_department.html", {"departments": departments})
    form = ProposalForm(
        request.POST or None,
        people=selectors.department_people(department),
        items=selectors.grantable_items(department),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.propose_grant(
                by=request.user,
                department=department,
                role=data["role"],
                grantee=data["grantee"],
                final_items=data["final_items"],
                preliminary_items=data["preliminary_items"],
                powers=data["powers"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                justification=data["justification"],
                business_domain=data["business_domain"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "人选建议已提交，待领导小组研究决定")
            return redirect("grants:proposal", proposal_id=proposal.pk)
    return render(
        request,
        "grants/proposal_form.html",
        {
            "form": form,
            "department": department,
            "departments": departments,
            "head": selectors.current_section_head(department, timezone.localdate()),
        },
    )


def _proposal_page(request, proposal, form=None):
    can_decide = proposal.status == GrantProposal.Status.PENDING and has_role(
        request.user, Role.LEADING_GROUP, department=proposal.department
    )
    if can_decide and form is None:
        person = getattr(request.user, "person", None)
        form = DecisionForm(
            members=selectors.leading_group_members(proposal.department),
            initial={"members_present": [person.pk] if person else []},
        )
    decision = getattr(proposal, "decision", None)
    return render(
        request,
        "grants/proposal_detail.html",
        {
            "proposal": proposal,
            "form": form,
            "can_decide": can_decide,
            "decision": decision,
            "grant": getattr(proposal, "grant", None),
        },
    )


@login_required
def proposal_detail(request, proposal_id: int):
    return _proposal_page(request, selectors.proposal_for(request.user, proposal_id))


@login_required
@require_POST
def proposal_decide(request, proposal_id: int):
    proposal = selectors.proposal_for(request.user, proposal_id)
    form = DecisionForm(request.POST, members=selectors.leading_group_members(proposal.department))
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decide_proposal(
                by=request.user,
                proposal=proposal,
                result=data["result"],
                members_present=data["members_present"],
                note=data["note"],
                on=data["decided_on"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            if decision.grant_id:
                messages.success(request, "领导小组已同意，授权已生成，可下载授权委托书")
                return redirect("grants:grant", grant_id=decision.grant_id)
            messages.success(request, "已记录领导小组不同意的决定")
            return redirect("grants:proposal", proposal_id=proposal.pk)
    return _proposal_page(request, proposal, form)


@login_required
def section_heads(request):
    departments = list(org_selectors.visible_departments(request.user).order_by("code"))
    code = request.GET.get("department") or request.POST.get("department_code") or ""
    department = next((d for d in departments if d.code == code), None)
    if department is None and len(departments) == 1:
        department = departments[0]
    can_file = department is not None and has_role(
        request.user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department
    )
    form = None
    if can_file:
        form = SectionHeadForm(request.POST or None, people=selectors.department_people(department))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.file_section_head(
                    by=request.user,
                    department=department,
                    person=data["person"],
                    acting=data["acting"],
                    filed_on=data["filed_on"],
                    document_number=data["document_number"],
                )
            except RuleViolation as exc:
                add_violation(form, exc)
            else:
                messages.success(request, "备案已登记")
                return redirect(f"{request.path}?department={department.code}")
    filings = selectors.section_head_filings(request.user, department)
    return render(
        request,
        "grants/section_heads.html",
        {
            "filings": filings,
            "form": form,
            "department": department,
            "departments": departments,
            "today": timezone.localdate(),
        },
    )
