"""Resident staff (进驻人员, seed 002) and their assessment. Fields and one-row invariants only;
rules live in services.py (writes), selectors.py (reads), scoring.py and quota.py (pure).

- Admission (R-6 … R-10): a department's application to station a person, the center's review
  with the HR department (R-8) and, for staff off the establishment, a CollectiveDecision (R-9).
- ResidentAssignment: the posting itself, three years from its start (R-11).
- ChangeLetter / ApprovalReply (R-11): the department's formal letter and the center's reply.
- LeaveRequest (R-19), TaskComplaint (R-19: unrelated tasks), Training (R-12).
- WorkingHours, AttendanceRecord (R-21 attendance): the center's hours and each resident's
  working day, imported from the clock-in system or entered by the center (补录).
- Indicator, ManualAdjustment, MonthlyFacts (rollup), MonthlyAssessment, MonthlyBulletin (R-21).
- AssessmentSettings (R-22/R-25 per-center 优秀 share), AnnualGrade (R-22/R-23).
- OfficerReview / OfficerRecommendation (N-19): chief officers' annual record and 优秀 list.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

TERM_YEARS = 3


def term_end(start: datetime.date) -> datetime.date:
    """The last day of a three-year term starting on `start` (29 February falls back to 28)."""
    try:
        anniversary = start.replace(year=start.year + TERM_YEARS)
    except ValueError:
        anniversary = start.replace(year=start.year + TERM_YEARS, day=28)
    return anniversary - datetime.timedelta(days=1)


class CollectiveDecision(models.Model):
    """R-9 集体审定: the government service management office together with the center decides
    on staff off the establishment (or otherwise outside R-7): date, members present, result."""

    class Result(models.TextChoices):
        APPROVED = "approved", "同意进驻"
        REJECTED = "rejected", "不同意进驻"

    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    decided_on = models.DateField("审定日期")
    members = models.ManyToManyField("org.Person", related_name="+", verbose_name="参加人员")
    result = models.CharField("审定结果", max_length=10, choices=Result.choices)
    note = models.TextField("审定意见", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "集体审定"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"集体审定 {self.decided_on:%Y-%m-%d}（{self.get_result_display()}）"


class Admission(models.Model):
    """准入审核: a department applies to station a person at a center (R-6 … R-10)."""

    class Status(models.TextChoices):
        APPLIED = "applied", "待中心审核"
        ADMITTED = "admitted", "已进驻"
        REJECTED = "rejected", "审核未通过"

    class Result(models.TextChoices):
        PASS = "pass", "审核合格"
        FAIL = "fail", "审核不合格"

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="admissions", verbose_name="人员"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    start_date = models.DateField("拟进驻日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="applied")
    age_on_start = models.PositiveSmallIntegerField("进驻时年龄")
    # "section_head" / "acting_deputy" when the filed head of the service section is
    # admitted over 45.
    age_exception = models.CharField("年龄例外", max_length=20, blank=True)
    # R-7 in principle: the warnings shown, and the written justification and approver that
    # admitted the person anyway (both also in the audit event).
    warnings = models.JSONField("提示", default=list, blank=True)
    justification = models.TextField("情况说明", blank=True)
    approver = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="批准人",
    )
    collective_decision = models.ForeignKey(
        CollectiveDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admissions",
        verbose_name="集体审定",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField("申请时间")
    # the center's review together with the HR department.
    reviewed_by = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="中心审核人",
    )
    hr_reviewer = models.CharField("组织人事部门审核人", max_length=100, blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    review_result = models.CharField("审核结果", max_length=10, choices=Result.choices, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    union_transferred = models.BooleanField("工会会籍转入中心工会", default=False)
    party_transferred = models.BooleanField("党组织关系转入中心党支部", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "准入审核"
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["center", "status"], name="admission_center_status")]

    def __str__(self):
        return f"{self.person}（{self.department}）进驻申请"


class ResidentAssignment(models.Model):
    """A person stationed at a center for three years (R-11)."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="resident_assignments"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    admission = models.OneToOneField(
        Admission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignment",
        verbose_name="准入审核",
    )
    start_date = models.DateField("进驻日期")
    term_end = models.DateField("任期届满日期")
    ended_on = models.DateField("实际结束日期", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    chief_representative = models.BooleanField("首席代表", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "进驻人员"
        ordering = ["center", "department", "start_date", "id"]
        indexes = [
            models.Index(fields=["center", "ended_on"], name="assignment_center_ended"),
            models.Index(fields=["term_end"], name="assignment_term_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("start_date")), name="assignment_term_range"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="assignment_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.person}（{self.department}）"

    def in_force(self, on: datetime.date) -> bool:
        return self.start_date <= on and (self.ended_on is None or on <= self.ended_on)


class ChangeLetter(models.Model):
    """调整函 (R-11): the department's formal letter changing a resident mid-term or at the
    end of the term: number, reason, the new person, the uploaded scan."""

    class Kind(models.TextChoices):
        MID_TERM = "mid_term", "中途调整"
        TERM_END = "term_end", "期满调整"

    class Status(models.TextChoices):
        PENDING = "pending", "待中心函复"
        APPROVED = "approved", "中心已同意"
        REJECTED = "rejected", "中心不同意"

    assignment = models.ForeignKey(
        ResidentAssignment,
        on_delete=models.PROTECT,
        related_name="change_letters",
        verbose_name="被调整的进驻",
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    letter_no = models.CharField("函件文号", max_length=100)
    kind = models.CharField("调整类型", max_length=10, choices=Kind.choices)
    reason = models.TextField("调整原因")
    new_person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="新进驻人员"
    )
    new_person_details = models.TextField("新进驻人员基本情况", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="pending")
    scan_name = models.CharField(max_length=200, blank=True, editable=False)
    scan_kind = models.CharField(max_length=10, blank=True, editable=False)
    scan_filename = models.CharField("扫描件", max_length=200, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField("来函日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "调整函"
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["new_person", "status"], name="change_new_person")]

    def __str__(self):
        return f"{self.department}调整函 {self.letter_no}"


class ApprovalReply(models.Model):
    """复函 (R-11): the center's formal reply to a change letter."""

    letter = models.OneToOneField(
        ChangeLetter, on_delete=models.PROTECT, related_name="reply", verbose_name="调整函"
    )
    reply_no = models.CharField("复函文号", max_length=100)
    approved = models.BooleanField("同意调整")
    replied_on = models.DateField("复函日期")
    note = models.TextField("复函意见", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "复函"

    def __str__(self):
        return f"复函 {self.reply_no}"


class LeaveRequest(models.Model):
    """请销假 (R-19): approved by the center, never by the department."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "年休假"
        SICK = "sick", "病假"
        PERSONAL = "personal", "事假"
        MARRIAGE = "marriage", "婚假"
        MATERNITY = "maternity", "产假"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        PENDING = "pending", "待中心审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="请假人"
    )
    assignment = models.ForeignKey(
        ResidentAssignment, on_delete=models.PROTECT, related_name="leave_requests"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    kind = models.CharField("假别", max_length=10, choices=Kind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    workdays = models.PositiveSmallIntegerField("工作日天数")
    reason = models.TextField("请假事由")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="pending")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "请假"
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["center", "status", "start"], name="leave_center")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_range")
        ]

    def __str__(self):
        return f"{self.person}{self.get_kind_display()}"


class TaskComplaint(models.Model):
    """R-19: a resident reports that the home department assigned unrelated tasks, meetings
    or activities; the center sees it."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="反映人"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    occurred_on = models.DateField("发生日期")
    description = models.TextField("安排的无关任务、会议或活动")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "无关任务反映"
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.person}反映{self.department}安排无关任务"


class Training(models.Model):
    """R-12: training of a department's resident staff by its chief representative."""

    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    held_on = models.DateField("培训日期")
    topic = models.CharField("培训内容", max_length=200)
    attendees = models.ManyToManyField("org.Person", related_name="+", verbose_name="参训人员")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "业务培训"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.topic


# --- attendance -------------------------------------------------------------------------


class WorkingHours(models.Model):
    """A center's working hours (作息时间), the data an imported clock-in is judged by. A
    center without a row takes its nearest parent's, else DEFAULT_WORKING_HOURS (R-25)."""

    center = models.OneToOneField(
        "org.ServiceCenter", on_delete=models.CASCADE, related_name="+", verbose_name="中心"
    )
    morning_start = models.TimeField("上午上班", default=datetime.time(9, 0))
    morning_end = models.TimeField("上午下班", default=datetime.time(12, 0))
    afternoon_start = models.TimeField("下午上班", default=datetime.time(13, 30))
    afternoon_end = models.TimeField("下午下班", default=datetime.time(17, 30))
    grace_minutes = models.PositiveSmallIntegerField("迟到宽限（分钟）", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "作息时间"
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_end__gt=models.F("morning_start"))
                & Q(afternoon_start__gte=models.F("morning_end"))
                & Q(afternoon_end__gt=models.F("afternoon_start")),
                name="working_hours_order",
            )
        ]

    def __str__(self):
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}，"
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )


