"""Grants of authority (授权), the proposals and leading-group decisions they come from, and
the filing of government service section heads (R-12)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.grants import terms
from zwfw.grants.eligibility import GrantRole, Power
from zwfw.grants.terms import GrantStatus


class SectionHeadFiling(models.Model):
    """备案: the filed head (科长) or acting deputy (主持工作的副科长) of a department's
    government service section; only the current one may be chief representative (R-12)."""

    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="section_head_filings",
        verbose_name="部门",
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="section_head_filings",
        verbose_name="人员",
    )
    acting = models.BooleanField("主持工作的副科长", default=False)
    filed_on = models.DateField("备案日期")
    document_number = models.CharField("备案文号", max_length=100, blank=True)
    # Set when a later filing replaces this one: the head is "current" on [filed_on, ended_on).
    ended_on = models.DateField("终止日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "政务服务科负责人备案"
        ordering = ["department", "-filed_on", "-id"]
        indexes = [models.Index(fields=["department", "filed_on"])]

    def __str__(self):
        title = "主持工作的副科长" if self.acting else "科长"
        return f"{self.department}政务服务科{title}：{self.person}"

    def current_on(self, on: datetime.date) -> bool:
        return self.filed_on <= on and (self.ended_on is None or on < self.ended_on)


class LeadingGroupDecision(models.Model):
    """A recorded decision of the leading group (领导小组): appointment, revocation, renewal
    (N-10, N-12)."""

    class Kind(models.TextChoices):
        APPOINT = "appoint", _("授权")
        REVOKE = "revoke", _("撤销授权")
        RENEW = "renew", _("延续授权")

    class Result(models.TextChoices):
        APPROVE = "approve", _("同意")
        REJECT = "reject", _("不同意")

    kind = models.CharField("事项", max_length=10, choices=Kind.choices)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    decided_on = models.DateField("研究决定日期")
    note = models.TextField("决定说明", blank=True)
    members_present = models.ManyToManyField(
        "org.Person", blank=True, related_name="+", verbose_name="出席成员"
    )
    proposal = models.OneToOneField(
        "GrantProposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name="人选建议",
    )
    grant = models.ForeignKey(
        "Grant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="授权",
    )
    previous_valid_to = models.DateField("原授权截止日期", null=True, blank=True)
    new_valid_to = models.DateField("新授权截止日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "领导小组决定"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.decided_on} {self.get_kind_display()}：{self.get_result_display()}"


class _GrantTerms(models.Model):
    """What a proposal asks for and a grant gives: the same fields on both."""

    role = models.CharField("授权类型", max_length=30, choices=GrantRole.choices)
    powers = models.JSONField("权限", default=list)
    valid_from = models.DateField("授权起始日期")
    valid_to = models.DateField("授权截止日期")
    business_domain = models.CharField(
        "业务领域",
        max_length=100,
        blank=True,
        help_text="同一部门设多名首席服务员时须注明所负责的业务领域",
    )
    justification = models.TextField("理由说明", blank=True)

    class Meta:
        abstract = True

    @property
    def powers_labels(self) -> list[str]:
        return [str(Power(p).label) for p in Power.values if p in self.powers]


class GrantProposal(_GrantTerms):
    """A department's nomination of a person for the leading group to decide (N-10)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待领导小组研究")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("未同意")

    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        related_name="grant_proposals",
        verbose_name="提名部门",
    )
    grantee = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="grant_proposals",
        verbose_name="被提名人",
    )
    final_items = models.ManyToManyField(
        "catalog.ServiceItem", blank=True, related_name="+", verbose_name="终审事项"
    )
    preliminary_items = models.ManyToManyField(
        "catalog.ServiceItem", blank=True, related_name="+", verbose_name="初审事项"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_on = models.DateField("提名日期")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="提名人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "首席服务员（首席代表）人选建议"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="grant_proposal_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.department}提名{self.grantee}为{self.get_role_display()}"


class Grant(_GrantTerms):
    """Delegated authority: the only source of a person's right to decide an item (N-13)."""

    grantee = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="grants", verbose_name="被授权人"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="grants", verbose_name="授权部门"
    )
    final_items = models.ManyToManyField(
        "catalog.ServiceItem", blank=True, related_name="final_grants", verbose_name="终审事项"
    )
    preliminary_items = models.ManyToManyField(
        "catalog.ServiceItem",
        blank=True,
        related_name="preliminary_grants",
        verbose_name="初审事项",
    )
    # Kept current by services and the daily task (grants.tasks); authority itself is
    # always computed from the dates (selectors.authority_for), never from this column.
    status = models.CharField(
        "状态",
        max_length=10,
        choices=GrantStatus.choices,
        default=GrantStatus.ACTIVE,
        db_index=True,
    )
    decision = models.ForeignKey(
        LeadingGroupDecision,
        on_delete=models.PROTECT,
        related_name="appointed_grants",
        verbose_name="领导小组决定",
    )
    proposal = models.OneToOneField(
        GrantProposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant",
        verbose_name="人选建议",
    )
    # C-4.3: a second officer in one department is an exception approved by the leading group.
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="例外批准人",
    )
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revocation_reason = models.TextField("撤销原因", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "授权"
        ordering = ["department__code", "role", "-valid_from", "id"]
        indexes = [
            models.Index(fields=["grantee", "valid_from", "valid_to"]),
            models.Index(fields=["department", "role", "valid_to"]),
            models.Index(fields=["valid_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="grant_dates_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.department}{self.get_role_display()}：{self.grantee}"

    @property
    def last_day(self) -> datetime.date:
        return terms.last_day(self.valid_to, self.revoked_on)

    def status_on(self, on: datetime.date) -> GrantStatus:
        return terms.status_on(self.valid_from, self.valid_to, self.revoked_on, on)

    def in_force(self, on: datetime.date) -> bool:
        return terms.in_force(self.valid_from, self.valid_to, self.revoked_on, on)
