"""Reads of the grants app: authority, current officers, lists in the user's scope, the
roster, the leading group and the decision committee."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.permissions import (
    Role,
    department_scope,
    has_role,
    has_role_anywhere,
    scope_q,
)
from zwfw.core.prepared import PreparedRead
from zwfw.grants import authority_sql, terms
from zwfw.grants.eligibility import GrantRole
from zwfw.grants.models import (
    AgendaItem,
    CommitteeMeeting,
    CommitteeMember,
    DecisionCommittee,
    Grant,
    GrantProposal,
    LeadingGroupDecision,
    SectionHeadFiling,
    Vote,
)
from zwfw.grants.terms import GrantStatus
from zwfw.org.models import Department, Person, PostAssignment

FINAL = "final"
PRELIMINARY = "preliminary"
POST = "post"


@dataclass(frozen=True)
class Authority:
    """The answer to "may this person decide (or first-review) this item on this day?", or,
    for a normal-procedure step, "may this person record it?" (a post held in the item's
    department). Exactly one of `grant` and `post_assignment` is set."""

    grant: Grant | None
    scope: str  # "final" (终审), "preliminary" (初审) or "post" (办理岗位)
    powers: frozenset[str]
    post_assignment: PostAssignment | None = None

    @property
    def may_decide(self) -> bool:
        # A post decides only as the last step of the normal procedure (cases.services.steps).
        return self.scope == FINAL and "decide" in self.powers


def in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """Grants giving authority on `on`: started, not past valid_to, not revoked by then."""
    return Q(**{f"{prefix}valid_from__lte": on, f"{prefix}valid_to__gte": on}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on})
    )


def status_dates(on: datetime.date) -> dict[str, datetime.date]:
    """The days status_q compares with on `on`, each a value a prepared read binds."""
    end_by = on + datetime.timedelta(days=terms.EXPIRING_DAYS)
    return {"on": on, "end_by": end_by, "revoked_by": end_by + datetime.timedelta(days=1)}


def status_q(
    status: str,
    on: datetime.date,
    *,
    end_by: datetime.date | None = None,
    revoked_by: datetime.date | None = None,
) -> Q:
    """The same partition as terms.status_on, as a filter on dates (never on the stored column,
    which may lag until the daily task runs). `end_by` and `revoked_by` are status_dates(on)'s
    unless given (a prepared read passes its markers for them)."""
    if end_by is None or revoked_by is None:
        dates = status_dates(on)
        end_by, revoked_by = dates["end_by"], dates["revoked_by"]
    revoked = Q(revoked_on__isnull=False, revoked_on__lte=on)
    not_revoked = ~revoked
    # The last day is valid_to, or the day before a revocation that takes effect later.
    ends_within = Q(valid_to__lte=end_by) | Q(revoked_on__isnull=False, revoked_on__lte=revoked_by)
    return {
        GrantStatus.REVOKED: revoked,
        GrantStatus.SCHEDULED: not_revoked & Q(valid_from__gt=on),
        GrantStatus.EXPIRED: not_revoked & Q(valid_to__lt=on),
        GrantStatus.EXPIRING: in_force_q(on) & ends_within,
        GrantStatus.ACTIVE: in_force_q(on) & ~ends_within,
    }[GrantStatus(status)]


def posts_in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """Post assignments held on `on` (valid_to empty means open-ended)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def _post_authority(person: Person, item, post: str, on: datetime.date) -> Authority | None:
    """N-13, R-15: the assignment by which `person` holds `post` in the item's department on
    `on` (the scope of a post is its department, as with roles)."""
    found = (
        PostAssignment.objects.filter(
            posts_in_force_q(on), person=person, post=post, department_id=item.department_id
        )
        .order_by("-valid_from", "-id")
        .first()
    )
    if found is None or not person.active:
        return None
    return Authority(grant=None, scope=POST, powers=frozenset({"step"}), post_assignment=found)


