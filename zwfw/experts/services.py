"""Chief experts (seed 000): one transaction per use case, each with its audit event.

Who acts:
- the office (市选拔管理工作办公室): holders of the expert_office role (the office is one
  city-wide body, so the role counts in any scope);
- a sector's industry committee: holders of industry_committee who are members of that
  sector's IndustryCommittee (RoleAssignment scopes only centers and departments, so the
  sector scope is our own membership table);
- a nominating organisation: holders of nominating_org who are accounts of the organisation.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.crypto import blind_index
from zwfw.core.errors import Conflict, Forbidden, NotFound, RuleViolation
from zwfw.core.permissions import Role, has_role, has_role_anywhere, require_role_anywhere
from zwfw.core.validators import clean_id_number, clean_name, clean_phone
from zwfw.documents import uploads
from zwfw.experts import rules
from zwfw.experts.models import (
    Agreement,
    Ballot,
    BallotResult,
    BallotVote,
    Campaign,
    CampaignStage,
    ChangeReport,
    ChiefExpert,
    ExpertEvaluation,
    ExpertPool,
    FieldInspection,
    IndustryCommittee,
    Mentoring,
    NominatingOrganisation,
    Nomination,
    NominationAttachment,
    Objection,
    PublicNotice,
    Sector,
    Studio,
    StudioEvaluation,
    StudioLog,
    TalentType,
)
from zwfw.org.models import Department, Person

S = Nomination.Status
ATTESTATIONS = {
    "political": ("attest_political", "政治素质（热爱祖国、遵纪守法）"),
    "ethics": ("attest_ethics", "职业道德和社会公德"),
    "health": ("attest_health", "身体健康、有足够时间和精力"),
    "integrity": ("attest_integrity", "廉洁自律、亲清政商关系"),
}


def _today() -> datetime.date:
    return timezone.localdate()


def _person(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


# --- who may act ---------------------------------------------------------------------------


def is_office(user) -> bool:
    return has_role_anywhere(user, Role.EXPERT_OFFICE)


def _require_office(user) -> None:
    require_role_anywhere(user, Role.EXPERT_OFFICE)


def is_committee_member(user, sector) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    person = _person(user)
    return (
        person is not None
        and has_role_anywhere(user, Role.INDUSTRY_COMMITTEE)
        and IndustryCommittee.objects.filter(sector=sector, members=person).exists()
    )


def _require_committee(user, sector, *, or_office: bool = False) -> None:
    if or_office and is_office(user):
        return
    require_role_anywhere(user, Role.INDUSTRY_COMMITTEE)
    if not is_committee_member(user, sector):
        raise Forbidden(f"仅{sector.name}行业主管部门工作委员会委员可以办理")


def orgs_of(user):
    if not has_role_anywhere(user, Role.NOMINATING_ORG):
        return NominatingOrganisation.objects.none()
    if getattr(user, "is_superuser", False):
        return NominatingOrganisation.objects.filter(active=True)
    return NominatingOrganisation.objects.filter(accounts=user, active=True)


def _require_org_account(user, organisation=None) -> NominatingOrganisation:
    """E-7: only a nominating organisation's account acts for it."""
    require_role_anywhere(user, Role.NOMINATING_ORG)
    orgs = list(orgs_of(user))
    if organisation is not None:
        if organisation not in orgs:
            raise Forbidden("您不是该推荐单位的账号", code="E-7")
        return organisation
    if not orgs:
        raise Forbidden(
            "您的账号未关联推荐单位（区县、市直部门、行业协会、高等院校或科研单位）", "E-7"
        )
    if len(orgs) > 1:
        raise RuleViolation("invalid", "您关联了多个推荐单位，请指定推荐单位", field="organisation")
    return orgs[0]


# --- structure (E-3, E-4) ------------------------------------------------------------------


@transaction.atomic
def create_sector(*, by, code: str, name: str) -> Sector:
    _require_office(by)
    code = (code or "").strip()
    name = clean_name(name, max_length=100)
    if not code or len(code) > 30:
        raise RuleViolation("invalid", "领域代码不能为空且不超过30个字符", field="code")
    if not name:
        raise RuleViolation("invalid", "行业领域名称不能为空", field="name")
    if Sector.objects.filter(code=code).exists():
        raise Conflict("conflict", f"领域代码“{code}”已存在")
    sector = Sector.objects.create(code=code, name=name)
    IndustryCommittee.objects.create(sector=sector, name=f"{name}政务服务首席专家工作委员会")
    audit.record(actor=by, action="experts.create_sector", obj=sector, after={"code": code})
    return sector


@transaction.atomic
def set_committee_members(*, by, sector: Sector, members: list[Person]) -> IndustryCommittee:
    _require_office(by)
    committee, _ = IndustryCommittee.objects.get_or_create(
        sector=sector, defaults={"name": f"{sector.name}政务服务首席专家工作委员会"}
    )
    committee.members.set(members)
    audit.record(
        actor=by,
        action="experts.committee_members",
        obj=committee,
        after={"members": [p.pk for p in members]},
    )
    return committee