class AttendanceRecord(models.Model):
    """考勤: one resident's working day, imported from the clock-in system (打卡导入) or
    entered by the center with a reason (补录). One row per person and day."""

    class Status(models.TextChoices):
        PRESENT = "present", "出勤"
        LATE = "late", "迟到"
        EARLY = "early", "早退"
        LATE_EARLY = "late_early", "迟到且早退"
        ABSENT = "absent", "旷工"
        BUSINESS = "business", "外出公务"
        LEAVE = "leave", "请假"

    class Source(models.TextChoices):
        IMPORT = "import", "打卡导入"
        CORRECTION = "correction", "补录"

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="进驻单位"
    )
    date = models.DateField("日期")
    status = models.CharField("考勤状态", max_length=12, choices=Status.choices)
    sign_in = models.TimeField("签到", null=True, blank=True)
    sign_out = models.TimeField("签退", null=True, blank=True)
    minutes_late = models.PositiveSmallIntegerField("迟到分钟", default=0)
    minutes_early = models.PositiveSmallIntegerField("早退分钟", default=0)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = verbose_name_plural = "考勤记录"
        ordering = ["date", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="attendance_unique_day"),
        ]
        # The monthly rollup reads one month of all centers (date range), the pages one
        # center's month.
        indexes = [
            models.Index(fields=["date"], name="attendance_date"),
            models.Index(fields=["center", "date"], name="attendance_center_date"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.date:%Y-%m-%d} {self.get_status_display()}"

    SHORT = {
        "present": "√",
        "late": "迟",
        "early": "早",
        "late_early": "迟早",
        "absent": "旷",
        "business": "公",
        "leave": "假",
    }

    @property
    def short(self) -> str:
        """The grid's one-character mark."""
        return self.SHORT.get(self.status, "?")


# Statuses counted by the monthly facts.
PRESENT_STATUSES = ("present", "late", "early", "late_early", "business")
LATE_STATUSES = ("late", "late_early")
EARLY_STATUSES = ("early", "late_early")


# --- monthly assessment -----------------------------------------------------------------


class Fact(models.TextChoices):
    """Facts recorded per resident and month (MonthlyFacts columns)."""

    RECEIVED = "received", "收件数"
    DECIDED = "decided", "办结（决定）数"
    ON_TIME = "on_time", "按时办结数"
    NOTICES = "notices", "一次性告知数"
    EVALUATIONS = "evaluations", "评价数"
    GOOD = "good", "好评数"
    BAD_UPHELD = "bad_upheld", "差评核实属实数"
    INSPECTION_PROBLEMS = "inspection_problems", "抽查发现问题数"
    HOTLINE_COMPLAINTS = "hotline_complaints", "12345投诉数"
    LEAVE_DAYS = "leave_days", "请假工作日"
    PERSONAL_LEAVE_DAYS = "personal_leave_days", "事假工作日"
    DAYS_PRESENT = "days_present", "出勤天数"
    LATE = "late", "迟到次数"
    EARLY = "early", "早退次数"
    ABSENT = "absent", "旷工天数"


FACT_FIELDS = [f.value for f in Fact]


class Indicator(models.Model):
    """One line of the center's assessment rules (考核细则), as data. `center` empty: the
    default rules of every center that has none of its own (R-25). Formula kinds are in
    scoring.py: base, rate, per_unit, deduct."""

    class Kind(models.TextChoices):
        BASE = "base", "基础分"
        RATE = "rate", "比率×权重"
        PER_UNIT = "per_unit", "每项加分（封顶）"
        DEDUCT = "deduct", "每项扣分（封顶）"

    center = models.ForeignKey(
        "org.ServiceCenter",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="中心",
    )
    code = models.CharField("指标代码", max_length=30)
    name = models.CharField("指标名称", max_length=100)
    kind = models.CharField("计分方式", max_length=10, choices=Kind.choices)
    fact = models.CharField("事实", max_length=30, choices=Fact.choices, blank=True)
    denominator = models.CharField("分母事实", max_length=30, choices=Fact.choices, blank=True)
    weight = models.DecimalField("权重/分值", max_digits=7, decimal_places=2)
    cap = models.DecimalField("封顶", max_digits=7, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核指标"
        ordering = ["center", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="indicator_unique_code"),
        ]

    def __str__(self):
        return self.name


class ManualAdjustment(models.Model):
    """A manual bonus or penalty (加减分) for a resident in a month, with its reason."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("org.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    reason = models.CharField("理由", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "加减分"
        ordering = ["month", "person", "id"]
        indexes = [models.Index(fields=["center", "month"], name="adjust_center_month")]

    def __str__(self):
        return f"{self.person} {self.points:+}"


class MonthlyFacts(models.Model):
    """The rollup: one row per resident and month, refreshed from the raw tables (cases,
    evaluations, supervision, leave, attendance) with one GROUP BY each. Scores read only this table."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份")
    received = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)
    evaluations = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    bad_upheld = models.PositiveIntegerField(default=0)
    inspection_problems = models.PositiveIntegerField(default=0)
    hotline_complaints = models.PositiveIntegerField(default=0)
    leave_days = models.PositiveIntegerField(default=0)
    personal_leave_days = models.PositiveIntegerField(default=0)
    days_present = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    adjustments = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "月度考核事实（汇总）"
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="facts_unique_month"),
        ]
        indexes = [models.Index(fields=["center", "month"], name="facts_center_month")]

    def __str__(self):
        return f"{self.person_id} {self.month:%Y-%m}"

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in FACT_FIELDS}


