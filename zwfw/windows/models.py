"""The comprehensive window (无差别综合窗口, R-17). Fields and one-row invariants only; rules
live in services.py.

- WindowAssignment: a staff member posted at a window (who may take in there).
- ComprehensiveAuthorization: the center's approval that a department hands intake of some of
  its items to a comprehensive window (date, approver, items).
- IntakeWindow: the window a case was taken in at (一窗进出: it is handed out there too).
- AgencyRecord: full-process agency (全程代办) done for a case: who, what, when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class WindowAssignment(models.Model):
    """A person posted at a window (窗口人员). At a comprehensive window this, with the
    window_staff role, is what lets them take in for the authorized departments."""

    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="window_assignments",
        verbose_name="人员",
    )
    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        related_name="staff_assignments",
        verbose_name="窗口",
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "窗口人员"
        ordering = ["window", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="window_assignment_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.person}（{self.window}）"


class ComprehensiveAuthorization(models.Model):
    """R-17: the center approved that `department` hands intake of `items` to the
    comprehensive `window` (recorded: date, approver, items). Revoked, never deleted."""

    window = models.ForeignKey(
        "org.Window",
        on_delete=models.PROTECT,
        related_name="authorizations",
        verbose_name="综合窗口",
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name="授权部门"
    )
    items = models.ManyToManyField("catalog.ServiceItem", related_name="+", verbose_name="授权事项")
    approved_on = models.DateField("批准日期")
    approved_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="批准人"
    )
    approval_ref = models.CharField("批准文件", max_length=100, blank=True)
    valid_from = models.DateField("生效日期")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "综合窗口授权"
        ordering = ["window", "department", "-valid_from", "id"]
        constraints = [
            # One authorization in force per window and department: a change revokes and
            # records a new one, so the history says which items were authorized when.
            models.UniqueConstraint(
                fields=["window", "department"],
                condition=Q(revoked_at__isnull=True),
                name="comprehensive_authorization_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.department} → {self.window}"


class IntakeWindow(models.Model):
    """The window a case was taken in at (一窗进出: the result is handed out there)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="intake_window", verbose_name="办件"
    )
    window = models.ForeignKey(
        "org.Window", on_delete=models.PROTECT, related_name="+", verbose_name="收件窗口"
    )
    authorization = models.ForeignKey(
        ComprehensiveAuthorization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="依据的综合窗口授权",
    )

    class Meta:
        verbose_name = verbose_name_plural = "收件窗口"
        indexes = [models.Index(fields=["window"], name="intake_window_window")]

    def __str__(self):
        return f"{self.case_id} @ {self.window}"


class AgencyRecord(models.Model):
    """全程代办 (R-17): one task a staff member did for the applicant on a case."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="agency_records", verbose_name="办件"
    )
    agent = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name="代办人"
    )
    task = models.CharField("代办事项", max_length=300)
    at = models.DateTimeField("代办时间")
    on = models.DateField("代办日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "全程代办记录"
        ordering = ["case", "at", "id"]

    def __str__(self):
        return f"{self.agent}：{self.task}"
