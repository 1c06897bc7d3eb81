"""API of the chief experts (seed 000, API.md "Chief experts"). Functions parse, call the
services, and shape the answer; rules and permission checks are in services/selectors."""

import datetime

from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from zwfw.core.api import ErrorOut, idempotent, paginate
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.middleware import request_ip
from zwfw.experts import selectors, services
from zwfw.experts.models import (
    Campaign,
    ChiefExpert,
    NominatingOrganisation,
    Nomination,
    Objection,
    PublicNotice,
    Sector,
)
from zwfw.org.models import Person

router = Router(tags=["首席专家"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


# --- schemas ---------------------------------------------------------------------------------


class SectorIn(Schema):
    code: str
    name: str


class SectorOut(Schema):
    id: int
    code: str
    name: str
    committee: str


class SectorList(Schema):
    items: list[SectorOut]
    count: int


class StageIn(Schema):
    stage: str
    start: datetime.date
    end: datetime.date


class CampaignIn(Schema):
    year: int
    sectors: list[str]
    nomination_deadline: datetime.date
    schedule: list[StageIn] = []


class CampaignOut(Schema):
    id: int
    year: int
    sectors: list[str]
    nomination_deadline: datetime.date
    schedule: list[StageIn]


class CampaignList(Schema):
    items: list[CampaignOut]
    count: int


class NomineeIn(Schema):
    name: str = ""
    gender: str = ""
    birth_date: datetime.date | None = None
    phone: str = ""
    id_number: str | None = None
    department: str | None = None
    section: str | None = None
    position: str = ""
    established: bool = True
    unit_start_date: datetime.date | None = None
    service_start_date: datetime.date | None = None
    field_start_date: datetime.date | None = None
    service_work_start_date: datetime.date | None = None


class AttestationsIn(Schema):
    political: bool = False
    ethics: bool = False
    health: bool = False
    integrity: bool = False


class NominationIn(Schema):
    campaign: int
    sector: str
    talent_type: str
    nominee: NomineeIn
    deeds: str
    attestations: AttestationsIn = AttestationsIn()
    age_justification: str | None = None
    organisation: int | None = None
    education: str = ""
    professional_title: str = ""
    qualifications: str = ""
    achievements: str = ""
    awards: str = ""
    workplace: str = ""


class NoticeOut(Schema):
    id: int
    nomination: int
    kind: str
    start: datetime.date
    end: datetime.date
    running: bool
    open_objections: int


class AttachmentOut(Schema):
    id: int
    kind: str
    filename: str
    size: int
    file_kind: str


class NominationOut(Schema):
    id: int
    campaign: int
    year: int
    sector: str
    organisation: str
    nominee: int
    nominee_name: str
    talent_type: str
    status: str
    status_label: str
    eligible: bool
    eligibility_basis: str
    age_at_deadline: int
    age_warning: bool
    age_approved: bool
    deeds_chars: int
    notices: list[NoticeOut]
    attachments: list[AttachmentOut]


class NominationList(Schema):
    items: list[NominationOut]
    count: int


class NoticeIn(Schema):
    start: datetime.date | None = None
    review_note: str = ""


class ObjectionIn(Schema):
    text: str
    contact: str | None = None


class ObjectionOut(Schema):
    id: int
    notice: int
    status: str
    finding: str


class DecideIn(Schema):
    upheld: bool
    finding: str


class FindingIn(Schema):
    finding: str


class PoolIn(Schema):
    campaign: int
    sector: str
    members: list[int] = []
    nominations: list[int] = []


class PoolOut(Schema):
    id: int
    campaign: int
    sector: str
    members: list[int]
    candidates: list[int]


class VoteIn(Schema):
    voter: int
    choices: list[int] = []


class BallotIn(Schema):
    campaign: int
    sector: str
    discussion: str | None = None
    votes: list[VoteIn]
    seats: int = 1
    held_on: datetime.date | None = None


class TallyRow(Schema):
    nomination: int
    name: str
    votes: int
    rank: int
    proposed: bool
    tie_note: str


class BallotOut(Schema):
    id: int
    held_on: datetime.date
    tally: list[TallyRow]


class InspectionIn(Schema):
    date: datetime.date
    members: list[int]
    findings: str
    passed: bool


class InspectionOut(Schema):
    id: int
    nomination: int
    date: datetime.date
    passed: bool
    members: list[int]


class ApproveIn(Schema):
    approved_on: datetime.date | None = None
    studio_name: str = ""
    studio_address: str = ""


class StudioOut(Schema):
    id: int
    name: str
    address: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    is_open: bool


class ExpertOut(Schema):
    id: int
    person: int
    name: str
    sector: str
    sector_name: str
    talent_type: str
    approved_on: datetime.date
    term_start: datetime.date
    term_end: datetime.date
    status: str
    revoke_ground: str
    studio: StudioOut | None


class ArchiveEntry(Schema):
    kind: str
    date: datetime.date
    text: str


class ExpertDetailOut(ExpertOut):
    archive: list[ArchiveEntry]


class ExpertList(Schema):
    items: list[ExpertOut]
    count: int


class RevokeIn(Schema):
    ground: str
    approved_by: int
    reason: str = ""


class LogIn(Schema):
    date: datetime.date
    kind: str
    served_type: str
    served_name: str
    summary: str
    outcome: str = ""
    is_consultation: bool = True


class LogOut(Schema):
    id: int
    date: datetime.date
    kind: str
    served_type: str
    served: str
    summary: str


# --- shaping ---------------------------------------------------------------------------------


def notice_out(n: PublicNotice, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": n.pk,
        "nomination": n.nomination_id,
        "kind": n.kind,
        "start": n.start,
        "end": n.end,
        "running": n.running_on(today),
        "open_objections": sum(1 for o in n.objections.all() if o.status == Objection.Status.OPEN),
    }


def nomination_out(n: Nomination) -> dict:
    return {
        "id": n.pk,
        "campaign": n.campaign_id,
        "year": n.campaign.year,
        "sector": n.sector.code,
        "organisation": n.organisation.name,
        "nominee": n.nominee_id,
        "nominee_name": n.nominee.name,
        "talent_type": n.talent_type,
        "status": n.status,
        "status_label": n.get_status_display(),
        "eligible": n.eligible,
        "eligibility_basis": n.eligibility_basis,
        "age_at_deadline": n.age_at_deadline,
        "age_warning": n.age_at_deadline > 55,
        "age_approved": n.age_approved_by_id is not None,
        "deeds_chars": n.deeds_chars,
        "notices": [notice_out(x) for x in n.notices.all()],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "filename": a.filename,
                "size": a.size,
                "file_kind": a.file_kind,
            }
            for a in n.attachments.all()
        ],
    }


