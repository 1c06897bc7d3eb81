"""High-level talent service windows and commissioners (seed 003, rules TW-* / TC-*).
Fields and one-row invariants only; rules live in services.py.

- TalentWindow: the talent profile of an org.Window (kind talent): level and parent (TW-3).
- GreenItemRule: a green-channel item's published rules at a window, its minimum card level,
  and ParentReport: the report of a new or changed item to the parent window (TW-7).
- Talent / TalentCard / CardCheck / StatusCheck: the person (encrypted), cards, the logged card
  checks (TC-16) and the window commissioner's status checks (TC-14).
- Commissioner / CommissionerFiling / Training / DailyAssessment / CommissionerAction (TC-4,
  TC-19, TC-20, TC-22).
- TalentRequest / TalentTask / RequestStep / Rating / HotlineReferral (TC-17, TW-9, TW-10).
- TalentArchive / ArchiveFiling (TW-14); WindowGrade / Interview (TW-17, TC-22).

Card levels: A is the highest, E the lowest. A card allows an item when the card's level is
at least the item's minimum level (A ≥ B ≥ C ≥ D ≥ E).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_id_number, mask_name, mask_phone


class Level(models.TextChoices):
    A = "A", "A类（最高）"
    B = "B", "B类"
    C = "C", "C类"
    D = "D", "D类"
    E = "E", "E类（最低）"


class TalentWindow(models.Model):
    """TW-3: a talent service window at city or county level, or at a talent group or park;
    every window except the city's has a parent (county → city; group/park → city or county)."""

    class WindowLevel(models.TextChoices):
        CITY = "city", "市级窗口"
        COUNTY = "county", "县区窗口"
        GROUP = "group", "人才集团窗口"
        PARK = "park", "园区窗口"

    window = models.OneToOneField(
        "org.Window", on_delete=models.PROTECT, related_name="talent_profile", verbose_name="窗口"
    )
    level = models.CharField("层级", max_length=10, choices=WindowLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级窗口",
    )
    name = models.CharField("名称", max_length=100)
    head_name = models.CharField("窗口负责人", max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才服务窗口"
        ordering = ["id"]

    def __str__(self):
        return self.name


class GreenItemRule(models.Model):
    """TW-7: a green-channel item as published by a window: its rules (实施细则) and the lowest
    card level it serves. One per item; a change raises the version and reports again."""

    item = models.OneToOneField(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        related_name="talent_rule",
        verbose_name="事项",
    )
    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="rules", verbose_name="发布窗口"
    )
    min_level = models.CharField("最低惠才卡等级", max_length=1, choices=Level.choices)
    rules = models.TextField("实施细则")
    undertaking = models.CharField("承办机构", max_length=100, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    published_on = models.DateField("公布日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "绿色通道事项细则"
        ordering = ["item__department", "item__code"]

    def __str__(self):
        return f"{self.item}（{self.min_level}类及以上）"


class ParentReport(models.Model):
    """TW-7: a new or changed green-channel item reported to the parent window (报备)."""

    rule = models.ForeignKey(
        GreenItemRule, on_delete=models.CASCADE, related_name="reports", verbose_name="事项细则"
    )
    version = models.PositiveIntegerField("版本")
    change = models.CharField("类型", max_length=10, choices=[("new", "新增"), ("changed", "优化")])
    from_window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="+", verbose_name="报备窗口"
    )
    to_window = models.ForeignKey(
        TalentWindow,
        on_delete=models.PROTECT,
        related_name="received_reports",
        verbose_name="上级窗口",
    )
    reported_on = models.DateField("报备日期")
    summary = models.TextField("报备内容")

    class Meta:
        verbose_name = verbose_name_plural = "事项报备"
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.from_window} → {self.to_window}：{self.rule.item}（第{self.version}版）"