@transaction.atomic
def create_organisation(
    *, by, name: str, kind: str, department: Department | None = None, accounts: list | None = None
) -> NominatingOrganisation:
    """E-7: a nominating organisation of one of the five kinds, with its accounts (users who
    hold the nominating_org role). A non-government organisation gets an org.Department of
    its own so that its nominees can be org.Person records of it."""
    _require_office(by)
    name = clean_name(name, max_length=100)
    if not name:
        raise RuleViolation("invalid", "推荐单位名称不能为空", field="name")
    if kind not in NominatingOrganisation.Kind.values:
        raise RuleViolation(
            "E-7", "推荐单位须为区县、市直部门、行业协会、高等院校或科研单位", field="kind"
        )
    if NominatingOrganisation.objects.filter(name=name).exists():
        raise Conflict("conflict", f"推荐单位“{name}”已存在")
    if department is None:
        code = f"NO-{blind_index(name)[:12]}"
        department = Department.objects.filter(code=code).first() or Department.objects.create(
            code=code, name=name
        )
    org = NominatingOrganisation.objects.create(name=name, kind=kind, department=department)
    accounts = accounts or []
    for user in accounts:
        if not has_role_anywhere(user, Role.NOMINATING_ORG):
            raise RuleViolation(
                "invalid", f"账号“{user.username}”未授予首席专家推荐单位角色", field="accounts"
            )
    org.accounts.set(accounts)
    audit.record(
        actor=by,
        action="experts.create_organisation",
        obj=org,
        after={"kind": kind, "department": department.code, "accounts": [u.pk for u in accounts]},
    )
    return org


# --- campaigns (E-9.1, E-11.1) -------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *, by, year: int, sectors: list[Sector], nomination_deadline: datetime.date, schedule: list
) -> Campaign:
    """E-9.1: one campaign a year, deployed in Q2 with a published schedule; E-11.1: at least
    10 sectors; E-9.4: the ballot stage lies in Q3."""
    _require_office(by)
    if not 2000 <= year <= 2100:
        raise RuleViolation("invalid", "年度不合理", field="year")
    sectors = list(dict.fromkeys(sectors))
    if len(sectors) < rules.MIN_SECTORS:
        raise RuleViolation(
            "E-11.1",
            f"每年须选取{rules.MIN_SECTORS}个以上行业领域（当前{len(sectors)}个）",
            "sectors",
        )
    if Campaign.objects.filter(year=year).exists():
        raise Conflict("E-9.1", f"{year}年度已部署选拔（每年选拔一次）")
    if nomination_deadline.year != year:
        raise RuleViolation("invalid", "申报截止日期须在选拔年度内", field="nomination_deadline")
    stages: dict[str, tuple] = {}
    for row in schedule:
        stage, start, end = row["stage"], row["start"], row["end"]
        if stage not in CampaignStage.Stage.values:
            raise RuleViolation("invalid", f"未知阶段：{stage}", field="schedule")
        if stage in stages:
            raise RuleViolation("invalid", f"阶段“{stage}”重复", field="schedule")
        if end < start:
            raise RuleViolation("invalid", "阶段结束日期不能早于开始日期", field="schedule")
        stages[stage] = (start, end)
    if "deployment" not in stages:
        raise RuleViolation("E-9.1", "时间安排须包含部署申报阶段", field="schedule")
    d_start, d_end = stages["deployment"]
    if d_start.year != year or rules.quarter(d_start) != 2:
        raise RuleViolation("E-9.1", "部署申报须在每年第二季度进行", field="schedule")
    if "ballot" in stages:
        b_start, b_end = stages["ballot"]
        if {b_start.year, b_end.year} != {year} or {
            rules.quarter(b_start),
            rules.quarter(b_end),
        } != {3}:
            raise RuleViolation("E-9.4", "集中推选须在每年第三季度进行", field="schedule")
    campaign = Campaign.objects.create(
        year=year, nomination_deadline=nomination_deadline, created_by=by
    )
    campaign.sectors.set(sectors)
    CampaignStage.objects.bulk_create(
        CampaignStage(campaign=campaign, stage=k, start=v[0], end=v[1]) for k, v in stages.items()
    )
    audit.record(
        actor=by,
        action="experts.create_campaign",
        obj=campaign,
        after={"year": year, "sectors": [s.code for s in sectors], "stages": list(stages)},
    )
    return campaign


# --- nominations (E-6, E-7, E-8) -----------------------------------------------------------


def _nominee(by, organisation, data: dict, today: datetime.date) -> Person:
    """The nominee's org.Person: an existing one found by ID number, else a new record of the
    organisation's department (or the given department)."""
    id_number = (data.get("id_number") or "").strip()
    if id_number:
        id_number = clean_id_number(id_number, field="nominee.id_number")
        existing = Person.objects.filter(id_number_index=blind_index(id_number)).first()
        if existing is not None:
            return existing
    name = clean_name(data.get("name") or "", field="nominee.name", max_length=50)
    if not name:
        raise RuleViolation("invalid", "被推荐人姓名不能为空", field="nominee.name")
    gender = data.get("gender")
    if gender not in Person.Gender.values:
        raise RuleViolation("invalid", "性别须为 male 或 female", field="nominee.gender")
    birth = data.get("birth_date")
    if birth is None or birth >= today or birth.year < 1900:
        raise RuleViolation("invalid", "出生日期不合理", field="nominee.birth_date")
    unit_start = data.get("unit_start_date")
    if unit_start is None or unit_start < birth or unit_start > today:
        raise RuleViolation("invalid", "进入本单位日期不合理", field="nominee.unit_start_date")
    service_start = data.get("service_start_date")
    if service_start and (service_start < birth or service_start > today):
        raise RuleViolation(
            "invalid", "从事政务服务工作日期不合理", field="nominee.service_start_date"
        )
    phone = clean_phone(data.get("phone") or "", field="nominee.phone")
    department = organisation.department
    if data.get("department"):
        department = Department.objects.filter(code=data["department"]).first()
        if department is None:
            raise RuleViolation(
                "invalid", f"未找到单位“{data['department']}”", "nominee.department"
            )
    me = _person(by)
    if me is not None and me.name == name and me.birth_date == birth:
        raise RuleViolation("E-7", "不受理个人申请：不能推荐本人", field="nominee")
    return Person.objects.create(
        name=name,
        gender=gender,
        birth_date=birth,
        phone=phone,
        phone_index=blind_index(phone),
        id_number=id_number,
        id_number_index=blind_index(id_number) if id_number else "",
        department=department,
        position=(data.get("position") or "")[:100],
        established=bool(data.get("established", True)),
        unit_start_date=unit_start,
        service_start_date=service_start,
    )


