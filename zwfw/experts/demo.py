"""Demo of the chief experts (seed 000) in 青岚市 (every name invented).

- 16 sectors with committees; campaigns for the last five years (10 sectors each, rotating,
  so the coverage page shows three sectors still uncovered);
- accounts: `zhuanjia` (the office, from org's demo), `zj_weiyuan` (industry committee of
  three sectors), `zj_tuijian` (云溪县人民政府, a nominating organisation);
- this year's campaign with nominations in every state (nominated, on notice with and
  without an objection, forwarded, pooled, proposed, on second notice, inspected, approved,
  not selected, rejected, cancelled, over 55 awaiting approval);
- last year's experts with studios, work logs by kind, mentoring and an evaluation; one
  revoked title; one title expiring within 90 days.

Past states are written directly (their dates lie in the past, which the services' clocks
would refuse); `load()` is idempotent: a second run finds the first sector and stops.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.core.crypto import blind_index
from zwfw.core.permissions import Role
from zwfw.experts import rules
from zwfw.experts.models import (
    Ballot,
    BallotResult,
    BallotVote,
    Campaign,
    CampaignStage,
    ChiefExpert,
    ExpertEvaluation,
    ExpertPool,
    FieldInspection,
    IndustryCommittee,
    Mentoring,
    NominatingOrganisation,
    Nomination,
    Objection,
    PublicNotice,
    Sector,
    Studio,
    StudioEvaluation,
    StudioLog,
)
from zwfw.org.models import Department, Person, RoleAssignment

D = datetime.date
S = Nomination.Status

SECTORS = [
    "行政审批",
    "市场准入",
    "工程建设项目审批",
    "不动产登记",
    "社会保障",
    "医疗卫生",
    "交通运输",
    "生态环境",
    "知识产权",
    "农业农村",
    "文化旅游",
    "税务服务",
    "公安户政",
    "教育服务",
    "水利水务",
    "应急管理",
]
ORGS = [  # name, kind, department code, department name
    ("云溪县人民政府", "county", "QLZJ-YX", "云溪县人民政府"),
    ("青岚市市场监督管理局", "city_department", "QLSJ", None),
    ("青岚市注册会计师协会", "association", "QLZJ-KJXH", "青岚市注册会计师协会"),
    ("青岚大学", "university", "QLZJ-QLDX", "青岚大学"),
    ("青岚市规划设计研究院", "research", "QLZJ-GHY", "青岚市规划设计研究院"),
]
NAMES = [
    "岳明川",
    "卓雅琴",
    "甘立新",
    "柏书朗",
    "凌晓岚",
    "穆远山",
    "危春华",
    "车志鹏",
    "蓝若水",
    "麦清源",
    "冉向东",
    "籍文澜",
    "阮嘉禾",
    "桑德厚",
    "印心怡",
    "燕北辰",
    "晏知秋",
    "霍启明",
    "巫晴川",
    "牧云帆",
    "简一诺",
    "殷素秋",
    "邬海峰",
    "闵承志",
]
COMPANIES = [
    "青岚精工机械有限公司",
    "青岚绿源食品有限公司",
    "云溪新材料科技有限公司",
    "白石物流园开发有限公司",
    "青岚高新区智能制造产业园",
]
DEEDS = (
    "该同志长期扎根政务服务一线，熟悉行政审批、市场准入和工程建设项目审批等业务流程，"
    "坚持以高效办成一件事为牵引，主动靠前服务，为企业项目提供全周期、全方位、精准化政务服务。"
    "近年来牵头梳理事项办理指南，推动材料精简和流程再造，帮助多家企业解决手续办理中的堵点难点，"
    "在全市同行业中享有较高声誉。"
)


def _deeds(name: str) -> str:
    text = f"{name}同志事迹材料。" + DEEDS * 5
    return text


def _user(username: str, name: str, department: Department, role: str, birth: D, phone: str):
    from zwfw.org.demo import DEMO_PASSWORD

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Person.objects.create(
            name=name,
            gender="female",
            birth_date=birth,
            phone=phone,
            phone_index=blind_index(phone),
            department=department,
            position="工作人员",
            unit_start_date=D(2012, 3, 1),
            user=user,
        )
    RoleAssignment.objects.get_or_create(user=user, role=role, center=None, department=None)
    return user


def _department(code, name, parent_code="QLRS"):
    dept = Department.objects.filter(code=code).first()
    if dept is None:
        dept = Department.objects.create(code=code, name=name)
    return dept


def _person(name, department, birth, seq, service_start=None):
    phone = f"1376{seq:07d}"
    return Person.objects.create(
        name=name,
        gender="male" if seq % 2 else "female",
        birth_date=birth,
        phone=phone,
        phone_index=blind_index(phone),
        department=department,
        position="业务骨干",
        unit_start_date=D(2008, 9, 1),
        service_start_date=service_start,
    )


def _stages(campaign: Campaign) -> None:
    y = campaign.year
    rows = [
        ("deployment", D(y, 4, 8), D(y, 4, 30)),
        ("nomination", D(y, 5, 6), D(y, 6, 30)),
        ("notice", D(y, 7, 1), D(y, 7, 10)),
        ("ballot", D(y, 8, 18), D(y, 9, 12)),
        ("second_notice", D(y, 9, 15), D(y, 9, 30)),
        ("inspection", D(y, 10, 9), D(y, 10, 24)),
        ("approval", D(y, 10, 27), D(y, 11, 14)),
    ]
    CampaignStage.objects.bulk_create(
        CampaignStage(campaign=campaign, stage=s, start=a, end=b) for s, a, b in rows
    )


class _Builder:
    def __init__(self, today, office_user, office_person):
        self.today = today
        self.office = office_user
        self.office_person = office_person
        self.seq = 7000

    def clamp(self, day):
        return min(day, self.today)

    def nomination(
        self,
        campaign,
        sector,
        org,
        name,
        birth,
        *,
        status,
        talent="technical",
        justification="",
        approved_age=False,
    ):
        self.seq += 1
        person = _person(
            name,
            org.department,
            birth,
            self.seq,
            service_start=D(2014, 3, 1) if self.seq % 3 == 0 else None,
        )
        deadline = campaign.nomination_deadline
        field_start = D(2011, 7, 1)
        n = Nomination.objects.create(
            campaign=campaign,
            sector=sector,
            organisation=org,
            nominee=person,
            talent_type=talent,
            status=status,
            education="大学本科",
            professional_title="高级工程师" if self.seq % 2 else "经济师",
            qualifications="注册咨询工程师",
            achievements="牵头编制本领域政务服务事项办事指南",
            awards="青岚市优秀公务员",
            workplace=f"{org.department.name}政务服务窗口",
            deeds=_deeds(name),
            deeds_chars=rules.chinese_chars(_deeds(name)),
            field_start_date=field_start,
            eligible=True,
            eligibility_basis=f"从事相关专业领域工作{rules.full_years(field_start, deadline)}年（自{field_start:%Y-%m-%d}）",
            age_at_deadline=rules.full_years(birth, deadline),
            age_justification=justification,
            age_approved_by=self.office if approved_age else None,
            age_approved_at=timezone.now() if approved_age else None,
            attest_political=True,
            attest_ethics=True,
            attest_health=True,
            attest_integrity=True,
            review_note="经资格审查和政治审核，同意推荐",
        )
        return n

    def notice(self, n, kind, start):
        start = self.clamp(start)
        return PublicNotice.objects.create(
            nomination=n,
            kind=kind,
            start=start,
            end=rules.notice_end(start),
            places=f"{n.organisation.name}、政务服务网",
        )

    def inspection(self, n, day, members, passed=True):
        i = FieldInspection.objects.create(
            nomination=n,
            date=self.clamp(day),
            passed=passed,
            findings="实地查看工作场所，听取单位意见，业绩突出、群众认可"
            if passed
            else "考察发现履职情况与申报材料不符",
        )
        i.members.set(members)

    def expert(self, n, approved_on, studio_kind_seed=0):
        e = ChiefExpert.objects.create(
            nomination=n,
            person=n.nominee,
            sector=n.sector,
            talent_type=n.talent_type,
            approved_on=approved_on,
            approved_by=self.office,
            term_end=rules.term_end(approved_on),
        )
        studio = Studio.objects.create(
            expert=e,
            name=f"{n.sector.name}政务服务首席专家{n.nominee.name}工作室",
            address=n.workplace,
            opened_on=approved_on,
        )
        kinds = StudioLog.Kind.values
        for i in range(6):
            day = approved_on + datetime.timedelta(days=20 + 25 * i)
            if day > self.today:
                break
            person_served = i % 3 == 2
            StudioLog.objects.create(
                studio=studio,
                date=day,
                kind=kinds[(i + studio_kind_seed) % len(kinds)],
                is_consultation=i % 2 == 0,
                served_type="person" if person_served else "enterprise",
                served_name="郁海川" if person_served else COMPANIES[(i + studio_kind_seed) % 5],
                summary="就项目审批手续办理提供专业咨询，提出并联办理建议",
                outcome="企业按建议一次性备齐材料，办理时限压缩一半" if i % 2 else "",
            )
        Mentoring.objects.create(
            studio=studio,
            trainee=f"{NAMES[(studio_kind_seed + 5) % len(NAMES)]}",
            trainee_unit="青岚市行政审批服务局",
            start=approved_on + datetime.timedelta(days=30),
            outcome="已能独立办理复杂事项",
        )
        return e


def load() -> str:
    if Sector.objects.filter(code="QLZJ01").exists():
        return "experts: already loaded"
    office_user = get_user_model().objects.filter(username="zhuanjia").first()
    if office_user is None:
        return "skipped: the org demo (account zhuanjia) is not loaded"
    office_person = getattr(office_user, "person", None)
    today = timezone.localdate()
    y = today.year
    rs = Department.objects.filter(code="QLRS").first() or _department(
        "QLRS", "青岚市人力资源和社会保障局"
    )
    sectors = []
    for i, name in enumerate(SECTORS):
        s = Sector.objects.create(code=f"QLZJ{i + 1:02d}", name=name)
        IndustryCommittee.objects.create(sector=s, name=f"{name}政务服务首席专家工作委员会")
        sectors.append(s)
    committee_user = _user(
        "zj_weiyuan",
        "施景行",
        Department.objects.filter(code="QLSJ").first() or rs,
        Role.INDUSTRY_COMMITTEE,
        D(1976, 8, 8),
        "13760008801",
    )
    for s in sectors[2:5] + sectors[8:11]:
        s.committee.members.add(committee_user.person)
    orgs = []
    for name, kind, code, dept_name in ORGS:
        dept = Department.objects.filter(code=code).first() or _department(code, dept_name or name)
        orgs.append(NominatingOrganisation.objects.create(name=name, kind=kind, department=dept))
    org_user = _user(
        "zj_tuijian",
        "韦凌霜",
        orgs[0].department,
        Role.NOMINATING_ORG,
        D(1988, 2, 2),
        "13760008802",
    )
    orgs[0].accounts.add(org_user)
    b = _Builder(today, office_user, office_person)
    voters = [committee_user.person] + [
        _person(f"库员{name}", rs, D(1975 + i, 3, 1), 6900 + i) for i, name in enumerate("甲乙丙丁")
    ]

    campaigns = {}
    windows = {y - 4: (0, 10), y - 3: (0, 10), y - 2: (1, 11), y - 1: (2, 12), y: (3, 13)}
    for year, (a, z) in windows.items():
        c = Campaign.objects.create(
            year=year, nomination_deadline=D(year, 6, 30), created_by=office_user
        )
        c.sectors.set(sectors[a:z])
        _stages(c)
        campaigns[year] = c

    names = iter(NAMES)

    def approved(campaign, sector, org, birth, approved_on, seed):
        n = b.nomination(campaign, sector, org, next(names), birth, status=S.APPROVED)
        y0 = campaign.year
        b.notice(n, PublicNotice.Kind.NOMINATION, D(y0, 7, 1))
        b.notice(n, PublicNotice.Kind.PROPOSED, D(y0, 9, 15))
        b.inspection(n, D(y0, 10, 10), [committee_user.person])
        return b.expert(n, approved_on, seed)

    # Last year's experts, with studios and logs; one revoked; one evaluated.
    last = campaigns[y - 1]
    experts = [
        approved(
            last, sectors[2 + i], orgs[i % len(orgs)], D(1972 + 2 * i, 5, 1), D(y - 1, 10, 30), i
        )
        for i in range(4)
    ]
    revoked = experts[3]
    revoked.status = ChiefExpert.Status.REVOKED
    revoked.revoke_ground = ChiefExpert.Ground.VIOLATION
    revoked.revoke_reason = "管理期内受到党纪处分"
    revoked.revoke_approved_by = office_person
    revoked.revoked_on = b.clamp(D(y, 3, 16))
    revoked.save()
    Studio.objects.filter(expert=revoked).update(
        closed_on=revoked.revoked_on, closed_reason="取消首席专家资格：违法违纪或重大过失"
    )
    ExpertEvaluation.objects.create(
        expert=experts[0],
        date=b.clamp(D(y, 1, 15)),
        text="履职积极，服务企业成效明显",
        recorded_by=office_user,
    )
    StudioEvaluation.objects.create(
        studio=experts[0].studio,
        year=y - 1,
        grade="excellent",
        findings="工作室制度健全，传帮带成效突出",
        evaluated_by=office_user,
    )
    # A title expiring within 90 days (approved four years ago).
    approved_on = today + datetime.timedelta(days=60) - datetime.timedelta(days=4 * 365 + 1)
    old = campaigns.get(approved_on.year) or campaigns[y - 4]
    approved(old, sectors[1], orgs[1], D(1970, 1, 9), approved_on, 5)

    # This year's campaign: nominations in every state.
    c = campaigns[y]
    sec = sectors[3:13]
    org = orgs[0]
    b.nomination(c, sec[0], org, next(names), D(1983, 4, 4), status=S.NOMINATED)
    n = b.nomination(c, sec[0], org, next(names), D(1981, 6, 6), status=S.NOTICE)
    b.notice(n, PublicNotice.Kind.NOMINATION, today)
    n = b.nomination(c, sec[1], org, next(names), D(1979, 9, 9), status=S.NOTICE)
    notice = b.notice(n, PublicNotice.Kind.NOMINATION, today)
    Objection.objects.create(notice=notice, text="反映该同志获奖材料需核实", contact="")
    b.nomination(
        c,
        sec[1],
        orgs[1],
        next(names),
        D(1966, 2, 2),
        status=S.NOMINATED,
        justification="该同志为全市唯一的不动产登记高级专家，经验丰富",
    )
    n = b.nomination(c, sec[2], orgs[2], next(names), D(1985, 1, 1), status=S.FORWARDED)
    b.notice(n, PublicNotice.Kind.NOMINATION, D(y, 7, 1))
    n = b.nomination(c, sec[3], orgs[3], next(names), D(1977, 3, 3), status=S.REJECTED)
    notice = b.notice(n, PublicNotice.Kind.NOMINATION, D(y, 7, 1))
    Objection.objects.create(
        notice=notice,
        text="该同志事迹材料存在夸大",
        status="upheld",
        finding="经核实部分业绩不属实",
        decided_by=office_user,
        decided_at=timezone.now(),
    )
    n.status_reason = "公示异议成立：经核实部分业绩不属实"
    n.save(update_fields=["status_reason"])
    n = b.nomination(c, sec[3], orgs[4], next(names), D(1980, 8, 8), status=S.CANCELLED)
    n.cancel_finding = "职称证书系伪造"
    n.status_reason = "材料弄虚作假，取消申报资格"
    n.save(update_fields=["cancel_finding", "status_reason"])
    b.notice(n, PublicNotice.Kind.NOMINATION, D(y, 7, 1))
    # A sector with a held ballot: proposed / not selected / second notice / inspected.
    pool_noms = []
    for birth, status in (
        (D(1982, 5, 5), S.SECOND_NOTICE),
        (D(1974, 5, 5), S.NOT_SELECTED),
        (D(1984, 5, 5), S.POOLED),
    ):
        n = b.nomination(c, sec[0], orgs[0], next(names), birth, status=status)
        b.notice(n, PublicNotice.Kind.NOMINATION, D(y, 7, 1))
        pool_noms.append(n)
    pool_noms[2].sector = sec[4]
    pool_noms[2].save(update_fields=["sector"])
    pool = ExpertPool.objects.create(campaign=c, sector=sec[0])
    pool.members.set(voters)
    ballot = Ballot.objects.create(
        pool=pool,
        held_on=b.clamp(D(y, 8, 20)),
        discussion="逐一介绍候选人事迹，充分讨论后记名投票",
        recorded_by=office_user,
    )
    for i, voter in enumerate(voters):
        v = BallotVote.objects.create(ballot=ballot, voter=voter)
        v.choices.set([pool_noms[0] if i < 3 else pool_noms[1]])
    BallotResult.objects.create(
        ballot=ballot, nomination=pool_noms[0], votes=3, rank=1, proposed=True
    )
    BallotResult.objects.create(ballot=ballot, nomination=pool_noms[1], votes=2, rank=2)
    b.notice(pool_noms[0], PublicNotice.Kind.PROPOSED, today)
    pool2 = ExpertPool.objects.create(campaign=c, sector=sec[4])
    pool2.members.set(voters)
    for sector_i, (birth, status) in enumerate(
        ((D(1978, 7, 7), S.PROPOSED), (D(1976, 7, 7), S.INSPECTED), (D(1975, 7, 7), S.APPROVED))
    ):
        n = b.nomination(
            c, sec[5 + sector_i], orgs[sector_i + 1], next(names), birth, status=status
        )
        b.notice(n, PublicNotice.Kind.NOMINATION, D(y, 7, 1))
        if status != S.PROPOSED:
            b.notice(n, PublicNotice.Kind.PROPOSED, D(y, 9, 15))
            b.inspection(n, D(y, 10, 10), [committee_user.person])
        if status == S.APPROVED:
            b.expert(n, b.clamp(D(y, 10, 28)), 3)
    return (
        f"experts: {len(sectors)} sectors, {len(campaigns)} campaigns, "
        f"{Nomination.objects.count()} nominations, {ChiefExpert.objects.count()} chief experts"
    )
