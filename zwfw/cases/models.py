"""Cases (办件): one application and its handling, with its materials, notices, clock ledger,
decisions and timeline. Fields and one-row invariants only; rules live in services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zwfw.cases.states import CLOCK_OPEN, CaseState
from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_name, mask_phone


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")
    MOBILE = "mobile", _("移动端")
    SELF_SERVICE = "self_service", _("自助终端")


class Procedure(models.TextChoices):
    """How a case is decided (N-4): by the chief officer finally, after a first review, or by
    the normal procedure (not on the chief service officer list)."""

    FINAL = "final", _("首席服务员终审")
    PRELIMINARY = "preliminary", _("首席服务员初审后决定")
    NORMAL = "normal", _("一般程序")


class PauseReason(models.TextChoices):
    """L-PAUSE (行政许可法第45条): time not counted in the limit."""

    SITE_INSPECTION = "site_inspection", _("现场踏勘")
    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检验检测")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    APPRAISAL = "appraisal", _("鉴定")
    TENDER_AUCTION = "tender_auction", _("招标拍卖")
    QUARANTINE = "quarantine", _("检疫")
    SUPPLEMENT = "supplement", _("申请人补正材料")


class Result(models.TextChoices):
    APPROVE = "approve", _("准予许可（同意）")
    DENY = "deny", _("不予许可（不同意）")


class Project(models.Model):
    """招商引资项目: an investment project that owns cases (ledger per project, C-2.2)."""

    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资主体", max_length=200, blank=True)
    center = models.ForeignKey(
        "org.ServiceCenter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="中心",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "招商引资项目"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Applicant(models.Model):
    """申请人: one row per ID number or credit code (found by blind index), for the ledger."""

    kind = models.CharField("申请人类型", max_length=12, choices=ApplicantKind.choices)
    name = models.CharField("名称", max_length=200)
    # The ID number of a person or the credit code of an organisation, encrypted at rest.
    identifier = EncryptedTextField("证件号码")
    identifier_index = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请人"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "identifier_index"], name="applicant_unique_identifier"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_name(self) -> str:
        return masked_applicant_name(self.kind, self.name)

    @property
    def masked_identifier(self) -> str:
        from zwfw.core.masking import mask_id_number

        return mask_id_number(self.identifier)


def masked_applicant_name(kind: str, name: str) -> str:
    """A person's name masked, an organisation's as it is (lists read the two columns)."""
    return mask_name(name) if kind == ApplicantKind.PERSON else name


class CaseNumberCounter(models.Model):
    """The last sequence number of a center on a day: locked while a number is drawn."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day"], name="case_counter_unique_day"),
        ]

    def __str__(self):
        return f"{self.center_id} {self.day} #{self.last}"


def where_set(field: str, prefix: str) -> models.Index:
    """An index of `field` over the rows where it is set (named `<prefix>_set`): a column most
    rows leave empty costs no index entry for them."""
    return models.Index(
        fields=[field], name=f"{prefix}_set", condition=Q(**{f"{field}__isnull": False})
    )


