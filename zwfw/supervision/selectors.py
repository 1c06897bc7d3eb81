"""Reads of supervision: the draw's population and handlers, lists in the reader's scope,
hotline statistics (the contract the evaluations statistics call), discipline-only lists."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth

from zwfw.cases.models import Case, CaseEvent
from zwfw.cases.states import CaseState
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.permissions import Role, department_scope, has_role_anywhere, scope_q
from zwfw.core.prepared import PreparedRead
from zwfw.org.models import Department, Person
from zwfw.supervision import access
from zwfw.supervision.models import (
    FaultToleranceRecord,
    HotlineFeedback,
    HotlineKind,
    Inspection,
    InspectionDraw,
    InspectionRectification,
    InspectorPoolMember,
    InterferenceReport,
    Strata,
)
from zwfw.supervision.sampling import Candidate, Handlers, Inspector

S = CaseState


# --- the draw's inputs -------------------------------------------------------------------


def closed_in_period_q(start: datetime.date, end: datetime.date) -> Q:
    """The population of a draw: cases CLOSED in the period — completed (办结日期), refused
    (不予受理日期), withdrawn or terminated (撤回、终止日期). A closed case never changes
    state again and a past period gains no new closures, so the population of a past
    period is fixed; the draw's digest still records it."""
    span = (start, end)
    return (
        Q(status=S.COMPLETED, completed_on__range=span)
        | Q(status=S.REFUSED, refused_on__range=span)
        | Q(status__in=[S.WITHDRAWN, S.TERMINATED], closed_on__range=span)
    )


def stratum_key(strata: str, department_id: int, procedure: str, item_id: int) -> str:
    # Ids, zero-padded, not codes: a renamed code must not reorder the strata of a replay.
    if strata == Strata.DEPARTMENT:
        return f"department:{department_id:012d}"
    if strata == Strata.ITEM:
        return f"item:{item_id:012d}"
    if strata == Strata.PROCEDURE:
        return f"procedure:{procedure}"
    return ""


def draw_population(
    department_ids, start: datetime.date, end: datetime.date, strata: str
) -> list[Candidate]:
    """The candidates of a draw, in case-number order (one query)."""
    rows = (
        Case.objects.filter(closed_in_period_q(start, end), department_id__in=list(department_ids))
        .order_by("number")
        .values_list("number", "department_id", "procedure", "item_id")
    )
    return [
        Candidate(number=n, department_id=d, stratum=stratum_key(strata, d, p, i))
        for n, d, p, i in rows
    ]


def case_handlers(numbers: list[str]) -> dict[str, Handlers]:
    """Who handled each case up to its closing: intake, first review, decision, and every
    account that acted on its timeline by the closing day (two queries)."""
    cases = Case.objects.filter(number__in=numbers).values_list(
        "id",
        "number",
        "received_by_id",
        "first_reviewed_by_id",
        "decided_by_id",
        "completed_on",
        "refused_on",
        "closed_on",
    )
    people: dict[str, set[int]] = {}
    users: dict[str, set[int]] = {}
    closing: dict[int, tuple[str, datetime.date | None]] = {}
    for pk, number, received_by, reviewer, decider, completed, refused, closed in cases:
        people[number] = {p for p in (reviewer, decider) if p}
        users[number] = {received_by} if received_by else set()
        closing[pk] = (number, completed or refused or closed)
    events = CaseEvent.objects.filter(case_id__in=list(closing), actor__isnull=False).values_list(
        "case_id", "actor_id", "on"
    )
    for case_id, actor_id, on in events:
        number, last_day = closing[case_id]
        # Later entries on a closed case (a rating's follow-up …) are not handling.
        if last_day is None or on <= last_day:
            users[number].add(actor_id)
    return {
        n: Handlers(person_ids=frozenset(people[n]), user_ids=frozenset(users[n])) for n in people
    }


def pool_inspectors(department_ids=None) -> list[Inspector]:
    """Active pool members of active staff, by person id (one query); only those of
    `department_ids` when given (None: the whole pool)."""
    qs = InspectorPoolMember.objects.filter(active=True, person__active=True)
    if department_ids is not None:
        qs = qs.filter(person__department_id__in=sorted(department_ids))
    rows = qs.order_by("person_id").values_list(
        "person_id", "person__department_id", "person__user_id"
    )
    return [Inspector(person_id=p, department_id=d, user_id=u) for p, d, u in rows]