def campaign_out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "year": c.year,
        "sectors": sorted(s.code for s in c.sectors.all()),
        "nomination_deadline": c.nomination_deadline,
        "schedule": [{"stage": s.stage, "start": s.start, "end": s.end} for s in c.stages.all()],
    }


def studio_out(e: ChiefExpert) -> dict | None:
    studio = getattr(e, "studio", None)
    if studio is None:
        return None
    return {
        "id": studio.pk,
        "name": studio.name,
        "address": studio.address,
        "opened_on": studio.opened_on,
        "closed_on": studio.closed_on,
        "is_open": studio.is_open,
    }


def expert_out(e: ChiefExpert) -> dict:
    return {
        "id": e.pk,
        "person": e.person_id,
        "name": e.person.name,
        "sector": e.sector.code,
        "sector_name": e.sector.name,
        "talent_type": e.talent_type,
        "approved_on": e.approved_on,
        "term_start": e.approved_on,
        "term_end": e.term_end,
        "status": e.state_on(timezone.localdate()),
        "revoke_ground": e.revoke_ground,
        "studio": studio_out(e),
    }


def _campaign(pk: int) -> Campaign:
    c = Campaign.objects.filter(pk=pk).first()
    if c is None:
        raise RuleViolation("invalid", "未找到该选拔批次", field="campaign")
    return c


def _sector(code: str) -> Sector:
    s = Sector.objects.filter(code=code).first()
    if s is None:
        raise RuleViolation("invalid", f"未找到行业领域“{code}”", field="sector")
    return s