def eligibility(
    *,
    birth_date: datetime.date,
    deadline: datetime.date,
    field_start: datetime.date | None,
    service_start: datetime.date | None,
) -> dict:
    """E-6.2 / E-6.6 from recorded dates, at the campaign's nomination deadline."""
    field_years = rules.full_years(field_start, deadline) if field_start else None
    service_years = rules.full_years(service_start, deadline) if service_start else None
    basis = ""
    if field_years is not None and field_years >= rules.MIN_YEARS:
        basis = f"从事相关专业领域工作{field_years}年（自{field_start:%Y-%m-%d}）"
    elif service_years is not None and service_years >= rules.MIN_YEARS:
        basis = f"从事政务服务工作{service_years}年（自{service_start:%Y-%m-%d}）"
    age = rules.full_years(birth_date, deadline)
    return {
        "eligible": bool(basis),
        "basis": basis,
        "field_years": field_years,
        "service_years": service_years,
        "age": age,
        "over_age": age > rules.MAX_AGE,
    }


@transaction.atomic
def nominate(
    *,
    by,
    campaign: Campaign,
    sector: Sector,
    talent_type: str,
    nominee: dict,
    deeds: str,
    attestations: dict,
    age_justification: str = "",
    organisation: NominatingOrganisation | None = None,
    form: dict | None = None,
) -> Nomination:
    """An organisation nominates (E-7), with the form, deeds (E-8), attestations (E-6.1);
    eligibility from dates at the deadline (E-6.2); over 55 needs a justification (E-6.6)."""
    organisation = _require_org_account(by, organisation)
    today = _today()
    if today > campaign.nomination_deadline:
        raise RuleViolation(
            "deadline_passed", f"申报已于{campaign.nomination_deadline:%Y-%m-%d}截止", "campaign"
        )
    if not campaign.sectors.filter(pk=sector.pk).exists():
        raise RuleViolation("invalid", f"本年度选拔不含“{sector.name}”领域", field="sector")
    if talent_type not in TalentType.values:
        raise RuleViolation(
            "E-3", "人才类型须为技术技能型、知识技能型或复合技能型", field="talent_type"
        )
    person = _nominee(by, organisation, nominee, today)
    if by.is_authenticated and person.user_id == by.pk:
        raise RuleViolation("E-7", "不受理个人申请：不能推荐本人", field="nominee")
    chars = rules.chinese_chars(deeds)
    if chars < rules.MIN_DEEDS_CHARS:
        raise RuleViolation(
            "E-8", f"事迹材料不少于{rules.MIN_DEEDS_CHARS}字（当前{chars}字）", field="deeds"
        )
    missing = [label for key, (_, label) in ATTESTATIONS.items() if not attestations.get(key)]
    if missing:
        first = next(k for k in ATTESTATIONS if not attestations.get(k))
        raise RuleViolation(
            "E-6.1",
            f"推荐单位须确认全部基本条件，尚未确认：{'、'.join(missing)}",
            field=f"attestations.{first}",
        )
    field_start = nominee.get("field_start_date")
    service_start = nominee.get("service_work_start_date") or person.service_start_date
    for value, name in (
        (field_start, "field_start_date"),
        (service_start, "service_work_start_date"),
    ):
        if value and (value < person.birth_date or value > today):
            raise RuleViolation("invalid", "工作起始日期不合理", field=f"nominee.{name}")
    found = eligibility(
        birth_date=person.birth_date,
        deadline=campaign.nomination_deadline,
        field_start=field_start,
        service_start=service_start,
    )
    if not found["eligible"]:
        raise RuleViolation(
            "E-6.2",
            f"须从事相关专业领域工作5年以上或政务服务工作5年以上（截至"
            f"{campaign.nomination_deadline:%Y-%m-%d}）",
            field="nominee.field_start_date",
        )
    justification = (age_justification or "").strip()
    if found["over_age"] and not justification:
        raise RuleViolation(
            "E-6.6",
            f"被推荐人截至申报截止日{found['age']}周岁，超过55周岁：须填写推荐理由，并经市选拔管理工作办公室审批",
            field="age_justification",
        )
    if Nomination.objects.filter(campaign=campaign, nominee=person).exists():
        raise Conflict("conflict", "该人员已在本年度被推荐")
    form = form or {}
    nomination = Nomination.objects.create(
        campaign=campaign,
        sector=sector,
        organisation=organisation,
        nominee=person,
        talent_type=talent_type,
        education=(form.get("education") or "")[:100],
        professional_title=(form.get("professional_title") or "")[:100],
        qualifications=form.get("qualifications") or "",
        achievements=form.get("achievements") or "",
        awards=form.get("awards") or "",
        workplace=(form.get("workplace") or person.department.name)[:200],
        deeds=deeds,
        deeds_chars=chars,
        field_start_date=field_start,
        service_work_start_date=service_start,
        eligible=True,
        eligibility_basis=found["basis"],
        age_at_deadline=found["age"],
        age_justification=justification if found["over_age"] else "",
        attest_political=True,
        attest_ethics=True,
        attest_health=True,
        attest_integrity=True,
        attested_by=by,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="experts.nominate",
        obj=nomination,
        after={
            "campaign": campaign.year,
            "sector": sector.code,
            "organisation": organisation.name,
            "eligible_basis": found["basis"],
            "age_at_deadline": found["age"],
            "age_warning": found["over_age"],
            "age_justification": nomination.age_justification,
            "deeds_chars": chars,
        },
    )
    return nomination


