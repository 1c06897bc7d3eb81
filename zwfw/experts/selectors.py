"""Reads of the chief-experts app: who may see what, lists without a query per row."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from zwfw.core.errors import Forbidden, NotFound
from zwfw.core.permissions import Role, has_role_anywhere
from zwfw.experts import rules
from zwfw.experts.models import (
    Campaign,
    ChiefExpert,
    IndustryCommittee,
    Nomination,
    PublicNotice,
    Sector,
    Studio,
)

STAFF_ROLES = (Role.EXPERT_OFFICE, Role.INDUSTRY_COMMITTEE, Role.NOMINATING_ORG)


def may_open(user) -> bool:
    """Whether the menu shows this app's section: the check its index page makes."""
    return has_role_anywhere(user, *STAFF_ROLES)


def require_open(user) -> None:
    if not may_open(user):
        raise Forbidden("需要首席专家选拔管理办公室、行业主管部门工作委员会或推荐单位账号")


def is_office(user) -> bool:
    return has_role_anywhere(user, Role.EXPERT_OFFICE)


def committee_sector_ids(user) -> set[int]:
    person = getattr(user, "person", None)
    if person is None or not has_role_anywhere(user, Role.INDUSTRY_COMMITTEE):
        return set()
    return set(IndustryCommittee.objects.filter(members=person).values_list("sector_id", flat=True))


def nominations_q(user) -> Q:
    """Nominations the user may read: the office all; a committee member its sectors; an
    organisation's account its own."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser or is_office(user):
        return Q()
    q = Q(pk__in=[])
    sectors = committee_sector_ids(user)
    if sectors:
        q |= Q(sector_id__in=sectors)
    if has_role_anywhere(user, Role.NOMINATING_ORG):
        q |= Q(organisation__accounts=user)
    return q


def nominations(user, *, campaign=None, status: str = "", sector=None):
    qs = (
        Nomination.objects.filter(nominations_q(user))
        .select_related("campaign", "sector", "organisation", "nominee", "nominee__department")
        .distinct()
        .order_by("-campaign__year", "sector__code", "created_at", "id")
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if sector is not None:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    return qs


def nomination_for(user, pk: int) -> Nomination:
    found = nominations(user).filter(pk=pk).first()
    if found is None:
        if Nomination.objects.filter(pk=pk).exists():
            raise Forbidden("您无权查看该推荐申报")
        raise NotFound("未找到该推荐申报")
    return found


def nomination_detail(n: Nomination) -> Nomination:
    return (
        Nomination.objects.select_related(
            "campaign",
            "sector",
            "organisation",
            "nominee",
            "nominee__department",
            "age_approved_by",
            "inspection",
        )
        .prefetch_related("attachments", "notices__objections", "inspection__members")
        .get(pk=n.pk)
    )


def sectors():
    return Sector.objects.select_related("committee").order_by("code")


def campaigns():
    return Campaign.objects.prefetch_related("stages", "sectors").annotate(
        nomination_count=Count("nominations")
    )


def current_campaign(today=None) -> Campaign | None:
    today = today or timezone.localdate()
    return campaigns().filter(year__lte=today.year).order_by("-year").first()


def experts(*, sector=None, status: str = "", today=None):
    today = today or timezone.localdate()
    qs = ChiefExpert.objects.select_related(
        "person", "person__department", "sector", "studio", "nomination__organisation"
    ).order_by("sector__code", "-approved_on", "id")
    if sector is not None:
        qs = qs.filter(sector=sector)
    if status == "active":
        qs = qs.filter(status=ChiefExpert.Status.ACTIVE, term_end__gte=today)
    elif status == "expired":
        qs = qs.filter(status=ChiefExpert.Status.ACTIVE, term_end__lt=today)
    elif status == "revoked":
        qs = qs.filter(status=ChiefExpert.Status.REVOKED)
    return qs


def expert_detail(pk: int) -> ChiefExpert:
    expert = (
        experts()
        .prefetch_related(
            "evaluations", "changes", "agreements", "studio__mentorings", "studio__evaluations"
        )
        .filter(pk=pk)
        .first()
    )
    if expert is None:
        raise NotFound("未找到该首席专家")
    return expert


def studio_logs(studio: Studio, limit: int = 50):
    return list(studio.logs.all()[:limit])


def open_notices(today=None):
    today = today or timezone.localdate()
    return (
        PublicNotice.objects.filter(start__lte=today, end__gte=today)
        .select_related(
            "nomination__nominee",
            "nomination__sector",
            "nomination__organisation",
            "nomination__nominee__department",
        )
        .order_by("end", "id")
    )


def public_notice(pk: int, today=None) -> PublicNotice:
    """A notice is public while it runs (and afterwards as a record of what was noticed)."""
    notice = (
        PublicNotice.objects.select_related(
            "nomination__nominee", "nomination__sector", "nomination__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise NotFound("未找到该公示")
    return notice


def expiring(today=None, days: int = 90):
    """E-11.1: active titles whose term ends within `days`."""
    today = today or timezone.localdate()
    return (
        experts(status="active", today=today)
        .filter(term_end__lte=today + datetime.timedelta(days=days))
        .order_by("term_end")
    )


def coverage(today=None) -> dict:
    """E-11.1: every sector's campaigns over the rolling 5-year window and the sectors still
    uncovered (neither in a campaign of the window nor with an active chief expert)."""
    today = today or timezone.localdate()
    years = list(range(today.year - rules.COVERAGE_YEARS + 1, today.year + 1))
    all_sectors = list(Sector.objects.order_by("code"))
    in_campaign: dict[int, set[int]] = {}
    for sector_id, year in Campaign.sectors.through.objects.filter(
        campaign__year__in=years
    ).values_list("sector_id", "campaign__year"):
        in_campaign.setdefault(sector_id, set()).add(year)
    with_expert = set(experts(status="active", today=today).values_list("sector_id", flat=True))
    rows = []
    for s in all_sectors:
        marks = [y in in_campaign.get(s.pk, set()) for y in years]
        covered = any(marks) or s.pk in with_expert
        rows.append(
            {"sector": s, "marks": marks, "has_expert": s.pk in with_expert, "covered": covered}
        )
    uncovered = [r["sector"] for r in rows if not r["covered"]]
    per_year = [sum(1 for r in rows if r["marks"][i]) for i in range(len(years))]
    return {
        "years": years,
        "rows": rows,
        "uncovered": uncovered,
        "per_year": per_year,
        "target_year": years[0] + rules.COVERAGE_YEARS - 1,
    }


def public_experts(today=None):
    """The public list: current experts by sector with their studios, and revoked titles."""
    today = today or timezone.localdate()
    current = list(experts(status="active", today=today))
    revoked = list(experts(status="revoked"))
    by_sector: dict = {}
    for e in current:
        by_sector.setdefault(e.sector, []).append(e)
    return {"by_sector": list(by_sector.items()), "revoked": revoked}


def nomination_counts(campaign) -> dict:
    rows = Nomination.objects.filter(campaign=campaign).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def pool_candidates(campaign, sector):
    return Nomination.objects.filter(
        campaign=campaign, sector=sector, status=Nomination.Status.POOLED
    ).select_related("nominee")


def notice_prefetch():
    return Prefetch("notices", queryset=PublicNotice.objects.prefetch_related("objections"))