def departments_in_scope(user, role: str = Role.SUPERVISOR):
    scope = department_scope(user, role)
    qs = Department.objects.all()
    return (qs if scope is None else qs.filter(id__in=scope)).order_by("code")


# --- draws, tasks, rectifications --------------------------------------------------------


def _progress(qs):
    return qs.annotate(
        total=Count("inspections"),
        pending=Count("inspections", filter=Q(inspections__result=Inspection.Result.PENDING)),
        done=Count("inspections", filter=~Q(inspections__result=Inspection.Result.PENDING)),
        problems=Count("inspections", filter=Q(inspections__result=Inspection.Result.PROBLEM)),
    )


def visible_draws(user, *, status: str = ""):
    """Draws touching a department in the reader's scope, with progress counts (one query)."""
    if not has_role_anywhere(user, *access.DRAW_VIEW_ROLES):
        return InspectionDraw.objects.none()
    qs = InspectionDraw.objects.all()
    scope = department_scope(user, *access.DRAW_VIEW_ROLES)
    if scope is not None:
        qs = qs.filter(
            Exists(Inspection.objects.filter(draw=OuterRef("pk"), department_id__in=scope))
        )
    if status:
        qs = qs.filter(status=status)
    return _progress(qs.select_related("created_by__person")).order_by("-created_at", "-id")


def draw_for(user, draw_id: int) -> InspectionDraw:
    draw = visible_draws(user).filter(pk=draw_id).first()
    if draw is None:
        raise NotFound("未找到该抽查，或不在您的查看范围内")
    return draw


def draw_inspections(draw: InspectionDraw):
    return (
        Inspection.objects.filter(draw=draw)
        .select_related("case__item", "department", "inspector__department", "rectification")
        .order_by("position")
    )


def draw_assignments(draw: InspectionDraw) -> list[tuple[str, int]]:
    return list(
        Inspection.objects.filter(draw=draw)
        .order_by("position")
        .values_list("case__number", "inspector_id")
    )


def _inspections_of(person, pending_only=False):
    qs = Inspection.objects.filter(inspector_id=person)
    if pending_only:
        qs = qs.filter(result=Inspection.Result.PENDING)
    return qs.select_related("draw", "case__item", "department", "rectification").order_by(
        "-draw__created_at", "position"
    )


def my_inspections(user, *, pending_only: bool = False):
    person = getattr(user, "person", None)
    if person is None:
        return Inspection.objects.none()
    return _inspections_of(person.pk, pending_only)


PANEL_ROWS = 10

# The first pending tasks with only what the home panel shows (the case's number and item,
# the department, the draw's title): compiled once (core.prepared), from my_inspections' own
# query. The whole rows of four joined tables (a case has ~60 columns) cost more to build
# than the database took to answer.
_PENDING_TASKS = PreparedRead(
    Inspection,
    lambda person: (
        _inspections_of(person, pending_only=True)
        .select_related(None)
        .select_related("draw", "case__item", "department")
        .only(
            "draw__title",
            "case__number",
            "case__item__name",
            "department__name",
            "department__short_name",
        )[:PANEL_ROWS]
    ),
)


def first_pending_inspections(user) -> list[Inspection]:
    """The first PANEL_ROWS of my_inspections(user, pending_only=True) (the home panel)."""
    person = getattr(user, "person", None)
    if person is None:
        return []
    return _PENDING_TASKS(person=person.pk)


def inspection_for_inspector(user, inspection_id: int) -> Inspection:
    found = my_inspections(user).filter(pk=inspection_id).first()
    if found is None:
        raise NotFound("未找到该检查任务，或该任务未分派给您")
    return found


def inspection_in_draw(draw_id: int, number: str) -> Inspection:
    """A drawn case by draw and case number (the finding service checks the inspector)."""
    if not InspectionDraw.objects.filter(pk=draw_id).exists():
        raise NotFound("未找到该抽查")
    found = (
        Inspection.objects.filter(draw_id=draw_id, case__number=(number or "").strip())
        .select_related("draw")
        .first()
    )
    if found is None:
        raise RuleViolation("invalid", f"办件“{number}”不在本次抽查中", field="case", status=404)
    return found


