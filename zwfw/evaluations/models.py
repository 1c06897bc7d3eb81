"""好差评 (ratings) and their follow-up: window visits, evaluator devices, ratings with tags,
rectification tickets for bad reviews, appeals, and invitations to rate. Fields and one-row
invariants only; rules live in services.

Level numbering (API.md): `level` counts the national 好差评 stars, 5 = 非常满意 … 1 = 非常不满意,
the marks integrators send. The API also accepts and returns the explicit name
(`very_satisfied` …) and the Chinese label, so no integrator has to guess the direction.
(Before migration 0002 the scale ran the other way; that migration turned stored ratings.)
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_phone


class Level(models.IntegerChoices):
    # National 好差评 stars (API.md): more stars, more satisfied.
    VERY_DISSATISFIED = 1, _("非常不满意")
    DISSATISFIED = 2, _("不满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    SATISFIED = 4, _("满意")
    VERY_SATISFIED = 5, _("非常满意")


# Explicit names of the levels (API input and output), so "level 1" is never ambiguous.
LEVEL_NAMES = {
    5: "very_satisfied",
    4: "satisfied",
    3: "basically_satisfied",
    2: "dissatisfied",
    1: "very_dissatisfied",
}
# The order people expect on a rating form and in filters: best first (as NATIONAL.md lists).
LEVELS_BEST_FIRST = sorted(Level.choices, key=lambda choice: -choice[0])

# L-EVAL: 不满意 and 非常不满意 are bad reviews; the other three count as good (好评率).
# The one place that says which levels are bad: everything else calls is_bad_level, reads
# BAD_LEVELS or filters on the stored `good` column (kept equal by a check constraint).
BAD_LEVEL_MAX = 2
BAD_LEVELS = frozenset(v for v in Level.values if v <= BAD_LEVEL_MAX)


def is_bad_level(level: int) -> bool:
    """L-EVAL: 不满意 (2) and 非常不满意 (1) are bad reviews."""
    return level <= BAD_LEVEL_MAX


class EvaluationChannel(models.TextChoices):
    DEVICE = "device", _("窗口评价器")
    QR = "qr", _("二维码")
    SMS = "sms", _("短信")
    WEB = "web", _("政务服务网")
    MOBILE = "mobile", _("移动端")
    SELF_SERVICE = "self_service", _("自助终端")
    DEFAULT = "default", _("默认评价")


# N-18: online, one rating per case (一事一评) across these channels; on-site ratings are one
# per visit (一次一评) instead. The default rating takes the place of an online one.
ONLINE_CHANNELS = (
    EvaluationChannel.QR,
    EvaluationChannel.SMS,
    EvaluationChannel.WEB,
    EvaluationChannel.MOBILE,
    EvaluationChannel.DEFAULT,
)


class Tag(models.TextChoices):
    # Bad-review reasons (NATIONAL.md: the three seen most come first).
    OVER_LIMIT = "over_limit", _("超过法定办理时间")
    EXTRA_CONDITIONS = "extra_conditions", _("额外增加条件")
    EXTRA_MATERIALS = "extra_materials", _("额外增加材料")
    ATTITUDE = "attitude", _("服务态度差")
    REPEATED_TRIPS = "repeated_trips", _("多次跑动")
    INACCURATE_GUIDE = "inaccurate_guide", _("办事指南不准确")
    LONG_WAIT = "long_wait", _("等候时间过长")
    OTHER_PROBLEM = "other_problem", _("其他问题")
    # Praise.
    EFFICIENT = "efficient", _("办事效率高")
    FRIENDLY = "friendly", _("服务态度好")
    ONE_VISIT = "one_visit", _("一次办成")


BAD_TAGS = (
    Tag.OVER_LIMIT,
    Tag.EXTRA_CONDITIONS,
    Tag.EXTRA_MATERIALS,
    Tag.ATTITUDE,
    Tag.REPEATED_TRIPS,
    Tag.INACCURATE_GUIDE,
    Tag.LONG_WAIT,
    Tag.OTHER_PROBLEM,
)
GOOD_TAGS = (Tag.EFFICIENT, Tag.FRIENDLY, Tag.ONE_VISIT)


class EvaluatorDevice(models.Model):
    """评价器: a rating pad at one window; it calls the API with a token kept as a digest."""

    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    window = models.ForeignKey(
        "org.Window", on_delete=models.PROTECT, related_name="+", verbose_name="窗口"
    )
    name = models.CharField("设备名称", max_length=100)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField("在用", default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    registered_at = models.DateTimeField("登记时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "窗口评价器"
        ordering = ["center", "window", "id"]

    def __str__(self):
        return f"{self.window} {self.name}"


class IntegratorAccount(models.Model):
    """An integrator account (API.md): the account of a platform that collects ratings itself
    (the provincial 好差评 system, 12345, a mobile app) and posts them through the API with a
    bearer token. Its ratings count as confirmed (its platform checked the rater), and the
    self-rating refusal for staff (N-18) does not apply to it. Registered by a center
    administrator; `center` empty means every center."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rating_integrator",
        verbose_name="对接账号",
    )
    name = models.CharField("对接平台", max_length=100)
    center = models.ForeignKey(
        "org.ServiceCenter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="中心（空为全部）",
    )
    active = models.BooleanField("在用", default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    registered_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = verbose_name_plural = "好差评对接账号"

    def __str__(self):
        return self.name


class WindowVisit(models.Model):
    """One service at a window (一次办事): what an on-site rating is about (一次一评, N-18).

    Created by the staff member or the evaluator device when a service ends, or by the
    rating page of a window's or a staff member's QR sheet when the rater submits."""

    class Source(models.TextChoices):
        STAFF = "staff", _("工作人员发起")
        DEVICE = "device", _("窗口评价器")
        SHEET = "sheet", _("二维码评价牌")

    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    window = models.ForeignKey(
        "org.Window",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="窗口",
    )
    staff = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="工作人员",
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="部门",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办件",
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    # The one-time token: its digest only (a sheet's form nonce, or a link handed out).
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("服务结束时间")
    expires_at = models.DateTimeField("评价链接有效期至")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发起人",
    )
    device = models.ForeignKey(
        EvaluatorDevice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name="评价器",
    )

    class Meta:
        verbose_name = verbose_name_plural = "窗口服务"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.window or self.staff or self.center} {self.created_at:%Y-%m-%d %H:%M}"