def _people(ids: list[int], field: str) -> list[Person]:
    found = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise RuleViolation("invalid", f"未找到人员（{missing[0]}）", field=field)
    return [found[i] for i in dict.fromkeys(ids)]


def _nomination(request, pk: int) -> Nomination:
    return selectors.nomination_for(request.user, pk)


def _reload(n: Nomination) -> dict:
    return nomination_out(selectors.nomination_detail(n))


# --- structure and campaigns -----------------------------------------------------------------


@router.post("/experts/sectors", response={201: SectorOut, **ERRORS}, summary="新增行业领域（E-3）")
def create_sector(request, payload: SectorIn):
    def produce():
        s = services.create_sector(by=request.user, code=payload.code, name=payload.name)
        return {"id": s.pk, "code": s.code, "name": s.name, "committee": s.committee.name}

    return idempotent(request, produce)


@router.get("/experts/sectors", response={200: SectorList, **ERRORS}, summary="行业领域")
def list_sectors(request):
    rows = [
        {
            "id": s.pk,
            "code": s.code,
            "name": s.name,
            "committee": getattr(getattr(s, "committee", None), "name", ""),
        }
        for s in selectors.sectors()
    ]
    return {"items": rows, "count": len(rows)}


@router.post(
    "/experts/campaigns", response={201: CampaignOut, **ERRORS}, summary="部署年度选拔（E-9.1）"
)
def create_campaign(request, payload: CampaignIn):
    def produce():
        sectors = [_sector(code) for code in payload.sectors]
        c = services.create_campaign(
            by=request.user,
            year=payload.year,
            sectors=sectors,
            nomination_deadline=payload.nomination_deadline,
            schedule=[s.dict() for s in payload.schedule],
        )
        return campaign_out(selectors.campaigns().get(pk=c.pk))

    return idempotent(request, produce)


@router.get(
    "/experts/campaigns",
    response={200: CampaignList, **ERRORS},
    summary="选拔批次与时间安排",
    auth=None,
)
def list_campaigns(request):
    rows = [campaign_out(c) for c in selectors.campaigns()]
    return {"items": rows, "count": len(rows)}


class CommitteeIn(Schema):
    members: list[int]


class CommitteeOut(Schema):
    sector: str
    name: str
    members: list[int]


class OrganisationIn(Schema):
    name: str
    kind: str
    department: str | None = None
    accounts: list[str] = []


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    department: str
    accounts: list[str]


class OrganisationList(Schema):
    items: list[OrganisationOut]
    count: int


def organisation_out(o: NominatingOrganisation) -> dict:
    return {
        "id": o.pk,
        "name": o.name,
        "kind": o.kind,
        "department": o.department.code,
        "accounts": sorted(u.username for u in o.accounts.all()),
    }


@router.post(
    "/experts/sectors/{code}/committee",
    response={200: CommitteeOut, **ERRORS},
    summary="设置行业主管部门工作委员会委员（E-4）",
)
def set_committee(request, code: str, payload: CommitteeIn):
    sector = _sector(code)
    committee = services.set_committee_members(
        by=request.user, sector=sector, members=_people(payload.members, "members")
    )
    return {
        "sector": sector.code,
        "name": committee.name,
        "members": sorted(committee.members.values_list("pk", flat=True)),
    }


@router.post(
    "/experts/organisations",
    response={201: OrganisationOut, **ERRORS},
    summary="新增推荐单位（E-7）",
)
def create_organisation(request, payload: OrganisationIn):
    from django.contrib.auth import get_user_model

    from zwfw.org.models import Department

    def produce():
        department = None
        if payload.department:
            department = Department.objects.filter(code=payload.department).first()
            if department is None:
                raise RuleViolation("invalid", "未找到该单位", field="department")
        users = list(get_user_model().objects.filter(username__in=payload.accounts))
        if len(users) != len(set(payload.accounts)):
            raise RuleViolation("invalid", "未找到部分账号", field="accounts")
        org = services.create_organisation(
            by=request.user,
            name=payload.name,
            kind=payload.kind,
            department=department,
            accounts=users,
        )
        return organisation_out(org)

    return idempotent(request, produce)