class Case(models.Model):
    number = models.CharField("办件编号", max_length=40, unique=True)
    item = models.ForeignKey(
        "catalog.ServiceItem", on_delete=models.PROTECT, related_name="cases", verbose_name="事项"
    )
    item_version = models.PositiveIntegerField("事项版本", default=0)
    # Copied from the item: lists filter by department without a join.
    # No index of its own for these two keys: case_dept_status_due and case_applicant start
    # with them (every transition writes each index of the row: one fewer each).
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="办理部门",
        db_index=False,
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="cases", verbose_name="中心"
    )
    applicant = models.ForeignKey(
        Applicant,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="申请人",
        db_index=False,
    )
    # The name as this application gave it, kept when it differs from the registered
    # applicant's (same ID number or credit code): an application never renames anyone; staff
    # compare and rename through services.rename_applicant (audited).
    applicant_name_given = models.CharField("申请时填写的名称", max_length=200, blank=True)
    phone = EncryptedTextField("联系电话")
    phone_last4 = models.CharField(max_length=4, editable=False)
    agent_name = models.CharField("代办人", max_length=50, blank=True)
    agent_id_number = EncryptedTextField("代办人身份证号", blank=True)
    agent_phone = EncryptedTextField("代办人电话", blank=True)
    project = models.ForeignKey(
        Project,
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="招商引资项目",
    )
    channel = models.CharField("申请渠道", max_length=15, choices=Channel.choices)
    procedure = models.CharField(
        "办理程序", max_length=12, choices=Procedure.choices, default=Procedure.NORMAL
    )
    # the item's handling steps [{"step", "post"}] as its guide gave them on the day of
    # acceptance; a normal-procedure case goes through them in order (CaseStep rows).
    step_plan = models.JSONField("办理环节", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="收件人",
    )
    received_at = models.DateTimeField("收件时间")
    # L-ACCEPT: the day complete materials were in hand (receipt, or the day the full
    # corrections were handed in) and the last day to notify or decide on acceptance.
    materials_complete_on = models.DateField("材料齐全日期", null=True, blank=True)
    acceptance_deadline = models.DateField("受理期限", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_at = models.DateTimeField("受理操作时间", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    refused_on = models.DateField("不予受理日期", null=True, blank=True)
    refusal_reason = models.TextField("不予受理理由", blank=True)
    refusal_authority = models.CharField("有权机关", max_length=200, blank=True)
    # The clock (L-LIMIT, L-PAUSE): stored, indexed, refreshed on every event and nightly.
    limit_days = models.PositiveIntegerField("办理时限（工作日）", default=0)
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    paused_workdays = models.PositiveIntegerField("暂停计时工作日", default=0)
    # Kept from the clock ledger by the services: closed pauses' working days, and the start
    # of the open pause (None when the clock runs).
    closed_pause_workdays = models.PositiveIntegerField(default=0, editable=False)
    paused_since = models.DateField("暂停开始日期", null=True, blank=True)
    due_date = models.DateField("办理期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限依赖未正式发布的日历", default=False)
    remaining_workdays = models.IntegerField("剩余工作日", null=True, blank=True)
    alert_level = models.CharField("预警", max_length=6, default="green")
    clock_read_on = models.DateField("计时刷新日期", null=True, blank=True)
    # Decision (N-4, N-13, N-14).
    first_reviewed_by = models.ForeignKey(
        "org.Person",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="初审人",
    )
    first_review_grant = models.ForeignKey(
        "grants.Grant",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="初审依据的授权",
    )
    first_review_opinion = models.TextField("初审意见", blank=True)
    first_reviewed_on = models.DateField("初审日期", null=True, blank=True)
    result = models.CharField("决定结果", max_length=10, choices=Result.choices, blank=True)
    opinion = models.TextField("决定意见", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.Person",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_cases",
        verbose_name="决定人",
    )
    grant = models.ForeignKey(
        "grants.Grant",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_cases",
        verbose_name="决定依据的授权",
    )
    # N-13: in the normal procedure the decision relies on the last step's post assignment.
    post_assignment = models.ForeignKey(
        "org.PostAssignment",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="决定依据的办理岗位",
    )
    agenda_item = models.ForeignKey(
        "grants.AgendaItem",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="委员会议题",
    )
    committee_meeting = models.ForeignKey(
        "grants.CommitteeMeeting",
        null=True,
        db_index=False,  # partial index in Meta: most cases leave it empty
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="决定会议",
    )
    completed_on = models.DateField("办结日期", null=True, blank=True)
    closed_reason = models.TextField("撤回或终止原因", blank=True)
    closed_on = models.DateField("撤回或终止日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="case_dept_status_due"),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
            models.Index(fields=["alert_level", "due_date"], name="case_alert_due"),
            models.Index(fields=["applicant", "received_at"], name="case_applicant"),
            # Only investment-project cases (R-4 ledgers) carry a project: partial, as below.
            models.Index(
                fields=["project", "received_at"],
                name="case_project",
                condition=Q(project__isnull=False),
            ),
            # Overdue lists read only open clocks (ARCHITECTURE.md, Performance notes), the
            # home page's work queue those and the received cases (selectors.my_open_cases):
            # one index, read in due order, serves both.
            models.Index(
                fields=["department", "due_date", "id"],
                name="case_queue_due",
                condition=Q(status__in=sorted(s.value for s in (CaseState.RECEIVED, *CLOCK_OPEN))),
            ),
            # 好差评: unrated completed cases and 未评价率 by month of completion.
            models.Index(
                fields=["completed_on", "id"],
                name="case_completed",
                condition=Q(status="completed"),
            ),
            # Monthly rollups of resident staff and volume per department read
            # one month of received and decided cases.
            models.Index(fields=["received_at"], name="case_received_at"),
            # (Open cases have no decision date: left out, as the keys below.)
            where_set("decided_on", "case_decided_on"),
            # Foreign keys most cases leave empty: partial indexes skip the NULL rows, so a
            # write that moves a case (a recompute touches every open case) updates 8 fewer
            # indexes (1.34× faster recompute at 1 M cases, bench/recompute.py). Lookups by
            # value (`decided_by_id = 5`, PROTECT checks) imply IS NOT NULL and still use them.
            *(
                where_set(name, f"case_{name}")
                for name in (
                    "first_reviewed_by",
                    "first_review_grant",
                    "decided_by",
                    "grant",
                    "post_assignment",
                    "agenda_item",
                    "committee_meeting",
                )
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def name_mismatch(self) -> bool:
        """The application gave a name other than the registered one (staff check it)."""
        return bool(self.applicant_name_given) and self.applicant_name_given != self.applicant.name


class CaseMaterial(models.Model):
    """One line of the item's checklist for this case (R-18: electronic OR paper)."""

    class Form(models.TextChoices):
        ELECTRONIC = "electronic", _("电子")
        PAPER = "paper", _("纸质")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收取")
        MISSING = "missing", _("未提交")
        DEFECTIVE = "defective", _("需补正")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField("材料名称", max_length=200)
    required = models.BooleanField("必要", default=True)
    electronic_ok = models.BooleanField("接受电子材料", default=True)
    form = models.CharField("提交形式", max_length=10, choices=Form.choices, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.MISSING)
    problem = models.CharField("存在问题", max_length=300, blank=True)
    received_on = models.DateField("收取日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件材料"
        ordering = ["case", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "name"], name="case_material_unique_name"),
            # a received material has exactly one form; a missing one has none.
            models.CheckConstraint(
                condition=(Q(status="received") & ~Q(form="")) | (~Q(status="received")),
                name="case_material_received_has_form",
            ),
        ]

    def __str__(self):
        return self.name


class SupplementNotice(models.Model):
    """一次性告知书 (R-16, C-2.2, L-ACCEPT): every missing or defective material in ONE notice."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notice")
    issued_on = models.DateField("告知日期")
    issued_at = models.DateTimeField("告知时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="告知人",
    )
    # [{"name": ..., "problem": ...}] as notified; the case's materials show what came back.
    items = models.JSONField("需补正材料")
    note = models.TextField("说明", blank=True)
    completed_on = models.DateField("补正齐全日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "一次性告知书"

    def __str__(self):
        return f"{self.case.number} 一次性告知书"


class ClockEntry(models.Model):
    """The append-only ledger of the clock (L-PAUSE, L-LIMIT): pause, resume, extension."""

    class Kind(models.TextChoices):
        PAUSE = "pause", _("暂停计时")
        RESUME = "resume", _("恢复计时")
        EXTENSION = "extension", _("延期")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_entries")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    on = models.DateField("日期")
    reason = models.CharField("原因", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    days = models.PositiveIntegerField("延长工作日", default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="经办人",
    )
    approved_by = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准人",
    )
    approver_grant = models.ForeignKey(
        "grants.Grant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准依据的授权",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "计时台账"
        ordering = ["case", "on", "id"]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()} {self.on}"

    @property
    def reason_label(self) -> str:
        return PauseReason(self.reason).label if self.reason in PauseReason.values else ""


class SealUse(models.Model):
    """A use of the approval seal (印章使用权) on a decision, with the grant it relied on."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="seal_uses")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey("grants.Grant", on_delete=models.PROTECT, related_name="+")
    used_on = models.DateField("用印日期")
    purpose = models.CharField("用途", max_length=100, default="审批决定")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "用印记录"
        ordering = ["-used_on", "-id"]

    def __str__(self):
        return f"{self.case_id} {self.used_on}"


class CaseEvent(models.Model):
    """The timeline of a case: one row per step (the audit chain holds the same facts)."""

    # Indexed by case_event_case_at (which starts with it); the actor only where there is one
    # (system steps have none): every transition inserts a row here.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField("时间")
    on = models.DateField("日期")
    action = models.CharField("操作", max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    actor_name = models.CharField("经办人", max_length=100, blank=True)
    text = models.TextField("说明", blank=True)
    # Shown on the public progress page (the applicant's own steps, no staff names).
    public = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件过程"
        ordering = ["case", "at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="case_event_case_at"),
            where_set("actor", "case_event_actor"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.action}"


class CaseStep(models.Model):
    """One handling step (环节) of a normal-procedure case (N-4, R-15), recorded by a person
    holding the step's post, with the assignment relied on (N-13)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField("序号")
    step = models.CharField("环节", max_length=100)
    post = models.CharField("岗位", max_length=100)
    by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    post_assignment = models.ForeignKey(
        "org.PostAssignment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="依据的办理岗位",
    )
    on = models.DateField("日期")
    at = models.DateTimeField("时间")
    opinion = models.TextField("意见")
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理环节记录"
        ordering = ["case", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_step_unique_position"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.step}"


class CaseCount(models.Model):
    """Rollup (R-21, L-LIMIT, list counts): cases counted by center, department and status,
    open ones also by due date and alert level. Delta rows (+1 / -1) written in the
    transaction of every change by zwfw.cases.rollups; the periodic recount folds them into
    one row per key. Open cases are keyed by the due date, so "overdue on any day" is a range
    sum (see zwfw.cases.rollups)."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    due_date = models.DateField(null=True, blank=True)
    alert_level = models.CharField(max_length=6)
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["department", "status"], name="case_count_dept")]

    def __str__(self):
        return f"{self.department_id} {self.status} {self.due_date} {self.alert_level} {self.n}"


class CaseCompletionCount(models.Model):
    """Rollup (R-21, L-EVAL 未评价率): completed cases counted by center, department, item, the
    receiving staff member and month of completion, split by whether an active rating exists.
    Delta rows written with the completion and with a case's first active rating
    (zwfw.cases.rollups); folded by the periodic recount."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey("org.Person", null=True, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    rated = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "department"], name="case_done_count_month")]

    def __str__(self):
        return f"{self.month} {self.department_id} {self.rated} {self.n}"


# The first-inquiry log and the case documents (issue 12 points 5, 6) live in their own module.
from zwfw.cases.models_docs import (  # noqa: E402, F401
    DecisionDocument,
    DecisionNumberCounter,
    Delivery,
    Inquiry,
    IntakeReceipt,
)
from zwfw.cases.models_joint import JointCase, JointPart, Theme, ThemeItem  # noqa: E402, F401