def _rectification_scope(user) -> list[int] | None:
    """The departments whose rectifications the user may read: None for every one, [] for
    none (no reading role, or a scope without departments)."""
    if not has_role_anywhere(user, *access.RECTIFICATION_VIEW_ROLES):
        return []
    scope = department_scope(user, *access.RECTIFICATION_VIEW_ROLES)
    return None if scope is None else sorted(scope)


def _rectifications(departments=None, status=""):
    qs = InspectionRectification.objects.all()
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(
        "department", "inspection__case__item", "inspection__draw", "inspection__inspector"
    ).order_by("status", "due_date", "id")


def visible_rectifications(
    user,
    *,
    status: str = "",
    department: Department | None = None,
    overdue: bool = False,
    on: datetime.date | None = None,
):
    if not has_role_anywhere(user, *access.RECTIFICATION_VIEW_ROLES):
        return InspectionRectification.objects.none()
    qs = _rectifications(_rectification_scope(user), status)
    if department is not None:
        qs = qs.filter(department=department)
    if overdue:
        qs = qs.filter(InspectionRectification.overdue_q(on))
    return qs


def _first_rectifications(departments=None, status=""):
    # What the home panel shows: the case's number, the problem's category, the due date
    # and whether it is late (status, due date).
    return (
        _rectifications(departments, status)
        .select_related(None)
        .select_related("inspection__case")
        .only("status", "due_date", "inspection__category", "inspection__case__number")[:PANEL_ROWS]
    )


# The department admin's home panel: compiled once (core.prepared), per shape of scope, from
# visible_rectifications' own query.
_FIRST_RECTIFICATIONS_OF = PreparedRead(InspectionRectification, _first_rectifications)
_FIRST_RECTIFICATIONS = PreparedRead(
    InspectionRectification, lambda status: _first_rectifications(status=status)
)


def first_rectifications(user, *, status: str) -> list[InspectionRectification]:
    """The first PANEL_ROWS of visible_rectifications(user, status=status) (the home panel)."""
    if not status:  # (prepared with a marker in its place, the status filter is always in)
        raise ValueError("first_rectifications reads the rectifications of one status")
    scope = _rectification_scope(user)
    if scope is None:
        return _FIRST_RECTIFICATIONS(status=status)
    return _FIRST_RECTIFICATIONS_OF(departments=scope, status=status)


def rectification_for(user, rectification_id: int) -> InspectionRectification:
    found = visible_rectifications(user).filter(pk=rectification_id).first()
    if found is None:
        raise NotFound("未找到该整改记录，或不在您的查看范围内")
    return found


def pool_members(user):
    """The inspector pool within the reader's scope: a county keeper or auditor sees the
    members of its own centers' departments, not the city's pool (issue 11 point 9)."""
    if not has_role_anywhere(user, *access.POOL_ROLES, Role.AUDITOR):
        return InspectorPoolMember.objects.none()
    qs = InspectorPoolMember.objects.select_related("person__department")
    scope = department_scope(user, *access.POOL_ROLES, Role.AUDITOR)
    if scope is not None:
        qs = qs.filter(person__department_id__in=scope)
    return qs.order_by("-active", "person__department__code", "person_id")


def poolable_people(user):
    """People who may be added to the pool: active staff with an account, not yet members,
    in the departments the pool keeper covers."""
    if not has_role_anywhere(user, *access.POOL_ROLES):
        return Person.objects.none()
    qs = Person.objects.filter(active=True, user__isnull=False, inspector_membership__isnull=True)
    scope = department_scope(user, *access.POOL_ROLES)
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    return qs.select_related("department").order_by("department__code", "name")


# --- 12345 hotline -----------------------------------------------------------------------

HOTLINE_GROUPS = {
    "department": "department_id",
    "staff": "staff_id",
    "center": "center_id",
    "item": "item_id",
    "window": "window_id",
}