class Talent(models.Model):
    """高层次人才: personal data encrypted, looked up by a blind index, shown masked."""

    name = EncryptedTextField("姓名")
    id_number = EncryptedTextField("身份证号")
    id_number_index = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    employer = models.CharField("用人单位", max_length=100)
    level = models.CharField("人才层次", max_length=1, choices=Level.choices)
    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="talents", verbose_name="服务窗口"
    )
    employed = models.BooleanField("在职", default=True)
    lives_in_city = models.BooleanField("在本市生活", default=True)
    status_checked_on = models.DateField("最近核实日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "高层次人才"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="talent_unique_id_number")
        ]

    def __str__(self):
        return f"人才{self.pk}（{self.masked_name}）"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class TalentCard(models.Model):
    class Kind(models.TextChoices):
        SHANDONG = "shandong", "山东惠才卡"
        YIMENG = "yimeng", "沂蒙惠才卡"

    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="cards", verbose_name="人才"
    )
    kind = models.CharField("卡种", max_length=10, choices=Kind.choices)
    number = models.CharField("卡号", max_length=40, unique=True)
    level = models.CharField("等级", max_length=1, choices=Level.choices)
    valid_to = models.DateField("有效期至")

    class Meta:
        verbose_name = verbose_name_plural = "惠才卡"
        ordering = ["talent", "-valid_to", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class CardCheck(models.Model):
    """TC-16: every card check is logged (allowed or refused, and why)."""

    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="card_checks", verbose_name="人才"
    )
    card = models.ForeignKey(
        TalentCard, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="惠才卡"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", on_delete=models.PROTECT, related_name="+", verbose_name="事项"
    )
    on = models.DateField("核验日期")
    allowed = models.BooleanField("通过")
    reason = models.CharField("说明", max_length=200)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "惠才卡核验记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.on} {self.item}：{'通过' if self.allowed else '不通过'}"


class StatusCheck(models.Model):
    """TC-14: the window commissioner checks the talent is still employed and in the city."""

    talent = models.ForeignKey(
        Talent, on_delete=models.CASCADE, related_name="status_checks", verbose_name="人才"
    )
    checked_on = models.DateField("核实日期")
    employed = models.BooleanField("在职")
    lives_in_city = models.BooleanField("在本市生活")
    note = models.CharField("情况说明", max_length=300, blank=True)
    reported_up = models.BooleanField("已向上级窗口报告", default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "人才状态核实"
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.checked_on} 状态核实"


class Commissioner(models.Model):
    """TC-4: 单位专员 (one per talent, from the employer), 部门专员 (per department with
    green-channel items), 承办专员 (per undertaking organisation), 窗口专员 (full-time, per
    window). Every commissioner is filed with a window (TC-19)."""

    class Kind(models.TextChoices):
        UNIT = "unit", "单位专员"
        DEPARTMENT = "department", "部门专员"
        UNDERTAKING = "undertaking", "承办专员"
        WINDOW = "window", "窗口专员"

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="commissions", verbose_name="人员"
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    window = models.ForeignKey(
        TalentWindow,
        on_delete=models.PROTECT,
        related_name="commissioners",
        verbose_name="备案窗口",
    )
    talent = models.ForeignKey(
        Talent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioners",
        verbose_name="服务人才",
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="主管部门",
    )
    organisation = models.CharField("所在单位/承办机构", max_length=100, blank=True)
    full_time = models.BooleanField("专职", default=False)
    appointed_on = models.DateField("任职日期")
    ended_on = models.DateField("免职日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才服务专员"
        ordering = ["window", "kind", "id"]
        constraints = [
            # TC-4: exactly one unit commissioner per talent at a time.
            models.UniqueConstraint(
                fields=["talent"],
                condition=Q(kind="unit", ended_on__isnull=True),
                name="talent_one_unit_commissioner",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person.name}"

    @property
    def active(self) -> bool:
        return self.ended_on is None


class CommissionerFiling(models.Model):
    """TC-19: a change of commissioner filed with the window; more than 7 working days after
    the change is flagged late."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.CASCADE, related_name="filings", verbose_name="专员"
    )
    replaces = models.ForeignKey(
        Commissioner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="接替",
    )
    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="filings", verbose_name="备案窗口"
    )
    change = models.CharField(
        "变动",
        max_length=10,
        choices=[("appointed", "新任"), ("replaced", "调整"), ("ended", "免职")],
    )
    changed_on = models.DateField("变动日期")
    filed_on = models.DateField("备案日期")
    workdays = models.IntegerField("相隔工作日")
    late = models.BooleanField("逾期备案", default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "专员变动备案"
        ordering = ["-filed_on", "-id"]

    def __str__(self):
        return f"{self.commissioner}（{self.get_change_display()}，{self.filed_on}备案）"


class Training(models.Model):
    """TC-20: a training session of the window's commissioners."""

    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="trainings", verbose_name="窗口"
    )
    title = models.CharField("培训内容", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=1)
    attendees = models.ManyToManyField(Commissioner, related_name="trainings", verbose_name="参训")

    class Meta:
        verbose_name = verbose_name_plural = "专员培训"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class DailyAssessment(models.Model):
    """TC-20: a daily assessment entry of a commissioner's work."""

    class Result(models.TextChoices):
        GOOD = "good", "好"
        FAIR = "fair", "较好"
        POOR = "poor", "不到位"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.CASCADE, related_name="assessments", verbose_name="专员"
    )
    on = models.DateField("日期")
    result = models.CharField("考核情况", max_length=6, choices=Result.choices)
    note = models.CharField("说明", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "专员日常考核"
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.on} {self.commissioner}：{self.get_result_display()}"


