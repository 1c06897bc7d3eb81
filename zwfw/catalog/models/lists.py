"""The chief service officer list of each department: state, submissions, publications."""

from django.conf import settings
from django.db import models


class ListCampaign(models.Model):
    """A round of list submissions with one due date for many departments."""

    name = models.CharField("报送批次", max_length=100)
    due_date = models.DateField("报送截止日期")
    center = models.ForeignKey(
        "org.ServiceCenter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="中心",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "清单报送批次"
        ordering = ["-due_date", "-id"]

    def __str__(self):
        return self.name


class ListStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    SUBMITTED = "submitted", "已报送待审核"
    APPROVED = "approved", "已审核发布"
    RETURNED = "returned", "已退回"


class ChiefList(models.Model):
    """The working state of one department's chief service officer list (C-4.1, C-4.2)."""

    department = models.OneToOneField(
        "org.Department",
        on_delete=models.CASCADE,
        related_name="chief_list",
        verbose_name="部门",
    )
    status = models.CharField(
        "状态", max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    # True once the list differs from the last submission; an approval of an older
    # submission then leaves the list in draft (a new submission is needed).
    changed_since_submission = models.BooleanField("报送后有修改", default=False)
    due_date = models.DateField("报送截止日期", null=True, blank=True)
    campaign = models.ForeignKey(
        ListCampaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lists",
        verbose_name="报送批次",
    )
    latest_submission = models.ForeignKey(
        "ListSubmission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="最近一次报送",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "首席服务员清单"

    def __str__(self):
        return f"{self.department} 首席服务员清单"


class ListSubmission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已通过"
        RETURNED = "returned", "已退回"

    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        related_name="list_submissions",
        verbose_name="部门",
    )
    number = models.PositiveIntegerField("报送序号")
    rows = models.JSONField("清单内容")
    status = models.CharField(
        "审核状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")
    note = models.TextField("报送说明", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "清单报送"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="list_submission_unique"),
        ]

    def __str__(self):
        return f"{self.department_id} 第{self.number}次报送"


class PublishedList(models.Model):
    """A published snapshot of an approved list (C-4.2: every adjustment is versioned)."""

    department = models.ForeignKey(
        "org.Department",
        on_delete=models.CASCADE,
        related_name="published_lists",
        verbose_name="部门",
    )
    number = models.PositiveIntegerField("发布版本")
    submission = models.OneToOneField(
        ListSubmission, on_delete=models.PROTECT, related_name="publication"
    )
    rows = models.JSONField("清单内容")
    published_at = models.DateTimeField("发布时间")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "已发布清单"
        ordering = ["department", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="published_list_unique"),
        ]

    def __str__(self):
        return f"{self.department_id} 第{self.number}版"
