"""Chief experts (政务服务首席专家, seed 000). Fields and one-row invariants only; the rules
(E-3 … E-12) live in services.py.

- Sector / IndustryCommittee: the sectors (行业领域) and each sector's committee (E-3, E-4);
  the office (市选拔管理工作办公室) is whoever holds the expert_office role.
- NominatingOrganisation: 区县/市直部门/行业协会/高等院校/科研单位 with its accounts (E-7).
- Campaign + CampaignStage: the yearly selection with its published schedule (E-9.1).
- Nomination (+ NominationAttachment): the application (申报表), deeds, attestations (E-6, E-8).
- PublicNotice / Objection: the two 5-working-day notices and objections to them (E-9.2, E-9.5).
- ExpertPool / Ballot / BallotVote / BallotResult: the sector pool and its named ballot (E-9.3/4).
- FieldInspection: the committee's on-site inspection (E-9.5).
- ChiefExpert / Studio / StudioLog / Mentoring: the title, its studio and its work (E-9.6, E-10).
- ExpertEvaluation / ChangeReport / Agreement / StudioEvaluation: management (E-11, E-12).
"""

import datetime

from django.conf import settings
from django.db import models

from zwfw.core.fields import EncryptedTextField


class TalentType(models.TextChoices):
    TECHNICAL = "technical", "技术技能型"
    KNOWLEDGE = "knowledge", "知识技能型"
    COMPOSITE = "composite", "复合技能型"


class Sector(models.Model):
    code = models.CharField("领域代码", max_length=30, unique=True)
    name = models.CharField("行业领域", max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "行业领域"
        ordering = ["code"]

    def __str__(self):
        return self.name


class IndustryCommittee(models.Model):
    """E-4: the sector's 行业主管部门工作委员会; its members act for the sector."""

    sector = models.OneToOneField(
        Sector, on_delete=models.PROTECT, related_name="committee", verbose_name="行业领域"
    )
    name = models.CharField("名称", max_length=100)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="行业主管部门",
    )
    members = models.ManyToManyField("org.Person", related_name="expert_committees", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行业主管部门工作委员会"
        ordering = ["sector"]

    def __str__(self):
        return self.name


class NominatingOrganisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "区县"
        CITY_DEPARTMENT = "city_department", "市直部门"
        ASSOCIATION = "association", "行业协会"
        UNIVERSITY = "university", "高等院校"
        RESEARCH = "research", "科研单位"

    name = models.CharField("推荐单位", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=20, choices=Kind.choices)
    # The org.Department standing for this organisation: nominees of a non-government
    # organisation are org.Person records of it (Person.department is required).
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="对应单位"
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="nominating_orgs", blank=True
    )
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "推荐单位"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    """E-9.1: one campaign a year with a published schedule."""

    year = models.PositiveIntegerField("年度", unique=True)
    sectors = models.ManyToManyField(Sector, related_name="campaigns", verbose_name="行业领域")
    nomination_deadline = models.DateField("申报截止日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "选拔批次"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度政务服务首席专家选拔"


class CampaignStage(models.Model):
    class Stage(models.TextChoices):
        DEPLOYMENT = "deployment", "部署申报"
        NOMINATION = "nomination", "组织推荐"
        NOTICE = "notice", "推荐人选公示"
        BALLOT = "ballot", "集中推选"
        SECOND_NOTICE = "second_notice", "建议人选公示"
        INSPECTION = "inspection", "实地考察"
        APPROVAL = "approval", "研究审定、挂牌运行"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    start = models.DateField("开始")
    end = models.DateField("结束")

    class Meta:
        verbose_name = verbose_name_plural = "时间安排"
        ordering = ["campaign", "start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "stage"], name="experts_stage_once"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="experts_stage_range"
            ),
        ]

    def __str__(self):
        return f"{self.campaign.year}年 {self.get_stage_display()}"