class CommissionerAction(models.Model):
    """TC-22: the year's commendation (通报表扬) or accountability: notice to the unit
    (通报所在单位), or for serious cases a city-wide notice with an interview (约谈)."""

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", "通报表扬"
        UNIT_NOTICE = "unit_notice", "通报所在单位"
        CITYWIDE_NOTICE = "citywide_notice", "全市通报批评并约谈"

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="actions", verbose_name="专员"
    )
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    reason = models.TextField("事由")
    decided_on = models.DateField("决定日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "专员奖励问责"
        ordering = ["-year", "-decided_on", "-id"]

    def __str__(self):
        return f"{self.year}年 {self.commissioner}：{self.get_kind_display()}"


class TalentRequest(models.Model):
    """TC-17: an on-application request filed by the unit commissioner."""

    class Route(models.TextChoices):
        SINGLE = "single", "单一事项：直送部门专员"
        MULTIPLE = "multiple", "多个事项：窗口专员转办"

    class Status(models.TextChoices):
        AWAITING_DISPATCH = "awaiting_dispatch", "待窗口专员转办"
        IN_PROGRESS = "in_progress", "办理中"
        COMPLETED = "completed", "已办结并反馈"
        NOTIFIED = "notified", "已告知人才"

    talent = models.ForeignKey(
        Talent, on_delete=models.PROTECT, related_name="requests", verbose_name="人才"
    )
    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="requests", verbose_name="窗口"
    )
    unit_commissioner = models.ForeignKey(
        Commissioner,
        on_delete=models.PROTECT,
        related_name="filed_requests",
        verbose_name="单位专员",
    )
    items = models.ManyToManyField("catalog.ServiceItem", related_name="+", verbose_name="申办事项")
    route = models.CharField("流转方式", max_length=10, choices=Route.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    filed_on = models.DateField("申办日期")
    completed_on = models.DateField("办结日期", null=True, blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    rating_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "人才服务申请"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["window", "status"], name="talent_req_window_status")]

    def __str__(self):
        return f"申请{self.pk}"


class TalentTask(models.Model):
    """TC-17: one department's part of a request, with its due date in working days."""

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        DELAYED = "delayed", "已报备延期"
        COMPLETED = "completed", "已办结"

    request = models.ForeignKey(
        TalentRequest, on_delete=models.CASCADE, related_name="tasks", verbose_name="申请"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="部门"
    )
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="tasks", verbose_name="部门专员"
    )
    items = models.ManyToManyField("catalog.ServiceItem", related_name="+", verbose_name="事项")
    dispatched_by = models.ForeignKey(
        Commissioner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_tasks",
        verbose_name="转办窗口专员",
    )
    dispatched_on = models.DateField("交办日期")
    due_date = models.DateField("办结时限")
    original_due_date = models.DateField("原定时限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="open")
    delay_explanation = models.TextField("延期说明", blank=True)
    result = models.TextField("办理结果", blank=True)
    completed_on = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "转办任务"
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="talent_task_status_due")]

    def __str__(self):
        return f"任务{self.pk}（{self.department}）"

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.COMPLETED and self.due_date < today


class RequestStep(models.Model):
    """Each step of a request, for the window's tracking (TW-9) and the archive (TW-14)."""

    request = models.ForeignKey(
        TalentRequest, on_delete=models.CASCADE, related_name="steps", verbose_name="申请"
    )
    task = models.ForeignKey(
        TalentTask, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField("环节", max_length=30)
    text = models.CharField("内容", max_length=300)
    on = models.DateField("日期")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "办理环节"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.on} {self.text}"


class Rating(models.Model):
    """TW-10: the talent's rating of a request on the national 好差评 scale; one per request."""

    class Value(models.IntegerChoices):
        VERY_SATISFIED = 5, "非常满意"
        SATISFIED = 4, "满意"
        BASIC = 3, "基本满意"
        UNSATISFIED = 2, "不满意"
        VERY_UNSATISFIED = 1, "非常不满意"

    request = models.OneToOneField(
        TalentRequest, on_delete=models.CASCADE, related_name="rating", verbose_name="申请"
    )
    value = models.PositiveSmallIntegerField("评价", choices=Value.choices)
    comment = models.CharField("意见建议", max_length=300, blank=True)
    rated_on = models.DateField("评价日期")
    channel = models.CharField("评价渠道", max_length=20, default="sms_link")

    class Meta:
        verbose_name = verbose_name_plural = "人才评价"
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="talent_rating_range"
            )
        ]

    def __str__(self):
        return f"申请{self.request_id}：{self.get_value_display()}"