@transaction.atomic
def approve_age(*, by, nomination: Nomination) -> Nomination:
    """E-6.6 (in principle): the office approves an over-55 nomination's justification."""
    _require_office(by)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.age_at_deadline <= rules.MAX_AGE:
        raise RuleViolation("invalid", "被推荐人未超过55周岁，无需审批", field="nomination")
    if nomination.age_approved_by_id:
        raise Conflict("conflict", "已审批")
    nomination.age_approved_by = by
    nomination.age_approved_at = timezone.now()
    nomination.save(update_fields=["age_approved_by", "age_approved_at"])
    audit.record(
        actor=by,
        action="experts.approve_age",
        obj=nomination,
        after={"age": nomination.age_at_deadline, "justification": nomination.age_justification},
    )
    return nomination


@transaction.atomic
def add_attachment(*, by, nomination: Nomination, upload, kind: str) -> NominationAttachment:
    """E-8: certificates as attachments (PDF/JPEG/PNG by content, size-limited, private)."""
    _require_org_account(by, nomination.organisation)
    if kind not in NominationAttachment.Kind.values:
        raise RuleViolation("invalid", "材料类别不正确", field="kind")
    if nomination.status not in (S.NOMINATED, S.NOTICE):
        raise Conflict("conflict", "推荐人选已报送，不能再补充材料")
    stored = uploads.store(upload, "experts")
    att = NominationAttachment.objects.create(
        nomination=nomination,
        kind=kind,
        filename=(getattr(upload, "name", "") or "附件")[-200:],
        stored_name=stored.name,
        file_kind=stored.kind,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=by,
    )
    audit.record(
        actor=by,
        action="experts.add_attachment",
        obj=nomination,
        after={"attachment": att.pk, "kind": kind, "sha256": stored.sha256},
    )
    return att


# --- notices and objections (E-9.2, E-9.5) -------------------------------------------------


def _clean_start(start: datetime.date | None) -> datetime.date:
    today = _today()
    start = start or today
    if start > today + datetime.timedelta(days=30) or start.year < 2000:
        raise RuleViolation("invalid", "公示开始日期不合理", field="start")
    return start


@transaction.atomic
def publish_notice(
    *, by, nomination: Nomination, start: datetime.date | None = None, review_note: str = ""
) -> PublicNotice:
    """E-9.2: after its qualification and political review the organisation publishes the
    nomination for 5 working days (end from the official calendar)."""
    _require_org_account(by, nomination.organisation)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != S.NOMINATED:
        raise Conflict("conflict", "该推荐人选已公示或已处理")
    start = _clean_start(start)
    notice = PublicNotice.objects.create(
        nomination=nomination,
        kind=PublicNotice.Kind.NOMINATION,
        start=start,
        end=rules.notice_end(start),
        places=f"{nomination.organisation.name}、政务服务网",
        published_by=by,
    )
    nomination.status = S.NOTICE
    nomination.review_note = (review_note or "经资格审查和政治审核，同意推荐").strip()
    nomination.reviewed_at = timezone.now()
    nomination.save(update_fields=["status", "review_note", "reviewed_at"])
    audit.record(
        actor=by,
        action="experts.publish_notice",
        obj=notice,
        after={"start": str(start), "end": str(notice.end), "review": nomination.review_note},
    )
    return notice


def lodge_objection(*, notice: PublicNotice, text: str, contact: str = "", ip: str | None = None):
    """E-9.2: anyone may object while the notice runs (no account; rate-limited by address;
    contact optional)."""
    from zwfw.core import ratelimit

    ratelimit.hit(f"experts-objection:{ip or '-'}", 5, 3600)
    text = (text or "").strip()
    if len(text) < 5:
        raise RuleViolation("invalid", "请填写异议内容（不少于5个字）", field="text")
    if len(text) > 2000:
        raise RuleViolation("invalid", "异议内容不超过2000字", field="text")
    contact = (contact or "").strip()
    if len(contact) > 100:
        raise RuleViolation("invalid", "联系方式不超过100个字符", field="contact")
    if not notice.running_on(_today()):
        raise RuleViolation("E-9.2", "不在公示期内，不能提出异议", field="notice")
    with transaction.atomic():
        objection = Objection.objects.create(notice=notice, text=text, contact=contact)
        audit.record(
            actor=None,
            action="experts.objection",
            obj=objection,
            object_repr=f"对{notice}的异议",
            after={"notice": notice.pk, "contact_given": bool(contact)},
        )
    return objection


@transaction.atomic
def decide_objection(*, by, objection: Objection, upheld: bool, finding: str) -> Objection:
    """An objection is investigated and upheld or dismissed with the finding. Upheld: the
    nomination does not go up (E-9.2 / E-9.5)."""
    nomination = objection.notice.nomination
    if objection.notice.kind == PublicNotice.Kind.NOMINATION and not is_office(by):
        _require_org_account(by, nomination.organisation)
    else:
        _require_office(by)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.OPEN:
        raise Conflict("conflict", "该异议已处理")
    finding = (finding or "").strip()
    if not finding:
        raise RuleViolation("invalid", "请填写核查结论", field="finding")
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.finding = finding
    objection.decided_by = by
    objection.decided_at = timezone.now()
    objection.save(update_fields=["status", "finding", "decided_by", "decided_at"])
    if upheld and nomination.status not in (S.APPROVED, S.CANCELLED):
        nomination.status = S.REJECTED
        nomination.status_reason = f"公示异议成立：{finding}"
        nomination.save(update_fields=["status", "status_reason"])
    audit.record(
        actor=by,
        action="experts.decide_objection",
        obj=objection,
        object_repr=f"对{objection.notice}的异议",
        after={"status": objection.status, "finding": finding},
    )
    return objection


