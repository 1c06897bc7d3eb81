"""The SMS outbox: every message the platform sends, with its delivery state."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.core.fields import EncryptedTextField
from zwfw.core.masking import mask_phone


class Kind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理通知")
    REFUSAL = "refusal", _("不予受理通知")
    SUPPLEMENT_NOTICE = "supplement_notice", _("一次性告知")
    PAUSE = "pause", _("暂停计时告知")
    RESUME = "resume", _("恢复计时告知")
    EXTENSION = "extension", _("延期告知")
    DECISION = "decision", _("审批决定")
    READY = "ready", _("办结取件")
    WITHDRAWAL = "withdrawal", _("撤回、终止告知")
    EVALUATION = "evaluation", _("评价邀请")
    VERIFICATION = "verification", _("短信验证码")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OutboxMessage(models.Model):
    phone = EncryptedTextField("手机号")
    text = models.TextField("短信内容")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # Free text the calling app fills (a case number …), so any app can send without a schema
    # change here.
    ref = models.CharField("关联编号", max_length=100, blank=True, db_index=True)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="部门",
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    error = models.CharField("失败原因", max_length=300, blank=True)
    sender = models.CharField("发送通道", max_length=200, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    # Not before this moment: a claimed message's lease while the gateway is called, then the
    # backoff after a failed attempt (notifications.services.send_message).
    next_attempt_at = models.DateTimeField("下次发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信发件箱"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.masked_phone}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PhoneCode(models.Model):
    """A one-time SMS code that proves the holder of a phone (notifications.codes). Only
    digests are kept: the phone as its blind index, the code keyed by the secret key."""

    phone_index = models.CharField(max_length=64)
    purpose = models.CharField("用途", max_length=40)
    subject = models.CharField("对象", max_length=100, blank=True)  # a case number …
    code_digest = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["phone_index", "purpose", "subject"])]

    def __str__(self):
        return f"{self.purpose} {self.subject}"
