"""Joint cases (一事联办, L-LIMIT, R-18): a theme (主题) configured by the center spans items of
two or more departments; one application for it becomes a JointCase whose parts are ordinary
cases, each handled by its own department under its own authority with its own clock."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_phone


class Theme(models.Model):
    """主题: the items of one matter across departments, a lead department (牵头部门), and
    which parts need the lead department's countersign (会签)."""

    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    code = models.CharField("主题编码", max_length=40, unique=True)
    name = models.CharField("主题名称", max_length=200)
    lead_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="牵头部门"
    )
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "联办主题"
        ordering = ["code"]

    def __str__(self):
        return self.name


class ThemeItem(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(
        "catalog.ServiceItem", on_delete=models.PROTECT, related_name="+", verbose_name="事项"
    )
    countersign = models.BooleanField("需牵头部门会签", default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "主题事项"
        ordering = ["theme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "item"], name="theme_item_unique"),
        ]

    def __str__(self):
        return f"{self.theme_id} {self.item_id}"


class JointState(models.TextChoices):
    RECEIVED = "received", _("已收件")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    COMPLETED = "completed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class JointCaseCounter(models.Model):
    """The last joint number of a center on a day (its own sequence: case numbers keep
    theirs without gaps)."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day"], name="joint_counter_unique_day"),
        ]

    def __str__(self):
        return f"{self.center_id} {self.day} #{self.last}"


class JointCase(models.Model):
    number = models.CharField("联办编号", max_length=40, unique=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="joint_cases", verbose_name="主题"
    )
    title = models.CharField("申请事项名称", max_length=200)
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    applicant = models.ForeignKey(
        "cases.Applicant", on_delete=models.PROTECT, related_name="joint_cases"
    )
    phone = EncryptedTextField("联系电话")
    phone_last4 = models.CharField(max_length=4, editable=False)
    channel = models.CharField("申请渠道", max_length=15)
    status = models.CharField(
        "状态", max_length=20, choices=JointState.choices, default=JointState.RECEIVED
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField("收件时间")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    accepted_at = models.DateTimeField("受理操作时间", null=True, blank=True)
    # L-LIMIT: 45 working days for joint handling, one extension of at most 15.
    limit_days = models.PositiveIntegerField("联办时限（工作日）", default=45)
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extended_on = models.DateField("延期日期", null=True, blank=True)
    extension_approved_by = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="延期批准人",
    )
    due_date = models.DateField("联办期限", null=True, blank=True)
    completed_on = models.DateField("办结日期", null=True, blank=True)
    closed_reason = models.TextField("撤回原因", blank=True)
    closed_on = models.DateField("撤回日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "联办件"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.number

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class JointPart(models.Model):
    """One department's part of a joint case: an ordinary case of one item."""

    joint = models.ForeignKey(JointCase, on_delete=models.CASCADE, related_name="parts")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="joint_part", verbose_name="分项办件"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="办理部门"
    )
    position = models.PositiveIntegerField(default=0)
    countersign = models.BooleanField("需牵头部门会签", default=False)
    countersign_opinion = models.TextField("会签意见", blank=True)
    countersigned_on = models.DateField("会签日期", null=True, blank=True)
    countersigned_by = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="会签人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "联办分项"
        ordering = ["joint", "position", "id"]

    def __str__(self):
        return f"{self.joint_id} {self.case_id}"