def _notice_clear(nomination: Nomination, kind: str, rule: str) -> PublicNotice:
    """The notice of `kind` ran its 5 working days and no objection stands or was upheld."""
    notice = nomination.notices.filter(kind=kind).first()
    if notice is None:
        raise RuleViolation(rule, "尚未公示", field="notice")
    if _today() <= notice.end:
        raise RuleViolation(rule, f"公示期至{notice.end:%Y-%m-%d}，期满后方可办理", field="notice")
    states = set(notice.objections.values_list("status", flat=True))
    if Objection.Status.OPEN in states:
        raise RuleViolation(rule, "公示异议尚未核查处理", field="notice")
    if Objection.Status.UPHELD in states:
        raise RuleViolation(rule, "公示期间异议成立，不能上报", field="notice")
    return notice


@transaction.atomic
def forward(*, by, nomination: Nomination) -> Nomination:
    """E-9.2: only a nomination whose notice ended with no upheld objection goes up; E-6.6:
    an over-55 nomination needs the office's approval first."""
    _require_org_account(by, nomination.organisation)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != S.NOTICE:
        raise RuleViolation("E-9.2", "推荐人选须经公示后方可报送", field="status")
    _notice_clear(nomination, PublicNotice.Kind.NOMINATION, "E-9.2")
    if nomination.age_at_deadline > rules.MAX_AGE and not nomination.age_approved_by_id:
        raise RuleViolation(
            "E-6.6",
            "超过55周岁的推荐人选须经市选拔管理工作办公室审批同意",
            field="age_justification",
        )
    nomination.status = S.FORWARDED
    nomination.forwarded_at = timezone.now()
    nomination.save(update_fields=["status", "forwarded_at"])
    audit.record(actor=by, action="experts.forward", obj=nomination, after={"status": S.FORWARDED})
    return nomination


@transaction.atomic
def cancel_for_falsification(*, by, nomination: Nomination, finding: str) -> Nomination:
    """E-9.3: falsified materials cancel the nomination, with the finding recorded."""
    _require_office(by)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    finding = (finding or "").strip()
    if not finding:
        raise RuleViolation("invalid", "请填写弄虚作假的查实情况", field="finding")
    if nomination.status == S.APPROVED:
        raise RuleViolation("E-12", "已认定的首席专家，请按取消资格程序办理（E-12）", "nomination")
    if nomination.status in (S.CANCELLED, S.REJECTED):
        raise Conflict("conflict", "该推荐已终止")
    before = nomination.status
    nomination.status = S.CANCELLED
    nomination.cancel_finding = finding
    nomination.status_reason = "材料弄虚作假，取消申报资格"
    nomination.save(update_fields=["status", "cancel_finding", "status_reason"])
    audit.record(
        actor=by,
        action="experts.cancel_nomination",
        obj=nomination,
        before={"status": before},
        after={"status": S.CANCELLED, "finding": finding},
    )
    return nomination


# --- pool and ballot (E-9.3, E-9.4) --------------------------------------------------------


@transaction.atomic
def build_pool(
    *, by, campaign: Campaign, sector: Sector, members: list[Person], nominations: list
) -> ExpertPool:
    """E-9.3: the office builds the sector's pool from forwarded nominations and names the
    pool members who will vote."""
    _require_office(by)
    pool, _ = ExpertPool.objects.select_for_update().get_or_create(campaign=campaign, sector=sector)
    if Ballot.objects.filter(pool=pool).exists():
        raise Conflict("conflict", "该领域已完成推选，专家库不能再调整")
    for n in nominations:
        if n.campaign_id != campaign.pk or n.sector_id != sector.pk:
            raise RuleViolation("invalid", f"{n}不属于本年度该领域", field="nominations")
        if n.status not in (S.FORWARDED, S.POOLED):
            raise RuleViolation("E-9.3", f"{n}未经公示报送，不能入库", field="nominations")
    if members:
        pool.members.add(*members)
    ids = [n.pk for n in nominations]
    Nomination.objects.filter(pk__in=ids, status=S.FORWARDED).update(status=S.POOLED)
    audit.record(
        actor=by,
        action="experts.build_pool",
        obj=pool,
        object_repr=f"{campaign.year}年{sector.name}专家库",
        after={"members": [p.pk for p in members], "nominations": ids},
    )
    return pool