def hotline_counts(
    group_by: str, start: datetime.date, end: datetime.date, *, within: Q | None = None
) -> dict:
    """12345 tickets received in [start, end] per department / staff person / center / item /
    window id (None when unknown): {key: {"total": n, "complaints": n}}. One GROUP BY query
    on a stored, indexed column (TW-10; the evaluations statistics read this)."""
    column = HOTLINE_GROUPS.get(group_by)
    if column is None:
        raise RuleViolation(
            "invalid", "分组方式须为 department、staff、center、item 或 window", field="group_by"
        )
    rows = (
        HotlineFeedback.objects.filter(received_on__range=(start, end))
        .filter(within if within is not None else Q())
        .values(column)
        .annotate(total=Count("id"), complaints=Count("id", filter=Q(kind=HotlineKind.COMPLAINT)))
        .order_by()
    )
    return {r[column]: {"total": r["total"], "complaints": r["complaints"]} for r in rows}


def hotline_counts_for(user, group_by: str, start: datetime.date, end: datetime.date) -> dict:
    """`hotline_counts` for a page or API reader: the supervision office, the center, auditors
    and the discipline office, each counting the tickets within its own scope (a global role
    sees the whole picture; issue 11 point 9)."""
    roles = (*access.HOTLINE_WRITE_ROLES, *access.DRAW_VIEW_ROLES)
    if not has_role_anywhere(user, *roles):
        raise Forbidden("需要督查人员、中心管理员、审计员或纪检监察角色")
    return hotline_counts(group_by, start, end, within=hotline_scope_q(user, roles))


# Tickets not yet tied to a department are the supervision office's and the center's.
UNASSIGNED_HOTLINE_ROLES = (Role.SUPERVISOR, Role.CENTER_ADMIN, Role.AUDITOR)


def hotline_scope_q(user, roles, unassigned_roles=UNASSIGNED_HOTLINE_ROLES) -> Q:
    """The tickets `user` may read under `roles` (issue 11 point 9): those of a department
    in scope; a ticket without a department only by its center within the scope of one of
    `unassigned_roles` (or when that center is unknown, only for a global role)."""
    scope = department_scope(user, *roles)
    if scope is None:
        return Q()
    visible = Q(department_id__in=sorted(scope))
    held = [r for r in unassigned_roles if r in roles]
    if held:
        # scope_q matches a null-department row by its center column only; a null center
        # matches no scoped role, so such a ticket is left to global roles (Q() above).
        visible |= Q(department__isnull=True) & scope_q(user, held)
    return visible


def _hotline_scope(user, qs):
    if not has_role_anywhere(user, *access.HOTLINE_VIEW_ROLES):
        return qs.none()
    return qs.filter(hotline_scope_q(user, access.HOTLINE_VIEW_ROLES))


def visible_hotline(
    user,
    *,
    department: Department | None = None,
    kind: str = "",
    status: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    query: str = "",
):
    qs = _hotline_scope(user, HotlineFeedback.objects.all())
    if department is not None:
        qs = qs.filter(department=department)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    if query:
        q = query.strip()
        qs = qs.filter(Q(ticket_number=q) | Q(case__number=q) | Q(content__contains=q))
    return qs.select_related("case", "staff", "department", "window").order_by(
        "-received_on", "-id"
    )


def hotline_for(user, ticket_number: str) -> HotlineFeedback:
    found = visible_hotline(user).filter(ticket_number=ticket_number).first()
    if found is None:
        raise NotFound("未找到该工单，或不在您的查看范围内")
    return found


def hotline_monthly(user, year: int) -> list[dict]:
    """Tickets per department and month of `year` in the reader's scope (one GROUP BY):
    [{"department": Department|None, "months": [12 totals], "complaints": [12], "total": n}]."""
    rows = (
        _hotline_scope(user, HotlineFeedback.objects.filter(received_on__year=year))
        .annotate(month=ExtractMonth("received_on"))
        .values("department_id", "month")
        .annotate(total=Count("id"), complaints=Count("id", filter=Q(kind=HotlineKind.COMPLAINT)))
        .order_by()
    )
    table: dict = {}
    for r in rows:
        entry = table.setdefault(
            r["department_id"], {"months": [0] * 12, "complaints": [0] * 12, "total": 0}
        )
        entry["months"][r["month"] - 1] += r["total"]
        entry["complaints"][r["month"] - 1] += r["complaints"]
        entry["total"] += r["total"]
    departments = Department.objects.in_bulk([k for k in table if k is not None])
    out = [
        {"department": departments.get(k), **v}
        for k, v in table.items()
        if k is None or k in departments
    ]
    return sorted(
        out,
        key=lambda e: (e["department"] is None, e["department"].code if e["department"] else ""),
    )


