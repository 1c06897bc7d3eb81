from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state change, chained by keyed SM3 to the previous event of its chain: one chain
    per service center, and "platform" for events of no center (see core.audit)."""

    # The chain the event belongs to: a service center's id, or "platform".
    chain = models.CharField("审计链", max_length=32, default="platform")
    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    # Names are copied, so the trail still names the real person after accounts change.
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_role = models.CharField("角色", max_length=200, blank=True)
    actor_department = models.CharField("部门", max_length=200, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=100, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.CharField("IP地址", max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The head of a chain (core.audit.record) and the walk of one chain (verify).
            models.Index(fields=["chain", "id"], name="core_audit_chain_id"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class ApiToken(models.Model):
    """A bearer token for the API, stored as a digest with an expiry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.user} → {self.expires_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """First answer to a POST with an Idempotency-Key, returned again for a repeat."""

    key = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=300)
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path", "key"], name="idempotency_unique_key")
        ]

    def __str__(self):
        return f"{self.path} {self.key}"


class RateCounter(models.Model):
    """Hits of one rate-limit key in one fixed window (core.ratelimit), shared by every worker
    through the database when no Redis is configured. The key is stored as a digest: keys
    may name a phone or an address."""

    key = models.CharField(max_length=64)
    bucket = models.BigIntegerField()  # window start, seconds since the epoch
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "bucket"], name="ratecounter_key")]

    def __str__(self):
        return f"{self.key[:8]}… {self.count}"


class ExportJob(models.Model):
    """A large .xlsx export made in the background (issue 16 point 8): who asked, for which
    rows (the export's name and filters, re-read with the asker's permissions), its progress,
    and the finished file in private storage (zwfw.documents.uploads)."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="申请人"
    )
    name = models.CharField("导出类型", max_length=50)
    title = models.CharField("文件名", max_length=200)
    params = models.JSONField("筛选条件", default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已完成行数", default=0)
    file = models.CharField("文件", max_length=255, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导出任务"
        indexes = [models.Index(fields=["user", "-created_at"], name="export_user_recent")]

    def __str__(self):
        return self.title

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / max(self.total, 1))