@transaction.atomic
def hold_ballot(
    *,
    by,
    campaign: Campaign,
    sector: Sector,
    votes: list[dict],
    discussion: str = "",
    seats: int = 1,
    held_on: datetime.date | None = None,
) -> Ballot:
    """E-9.4: in Q3 the pool members vote by named ballot after discussion; the tally ranks
    by votes, at equal votes the candidate under 50 first (E-6.6), then the earlier
    nomination. Candidates ranked within `seats` with at least one vote are proposed."""
    _require_committee(by, sector, or_office=True)
    pool = ExpertPool.objects.select_for_update().filter(campaign=campaign, sector=sector).first()
    if pool is None:
        raise RuleViolation("E-9.3", "该领域尚未组建专家库", field="sector")
    if Ballot.objects.filter(pool=pool).exists():
        raise Conflict("conflict", "该领域本年度已记名投票")
    today = _today()
    held_on = held_on or today
    if held_on > today:
        raise RuleViolation("invalid", "推选日期不能晚于今天", field="held_on")
    if held_on.year != campaign.year or rules.quarter(held_on) != 3:
        raise RuleViolation("E-9.4", "集中推选须在选拔年度第三季度进行", field="held_on")
    if not 1 <= seats <= 10:
        raise RuleViolation("invalid", "建议人选名额须为1至10", field="seats")
    candidates = {
        n.pk: n
        for n in Nomination.objects.filter(
            campaign=campaign, sector=sector, status=S.POOLED
        ).select_related("nominee")
    }
    if not candidates:
        raise RuleViolation("E-9.3", "专家库中没有候选人", field="sector")
    member_ids = set(pool.members.values_list("pk", flat=True))
    if not votes:
        raise RuleViolation("E-9.4", "请录入记名投票", field="votes")
    seen: set[int] = set()
    for v in votes:
        voter = v["voter"]
        if voter not in member_ids:
            raise RuleViolation("E-9.4", f"投票人（{voter}）不是本领域专家库成员", field="votes")
        if voter in seen:
            raise RuleViolation("E-9.4", "同一成员只能投一票", field="votes")
        seen.add(voter)
        choices = list(v.get("choices") or [])
        if len(set(choices)) != len(choices):
            raise RuleViolation("invalid", "同一张选票不能重复选择同一人", field="votes")
        if len(choices) > seats:
            raise RuleViolation("E-9.4", f"每票最多选择{seats}人", field="votes")
        for c in choices:
            if c not in candidates:
                raise RuleViolation("E-9.4", f"推荐人选（{c}）不是本领域候选人", field="votes")
    ballot = Ballot.objects.create(
        pool=pool,
        held_on=held_on,
        discussion=(discussion or "").strip(),
        seats=seats,
        recorded_by=by,
    )
    counts = dict.fromkeys(candidates, 0)
    for v in votes:
        vote = BallotVote.objects.create(ballot=ballot, voter_id=v["voter"])
        vote.choices.set([candidates[c] for c in v.get("choices") or []])
        for c in v.get("choices") or []:
            counts[c] += 1
    ranked = rules.ballot_order(
        [
            {"id": n.pk, "votes": counts[n.pk], "under_50": n.under_50, "created_at": n.created_at}
            for n in candidates.values()
        ]
    )
    for row in ranked:
        proposed = row["rank"] <= seats and row["votes"] > 0
        BallotResult.objects.create(
            ballot=ballot,
            nomination_id=row["id"],
            votes=row["votes"],
            rank=row["rank"],
            proposed=proposed,
            tie_note=row["tie_note"],
        )
        Nomination.objects.filter(pk=row["id"]).update(
            status=S.PROPOSED if proposed else S.NOT_SELECTED
        )
    audit.record(
        actor=by,
        action="experts.ballot",
        obj=ballot,
        object_repr=f"{campaign.year}年{sector.name}记名投票",
        after={"tally": [(r["id"], r["votes"], r["rank"]) for r in ranked], "voters": len(votes)},
    )
    return ballot


# --- second notice, inspection, approval (E-9.5, E-9.6) ------------------------------------


@transaction.atomic
def publish_second_notice(
    *, by, nomination: Nomination, start: datetime.date | None = None
) -> PublicNotice:
    """E-9.5: the proposed candidate is noticed for 5 working days on the website and at the
    nominating unit."""
    _require_office(by)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != S.PROPOSED:
        raise RuleViolation("E-9.5", "仅建议人选可进行第二次公示", field="status")
    start = _clean_start(start)
    notice = PublicNotice.objects.create(
        nomination=nomination,
        kind=PublicNotice.Kind.PROPOSED,
        start=start,
        end=rules.notice_end(start),
        places=f"政务服务网、{nomination.organisation.name}",
        published_by=by,
    )
    nomination.status = S.SECOND_NOTICE
    nomination.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="experts.publish_second_notice",
        obj=notice,
        after={"start": str(start), "end": str(notice.end)},
    )
    return notice


@transaction.atomic
def record_inspection(
    *,
    by,
    nomination: Nomination,
    date: datetime.date,
    members: list[Person],
    findings: str,
    passed: bool,
) -> FieldInspection:
    """E-9.5: after the second notice the sector's committee inspects on site."""
    _require_committee(by, nomination.sector)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != S.SECOND_NOTICE:
        raise RuleViolation("E-9.5", "建议人选公示后方可实地考察", field="status")
    notice = _notice_clear(nomination, PublicNotice.Kind.PROPOSED, "E-9.5")
    if date <= notice.end or date > _today():
        raise RuleViolation("E-9.5", "考察日期须在公示期满后、且不晚于今天", field="date")
    findings = (findings or "").strip()
    if not findings:
        raise RuleViolation("invalid", "请填写考察情况", field="findings")
    if not members:
        raise RuleViolation("invalid", "请填写考察组成员", field="members")
    committee_ids = set(
        IndustryCommittee.objects.filter(sector=nomination.sector).values_list("members", flat=True)
    )
    for m in members:
        if m.pk not in committee_ids:
            raise RuleViolation("E-9.5", f"{m.name}不是本行业工作委员会委员", field="members")
    inspection = FieldInspection.objects.create(
        nomination=nomination, date=date, findings=findings, passed=passed, recorded_by=by
    )
    inspection.members.set(members)
    nomination.status = S.INSPECTED if passed else S.REJECTED
    if not passed:
        nomination.status_reason = f"实地考察未通过：{findings}"
    nomination.save(update_fields=["status", "status_reason"])
    audit.record(
        actor=by,
        action="experts.inspection",
        obj=inspection,
        object_repr=f"实地考察：{nomination}",
        after={"passed": passed, "date": str(date), "members": [m.pk for m in members]},
    )
    return inspection