def authority_for(
    person: Person, item, on: datetime.date | None = None, *, post: str | None = None
) -> Authority | None:
    """The grant by which `person` may decide (final) or first-review (preliminary) `item` on
    `on`, or None. Computed from dates, so it never depends on the status task (N-13).
    With `post`: the post assignment by which `person` records that normal-procedure step
    (posts give authority for steps the way grants give it to chief officers)."""
    if person is None or item is None:
        return None
    on = on or timezone.localdate()
    if post is not None:
        return _post_authority(person, item, post, on)
    # An item taken off the chief service officer list follows the normal procedure (C-4.1).
    if not item.active or item.chief_list_included is not True:
        return None
    found = authority_sql.grants_of(person.pk, item.pk, item.department_id, on)
    if not found:
        return None
    grant, is_final, _is_preliminary = found[0]
    # The grantee is the person asked about; the department is the item's.
    Grant.grantee.field.set_cached_value(grant, person)
    if type(item).department.is_cached(item):
        Grant.department.field.set_cached_value(grant, item.department)
    return Authority(
        grant=grant, scope=FINAL if is_final else PRELIMINARY, powers=frozenset(grant.powers)
    )


def deciders_for(item, on: datetime.date | None = None) -> dict[str, list[str]]:
    """Who may decide `item` today (shown at intake, issue 16 point 3): holders of a grant in
    force listing it for the final decision, and for first review (N-4, N-13)."""
    on = on or timezone.localdate()
    if not item.active or item.chief_list_included is not True:
        return {"final": [], "preliminary": []}
    grants = Grant.objects.filter(in_force_q(on), department_id=item.department_id)
    names = {
        scope: sorted(
            {
                g.grantee.name
                for g in grants.filter(**{f"{scope}_items": item}).select_related("grantee")
            }
        )
        for scope in ("final", "preliminary")
    }
    return names


def _with_items(qs):
    return qs.select_related("grantee__section", "department__center", "decision").prefetch_related(
        "final_items", "preliminary_items"
    )


def current_chief_officers(
    department: Department | None = None, on: datetime.date | None = None, role: str | None = None
):
    """Grants in force on `on` (both roles unless `role`), for lists and the public page."""
    on = on or timezone.localdate()
    qs = Grant.objects.filter(in_force_q(on))
    if department is not None:
        qs = qs.filter(department=department)
    if role:
        qs = qs.filter(role=role)
    return _with_items(qs).order_by("department__code", "-role", "valid_from", "id")


def visible_grants(
    user,
    *,
    department: Department | None = None,
    role: str = "",
    status: str = "",
    grantee: Person | None = None,
    on: datetime.date | None = None,
):
    scope = department_scope(user)
    qs = Grant.objects.all()
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if department is not None:
        qs = qs.filter(department=department)
    if role:
        qs = qs.filter(role=role)
    if status:
        qs = qs.filter(status_q(status, on or timezone.localdate()))
    if grantee is not None:
        qs = qs.filter(grantee=grantee)
    return _with_items(qs).order_by("department__code", "-role", "-valid_from", "-id")


def grant_for(user, grant_id: int) -> Grant:
    grant = (
        visible_grants(user)
        .filter(pk=grant_id)
        .select_related("decision", "proposal", "exception_approved_by")
        .prefetch_related("decisions__members_present")
        .first()
    )
    if grant is None:
        raise NotFound("未找到该授权，或不在您的管理范围内")
    return grant


def _expiring(on, end_by, revoked_by, departments=None):
    qs = Grant.objects.filter(
        status_q(GrantStatus.EXPIRING, on, end_by=end_by, revoked_by=revoked_by)
    )
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    return qs.select_related("grantee", "department").order_by("valid_to", "id")


def expiring_grants(department_ids, on: datetime.date | None = None):
    """Grants whose authority ends within 30 days (N-12), soonest first."""
    on = on or timezone.localdate()
    return _expiring(**status_dates(on), departments=department_ids)


EXPIRING_ROWS = 10


def _expiring_first(**values):
    # Only the columns the panel shows (the grantee's encrypted phone and id number unread).
    return _expiring(**values).only(
        "role",
        "valid_to",
        "revoked_on",
        "grantee__name",
        "department__name",
        "department__short_name",
    )[:EXPIRING_ROWS]


