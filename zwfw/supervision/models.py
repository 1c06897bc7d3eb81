"""Supervision (监督检查): random inspections of case files with random inspectors (双随机,
N-17), their findings and the departments' rectification; 12345 hotline feedback (TW-10);
interference reports (干预记录, N-7) and fault-tolerance records (容错纠错, N-21).

Fields and one-row invariants only; rules live in services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_phone


class InspectionMethod(models.TextChoices):
    """N-17: the three ways of supervising a case."""

    ON_SITE = "on_site", _("现场核查")
    SYSTEM_RETRIEVAL = "system_retrieval", _("系统调取")
    CASE_FILE = "case_file", _("卷宗抽查")


class Strata(models.TextChoices):
    """How a draw spreads its sample (proportional allocation, largest remainder)."""

    NONE = "none", _("不分层（整体随机）")
    DEPARTMENT = "department", _("按部门分层")
    PROCEDURE = "procedure", _("按办理程序分层")
    ITEM = "item", _("按事项分层")


class InspectorPoolMember(models.Model):
    """检查人员库: the people a draw may assign. Only active members are drawn; the pool as
    it stood is copied into each draw's inputs, so a later change never alters a replay."""

    person = models.OneToOneField(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="inspector_membership",
        verbose_name="人员",
    )
    active = models.BooleanField("在库", default=True)
    since = models.DateField("入库日期")
    note = models.CharField("备注", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查人员库"
        ordering = ["person_id"]

    def __str__(self):
        return f"检查人员 {self.person_id}"


class InspectionDraw(models.Model):
    """双随机抽查: one seeded draw of cases and inspectors (N-17). `inputs` holds everything
    the draw was computed from (period, departments, size, strata, the pool), so anyone can
    recompute it from `seed`; `population_digest` tells whether the population changed since."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("检查中")
        COMPLETED = "completed", _("已完成")

    title = models.CharField("名称", max_length=100)
    period_start = models.DateField("抽查期间起")
    period_end = models.DateField("抽查期间止")
    size = models.PositiveIntegerField("抽取件数")
    strata = models.CharField("分层方式", max_length=12, choices=Strata.choices)
    method = models.CharField(
        "检查方式",
        max_length=20,
        choices=InspectionMethod.choices,
        default=InspectionMethod.CASE_FILE,
    )
    seed = models.BigIntegerField("随机种子")
    inputs = models.JSONField("抽取参数")
    population_size = models.PositiveIntegerField("总体件数")
    population_digest = models.CharField("总体摘要（SM3）", max_length=64)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽查"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="draw_period_ordered",
            ),
            models.CheckConstraint(condition=Q(size__gte=1), name="draw_size_positive"),
        ]

    def __str__(self):
        return self.title


class Inspection(models.Model):
    """One drawn case with the inspector assigned to it, and the inspector's finding."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待检查")
        PASSED = "passed", _("合格")
        PROBLEM = "problem", _("存在问题")

    class Category(models.TextChoices):
        OVERDUE = "overdue", _("超时办理")
        MISSING_MATERIALS = "missing_materials", _("材料不全")
        IRREGULAR_PROCEDURE = "irregular_procedure", _("程序不规范")
        IRREGULAR_DOCUMENTS = "irregular_documents", _("文书不规范")
        OTHER = "other", _("其他")

    draw = models.ForeignKey(
        InspectionDraw, on_delete=models.CASCADE, related_name="inspections", verbose_name="抽查"
    )
    position = models.PositiveIntegerField("序号")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="办件"
    )
    # Copied from the case: department lists and scopes filter without a join.
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="办理部门"
    )
    inspector = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="inspections", verbose_name="检查人员"
    )
    result = models.CharField(
        "检查结论", max_length=10, choices=Result.choices, default=Result.PENDING
    )
    method = models.CharField(
        "检查方式", max_length=20, choices=InspectionMethod.choices, blank=True
    )
    category = models.CharField("问题类别", max_length=20, choices=Category.choices, blank=True)
    note = models.TextField("检查意见", blank=True)
    found_on = models.DateField("检查日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽查办件"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "case"], name="inspection_unique_case"),
            models.UniqueConstraint(fields=["draw", "position"], name="inspection_unique_position"),
            # A problem names its category; a pass or a pending row has none.
            models.CheckConstraint(
                condition=(Q(result="problem") & ~Q(category=""))
                | (~Q(result="problem") & Q(category="")),
                name="inspection_problem_has_category",
            ),
        ]
        indexes = [
            models.Index(fields=["inspector", "result"], name="inspection_inspector_result"),
        ]

    def __str__(self):
        return f"抽查 {self.draw_id}-{self.position}"