@transaction.atomic
def approve(
    *,
    by,
    nomination: Nomination,
    approved_on: datetime.date | None = None,
    studio_name: str = "",
    studio_address: str = "",
) -> ChiefExpert:
    """E-9.6: with both notices clean and the inspection passed the office approves; the
    title runs 4 years from approval (E-11.1) and a studio opens at the workplace."""
    _require_office(by)
    nomination = (
        Nomination.objects.select_for_update().select_related("nominee").get(pk=nomination.pk)
    )
    if nomination.status != S.INSPECTED:
        raise RuleViolation("E-9.6", "须经建议人选公示且实地考察通过后方可审定", field="status")
    _notice_clear(nomination, PublicNotice.Kind.NOMINATION, "E-9.6")
    _notice_clear(nomination, PublicNotice.Kind.PROPOSED, "E-9.6")
    inspection = FieldInspection.objects.filter(nomination=nomination, passed=True).first()
    if inspection is None:
        raise RuleViolation("E-9.6", "实地考察未通过", field="status")
    today = _today()
    approved_on = approved_on or today
    if approved_on > today or approved_on < inspection.date:
        raise RuleViolation("invalid", "认定日期须在考察之后、且不晚于今天", field="approved_on")
    person = nomination.nominee
    expert = ChiefExpert.objects.create(
        nomination=nomination,
        person=person,
        sector=nomination.sector,
        talent_type=nomination.talent_type,
        approved_on=approved_on,
        approved_by=by,
        term_end=rules.term_end(approved_on),
    )
    Studio.objects.create(
        expert=expert,
        name=(studio_name or f"{nomination.sector.name}政务服务首席专家{person.name}工作室")[:120],
        address=(studio_address or nomination.workplace or person.department.name)[:200],
        opened_on=approved_on,
    )
    nomination.status = S.APPROVED
    nomination.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="experts.approve",
        obj=expert,
        after={"approved_on": str(approved_on), "term_end": str(expert.term_end)},
    )
    return expert


# --- management (E-10, E-11, E-12) ---------------------------------------------------------


@transaction.atomic
def revoke(
    *, by, expert: ChiefExpert, ground: str, approved_by: Person | None, reason: str = ""
) -> ChiefExpert:
    """E-12: revoke for one of four grounds with the office's approval; the studio closes."""
    _require_committee(by, expert.sector, or_office=True)
    if ground not in ChiefExpert.Ground.values:
        raise RuleViolation(
            "E-12",
            "取消资格须为以下情形之一：违法违纪或重大过失、拒不履职、弄虚作假、其他",
            "ground",
        )
    reason = (reason or "").strip()
    if ground == ChiefExpert.Ground.OTHER and not reason:
        raise RuleViolation("E-12", "“其他”情形须写明事由", field="reason")
    if (
        approved_by is None
        or approved_by.user is None
        or not has_role_anywhere(approved_by.user, Role.EXPERT_OFFICE)
    ):
        raise RuleViolation("E-12", "取消资格须经市选拔管理工作办公室批准", field="approved_by")
    expert = ChiefExpert.objects.select_for_update().get(pk=expert.pk)
    if expert.status == ChiefExpert.Status.REVOKED:
        raise Conflict("conflict", "该首席专家资格已取消")
    today = _today()
    expert.status = ChiefExpert.Status.REVOKED
    expert.revoke_ground = ground
    expert.revoke_reason = reason or ChiefExpert.Ground(ground).label
    expert.revoke_approved_by = approved_by
    expert.revoked_on = today
    expert.save()
    studio = Studio.objects.filter(expert=expert, closed_on__isnull=True).first()
    if studio is not None:
        studio.closed_on = today
        studio.closed_reason = f"取消首席专家资格：{ChiefExpert.Ground(ground).label}"
        studio.save(update_fields=["closed_on", "closed_reason"])
    audit.record(
        actor=by,
        action="experts.revoke",
        obj=expert,
        after={"ground": ground, "reason": expert.revoke_reason, "approved_by": approved_by.pk},
    )
    return expert


def _may_work_studio(user, studio: Studio) -> bool:
    person = _person(user)
    return (
        (person is not None and studio.expert.person_id == person.pk)
        or is_office(user)
        or is_committee_member(user, studio.expert.sector)
    )


def _open_studio(by, studio: Studio) -> None:
    if not _may_work_studio(by, studio):
        raise Forbidden("仅首席专家本人、行业工作委员会或市选拔管理工作办公室可以登记")
    if not studio.is_open:
        raise Conflict("conflict", "工作室已摘牌")


@transaction.atomic
def log_work(
    *,
    by,
    studio: Studio,
    date: datetime.date,
    kind: str,
    served_type: str,
    served_name: str,
    summary: str,
    outcome: str = "",
    is_consultation: bool = True,
) -> StudioLog:
    """E-10: consultations and problems solved, by kind, with whom they served."""
    _open_studio(by, studio)
    if kind not in StudioLog.Kind.values:
        raise RuleViolation(
            "E-10", "类别须为手续办理、政策落实、资金、土地、技术、人才、配套或知识产权", "kind"
        )
    if served_type not in StudioLog.Served.values:
        raise RuleViolation("invalid", "服务对象类型须为企业或个人", field="served_type")
    served_name = clean_name(served_name, max_length=100)
    if not served_name:
        raise RuleViolation("invalid", "请填写服务对象", field="served_name")
    if not (summary or "").strip():
        raise RuleViolation("invalid", "请填写事项及办法", field="summary")
    if date > _today() or date < studio.opened_on:
        raise RuleViolation("invalid", "日期须在挂牌之后、且不晚于今天", field="date")
    log = StudioLog.objects.create(
        studio=studio,
        date=date,
        kind=kind,
        is_consultation=is_consultation,
        served_type=served_type,
        served_name=served_name,
        summary=summary.strip(),
        outcome=(outcome or "").strip(),
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="experts.studio_log",
        obj=log,
        object_repr=f"{studio}工作记录",
        after={"kind": kind, "date": str(date)},
    )
    return log


