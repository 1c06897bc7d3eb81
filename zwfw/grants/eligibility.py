"""Who may hold a grant, and with which powers (N-9, R-12, C-A2). No database here."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.core.errors import RuleViolation
from zwfw.grants.terms import add_years

MIN_SERVICE_YEARS = 1  # N-9: 具有1年以上行政审批服务工作经验


class GrantRole(models.TextChoices):
    CHIEF_SERVICE_OFFICER = "chief_service_officer", _("首席服务员")
    CHIEF_REPRESENTATIVE = "chief_representative", _("首席代表")


class Power(models.TextChoices):
    DECIDE = "decide", _("审批决定权")
    REVIEW_AND_REPORT = "review_and_report", _("审核上报权")
    USE_SEAL = "use_seal", _("印章使用权")
    COORDINATE = "coordinate", _("组织协调权")


ALL_POWERS = frozenset(Power.values)


def service_years_ok(service_start_date: datetime.date | None, on: datetime.date) -> bool:
    if service_start_date is None:
        return False
    return add_years(service_start_date, MIN_SERVICE_YEARS) <= on


def check_service_years(service_start_date: datetime.date | None, on: datetime.date) -> None:
    """N-9: at least one year of approval work on the decision date, from recorded data."""
    if service_start_date is None:
        raise RuleViolation(
            "N-9",
            "该人员未登记从事政务服务（审批）工作日期，无法核实1年以上审批工作经历",
            field="grantee",
        )
    if not service_years_ok(service_start_date, on):
        since = add_years(service_start_date, MIN_SERVICE_YEARS)
        raise RuleViolation(
            "N-9",
            f"被授权人须具有1年以上行政审批服务工作经验：该人员自{service_start_date:%Y年%m月%d日}"
            f"从事审批工作，至{since:%Y年%m月%d日}方满1年",
            field="grantee",
        )


def clean_powers(
    role: str, powers: list[str] | set[str] | frozenset[str], has_final: bool, has_preliminary: bool
) -> frozenset[str]:
    """Powers must be known; a chief representative holds all four (R-12); items need powers.

    Final items are decided by the grantee, so they need `decide`; preliminary items are
    reviewed and reported up, so they need `review_and_report` (C-A2 parts 一 and 二).
    """
    unknown = set(powers) - ALL_POWERS
    if unknown:
        raise RuleViolation("invalid", f"未知的权限：{'、'.join(sorted(unknown))}", field="powers")
    powers = frozenset(powers)
    if role not in GrantRole.values:
        raise RuleViolation("invalid", "授权类型须为首席服务员或首席代表", field="role")
    if role == GrantRole.CHIEF_REPRESENTATIVE and powers != ALL_POWERS:
        missing = "、".join(str(Power(p).label) for p in Power.values if p not in powers)
        raise RuleViolation(
            "R-12",
            f"首席代表须依授权文书行使审批决定权、审核上报权、印章使用权、"
            f"组织协调权四项权力，缺少：{missing}",
            field="powers",
        )
    if not powers:
        raise RuleViolation("C-A2", "须至少授予一项权限", field="powers")
    if has_final and Power.DECIDE not in powers:
        raise RuleViolation("C-A2", "授予终审事项须同时授予审批决定权", field="powers")
    if has_preliminary and Power.REVIEW_AND_REPORT not in powers:
        raise RuleViolation("C-A2", "授予初审事项须同时授予审核上报权", field="powers")
    return powers


def powers_label(powers) -> str:
    return "、".join(str(Power(p).label) for p in Power.values if p in set(powers))
