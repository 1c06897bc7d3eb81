"""First-inquiry log (首问首接, R-16, C-2.2) and the written documents of a case: the intake
receipt (收件回执), the decision document (准予/不予行政许可决定书) and its delivery (送达).
Fields and one-row invariants only; rules live in services.inquiries and services.delivery.
Imported by cases.models, so Django sees these models as the app's."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_name, mask_phone


class Inquiry(models.Model):
    """One question asked at a window and who answered it (首问首接, R-16). Who asked is
    personal data: name and phone are encrypted at rest and masked on pages and in the API."""

    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    # The answering staff member's department: lists and counts are scoped by it.
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="首问部门"
    )
    window = models.ForeignKey(
        "org.Window",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name="窗口",
    )
    answered_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="首问责任人"
    )
    asked_at = models.DateTimeField("咨询时间")
    asked_on = models.DateField("咨询日期")
    asker_name = EncryptedTextField("咨询人", blank=True)
    asker_phone = EncryptedTextField("咨询人电话", blank=True)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="咨询事项",
    )
    question = models.TextField("咨询内容")
    answer = models.TextField("答复内容", blank=True)
    # C-2.2: ALL materials the item needs, as told (a snapshot of the checklist that day).
    notice_given = models.BooleanField("已一次性告知全部材料", default=False)
    notice_materials = models.JSONField("告知的材料清单", default=list, blank=True)
    referred_to_window = models.ForeignKey(
        "org.Window",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="引导至窗口",
    )
    referred_to_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="引导至部门",
    )
    referral_note = models.CharField("引导说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "首问登记"
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["department", "asked_on"], name="inquiry_dept_on"),
            models.Index(fields=["center", "asked_on"], name="inquiry_center_on"),
        ]
        constraints = [
            # C-2.2: a one-time notice is of an item's materials.
            models.CheckConstraint(
                condition=Q(notice_given=False) | Q(item__isnull=False),
                name="inquiry_notice_has_item",
            ),
        ]

    def __str__(self):
        return f"首问 {self.pk} {self.asked_on}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.asker_name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.asker_phone)

    @property
    def referred(self) -> bool:
        return bool(self.referred_to_window_id or self.referred_to_department_id)


class IntakeReceipt(models.Model):
    """收件回执: what was handed in at intake, fixed then (later supplements do not change
    it); its PDF carries a QR code of the progress query and the rating page."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="intake_receipt"
    )
    issued_at = models.DateTimeField("出具时间")
    # [{"name", "form"}] received and [names] of required materials missing, at intake.
    received = models.JSONField("收取材料", default=list)
    missing = models.JSONField("缺少的必要材料", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "收件回执"

    def __str__(self):
        return f"{self.case_id} 收件回执"


class DecisionNumberCounter(models.Model):
    """The last decision document number of a center in a year (locked while drawn)."""

    center = models.ForeignKey("org.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="decision_counter_unique")
        ]

    def __str__(self):
        return f"{self.center_id} {self.year} #{self.last}"


class DecisionDocument(models.Model):
    """准予/不予行政许可决定书 (行政许可法第38条): numbered once, when the decision is made, in
    one sequence per center and year. The text is rendered from the case's decision (person,
    authority relied on, opinion), which never changes after the decision."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("准予行政许可决定书")
        DENY = "deny", _("不予行政许可决定书")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="decision_document"
    )
    kind = models.CharField("文书类型", max_length=10, choices=Kind.choices)
    center = models.ForeignKey(
        "org.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name="中心"
    )
    year = models.PositiveIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=60, unique=True)
    issued_on = models.DateField("决定日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政许可决定书"
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "seq"], name="decision_document_unique_seq"
            ),
        ]

    def __str__(self):
        return self.number


class Delivery(models.Model):
    """送达 of the decision (行政许可法第44条): at the window, by post with a tracking number,
    or electronically. A case completes only once it has one."""

    class Method(models.TextChoices):
        WINDOW = "window", _("窗口领取")
        POST = "post", _("邮寄送达")
        ELECTRONIC = "electronic", _("电子送达")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField("送达方式", max_length=12, choices=Method.choices)
    tracking_number = models.CharField("邮寄单号", max_length=40, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    delivered_on = models.DateField("送达日期")
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "送达记录"
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="post") | ~Q(tracking_number=""),
                name="delivery_post_has_tracking",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.get_method_display()}"