class InspectionRectification(models.Model):
    """抽查整改: a problem finding opens one; the department records what it corrected."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        RECTIFIED = "rectified", _("已整改")

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="rectification", verbose_name="抽查办件"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="整改部门"
    )
    opened_on = models.DateField("下达日期")
    due_date = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    measures = models.TextField("整改措施及结果", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )
    overdue_notified_on = models.DateField("逾期提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽查整改"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="insp_rect_dept_due"),
            models.Index(fields=["status", "due_date"], name="insp_rect_status_due"),
        ]

    def __str__(self):
        return f"抽查整改 {self.pk}"

    # The one overdue rule of an inspection rectification (N-17): still open after its
    # deadline. Pages, the API, the home panel and the list filter all use these two.
    @staticmethod
    def overdue_q(on=None):
        from django.utils import timezone

        return models.Q(status="open", due_date__lt=on or timezone.localdate())

    def is_overdue(self, on=None) -> bool:
        from django.utils import timezone

        return self.status == self.Status.OPEN and self.due_date < (on or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class HotlineKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class HotlineStatus(models.TextChoices):
    PENDING = "pending", _("待办理")
    PROCESSING = "processing", _("办理中")
    CLOSED = "closed", _("已办结")


class HotlineFeedback(models.Model):
    """12345热线工单 recorded against the case, the staff member and the department (TW-10).

    Department, center and item are derived from the case when one is linked and stored, so
    statistics group by one indexed column (selectors.hotline_counts)."""

    ticket_number = models.CharField("工单编号", max_length=40, unique=True)
    received_on = models.DateField("受理日期")
    kind = models.CharField("诉求类型", max_length=15, choices=HotlineKind.choices)
    content = models.TextField("诉求内容")
    caller_phone = EncryptedTextField("来电号码", blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="关联办件",
    )
    staff = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="涉及工作人员",
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任部门",
    )
    center = models.ForeignKey(
        "org.ServiceCenter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="中心",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="事项",
    )
    window = models.ForeignKey(
        "org.Window",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="窗口",
    )
    status = models.CharField(
        "办理状态", max_length=12, choices=HotlineStatus.choices, default=HotlineStatus.PENDING
    )
    resolution = models.TextField("办理结果", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    source = models.CharField("来源", max_length=10, default="api")  # api | xlsx | page
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("登记时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = verbose_name_plural = "12345热线工单"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["received_on"], name="hotline_received"),
            models.Index(fields=["department", "received_on"], name="hotline_dept_received"),
            models.Index(fields=["staff", "received_on"], name="hotline_staff_received"),
        ]

    def __str__(self):
        return self.ticket_number

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.caller_phone)


class InterferenceManner(models.TextChoices):
    IN_PERSON = "in_person", _("当面打招呼")
    PHONE = "phone", _("电话说情")
    MESSAGE = "message", _("短信、微信等网络方式")
    WRITTEN = "written", _("批条、写信等书面方式")
    INTERMEDIARY = "intermediary", _("托人说情")
    OTHER = "other", _("其他方式")


class InterferenceReport(models.Model):
    """干预记录 (N-7): who tried to interfere with an approval decision, how and when.

    Readable only by the discipline role; the text is encrypted at rest, it never enters the
    audit trail (auditors read that) and `__str__` shows the receipt number only."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已登记")
        HANDLED = "handled", _("已处理")

    receipt_number = models.CharField("回执编号", max_length=30, unique=True)
    reporter = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记账号",
    )
    interferer_name = EncryptedTextField("干预人姓名")
    interferer_unit = EncryptedTextField("干预人单位", blank=True)
    interferer_post = EncryptedTextField("干预人职务", blank=True)
    occurred_on = models.DateField("干预日期")
    manner = models.CharField("干预方式", max_length=15, choices=InterferenceManner.choices)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="涉及办件",
    )
    content = EncryptedTextField("干预内容")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="登记人部门"
    )
    filed_at = models.DateTimeField("登记时间")
    status = models.CharField(
        "处理状态", max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    handling_note = EncryptedTextField("处理情况", blank=True)
    handled_on = models.DateField("处理日期", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="处理人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "干预记录"
        ordering = ["-filed_at", "-id"]

    def __str__(self):
        return self.receipt_number


class FaultToleranceDecision(models.TextChoices):
    EXEMPT = "exempt", _("免责")
    MITIGATE = "mitigate", _("减责")
    REFUSE = "refuse", _("不予容错")


class FaultToleranceRecord(models.Model):
    """容错纠错 (N-21): an error made while innovating, and the discipline office's decision."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="当事人"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="当事人部门"
    )
    event = models.TextField("事件经过")
    innovation_context = models.TextField("改革创新背景")
    error = models.TextField("失误错误情形")
    decision = models.CharField("认定结论", max_length=10, choices=FaultToleranceDecision.choices)
    basis = models.TextField("认定依据")
    correction = models.TextField("纠错措施", blank=True)
    decided_on = models.DateField("认定日期")
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="涉及办件",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "容错纠错记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"容错纠错记录 {self.pk}"