@transaction.atomic
def add_mentoring(
    *,
    by,
    studio: Studio,
    trainee: str,
    trainee_unit: str,
    start: datetime.date,
    end: datetime.date | None = None,
    outcome: str = "",
) -> Mentoring:
    """E-10: 传帮带 — a trainee mentored by the studio, with the period and the outcome."""
    _open_studio(by, studio)
    trainee = clean_name(trainee, max_length=50)
    if not trainee:
        raise RuleViolation("invalid", "请填写学员姓名", field="trainee")
    if end is not None and end < start:
        raise RuleViolation("invalid", "结束日期不能早于开始日期", field="end")
    m = Mentoring.objects.create(
        studio=studio,
        trainee=trainee,
        trainee_unit=(trainee_unit or "")[:100],
        start=start,
        end=end,
        outcome=(outcome or "").strip(),
    )
    audit.record(
        actor=by,
        action="experts.mentoring",
        obj=m,
        object_repr=f"{studio}传帮带",
        after={"trainee": trainee},
    )
    return m


@transaction.atomic
def add_evaluation(*, by, expert: ChiefExpert, date: datetime.date, text: str) -> ExpertEvaluation:
    """E-11.2: a tracking evaluation in the expert's archive."""
    _require_office(by)
    if not (text or "").strip():
        raise RuleViolation("invalid", "请填写跟踪评估情况", field="text")
    ev = ExpertEvaluation.objects.create(
        expert=expert, date=date, text=text.strip(), recorded_by=by
    )
    audit.record(actor=by, action="experts.evaluation", obj=expert, after={"date": str(date)})
    return ev


CHANGE_EFFECTS = {
    "job_change": "工作变动：工作室工作地点随之核定，资格继续有效",
    "discipline": "受到处分：提请市选拔管理工作办公室研究是否取消资格（E-12）",
    "retirement": "退休：管理期终止，工作室摘牌",
    "leaving": "离岗：管理期终止，工作室摘牌",
    "death": "死亡：管理期终止，工作室摘牌",
}


def may_report_change(user, expert: ChiefExpert) -> bool:
    return (
        is_office(user)
        or expert.nomination.organisation.accounts.filter(pk=getattr(user, "pk", None)).exists()
        or has_role(user, Role.DEPARTMENT_ADMIN, department=expert.person.department)
    )


@transaction.atomic
def report_change(
    *, by, expert: ChiefExpert, kind: str, date: datetime.date, description: str
) -> ChangeReport:
    """E-11.2: the employer reports a change during the term; each kind has its effect."""
    if not may_report_change(by, expert):
        raise Forbidden("仅所在单位或市选拔管理工作办公室可以报告")
    if kind not in ChangeReport.Kind.values:
        raise RuleViolation("E-11.2", "情形须为工作变动、受到处分、退休、离岗或死亡", field="kind")
    if date > _today():
        raise RuleViolation("invalid", "发生日期不能晚于今天", field="date")
    if not (description or "").strip():
        raise RuleViolation("invalid", "请填写情况说明", field="description")
    expert = ChiefExpert.objects.select_for_update().get(pk=expert.pk)
    report = ChangeReport.objects.create(
        expert=expert,
        kind=kind,
        date=date,
        description=description.strip(),
        effect=CHANGE_EFFECTS[kind],
        reported_by=by,
    )
    if kind in ("retirement", "leaving", "death"):
        if date < expert.term_end:
            expert.term_end = max(date, expert.approved_on)
            expert.save(update_fields=["term_end"])
        studio = Studio.objects.filter(expert=expert, closed_on__isnull=True).first()
        if studio is not None:
            studio.closed_on = max(date, studio.opened_on)
            studio.closed_reason = ChangeReport.Kind(kind).label
            studio.save(update_fields=["closed_on", "closed_reason"])
    audit.record(
        actor=by,
        action="experts.change_report",
        obj=expert,
        after={"kind": kind, "date": str(date), "effect": report.effect},
    )
    return report


@transaction.atomic
def file_agreement(*, by, expert: ChiefExpert, signed_on: datetime.date, upload) -> Agreement:
    """E-11.3: the committee files its agreement with the expert with the office."""
    _require_committee(by, expert.sector, or_office=True)
    if signed_on > _today() or signed_on < expert.approved_on - datetime.timedelta(days=60):
        raise RuleViolation("invalid", "签订日期不合理", field="signed_on")
    stored = uploads.store(upload, "experts-agreements", kinds=("pdf",))
    agreement = Agreement.objects.create(
        expert=expert,
        signed_on=signed_on,
        filename=(upload.name or "协议.pdf")[-200:],
        stored_name=stored.name,
        file_kind=stored.kind,
        size=stored.size,
        sha256=stored.sha256,
        filed_by=by,
    )
    audit.record(
        actor=by,
        action="experts.agreement",
        obj=expert,
        after={"signed_on": str(signed_on), "sha256": stored.sha256},
    )
    return agreement


@transaction.atomic
def evaluate_studio(
    *, by, studio: Studio, year: int, grade: str, findings: str
) -> StudioEvaluation:
    """E-11.4: the office (with the committee) evaluates a studio for a year."""
    _require_office(by)
    if grade not in StudioEvaluation.Grade.values:
        raise RuleViolation("invalid", "评估等次不正确", field="grade")
    if not (findings or "").strip():
        raise RuleViolation("invalid", "请填写评估意见", field="findings")
    if year < studio.opened_on.year or year > _today().year:
        raise RuleViolation("invalid", "评估年度不合理", field="year")
    try:
        with transaction.atomic():
            ev = StudioEvaluation.objects.create(
                studio=studio, year=year, grade=grade, findings=findings.strip(), evaluated_by=by
            )
    except IntegrityError:
        raise Conflict("conflict", f"{year}年度已评估") from None
    audit.record(
        actor=by,
        action="experts.studio_evaluation",
        obj=studio,
        after={"year": year, "grade": grade},
    )
    return ev


def get_or_404(model, **kw):
    obj = model.objects.filter(**kw).first()
    if obj is None:
        raise NotFound()
    return obj