class HotlineReferral(models.Model):
    """TW-10 / TC-14: a 12345 or provincial talent-hotline referral, linked to the request,
    commissioner and department it concerns."""

    class Source(models.TextChoices):
        HOTLINE_12345 = "12345", "12345政务服务便民热线"
        PROVINCIAL = "provincial", "省级人才服务热线"

    source = models.CharField("来源", max_length=12, choices=Source.choices)
    ticket = models.CharField("工单号", max_length=40)
    request = models.ForeignKey(
        TalentRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name="关联申请",
    )
    commissioner = models.ForeignKey(
        Commissioner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name="承办专员",
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="部门",
    )
    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="referrals", verbose_name="窗口"
    )
    summary = models.CharField("诉求摘要", max_length=300)
    satisfied = models.BooleanField("满意", null=True, blank=True)
    received_on = models.DateField("接收日期")

    class Meta:
        verbose_name = verbose_name_plural = "热线转办"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "ticket"], name="talent_referral_ticket")
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.ticket}"


class TalentArchive(models.Model):
    """TW-14: one service archive per talent, kept at the county window."""

    talent = models.OneToOneField(
        Talent, on_delete=models.CASCADE, related_name="archive", verbose_name="人才"
    )
    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="archives", verbose_name="建档窗口"
    )
    opened_on = models.DateField("建档日期")

    class Meta:
        verbose_name = verbose_name_plural = "服务档案"

    def __str__(self):
        return f"{self.talent}的服务档案"


class ArchiveFiling(models.Model):
    """TW-14: a window's archives filed with its parent window for a quarter or a year, with
    the snapshot document (docx)."""

    class Period(models.TextChoices):
        QUARTER = "quarter", "季度"
        YEAR = "year", "年度"

    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="archive_filings", verbose_name="窗口"
    )
    parent = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="+", verbose_name="上级窗口"
    )
    period = models.CharField("周期", max_length=8, choices=Period.choices)
    year = models.PositiveIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", default=0)
    due_on = models.DateField("应备案日期")
    filed_on = models.DateField("备案日期")
    late = models.BooleanField("逾期", default=False)
    archives = models.PositiveIntegerField("档案数")
    document = models.BinaryField("备案快照（docx）")
    pdf = models.BinaryField("备案快照（PDF）", default=b"")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "档案备案"
        ordering = ["-year", "-quarter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "period", "year", "quarter"], name="talent_filing_unique"
            )
        ]

    def __str__(self):
        return f"{self.window} {self.label}档案备案"

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度" if self.quarter else f"{self.year}年度"


class WindowGrade(models.Model):
    """TW-17: a window's yearly evaluation from its records plus manual items."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        GOOD = "good", "良好"
        PASS = "pass", "达标"
        FAIL = "fail", "不达标"

    window = models.ForeignKey(
        TalentWindow, on_delete=models.PROTECT, related_name="grades", verbose_name="窗口"
    )
    year = models.PositiveIntegerField("年度")
    metrics = models.JSONField("数据指标", default=dict)
    record_score = models.DecimalField("数据得分", max_digits=5, decimal_places=1)
    manual_score = models.DecimalField("人工评价得分", max_digits=5, decimal_places=1)
    manual_note = models.TextField("人工评价说明", blank=True)
    score = models.DecimalField("总分", max_digits=5, decimal_places=1)
    grade = models.CharField("等级", max_length=10, choices=Grade.choices)
    graded_on = models.DateField("评定日期")
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "窗口评估等级"
        ordering = ["-year", "window"]
        constraints = [
            models.UniqueConstraint(fields=["window", "year"], name="talent_grade_unique")
        ]

    def __str__(self):
        return f"{self.window} {self.year}年度：{self.get_grade_display()}"


class Interview(models.Model):
    """约谈: of a 不达标 window's head, with the explanation at the joint meeting (TW-17), or
    of those responsible in a serious commissioner case (TC-22)."""

    grade = models.OneToOneField(
        WindowGrade,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interview",
        verbose_name="窗口评估",
    )
    action = models.OneToOneField(
        CommissionerAction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interview",
        verbose_name="专员问责",
    )
    interviewee = models.CharField("约谈对象", max_length=50)
    held_on = models.DateField("约谈日期")
    notes = models.TextField("约谈情况")
    meeting_on = models.DateField("联席会议日期", null=True, blank=True)
    meeting_explanation = models.TextField("联席会议说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "约谈"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"约谈{self.interviewee}（{self.held_on}）"