class Nomination(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "已推荐（待公示）"
        NOTICE = "notice", "推荐公示"
        FORWARDED = "forwarded", "已报送"
        POOLED = "pooled", "已入库"
        PROPOSED = "proposed", "建议人选"
        SECOND_NOTICE = "second_notice", "建议人选公示"
        INSPECTED = "inspected", "考察通过"
        APPROVED = "approved", "已认定"
        NOT_SELECTED = "not_selected", "未当选"
        REJECTED = "rejected", "未通过"
        CANCELLED = "cancelled", "取消申报资格"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="nominations")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="nominations")
    organisation = models.ForeignKey(
        NominatingOrganisation, on_delete=models.PROTECT, related_name="nominations"
    )
    nominee = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="expert_nominations"
    )
    talent_type = models.CharField("人才类型", max_length=20, choices=TalentType.choices)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    # 申报表 fields beyond the person's own record
    education = models.CharField("学历学位", max_length=100, blank=True)
    professional_title = models.CharField("专业技术职称", max_length=100, blank=True)
    qualifications = models.TextField("职业资格", blank=True)
    achievements = models.TextField("主要技术成果", blank=True)
    awards = models.TextField("获奖情况", blank=True)
    workplace = models.CharField("工作地点", max_length=200, blank=True)
    deeds = models.TextField("事迹材料")
    deeds_chars = models.PositiveIntegerField("事迹字数", default=0)
    # E-6.2, computed from recorded dates
    field_start_date = models.DateField("从事相关专业领域工作起始日期", null=True, blank=True)
    service_work_start_date = models.DateField("从事政务服务工作起始日期", null=True, blank=True)
    eligible = models.BooleanField("符合资格条件", default=False)
    eligibility_basis = models.CharField("资格依据", max_length=200, blank=True)
    # E-6.6 (in principle): over 55 at the deadline needs justification and office approval
    age_at_deadline = models.PositiveIntegerField("截止日年龄")
    age_justification = models.TextField("超龄推荐理由", blank=True)
    age_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="超龄审批人",
    )
    age_approved_at = models.DateTimeField("超龄审批时间", null=True, blank=True)
    # E-6.1 attestations signed by the nominating organisation
    attest_political = models.BooleanField("政治素质", default=False)
    attest_ethics = models.BooleanField("职业道德", default=False)
    attest_health = models.BooleanField("身体健康", default=False)
    attest_integrity = models.BooleanField("廉洁自律", default=False)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField("资格审查和政治审核意见", blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    forwarded_at = models.DateTimeField("报送时间", null=True, blank=True)
    cancel_finding = models.TextField("弄虚作假查实情况", blank=True)
    status_reason = models.TextField("状态说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "推荐申报"
        ordering = ["campaign", "sector", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "nominee"], name="experts_one_nomination_per_campaign"
            ),
        ]

    def __str__(self):
        return f"{self.nominee.name}（{self.sector.name}）"

    @property
    def under_50(self) -> bool:
        return self.age_at_deadline < 50

    @property
    def attestations_complete(self) -> bool:
        return all(
            (self.attest_political, self.attest_ethics, self.attest_health, self.attest_integrity)
        )


class NominationAttachment(models.Model):
    class Kind(models.TextChoices):
        QUALIFICATION = "qualification", "职业资格"
        RESULT = "result", "主要技术成果"
        AWARD = "award", "获奖证书"
        OTHER = "other", "其他证明材料"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("材料类别", max_length=20, choices=Kind.choices)
    filename = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=300)
    file_kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "证明材料"
        ordering = ["nomination", "id"]

    def __str__(self):
        return self.filename