# Every admin's home page asks: compiled once per shape of scope (core.prepared).
_EXPIRING_FIRST = PreparedRead(Grant, _expiring_first)


def expiring_for(user, on: datetime.date | None = None) -> list[Grant]:
    """The first expiring grants in the user's administrators' scope (N-12, home panel)."""
    values = status_dates(on or timezone.localdate())
    scope = department_scope(user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)
    if scope is not None:
        values["departments"] = sorted(scope)
    return _EXPIRING_FIRST(**values)


def recent_adjustments(department_ids=None, on: datetime.date | None = None, days: int = 30):
    """C-4.3: appointments, revocations and renewals decided in the last `days` days, which
    the coordination office is informed of."""
    on = on or timezone.localdate()
    qs = LeadingGroupDecision.objects.filter(
        result=LeadingGroupDecision.Result.APPROVE,
        grant__isnull=False,
        decided_on__gt=on - datetime.timedelta(days=days),
        decided_on__lte=on,
    )
    if department_ids is not None:
        qs = qs.filter(grant__department_id__in=department_ids)
    return qs.select_related("grant__grantee", "grant__department").order_by("-decided_on", "-id")


def departments_without_officer(department_ids=None, on: datetime.date | None = None):
    """C-2.1: departments with a window at a center but no chief service officer in force."""
    on = on or timezone.localdate()
    covered = Grant.objects.filter(
        in_force_q(on), department=OuterRef("pk"), role=GrantRole.CHIEF_SERVICE_OFFICER
    )
    qs = (
        Department.objects.filter(active=True, windows__active=True)
        .distinct()
        .filter(~Exists(covered))
    )
    if department_ids is not None:
        qs = qs.filter(pk__in=department_ids)
    return qs.select_related("center").order_by("code")


def visible_proposals(user, *, status: str = ""):
    scope = department_scope(user)
    qs = GrantProposal.objects.all()
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("department", "grantee", "proposed_by__person")
        .prefetch_related("final_items", "preliminary_items")
        .order_by("-proposed_on", "-id")
    )


def proposal_for(user, proposal_id: int) -> GrantProposal:
    proposal = (
        visible_proposals(user).filter(pk=proposal_id).select_related("decision", "grant").first()
    )
    if proposal is None:
        raise NotFound("未找到该人选建议，或不在您的管理范围内")
    return proposal


def pending_proposals_for_leading_group(user):
    if not has_role_anywhere(user, Role.LEADING_GROUP):
        return GrantProposal.objects.none()
    return visible_proposals(user, status=GrantProposal.Status.PENDING)


def leading_group_members(department: Department | None = None):
    """People holding the leading-group role (with a scope covering `department`)."""
    qs = (
        Person.objects.filter(user__role_assignments__role=Role.LEADING_GROUP, active=True)
        .select_related("department")
        .distinct()
        .order_by("name")
    )
    if department is not None and department.center_id:
        centers = department.center_path_ids()
        qs = qs.filter(
            Q(
                user__role_assignments__center__isnull=True,
                user__role_assignments__department__isnull=True,
            )
            | Q(user__role_assignments__center_id__in=centers)
            | Q(user__role_assignments__department=department)
        )
    return qs


def current_section_head(department: Department, on: datetime.date) -> SectionHeadFiling | None:
    filings = (
        SectionHeadFiling.objects.select_related("person")
        .filter(department=department, filed_on__lte=on)
        .order_by("-filed_on", "-id")
    )
    for filing in filings[:5]:
        if filing.current_on(on):
            return filing
    return None


def section_head_filings(user, department: Department | None = None):
    scope = department_scope(user)
    qs = SectionHeadFiling.objects.select_related("department", "person__section")
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if department is not None:
        qs = qs.filter(department=department)
    return qs.order_by("department__code", "-filed_on", "-id")


def grantable_items(department: Department):
    """Items a grant of this department may list: its active items on the chief service
    officer list (catalog's contract; services.checks.check_items enforces the same rule)."""
    from zwfw.catalog.selectors import chief_list_items

    return chief_list_items(department).select_related("department")