@router.get(
    "/experts/organisations", response={200: OrganisationList, **ERRORS}, summary="推荐单位"
)
def list_organisations(request):
    selectors.require_open(request.user)
    rows = NominatingOrganisation.objects.select_related("department").prefetch_related("accounts")
    return {"items": [organisation_out(o) for o in rows], "count": len(rows)}


# --- nominations -----------------------------------------------------------------------------


@router.post(
    "/experts/nominations",
    response={201: NominationOut, **ERRORS},
    summary="推荐申报（E-6、E-7、E-8）",
)
def create_nomination(request, payload: NominationIn):
    def produce():
        org = None
        if payload.organisation is not None:
            org = NominatingOrganisation.objects.filter(pk=payload.organisation).first()
            if org is None:
                raise RuleViolation("invalid", "未找到该推荐单位", field="organisation")
        n = services.nominate(
            by=request.user,
            campaign=_campaign(payload.campaign),
            sector=_sector(payload.sector),
            talent_type=payload.talent_type,
            nominee=payload.nominee.dict(),
            deeds=payload.deeds,
            attestations=payload.attestations.dict(),
            age_justification=payload.age_justification or "",
            organisation=org,
            form={
                k: getattr(payload, k)
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
        return _reload(n)

    return idempotent(request, produce)


@router.get(
    "/experts/nominations", response={200: NominationList, **ERRORS}, summary="推荐申报列表"
)
def list_nominations(
    request,
    campaign: int | None = None,
    status: str = "",
    sector: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    selectors.require_open(request.user)
    qs = selectors.nominations(
        request.user,
        campaign=_campaign(campaign) if campaign is not None else None,
        status=status,
        sector=_sector(sector) if sector else None,
    ).prefetch_related(selectors.notice_prefetch(), "attachments")
    items, count = paginate(qs, page, page_size)
    return {"items": [nomination_out(n) for n in items], "count": count}


@router.get(
    "/experts/nominations/{nomination_id}",
    response={200: NominationOut, **ERRORS},
    summary="推荐申报详情",
)
def get_nomination(request, nomination_id: int):
    return _reload(_nomination(request, nomination_id))


@router.post(
    "/experts/nominations/{nomination_id}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="上传证明材料（PDF/JPEG/PNG）",
)
def upload_attachment(
    request,
    nomination_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    kind: str = Form("other"),  # noqa: B008
):
    n = _nomination(request, nomination_id)
    a = services.add_attachment(by=request.user, nomination=n, upload=file, kind=kind)
    return 201, {
        "id": a.pk,
        "kind": a.kind,
        "filename": a.filename,
        "size": a.size,
        "file_kind": a.file_kind,
    }


@router.post(
    "/experts/nominations/{nomination_id}/notice",
    response={201: NoticeOut, **ERRORS},
    summary="推荐人选公示5个工作日（E-9.2）",
)
def publish_notice(request, nomination_id: int, payload: NoticeIn):
    n = _nomination(request, nomination_id)
    notice = services.publish_notice(
        by=request.user, nomination=n, start=payload.start, review_note=payload.review_note
    )
    return 201, notice_out(notice)


@router.post(
    "/experts/nominations/{nomination_id}/forward",
    response={200: NominationOut, **ERRORS},
    summary="公示无异议后报送（E-9.2）",
)
def forward(request, nomination_id: int):
    n = services.forward(by=request.user, nomination=_nomination(request, nomination_id))
    return _reload(n)


@router.post(
    "/experts/nominations/{nomination_id}/age-approval",
    response={200: NominationOut, **ERRORS},
    summary="超过55周岁推荐理由审批（E-6.6）",
)
def approve_age(request, nomination_id: int):
    n = services.approve_age(by=request.user, nomination=_nomination(request, nomination_id))
    return _reload(n)


@router.post(
    "/experts/nominations/{nomination_id}/cancel",
    response={200: NominationOut, **ERRORS},
    summary="材料弄虚作假取消申报资格（E-9.3）",
)
def cancel(request, nomination_id: int, payload: FindingIn):
    n = services.cancel_for_falsification(
        by=request.user, nomination=_nomination(request, nomination_id), finding=payload.finding
    )
    return _reload(n)


@router.post(
    "/experts/nominations/{nomination_id}/second-notice",
    response={201: NoticeOut, **ERRORS},
    summary="建议人选公示5个工作日（E-9.5）",
)
def second_notice(request, nomination_id: int, payload: NoticeIn):
    notice = services.publish_second_notice(
        by=request.user, nomination=_nomination(request, nomination_id), start=payload.start
    )
    return 201, notice_out(notice)


@router.post(
    "/experts/nominations/{nomination_id}/inspection",
    response={201: InspectionOut, **ERRORS},
    summary="实地考察（E-9.5）",
)
def inspection(request, nomination_id: int, payload: InspectionIn):
    i = services.record_inspection(
        by=request.user,
        nomination=_nomination(request, nomination_id),
        date=payload.date,
        members=_people(payload.members, "members"),
        findings=payload.findings,
        passed=payload.passed,
    )
    return 201, {
        "id": i.pk,
        "nomination": i.nomination_id,
        "date": i.date,
        "passed": i.passed,
        "members": sorted(m.pk for m in i.members.all()),
    }


@router.post(
    "/experts/nominations/{nomination_id}/approve",
    response={201: ExpertOut, **ERRORS},
    summary="研究审定、挂牌工作室（E-9.6）",
)
def approve(request, nomination_id: int, payload: ApproveIn):
    e = services.approve(
        by=request.user,
        nomination=_nomination(request, nomination_id),
        approved_on=payload.approved_on,
        studio_name=payload.studio_name,
        studio_address=payload.studio_address,
    )
    return 201, expert_out(selectors.expert_detail(e.pk))


# --- notices and objections (public) ---------------------------------------------------------


@router.get(
    "/experts/notices",
    response={200: list[NoticeOut], **PUBLIC_ERRORS},
    summary="正在公示的名单",
    auth=None,
)
def list_notices(request):
    return [notice_out(n) for n in selectors.open_notices().prefetch_related("objections")]


@router.post(
    "/experts/notices/{notice_id}/objections",
    response={201: ObjectionOut, **PUBLIC_ERRORS},
    summary="对公示提出异议（无需账号，联系方式可不填）",
    auth=None,
)
def lodge_objection(request, notice_id: int, payload: ObjectionIn):
    notice = PublicNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise NotFound("未找到该公示")
    o = services.lodge_objection(
        notice=notice, text=payload.text, contact=payload.contact or "", ip=request_ip(request)
    )
    return 201, {"id": o.pk, "notice": notice.pk, "status": o.status, "finding": o.finding}


@router.post(
    "/experts/objections/{objection_id}/decide",
    response={200: ObjectionOut, **ERRORS},
    summary="异议核查结论（成立/不成立）",
)
def decide_objection(request, objection_id: int, payload: DecideIn):
    o = Objection.objects.select_related("notice__nomination").filter(pk=objection_id).first()
    if o is None:
        raise NotFound("未找到该异议")
    selectors.nomination_for(request.user, o.notice.nomination_id)
    o = services.decide_objection(
        by=request.user, objection=o, upheld=payload.upheld, finding=payload.finding
    )
    return {"id": o.pk, "notice": o.notice_id, "status": o.status, "finding": o.finding}


# --- pool and ballot -------------------------------------------------------------------------


@router.post("/experts/pools", response={201: PoolOut, **ERRORS}, summary="组建专家库（E-9.3）")
def build_pool(request, payload: PoolIn):
    def produce():
        campaign, sector = _campaign(payload.campaign), _sector(payload.sector)
        noms = list(Nomination.objects.filter(pk__in=payload.nominations))
        if len(noms) != len(set(payload.nominations)):
            raise RuleViolation("invalid", "未找到部分推荐申报", field="nominations")
        pool = services.build_pool(
            by=request.user,
            campaign=campaign,
            sector=sector,
            members=_people(payload.members, "members"),
            nominations=noms,
        )
        return {
            "id": pool.pk,
            "campaign": campaign.pk,
            "sector": sector.code,
            "members": sorted(pool.members.values_list("pk", flat=True)),
            "candidates": sorted(
                selectors.pool_candidates(campaign, sector).values_list("pk", flat=True)
            ),
        }

    return idempotent(request, produce)


def ballot_out(ballot) -> dict:
    rows = ballot.results.select_related("nomination__nominee").order_by("rank")
    return {
        "id": ballot.pk,
        "held_on": ballot.held_on,
        "tally": [
            {
                "nomination": r.nomination_id,
                "name": r.nomination.nominee.name,
                "votes": r.votes,
                "rank": r.rank,
                "proposed": r.proposed,
                "tie_note": r.tie_note,
            }
            for r in rows
        ],
    }


@router.post("/experts/ballots", response={201: BallotOut, **ERRORS}, summary="记名投票（E-9.4）")
def hold_ballot(request, payload: BallotIn):
    def produce():
        ballot = services.hold_ballot(
            by=request.user,
            campaign=_campaign(payload.campaign),
            sector=_sector(payload.sector),
            votes=[v.dict() for v in payload.votes],
            discussion=payload.discussion or "",
            seats=payload.seats,
            held_on=payload.held_on,
        )
        return ballot_out(ballot)

    return idempotent(request, produce)


# --- experts ---------------------------------------------------------------------------------


@router.get("/experts", response={200: ExpertList, **ERRORS}, summary="首席专家名单")
def list_experts(
    request, sector: str | None = None, status: str = "", page: int = 1, page_size: int = 50
):
    if status and status not in ("active", "expired", "revoked"):
        raise RuleViolation("invalid", "status 须为 active、expired 或 revoked", field="status")
    qs = selectors.experts(sector=_sector(sector) if sector else None, status=status)
    items, count = paginate(qs, page, page_size)
    return {"items": [expert_out(e) for e in items], "count": count}


@router.get(
    "/experts/{int:expert_id}",
    response={200: ExpertDetailOut, **ERRORS},
    summary="首席专家详情（管理期、工作室、档案）",
)
def get_expert(request, expert_id: int):
    e = selectors.expert_detail(expert_id)
    out = expert_out(e)
    archive = []
    if selectors.may_open(request.user):
        archive += [
            {"kind": "evaluation", "date": x.date, "text": x.text} for x in e.evaluations.all()
        ]
        archive += [
            {"kind": f"change:{x.kind}", "date": x.date, "text": f"{x.description}（{x.effect}）"}
            for x in e.changes.all()
        ]
        archive += [
            {"kind": "agreement", "date": x.signed_on, "text": "协议已备案"}
            for x in e.agreements.all()
        ]
    if e.revoked_on:
        archive.append({"kind": "revoked", "date": e.revoked_on, "text": e.revoke_reason})
    out["archive"] = sorted(archive, key=lambda r: r["date"], reverse=True)
    return out


@router.post(
    "/experts/{int:expert_id}/revoke",
    response={200: ExpertOut, **ERRORS},
    summary="取消首席专家资格（E-12）",
)
def revoke(request, expert_id: int, payload: RevokeIn):
    e = selectors.expert_detail(expert_id)
    approver = Person.objects.select_related("user").filter(pk=payload.approved_by).first()
    if approver is None:
        raise RuleViolation("E-12", "未找到批准人", field="approved_by")
    services.revoke(
        by=request.user,
        expert=e,
        ground=payload.ground,
        approved_by=approver,
        reason=payload.reason,
    )
    return expert_out(selectors.expert_detail(expert_id))


@router.post(
    "/experts/{int:expert_id}/logs",
    response={201: LogOut, **ERRORS},
    summary="工作室工作记录（E-10）",
)
def add_log(request, expert_id: int, payload: LogIn):
    e = selectors.expert_detail(expert_id)
    studio = getattr(e, "studio", None)
    if studio is None:
        raise Forbidden("该首席专家没有工作室")
    log = services.log_work(by=request.user, studio=studio, **payload.dict())
    return 201, {
        "id": log.pk,
        "date": log.date,
        "kind": log.kind,
        "served_type": log.served_type,
        "served": log.masked_served,
        "summary": log.summary,
    }