# --- discipline only ---------------------------------------------------------------------


def interference_reports(user):
    """N-7: every report in the discipline account's scope; anyone else is refused."""
    scope = access.discipline_scope(user)
    qs = InterferenceReport.objects.all()
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    return qs.select_related("reporter", "department", "case").order_by("-filed_at", "-id")


def interference_for(user, receipt_number: str) -> InterferenceReport:
    found = interference_reports(user).filter(receipt_number=receipt_number).first()
    if found is None:
        raise NotFound("未找到该干预记录")
    return found


def own_receipt(user, receipt_number: str) -> InterferenceReport:
    """The reporter sees the receipt of their own report only (never its list or others')."""
    found = None
    if getattr(user, "is_authenticated", False):
        found = (
            InterferenceReport.objects.filter(receipt_number=receipt_number, reporter_user=user)
            .only("receipt_number", "filed_at", "occurred_on", "reporter_user")
            .first()
        )
    if found is None:
        raise NotFound("未找到该回执")
    return found


def fault_tolerance_records(user, *, decision: str = ""):
    scope = access.discipline_scope(user)
    qs = FaultToleranceRecord.objects.all()
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if decision:
        qs = qs.filter(decision=decision)
    return qs.select_related("person", "department", "case").order_by("-decided_on", "-id")


def fault_tolerance_for(user, record_id: int) -> FaultToleranceRecord:
    found = fault_tolerance_records(user).filter(pk=record_id).first()
    if found is None:
        raise NotFound("未找到该容错纠错记录")
    return found


def case_by_number(number: str, field: str = "case") -> Case:
    case = Case.objects.select_related("department").filter(number=number.strip()).first()
    if case is None:
        raise RuleViolation("invalid", f"未找到办件“{number}”", field=field)
    return case


def person_by_id(person_id: int, field: str = "person") -> Person:
    person = Person.objects.select_related("department").filter(pk=person_id).first()
    if person is None:
        raise RuleViolation("invalid", f"未找到编号为{person_id}的人员", field=field)
    return person


def hotline_by_pk(user, pk: int) -> HotlineFeedback:
    found = visible_hotline(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该工单，或不在您的查看范围内")
    return found


def discipline_people(user):
    """People a fault-tolerance record may name: staff in the discipline account's scope."""
    scope = access.discipline_scope(user)
    qs = Person.objects.select_related("department")
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    return qs.order_by("department__code", "name")


def case_summary(case_id: int):
    """What an inspector reads of a drawn case: facts, materials and timeline (3 queries)."""
    return (
        Case.objects.filter(pk=case_id)
        .select_related("item", "department", "decided_by", "first_reviewed_by", "received_by")
        .prefetch_related("materials", "events")
        .get()
    )


def nav_flags(user) -> dict:
    """Which parts of /supervision/ to offer this user (the services decide again)."""
    person = getattr(user, "person", None)
    return {
        "draws": has_role_anywhere(user, *access.DRAW_VIEW_ROLES),
        "new_draw": has_role_anywhere(user, Role.SUPERVISOR),
        "tasks": person is not None
        and (
            Inspection.objects.filter(inspector=person).exists()
            or InspectorPoolMember.objects.filter(person=person, active=True).exists()
        ),
        "rectifications": has_role_anywhere(user, *access.RECTIFICATION_VIEW_ROLES),
        "pool": has_role_anywhere(user, *access.POOL_ROLES, Role.AUDITOR),
        "hotline": has_role_anywhere(user, *access.HOTLINE_VIEW_ROLES),
        "hotline_write": has_role_anywhere(user, *access.HOTLINE_WRITE_ROLES),
        "interference_new": access.may_report_interference(user),
        "discipline": access.is_discipline(user),
    }