class MonthlyAssessment(models.Model):
    """月度考核: a resident's score of a month with its parts explained."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("org.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    parts = models.JSONField("得分构成")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "月度考核"
        ordering = ["month", "-score", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="assessment_unique_month"),
        ]
        indexes = [models.Index(fields=["center", "month"], name="assessment_center_month")]

    def __str__(self):
        return f"{self.person} {self.month:%Y-%m} {self.score}"


class MonthlyBulletin(models.Model):
    """每月通报: the center's published results of a month (the scores are frozen then)."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    headcount = models.PositiveIntegerField("参加考核人数")
    average = models.DecimalField("平均分", max_digits=7, decimal_places=2)
    note = models.TextField("通报说明", blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField("通报时间")

    class Meta:
        verbose_name = verbose_name_plural = "每月通报"
        ordering = ["-month", "center"]
        constraints = [
            models.UniqueConstraint(fields=["center", "month"], name="bulletin_unique_month"),
        ]

    def __str__(self):
        return f"{self.center} {self.month:%Y年%m月}通报"


# --- annual grades --------------------------------------------------------


class AssessmentSettings(models.Model):
    """A center's own 优秀 share (R-22, R-25); without a row the setting
    ZWFW_STAFF_EXCELLENT_SHARE (default 0.15) applies."""

    center = models.OneToOneField(
        "org.ServiceCenter", on_delete=models.CASCADE, related_name="+", verbose_name="中心"
    )
    excellent_share = models.DecimalField("优秀比例", max_digits=4, decimal_places=3)

    class Meta:
        verbose_name = verbose_name_plural = "考核设置"

    def __str__(self):
        return f"{self.center} 优秀比例 {self.excellent_share}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class AnnualGrade(models.Model):
    """年度考核等次 (R-22): assigned by the center, the assessment unit of its residents."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey("org.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    score = models.DecimalField("年度平均分", max_digits=7, decimal_places=2)
    months = models.PositiveSmallIntegerField("考核月数")
    grade = models.CharField("等次", max_length=12, choices=Grade.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "年度考核等次"
        ordering = ["year", "center", "-score", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="grade_unique_year"),
        ]

    def __str__(self):
        return f"{self.person} {self.year} {self.get_grade_display()}"


# --- N-19: chief service officers' annual assessment -----------------------------------------


class OfficerReview(models.Model):
    """N-19: a chief service officer's year from the records, and whether the center
    recommends 优秀 (with the reason); the leading group approves the list."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待领导小组审定"
        APPROVED = "approved", "领导小组已审定"

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    facts = models.JSONField("年度记录")
    recommended = models.BooleanField("推荐优秀", default=False)
    reason = models.TextField("推荐理由", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="draft")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField("审定日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "首席服务员年度考核"
        ordering = ["year", "department", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="officer_review_unique"),
        ]

    def __str__(self):
        return f"{self.person} {self.year}"
