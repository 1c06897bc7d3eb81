"""The grants API (API.md, Grants): parse, call a service or selector, return."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Router

from zwfw.core.api import idempotent, paginate
from zwfw.core.errors import RuleViolation
from zwfw.documents.docx import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from zwfw.grants import letters, roster, selectors, services
from zwfw.grants.models import Grant, GrantProposal, LeadingGroupDecision
from zwfw.grants.schemas import (
    AuthorityOut,
    DecisionIn,
    GrantDetailOut,
    GrantIn,
    GrantList,
    GrantOut,
    ProposalDecisionOut,
    ProposalIn,
    ProposalList,
    ProposalOut,
    RenewIn,
    RevokeIn,
    SectionHeadIn,
    SectionHeadOut,
)
from zwfw.org.selectors import department_by_code

router = Router(tags=["授权（首席服务员、首席代表）"])


def grant_out(g: Grant, on: datetime.date | None = None) -> dict:
    return {
        "id": g.id,
        "role": g.role,
        "grantee": g.grantee_id,
        "grantee_name": g.grantee.name,
        "department": g.department.code,
        "department_name": g.department.name,
        "final_items": [i.code for i in g.final_items.all()],
        "preliminary_items": [i.code for i in g.preliminary_items.all()],
        "powers": list(g.powers),
        "valid_from": g.valid_from,
        "valid_to": g.valid_to,
        "last_day": g.last_day,
        # Computed from the dates, so the answer is right even before the daily task runs.
        "status": g.status_on(on or timezone.localdate()),
        "justification": g.justification,
        "business_domain": g.business_domain,
        "decided_on": g.decision.decided_on,
        "decision_note": g.decision.note,
        "proposal": g.proposal_id,
        "revoked_on": g.revoked_on,
        "revocation_reason": g.revocation_reason,
    }


def decision_out(d: LeadingGroupDecision) -> dict:
    return {
        "id": d.id,
        "kind": d.kind,
        "result": d.result,
        "decided_on": d.decided_on,
        "note": d.note,
        "members_present": [p.pk for p in d.members_present.all()],
    }


def grant_detail_out(g: Grant) -> dict:
    items = list(g.final_items.all()) + list(g.preliminary_items.all())
    return {
        **grant_out(g),
        "items": [{"code": i.code, "name": i.name} for i in items],
        "decisions": [decision_out(d) for d in g.decisions.all()],
    }


def proposal_out(p: GrantProposal) -> dict:
    grant = getattr(p, "grant", None) if p.status == GrantProposal.Status.APPROVED else None
    return {
        "id": p.id,
        "role": p.role,
        "grantee": p.grantee_id,
        "grantee_name": p.grantee.name,
        "department": p.department.code,
        "final_items": [i.code for i in p.final_items.all()],
        "preliminary_items": [i.code for i in p.preliminary_items.all()],
        "powers": list(p.powers),
        "valid_from": p.valid_from,
        "valid_to": p.valid_to,
        "justification": p.justification,
        "business_domain": p.business_domain,
        "status": p.status,
        "proposed_on": p.proposed_on,
        "grant": grant.pk if grant else None,
    }


def _people(ids: list[int]) -> list:
    return [selectors.person_by_id(i) for i in dict.fromkeys(ids)]


def _grantee(person_id: int, department):
    person = selectors.person_by_id(person_id)
    if person.department_id != department.pk:
        raise RuleViolation(
            "N-10", f"只能提名本部门（{department.name}）的工作人员", field="grantee"
        )
    return person


def _file(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@router.post("/grants", response={201: GrantOut}, summary="登记领导小组决定的授权")
def create_grant(request, payload: GrantIn):
    def produce():
        department = department_by_code(payload.department)
        grant = services.grant_authority(
            by=request.user,
            role=payload.role,
            grantee=_grantee(payload.grantee, department),
            department=department,
            final_items=selectors.items_by_codes(payload.final_items, "final_items"),
            preliminary_items=selectors.items_by_codes(
                payload.preliminary_items, "preliminary_items"
            ),
            powers=payload.powers,
            valid_from=payload.valid_from,
            valid_to=payload.valid_to,
            justification=payload.justification or "",
            business_domain=payload.business_domain or "",
            decided_on=payload.decided_on,
            decision_note=payload.decision_note or "",
            members_present=_people(payload.members_present),
        )
        return grant_out(selectors.grant_for(request.user, grant.pk))

    return idempotent(request, produce)


@router.get("/grants", response=GrantList, summary="授权列表")
def list_grants(
    request,
    department: str | None = None,
    role: str = "",
    status: str = "",
    grantee: int | None = None,
    page: int = 1,
    page_size: int = 50,
):
    dept = department_by_code(department) if department else None
    if role and role not in ("chief_service_officer", "chief_representative"):
        raise RuleViolation(
            "invalid", "role 须为 chief_service_officer 或 chief_representative", field="role"
        )
    if status and status not in {s.value for s in selectors.GrantStatus}:
        raise RuleViolation("invalid", "status 取值不正确", field="status")
    person = selectors.person_by_id(grantee) if grantee else None
    today = timezone.localdate()
    qs = selectors.visible_grants(
        request.user, department=dept, role=role, status=status, grantee=person, on=today
    )
    items, count = paginate(qs, page, page_size)
    return {"items": [grant_out(g, today) for g in items], "count": count}


@router.get("/grants/roster.xlsx", summary="首席服务员名单（附件3）")
def roster_xlsx(request, department: str | None = None):
    dept = department_by_code(department) if department else None
    today = timezone.localdate()
    grants = selectors.visible_grants(request.user, department=dept).filter(
        selectors.in_force_q(today)
    )
    rows = selectors.roster_rows(
        grants,
        on=today,
        full_phone=lambda g: selectors.may_see_full_phone(request.user, g.department),
    )
    unit = dept.name if dept else "全部进驻单位"
    content = roster.roster_xlsx(rows, unit=unit, on=today)
    return _file(f"首席服务员名单-{unit}-{today:%Y%m%d}.xlsx", content, roster.XLSX_CONTENT_TYPE)


@router.get("/grants/authority", response=AuthorityOut, summary="查询某人对某事项的审批授权")
def check_authority(request, person: int, item: str, on: datetime.date | None = None):
    target = selectors.person_by_id(person)
    found = selectors.items_by_codes([item], "item")[0]
    authority = selectors.authority_for(target, found, on=on or timezone.localdate())
    if authority is None:
        return {"authorized": False}
    return {
        "authorized": True,
        "grant": authority.grant.pk,
        "scope": authority.scope,
        "powers": sorted(authority.powers),
        "valid_from": authority.grant.valid_from,
        "valid_to": authority.grant.last_day,
    }


@router.post("/grants/proposals", response={201: ProposalOut}, summary="部门提名人选")
def create_proposal(request, payload: ProposalIn):
    def produce():
        department = department_by_code(payload.department)
        proposal = services.propose_grant(
            by=request.user,
            department=department,
            role=payload.role,
            grantee=_grantee(payload.grantee, department),
            final_items=selectors.items_by_codes(payload.final_items, "final_items"),
            preliminary_items=selectors.items_by_codes(
                payload.preliminary_items, "preliminary_items"
            ),
            powers=payload.powers,
            valid_from=payload.valid_from,
            valid_to=payload.valid_to,
            justification=payload.justification or "",
            business_domain=payload.business_domain or "",
        )
        return proposal_out(selectors.proposal_for(request.user, proposal.pk))

    return idempotent(request, produce)


@router.get("/grants/proposals", response=ProposalList, summary="人选建议列表")
def list_proposals(request, status: str = "", page: int = 1, page_size: int = 50):
    if status and status not in GrantProposal.Status.values:
        raise RuleViolation("invalid", "status 取值不正确", field="status")
    qs = selectors.visible_proposals(request.user, status=status).select_related("grant")
    items, count = paginate(qs, page, page_size)
    return {"items": [proposal_out(p) for p in items], "count": count}


@router.get("/grants/proposals/{proposal_id}", response=ProposalOut, summary="人选建议详情")
def get_proposal(request, proposal_id: int):
    return proposal_out(selectors.proposal_for(request.user, proposal_id))


@router.post(
    "/grants/proposals/{proposal_id}/decision",
    response=ProposalDecisionOut,
    summary="领导小组研究决定",
)
def decide_proposal(request, proposal_id: int, payload: DecisionIn):
    proposal = selectors.proposal_for(request.user, proposal_id)
    decision = services.decide_proposal(
        by=request.user,
        proposal=proposal,
        result=payload.result,
        members_present=_people(payload.members_present),
        note=payload.note or "",
        on=payload.decided_on,
    )
    proposal = selectors.proposal_for(request.user, proposal_id)
    grant = selectors.grant_for(request.user, decision.grant_id) if decision.grant_id else None
    return {
        "proposal": proposal_out(proposal),
        "decision": decision_out(decision),
        "grant": grant_out(grant) if grant else None,
    }


@router.post(
    "/grants/section-heads", response={201: SectionHeadOut}, summary="政务服务科负责人备案"
)
def file_section_head(request, payload: SectionHeadIn):
    def produce():
        department = department_by_code(payload.department)
        filing = services.file_section_head(
            by=request.user,
            department=department,
            person=selectors.person_by_id(payload.person),
            acting=payload.acting,
            filed_on=payload.filed_on,
            document_number=payload.document_number or "",
        )
        return section_head_out(filing)

    return idempotent(request, produce)


def section_head_out(f) -> dict:
    return {
        "id": f.id,
        "department": f.department.code,
        "person": f.person_id,
        "person_name": f.person.name,
        "acting": f.acting,
        "filed_on": f.filed_on,
        "ended_on": f.ended_on,
        "document_number": f.document_number,
    }


@router.get("/grants/section-heads", response=list[SectionHeadOut], summary="备案记录")
def list_section_heads(request, department: str | None = None):
    dept = department_by_code(department) if department else None
    return [section_head_out(f) for f in selectors.section_head_filings(request.user, dept)]


@router.get("/grants/{grant_id}", response=GrantDetailOut, summary="授权详情")
def get_grant(request, grant_id: int):
    return grant_detail_out(selectors.grant_for(request.user, grant_id))


@router.post("/grants/{grant_id}/revoke", response=GrantOut, summary="撤销授权（领导小组决定）")
def revoke(request, grant_id: int, payload: RevokeIn):
    grant = selectors.grant_for(request.user, grant_id)
    services.revoke_grant(
        by=request.user,
        grant=grant,
        reason=payload.reason,
        on=payload.decided_on,
        members_present=_people(payload.members_present),
        note=payload.note or "",
    )
    return grant_out(selectors.grant_for(request.user, grant_id))


@router.post("/grants/{grant_id}/renew", response=GrantOut, summary="延续授权（领导小组决定）")
def renew(request, grant_id: int, payload: RenewIn):
    grant = selectors.grant_for(request.user, grant_id)
    services.renew_grant(
        by=request.user,
        grant=grant,
        valid_to=payload.valid_to,
        on=payload.decided_on,
        members_present=_people(payload.members_present),
        note=payload.note or "",
    )
    return grant_out(selectors.grant_for(request.user, grant_id))


@router.get("/grants/{grant_id}/letter.docx", summary="授权委托书（Word）")
def letter_docx(request, grant_id: int):
    filename, content = letters.letter_docx(selectors.grant_for(request.user, grant_id))
    return _file(filename, content, DOCX_CONTENT_TYPE)


@router.get("/grants/{grant_id}/letter.pdf", summary="授权委托书（PDF）")
def letter_pdf(request, grant_id: int):
    filename, content = letters.letter_pdf(selectors.grant_for(request.user, grant_id))
    return _file(filename, content, PDF_CONTENT_TYPE)