class PublicNotice(models.Model):
    class Kind(models.TextChoices):
        NOMINATION = "nomination", "推荐人选公示"
        PROPOSED = "proposed", "建议人选公示"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("公示类别", max_length=20, choices=Kind.choices)
    start = models.DateField("公示开始")
    end = models.DateField("公示结束")
    places = models.CharField("公示范围", max_length=200, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示"
        ordering = ["-start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "kind"], name="experts_one_notice_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.nomination.nominee.name}"

    def running_on(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class Objection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待核查"
        UPHELD = "upheld", "异议成立"
        DISMISSED = "dismissed", "异议不成立"

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField("异议内容")
    contact = EncryptedTextField("联系方式", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    finding = models.TextField("核查结论", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "异议"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"异议 #{self.pk}（{self.get_status_display()}）"


class ExpertPool(models.Model):
    """E-9.3: the sector's pool (专家库) of a campaign: forwarded candidates plus the members
    who vote in the ballot."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="pools")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="pools")
    members = models.ManyToManyField("org.Person", related_name="expert_pools", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家库"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "sector"], name="experts_one_pool")
        ]

    def __str__(self):
        return f"{self.campaign.year}年{self.sector.name}专家库"


class Ballot(models.Model):
    """E-9.4: the named ballot of a sector's pool after a recorded discussion."""

    pool = models.OneToOneField(ExpertPool, on_delete=models.PROTECT, related_name="ballot")
    held_on = models.DateField("推选日期")
    discussion = models.TextField("讨论情况", blank=True)
    seats = models.PositiveSmallIntegerField("建议人选名额", default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "记名投票"

    def __str__(self):
        return f"{self.pool}记名投票"


class BallotVote(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    choices = models.ManyToManyField(Nomination, related_name="+", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="experts_one_vote_each")
        ]

    def __str__(self):
        return f"{self.voter}的选票"


class BallotResult(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="results")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField()
    rank = models.PositiveIntegerField()
    proposed = models.BooleanField(default=False)
    tie_note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["ballot", "rank"]

    def __str__(self):
        return f"第{self.rank}名（{self.votes}票）"


class FieldInspection(models.Model):
    """E-9.5: the industry committee's on-site inspection (实地考察)."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="inspection"
    )
    date = models.DateField("考察日期")
    members = models.ManyToManyField("org.Person", related_name="+")
    findings = models.TextField("考察情况")
    passed = models.BooleanField("考察结论（通过）")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "实地考察"

    def __str__(self):
        return f"实地考察：{self.nomination}"


class ChiefExpert(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "在任"
        REVOKED = "revoked", "已取消资格"

    class Ground(models.TextChoices):
        VIOLATION = "violation", "管理期内有违法违纪行为或者重大过失"
        REFUSAL = "refusal", "无正当理由拒不承担职责和义务"
        FRAUD = "fraud", "弄虚作假、谎报成果等骗取资格"
        OTHER = "other", "其他应当取消资格的行为"

    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="expert")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="experts")
    talent_type = models.CharField("人才类型", max_length=20, choices=TalentType.choices)
    approved_on = models.DateField("认定日期")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    term_end = models.DateField("管理期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    revoke_ground = models.CharField("取消情形", max_length=20, choices=Ground.choices, blank=True)
    revoke_reason = models.TextField("取消事由", blank=True)
    revoke_approved_by = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准人",
    )
    revoked_on = models.DateField("取消日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "首席专家"
        ordering = ["sector", "approved_on", "id"]

    def __str__(self):
        return f"{self.person.name}（{self.sector.name}首席专家）"

    def state_on(self, day: datetime.date) -> str:
        if self.status == self.Status.REVOKED:
            return "revoked"
        return "expired" if day > self.term_end else "active"

    def state_label(self, day: datetime.date) -> str:
        return {"revoked": "已取消资格", "expired": "管理期满", "active": "在任"}[
            self.state_on(day)
        ]


class Studio(models.Model):
    expert = models.OneToOneField(ChiefExpert, on_delete=models.PROTECT, related_name="studio")
    name = models.CharField("工作室名称", max_length=120)
    address = models.CharField("工作地点", max_length=200)
    opened_on = models.DateField("挂牌日期")
    closed_on = models.DateField("摘牌日期", null=True, blank=True)
    closed_reason = models.CharField("摘牌原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "首席专家工作室"

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class StudioLog(models.Model):
    class Kind(models.TextChoices):
        PROCEDURE = "procedure", "手续办理"
        POLICY = "policy", "政策落实"
        FUNDING = "funding", "资金"
        LAND = "land", "土地"
        TECHNOLOGY = "technology", "技术"
        TALENT = "talent", "人才"
        SUPPORT = "support", "配套"
        IP = "ip", "知识产权"

    class Served(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        PERSON = "person", "个人"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="logs")
    date = models.DateField("日期")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    is_consultation = models.BooleanField("咨询（否则为解决问题）", default=True)
    served_type = models.CharField("服务对象类型", max_length=12, choices=Served.choices)
    served_name = EncryptedTextField("服务对象")
    summary = models.TextField("事项及办法")
    outcome = models.TextField("成效", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作室工作记录"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    @property
    def masked_served(self) -> str:
        from zwfw.core.masking import mask_name

        name = self.served_name or ""
        if self.served_type == self.Served.PERSON:
            return mask_name(name)
        return name[:2] + "*" * max(len(name) - 4, 1) + name[-2:] if len(name) > 4 else name


class Mentoring(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="mentorings")
    trainee = models.CharField("学员", max_length=50)
    trainee_unit = models.CharField("学员单位", max_length=100, blank=True)
    start = models.DateField("开始")
    end = models.DateField("结束", null=True, blank=True)
    outcome = models.TextField("培养成效", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "传帮带"
        ordering = ["-start", "id"]

    def __str__(self):
        return f"传帮带：{self.trainee}"


class ExpertEvaluation(models.Model):
    """E-11.2: a tracking evaluation in the expert's archive."""

    expert = models.ForeignKey(ChiefExpert, on_delete=models.CASCADE, related_name="evaluations")
    date = models.DateField("评估日期")
    text = models.TextField("跟踪评估情况")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"跟踪评估 {self.date}"


class ChangeReport(models.Model):
    """E-11.2: the employer reports a change during the term; each kind has an effect."""

    class Kind(models.TextChoices):
        JOB_CHANGE = "job_change", "工作变动"
        DISCIPLINE = "discipline", "受到处分"
        RETIREMENT = "retirement", "退休"
        LEAVING = "leaving", "离岗"
        DEATH = "death", "死亡"

    expert = models.ForeignKey(ChiefExpert, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("情形", max_length=20, choices=Kind.choices)
    date = models.DateField("发生日期")
    description = models.TextField("情况说明")
    effect = models.CharField("处理结果", max_length=200)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class Agreement(models.Model):
    """E-11.3: the committee's agreement with the expert, filed with the office."""

    expert = models.ForeignKey(ChiefExpert, on_delete=models.CASCADE, related_name="agreements")
    signed_on = models.DateField("签订日期")
    filename = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=300)
    file_kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"协议 {self.signed_on}"


class StudioEvaluation(models.Model):
    """E-11.4: the yearly studio evaluation; it produces a report (docx/PDF)."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        GOOD = "good", "良好"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveIntegerField("年度")
    grade = models.CharField("评估等次", max_length=10, choices=Grade.choices)
    findings = models.TextField("评估意见")
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "year"], name="experts_one_eval_per_year")
        ]

    def __str__(self):
        return f"{self.year}年度评估：{self.get_grade_display()}"