class Evaluation(models.Model):
    """A rating (好差评) of a case, a window visit or a staff member.

    The columns statistics group by (center, department, window, staff, item, month, good,
    is_default, excluded) are copied in when the rating is made, so every indicator is one
    GROUP BY over indexed columns."""

    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    good = models.BooleanField("好评", editable=False)
    channel = models.CharField("评价渠道", max_length=15, choices=EvaluationChannel.choices)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name="办件",
    )
    visit = models.OneToOneField(
        WindowVisit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name="窗口服务",
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="部门",
    )
    window = models.ForeignKey(
        "org.Window",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="窗口",
    )
    staff = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="工作人员",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="事项",
    )
    rated_at = models.DateTimeField("评价时间")
    rated_on = models.DateField("评价日期")
    month = models.DateField("统计月份", help_text="评价日期所在月的1日")
    comment = models.TextField("评价内容", blank=True)
    # Confidential (NATIONAL.md): encrypted at rest, masked on every page.
    rater_phone = EncryptedTextField("评价人电话", blank=True)
    is_default = models.BooleanField("默认评价", default=False)
    # L-EVAL, issue 11 point 6: whether the rater is known to hold a phone (the case's phone
    # through its SMS link or the progress page, an SMS code, an integrator or an evaluator
    # device). An unverified bad review is kept and counted but opens no rectification.
    verified = models.BooleanField("评价人已核验", default=False)
    excluded = models.BooleanField("申诉核减", default=False)
    excluded_on = models.DateField("核减日期", null=True, blank=True)
    device = models.ForeignKey(
        EvaluatorDevice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="评价器",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="录入人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "好差评"
        ordering = ["-rated_at", "-id"]
        indexes = [
            models.Index(fields=["month", "center"], name="eval_month_center"),
            models.Index(fields=["department", "month"], name="eval_department_month"),
            models.Index(fields=["window", "month"], name="eval_window_month"),
            models.Index(fields=["staff", "month"], name="eval_staff_month"),
            models.Index(fields=["item", "month"], name="eval_item_month"),
            models.Index(fields=["rated_at"], name="eval_rated_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="eval_level_1_5"),
            models.CheckConstraint(
                condition=Q(level__gt=BAD_LEVEL_MAX, good=True)
                | Q(level__lte=BAD_LEVEL_MAX, good=False),
                name="eval_good_matches_stars",
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(channel="default", level=3),
                name="eval_default_is_basic",
            ),
            # API.md: a second rating of a case on the same channel is refused (409).
            models.UniqueConstraint(
                fields=["case", "channel"],
                condition=Q(visit__isnull=True, case__isnull=False),
                name="eval_case_channel_once",
            ),
            # N-18: online, one rating per case (一事一评) whatever the online channel.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(visit__isnull=True, case__isnull=False, channel__in=ONLINE_CHANNELS),
                name="eval_online_once_per_case",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}（{self.get_channel_display()}）"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def bad(self) -> bool:
        return not self.good

    @property
    def masked_rater_phone(self) -> str:
        return mask_phone(self.rater_phone)


class EvaluationTag(models.Model):
    """One tag of a rating: a row each, so the tag chart is one GROUP BY."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="tags")
    tag = models.CharField("标签", max_length=20, choices=Tag.choices)

    class Meta:
        verbose_name = verbose_name_plural = "评价标签"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "tag"], name="eval_tag_once"),
        ]

    def __str__(self):
        return self.get_tag_display()


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待回访核实")
    CALLED_BACK = "called_back", _("待整改")
    RECTIFIED = "rectified", _("待反馈")
    REPORTED = "reported", _("待办结")
    CLOSED = "closed", _("已办结")
    EXCLUDED = "excluded", _("申诉核减，终止整改")


OPEN_RECTIFICATION = (
    RectificationStatus.OPEN,
    RectificationStatus.CALLED_BACK,
    RectificationStatus.RECTIFIED,
    RectificationStatus.REPORTED,
)


class Finding(models.TextChoices):
    TRUE = "true", _("情况属实")
    PARTLY = "partly", _("部分属实")
    UNTRUE = "untrue", _("情况不属实")
    UNREACHABLE = "unreachable", _("无法联系评价人")


class Rectification(models.Model):
    """差评整改: the ticket a bad review opens (L-EVAL), owned by the department.

    Three steps, each with a stored due date in working days from the review: call back and
    verify (回访核实), rectify (整改), report back to the rater (反馈); then closing with a
    recorded result. The alert level and escalation are stored and refreshed nightly."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="rectification", verbose_name="评价"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任部门",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办件",
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    opened_on = models.DateField("差评日期")
    opened_at = models.DateTimeField("立单时间")
    callback_due = models.DateField("回访核实期限")
    callback_done_on = models.DateField("回访日期", null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="回访人",
    )
    finding = models.CharField("核实结论", max_length=12, choices=Finding.choices, blank=True)
    callback_note = models.TextField("回访记录", blank=True)
    rectify_due = models.DateField("整改期限")
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="整改人",
    )
    rectify_note = models.TextField("整改措施", blank=True)
    report_due = models.DateField("反馈期限")
    reported_on = models.DateField("反馈日期", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="反馈人",
    )
    report_note = models.TextField("反馈内容", blank=True)
    report_sms_sent = models.BooleanField("已短信反馈", default=False)
    extended_days = models.PositiveSmallIntegerField("延长工作日", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="办结人",
    )
    result = models.TextField("整改结果", blank=True)
    on_time = models.BooleanField("按时整改", null=True, blank=True)
    # Stored, refreshed by every step and nightly: lists and panels read indexed columns.
    next_due_date = models.DateField("当前环节期限", null=True, blank=True)
    alert_level = models.CharField("预警", max_length=6, default="green")
    escalated = models.BooleanField("已上报中心", default=False)
    escalated_on = models.DateField("上报中心日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "差评整改"
        ordering = ["next_due_date", "id"]
        indexes = [
            models.Index(
                fields=["department", "status", "next_due_date"], name="rect_dept_status_due"
            ),
            models.Index(fields=["status", "next_due_date"], name="rect_status_due"),
            models.Index(fields=["center", "escalated", "status"], name="rect_center_escalated"),
        ]

    def __str__(self):
        return f"差评整改 #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RECTIFICATION

    # The one overdue rule of a bad-review rectification (L-EVAL): open past its next step's
    # due date. Read from the stored date, so it is right before the nightly refresh too.
    @staticmethod
    def overdue_q(on):
        return models.Q(status__in=OPEN_RECTIFICATION, next_due_date__lt=on)

    def is_overdue(self, on=None) -> bool:
        from django.utils import timezone

        due = self.next_due_date
        return self.is_open and due is not None and due < (on or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class Appeal(models.Model):
    """申诉复核: a department contests a mistaken or malicious rating; the center decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待中心复核")
        UPHELD = "upheld", _("申诉成立，已核减")
        REJECTED = "rejected", _("申诉不成立")

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="appeal", verbose_name="评价"
    )
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="申诉部门",
    )
    reason = models.TextField("申诉理由")
    filed_on = models.DateField("申诉日期")
    filed_at = models.DateTimeField("申诉时间")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="申诉人",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    opinion = models.TextField("复核意见", blank=True)
    decided_on = models.DateField("复核日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="复核人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "申诉复核"
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["center", "status"], name="appeal_center_status")]

    def __str__(self):
        return f"申诉 #{self.pk}"


class RatingInvitation(models.Model):
    """The one SMS invitation an unrated completed case gets (never twice)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="办件"
    )
    sent_on = models.DateField("邀请日期")
    sent_at = models.DateTimeField("邀请时间")

    class Meta:
        verbose_name = verbose_name_plural = "评价邀请"

    def __str__(self):
        return f"{self.case_id} {self.sent_on}"


class RatingCount(models.Model):
    """Rollup (R-21, L-EVAL): ratings counted by center, department, window, staff member,
    item, month and the flags the indicators split on. Delta rows (+1 / -1) written in the
    transaction of the rating or of the appeal that excludes it (zwfw.evaluations.rollups);
    a periodic task folds them. The 好差评 statistics read it instead of the ratings."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "org.Department", null=True, on_delete=models.CASCADE, related_name="+"
    )
    window = models.ForeignKey("org.Window", null=True, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey("org.Person", null=True, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        "catalog.ServiceItem", null=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    good = models.BooleanField()
    is_default = models.BooleanField()
    excluded = models.BooleanField()
    verified = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["month", "center"], name="rating_count_month_center"),
            models.Index(fields=["department", "month"], name="rating_count_dept_month"),
        ]

    def __str__(self):
        return f"{self.month} {self.department_id} {self.staff_id} {self.n}"