def proposing_departments(user):
    """Departments the user may propose for (department administrators)."""
    scope = department_scope(user, Role.DEPARTMENT_ADMIN)
    qs = Department.objects.filter(active=True).order_by("code")
    return qs if scope is None else qs.filter(pk__in=scope)


def department_people(department: Department):
    return (
        Person.objects.filter(department=department, active=True)
        .select_related("section")
        .order_by("name")
    )


def may_see_full_phone(user, department: Department | None = None) -> bool:
    """The internal roster shows phones in full to center and department admins only (C-A3)."""
    return has_role(user, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department)


@dataclass(frozen=True)
class RosterRow:
    name: str
    gender: str
    age: int
    workplace: str
    phone: str
    note: str
    department: str


def roster_rows(grants, *, on: datetime.date, full_phone) -> list[RosterRow]:
    """Rows of the name list (名单, 附件3): 姓名, 性别, 年龄, 工作单位（股室）及职位, 联系方式, 备注."""
    rows = []
    for g in grants:
        p = g.grantee
        section = f"（{p.section.name}）" if p.section_id else ""
        domain = f"，业务领域：{g.business_domain}" if g.business_domain else ""
        rows.append(
            RosterRow(
                name=p.name,
                gender=p.get_gender_display(),
                age=p.age_on(on),
                workplace=f"{g.department.name}{section}{p.position}",
                phone=p.phone if full_phone(g) else p.masked_phone,
                note=f"{g.get_role_display()}，授权期限{g.valid_from:%Y.%m.%d}—{g.last_day:%Y.%m.%d}{domain}",
                department=g.department.name,
            )
        )
    return rows


# Decision committee ---------------------------------------------------------------------


COMMITTEE_VIEW_ROLES = (
    Role.CENTER_ADMIN,
    Role.COMMITTEE_MEMBER,
    Role.LEADING_GROUP,
    Role.AUDITOR,
    Role.SUPERVISOR,
)


def committees(user):
    """Decision committees of the centers (or departments) within the reader's scope; a
    global role sees every center's (issue 11 point 9)."""
    if not has_role_anywhere(user, *COMMITTEE_VIEW_ROLES):
        return DecisionCommittee.objects.none()
    members = CommitteeMember.objects.select_related("person__department").order_by(
        "-active", "position", "id"
    )
    return (
        DecisionCommittee.objects.filter(scope_q(user, COMMITTEE_VIEW_ROLES))
        .select_related("center", "department", "office_head")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("center__path", "name")
    )


def committee_for(user, committee_id: int) -> DecisionCommittee:
    committee = committees(user).filter(pk=committee_id).first()
    if committee is None:
        raise NotFound("未找到该委员会")
    return committee


def meetings(committee: DecisionCommittee):
    return committee.meetings.select_related("recorded_by__person").order_by("-held_on", "-id")


def meeting_for(user, meeting_id: int) -> CommitteeMeeting:
    meeting = (
        CommitteeMeeting.objects.select_related("committee__center")
        .filter(committee__in=committees(user), pk=meeting_id)
        .prefetch_related(
            Prefetch("attendance__member__person"),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.prefetch_related(
                    Prefetch("votes", queryset=Vote.objects.select_related("member__person"))
                ),
            ),
        )
        .first()
    )
    if meeting is None:
        raise NotFound("未找到该会议")
    return meeting


def items_by_codes(codes: list[str], field: str) -> list:
    """Service items for API codes, in the given order; an unknown code is a 422 on `field`."""
    from zwfw.catalog.models import ServiceItem

    codes = [c.strip() for c in codes]
    found = {i.code: i for i in ServiceItem.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise RuleViolation("invalid", f"未找到事项编码：{'、'.join(missing)}", field=field)
    return [found[c] for c in dict.fromkeys(codes)]


def person_by_id(person_id: int) -> Person:
    person = Person.objects.select_related("department", "section").filter(pk=person_id).first()
    if person is None:
        raise NotFound("未找到该人员")
    return person
