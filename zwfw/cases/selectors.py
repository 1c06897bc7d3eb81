"""Reads of case handling: lists in the reader's department scope (indexed columns only),
one case with everything its page shows, counts, ledgers, the public progress query."""

import copy
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from zwfw.cases.models import (
    Applicant,
    Case,
    CaseEvent,
    CaseMaterial,
    ClockEntry,
    Project,
    SupplementNotice,
)
from zwfw.cases.states import CLOCK_OPEN, OPEN_STATES, CaseState
from zwfw.core.crypto import blind_index, constant_time_equal
from zwfw.core.errors import NotFound
from zwfw.core.permissions import Role, department_scope
from zwfw.core.prepared import PreparedRead, attach

VIEW_ROLES = (
    Role.CENTER_ADMIN,
    Role.DEPARTMENT_ADMIN,
    Role.WINDOW_STAFF,
    Role.SUPERVISOR,
    Role.AUDITOR,
    Role.COORDINATION_OFFICE,
    Role.LEADING_GROUP,
    Role.COMMITTEE_MEMBER,
)
CLOCK_OPEN_VALUES = sorted(s.value for s in CLOCK_OPEN)
# The work queue's states: those of the partial index case_queue_due (models.Case).
QUEUE_VALUES = sorted([CaseState.RECEIVED.value, *CLOCK_OPEN_VALUES])
OPEN_VALUES = sorted(s.value for s in OPEN_STATES)


def case_scope(user):
    """The ids of the departments whose cases the user may list (None: every department);
    the rule of _scoped, for reads written out in SQL (rollups.department_counts)."""
    return department_scope(user, *VIEW_ROLES)


def _scoped(user, qs):
    scope = case_scope(user)
    if scope is None:
        return qs
    return qs.filter(department_id__in=scope)


def visible_cases(
    user,
    *,
    status: str = "",
    department=None,
    alert_level: str = "",
    overdue: bool = False,
    open_only: bool = False,
    query: str = "",
    on: datetime.date | None = None,
):
    """Cases in the user's scope, soonest due first; every filter is an indexed column."""
    qs = _scoped(user, Case.objects.all())
    qs = filtered(qs, status, department, alert_level, overdue, open_only, on=on)
    if query:
        qs = qs.filter(Q(number=query.strip()) | Q(item__name__contains=query.strip()))
    return qs.select_related("item", "department", "applicant").order_by("due_date", "id")


def filtered(
    qs, status="", department=None, alert_level="", overdue=False, open_only=False, *, on=None
):
    """The case lists' filters, on cases or on their rollup (rollups.visible_count): both
    have the status, department, due date and alert level columns."""
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.filter(status__in=OPEN_VALUES)
    if department is not None:
        qs = qs.filter(department=department)
    if alert_level:
        qs = qs.filter(alert_level=alert_level, status__in_constants=QUEUE_VALUES)
    if overdue:
        # The partial index (department, due_date) WHERE status IN open clocks answers this.
        qs = overdue_filter(qs, on or timezone.localdate())
    return qs


# Pages deeper than this many rows read the list in one plain query.
SPLIT_ROWS = 2000


def page_of_cases(
    qs,
    page: int,
    page_size: int,
    *,
    split: bool = True,
    count: int | None = None,
    values: tuple[str, ...] = (),
) -> tuple[list, int]:
    """One page of `visible_cases(...)`, soonest due first (cases, or dicts of `values`:
    a list of 50 rows otherwise builds 200 model instances), and the count
    (`rollups.visible_count` gives it without scanning the cases).

    Without a status filter no index answers "the department's cases by due date": the
    plain query sorted a department's whole history (1.8 s for 119,000 cases at 1 M on
    PostgreSQL). Each status has its index (department, status, due_date), so on PostgreSQL
    the page is read as one UNION ALL of the first rows of each status (small index scans),
    merged here in the database's order, then the page's rows by id. A list filtered by
    status (`split=False`: its index already answers), SQLite (no LIMIT inside a compound
    SELECT) and deep pages read the plain query. (A plain index (department, due_date, id)
    was measured and dropped: prepared statements' generic plans then chose it for the
    status-filtered lists too and filtered 100,000 rows, 160–210 ms.)"""
    from django.db import connections

    from zwfw.core.api import MAX_PAGE
    from zwfw.core.errors import RuleViolation

    if not 1 <= page <= MAX_PAGE:
        raise RuleViolation("invalid", f"page 须为1到{MAX_PAGE}之间的整数", field="page")
    if not 1 <= page_size <= 200:
        raise RuleViolation("invalid", "page_size 须在1到200之间", field="page_size")
    count = qs.count() if count is None else count
    start, end = (page - 1) * page_size, page * page_size
    features = connections[qs.db].features
    if start >= count:
        return [], count
    if not split or end > SPLIT_ROWS or not features.supports_slicing_ordering_in_compound:
        return list((qs.values(*values) if values else qs)[start:end]), count
    return _by_status_merged(qs, start, end, values), count


def case_list_page(
    user, page: int, page_size: int, *, values: tuple[str, ...] = (), count=None, **filters
) -> tuple[list, int]:
    """One page of the user's case list (the API's and /cases/) and its count: the rows of
    visible_cases(user, **filters), the count from the rollup (rollups.visible_count) unless
    the caller has it already."""
    from zwfw.cases import rollups

    if count is None:
        count = rollups.visible_count(user, **filters)
    # A status, an alert level or "overdue" filters by states, each read by its index; a list
    # of every state is read state by state (page_of_cases).
    split = not (filters.get("status") or filters.get("alert_level") or filters.get("overdue"))
    qs = visible_cases(user, **filters)
    return page_of_cases(qs, page, page_size, split=split, count=count, values=values)


def _by_status_merged(qs, start: int, end: int, values: tuple[str, ...]) -> list:
    """Rows start:end of `qs` soonest due first, read as the first `end` rows of each status
    (its index (department, status, due_date) answers each) merged here in the database's
    order, then those rows by id. PostgreSQL only (a LIMIT inside a compound SELECT)."""
    from django.db import connections

    firsts = [
        qs.filter(status=s).order_by("due_date", "id").values_list("due_date", "id")[:end]
        for s in CaseState.values
    ]
    keys = list(firsts[0].union(*firsts[1:], all=True))
    # The database's order: PostgreSQL puts cases without a due date last.
    nulls_last = connections[qs.db].features.nulls_order_largest
    keys.sort(key=lambda k: ((k[0] is None) == nulls_last, k[0] or datetime.date.min, k[1]))
    ids = [pk for _, pk in keys[start:end]]
    found = qs.order_by().filter(pk__in=ids)
    if values:
        rows = {r["id"]: r for r in found.values("id", *values)}
    else:
        rows = {c.pk: c for c in found}
    return [rows[pk] for pk in ids if pk in rows]  # (a case may move meanwhile)


def _scoped_one(user, qs):
    """As _scoped, plus the cases taken in at a comprehensive window the user is posted at
    (R-17 一窗进出: the clerk hands the result out there). Single-case lookups only."""
    scope = department_scope(user, *VIEW_ROLES)
    if scope is None:
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.filter(department_id__in=scope)
    return qs.filter(_scope_one_q(scope, user.pk))


def _scope_one_q(departments, user_id: int, on: datetime.date | None = None) -> Q:
    """_scoped_one's filter for a user's department ids and account id."""
    from zwfw.windows.selectors import window_case_q

    return Q(department_id__in=departments) | window_case_q(None, on, user_id=user_id)


def overdue_filter(qs, on: datetime.date):
    # Constants in the statement: the partial index case_queue_due serves every plan of it
    # (zwfw.core.lookups).
    return qs.filter(status__in_constants=CLOCK_OPEN_VALUES, due_date__lt=on)


def overdue_cases(*, department_id: int, on: datetime.date):
    """The overdue list of one department (bench/cases.py times this very query)."""
    return overdue_filter(Case.objects.filter(department_id=department_id), on).order_by(
        "due_date", "id"
    )


# What every reader of one case shows: the item, the department, the applicant and the
# window it came in at, joined (five small tables: planned in well under a millisecond).
# Everything else a page may show (decider, first reviewer, project, committee meeting,
# documents) is a lookup by key when it is there and shown. One SELECT joining all twelve
# tables took about 36 ms to plan on PostgreSQL, more than all these lookups together.
CASE_JOINS = ("item", "department", "applicant", "intake_window__window")


# case_for joins, besides: the decider, the supplement notice, the receipt, the decision
# document and the delivery (each read on the page; joined by a unique key, the statement
# is compiled once, so each costs less than its own lookup).
_CASE_FOR_JOINS = (
    *CASE_JOINS,
    "decided_by",
    "notice__issued_by",
    "intake_receipt",
    "decision_document",
    "delivery",
)


def _one_case(number, departments=None, user=None, on=None):
    """The case by number, within `departments` or taken in at a window the user is posted at
    on `on` (_scoped_one's filter, with plain values so that it compiles once: core.prepared)."""
    qs = Case.objects.filter(number=number)
    if departments is not None:
        qs = qs.filter(_scope_one_q(departments, user, on))
    return qs.select_related(*_CASE_FOR_JOINS).order_by()[:1]


_CASE_ANYWHERE = PreparedRead(Case, lambda number: _one_case(number))
_CASE_IN_SCOPE = PreparedRead(Case, _one_case)
_MATERIALS = PreparedRead(CaseMaterial, lambda case: CaseMaterial.objects.filter(case_id=case))
_EVENTS = PreparedRead(CaseEvent, lambda case: CaseEvent.objects.filter(case_id=case))
_CLOCK = PreparedRead(
    ClockEntry,
    lambda case: ClockEntry.objects.filter(case_id=case).select_related("approved_by"),
)


def case_for(user, number: str, *, clock: bool = True) -> Case:
    """One case in the user's scope, with what its page and API answer read: its materials
    and events, and (`clock`, the page's pauses and extension) its clock entries.

    The hottest read of the platform (every case page and API detail): each statement is
    compiled once (core.prepared), the scope is _scoped_one's."""
    if not user.is_authenticated:
        raise NotFound("未找到该办件，或不在您的查看范围内")
    scope = department_scope(user, *VIEW_ROLES)
    if scope is None:
        found = _CASE_ANYWHERE(number=number)
    else:
        departments = sorted(scope) or [0]  # (no department: only the window's cases)
        found = _CASE_IN_SCOPE(
            number=number, departments=departments, user=user.pk, on=timezone.localdate()
        )
    if not found:
        raise NotFound("未找到该办件，或不在您的查看范围内")
    case = found[0]
    attach(case, "materials", _MATERIALS(case=case.pk))
    attach(case, "events", _EVENTS(case=case.pk))
    if clock:
        attach(case, "clock_entries", _CLOCK(case=case.pk))
    return case


def case_for_action(user, number: str) -> Case:
    """The case an action is about (scope checked here; the service checks the role)."""
    case = (
        _scoped_one(user, Case.objects.filter(number=number))
        .select_related("item", "department", "center", "applicant")
        .first()
    )
    if case is None:
        raise NotFound("未找到该办件，或不在您的查看范围内")
    return case


def as_of(case: Case, on: datetime.date | None = None) -> Case:
    """The case as the catch-up (services.bring_up_to_date, the nightly refresh) would leave
    it on `on`: a deemed acceptance that fell due (L-ACCEPT) and the clock's due date,
    remaining days and alert level (L-LIMIT), computed in memory for display. GET requests
    never write; the periodic task and the next write store the same values."""
    from zwfw.cases.services.base import refresh_clock
    from zwfw.cases.states import Action, next_state

    on = on or timezone.localdate()
    status = CaseState(case.status)
    deem = (
        status == CaseState.RECEIVED
        and case.acceptance_deadline is not None
        and on > case.acceptance_deadline
    )
    stale = status in (CaseState.RECEIVED, *CLOCK_OPEN) and case.clock_read_on != on
    if not (deem or stale):
        return case
    view = copy.copy(case)  # the loaded relations and prefetched rows come along
    if deem:
        view.status = next_state(status, Action.ACCEPT)
        view.accepted_on = case.materials_complete_on
        view.deemed_accepted = True
    refresh_clock(view, on)
    return view


_NOTICE = PreparedRead(
    SupplementNotice,
    lambda case: SupplementNotice.objects.filter(case_id=case).select_related("issued_by")[:1],
)


def notice_of(case: Case):
    """The case's supplement notice (一次性告知) or None; read once per loaded case (a page
    asks for it in several places; copies made by as_of share what was read)."""
    if "_notice" not in case.__dict__:
        if Case.notice.is_cached(case):  # joined by case_for
            found = [getattr(case, "notice", None)]
        else:
            found = _NOTICE(case=case.pk)
        case.__dict__["_notice"] = found[0] if found else None
    return case.__dict__["_notice"]


@dataclass
class Counts:
    department_id: int | None
    name: str
    open: int
    overdue: int
    yellow: int
    red: int


def counts_by_department(user, *, on: datetime.date | None = None) -> list[Counts]:
    """Open, overdue and yellow cases per department: one aggregate query."""
    on = on or timezone.localdate()
    rows = (
        _scoped(user, Case.objects.filter(status__in=OPEN_VALUES))
        .values("department_id", "department__name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(status__in=CLOCK_OPEN_VALUES, due_date__lt=on)),
            yellow=Count(
                "id",
                filter=Q(alert_level="yellow", status__in=[CaseState.RECEIVED, *CLOCK_OPEN_VALUES]),
            ),
            red=Count("id", filter=Q(alert_level="red", status__in=CLOCK_OPEN_VALUES)),
        )
        .order_by("department__name")
    )
    return [
        Counts(
            r["department_id"],
            r["department__name"],
            r["open"],
            r["overdue"],
            r["yellow"],
            r["red"],
        )
        for r in rows
    ]


def totals(counts: list[Counts]) -> Counts:
    return Counts(
        None,
        "合计",
        sum(c.open for c in counts),
        sum(c.overdue for c in counts),
        sum(c.yellow for c in counts),
        sum(c.red for c in counts),
    )


QUEUE_ROWS = 10


def _queue(departments=None):
    qs = Case.objects.filter(status__in_constants=QUEUE_VALUES)
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    # The partial index case_queue_due reads the first rows in order (a department's open
    # cases were otherwise all read from the heap and sorted: 4 ms at 1 M cases), in every
    # plan of the prepared statement since the states are written into it (core.lookups).
    columns = ("number", "status", "due_date", "remaining_workdays", "alert_level", "item__name")
    return qs.select_related("item").only(*columns).order_by("due_date", "id")[:QUEUE_ROWS]


# The home page of every clerk asks: compiled once (core.prepared), per shape of scope.
_QUEUE_OF = PreparedRead(Case, _queue)
_QUEUE_ALL = PreparedRead(Case, lambda: _queue())


def my_open_cases(user) -> list[Case]:
    """The work queue of window staff and chief officers: their departments' open cases with
    a running or pending clock, soonest due first (the first QUEUE_ROWS)."""
    scope = department_scope(user, Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN)
    if scope is None:
        return _QUEUE_ALL()
    return _QUEUE_OF(departments=sorted(scope))


def _grants_in_force(person, on):
    from zwfw.grants.models import Grant
    from zwfw.grants.selectors import in_force_q

    return Grant.objects.filter(in_force_q(on), grantee_id=person).only("id").order_by()


# Every home page asks (the 待我决定 panel): compiled once (core.prepared).
_GRANTS_IN_FORCE = PreparedRead("grants.Grant", _grants_in_force)


def grant_ids_in_force(user, on: datetime.date | None = None) -> list[int]:
    """The ids of the grants the user's person holds in force on `on`, ascending (one query)."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    on = on or timezone.localdate()
    return sorted(g.pk for g in _GRANTS_IN_FORCE(person=person.pk, on=on))


def awaiting_my_decision(
    user, *, on: datetime.date | None = None, limit: int = 10, grant_ids: list[int] | None = None
):
    """待我决定 (N-4, N-13): open cases whose item the user holds a grant for today — to decide
    (final items; a preliminary item once someone else first-reviewed it) or to first-review
    (preliminary items not yet reviewed). The same conditions as decision.check_decide and
    check_first_review, as one query (tests compare the two). `grant_ids`: the caller's
    grant_ids_in_force(user, on), when it needs them too (the home panel)."""
    from zwfw.cases.models import Procedure
    from zwfw.cases.states import Action, allowed
    from zwfw.grants.models import Grant

    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return []
    on = on or timezone.localdate()
    ids = grant_ids_in_force(user, on) if grant_ids is None else grant_ids
    # Most staff hold no grant in force: one query answers them (the two item reads below
    # and the panel's "holds a grant?" check cost two more round trips on every home page).
    if not ids:
        return []
    # The items first (a few rows): a subquery that finds nothing still had PostgreSQL walk
    # the open cases' index (~50 ms at 1 M cases).
    final = set(
        Grant.final_items.through.objects.filter(grant_id__in=ids).values_list(
            "serviceitem_id", flat=True
        )
    )
    preliminary = set(
        Grant.preliminary_items.through.objects.filter(grant_id__in=ids).values_list(
            "serviceitem_id", flat=True
        )
    )
    if not final and not preliminary:
        return []
    decidable = [s for s in CaseState if allowed(s, Action.DECIDE) and s != CaseState.REFERRED]
    reviewable = [s for s in CaseState if allowed(s, Action.FIRST_REVIEW)]
    to_decide = Q(status__in=decidable, item_id__in=final) & (
        Q(procedure=Procedure.FINAL)
        | Q(procedure=Procedure.PRELIMINARY, first_reviewed_by__isnull=False)
        & ~Q(first_reviewed_by=person)
    )
    to_review = Q(
        status__in=reviewable,
        procedure=Procedure.PRELIMINARY,
        first_reviewed_by__isnull=True,
        item_id__in=preliminary,
    )
    qs = Case.objects.filter(
        to_decide | to_review, item__active=True, item__chief_list_included=True
    )
    return list(qs.select_related("item").order_by("due_date", "id")[:limit])


# --- public progress query ----------------------------------------------------------------


def number_spellings(number: str) -> tuple[str, str]:
    """A case or joint number as a person types it, trimmed, and in capitals (numbers are
    issued in capitals; matching both spellings is two index lookups, no UPPER())."""
    number = (number or "").encode("utf-8", "ignore").decode().replace("\x00", "").strip()[:40]
    return number, number.upper()


def number_q(number: str) -> Q:
    """A case or joint number as a person types it, matched whatever the letter case."""
    typed, upper = number_spellings(number)
    return Q(number=typed) | Q(number=upper)


def public_case(number: str, phone_last4: str) -> Case:
    """The case for an applicant who knows its number and their phone's last four digits.
    A wrong number and a wrong phone give the same answer (no enumeration)."""
    last4 = (phone_last4 or "").strip()
    typed, upper = number_spellings(number)
    found = _PUBLIC_CASE(typed=typed, upper=upper)
    case = found[0] if found else None
    if case is None or len(last4) != 4 or not constant_time_equal(case.phone_last4, last4):
        raise NotFound("未找到该办件，请核对办件编号和手机号后四位")
    attach(case, "clock_entries", _CLOCK(case=case.pk))
    return case


# The public progress page and API read the case with what they show (core.prepared: every
# applicant's query compiles nothing).
_PUBLIC_CASE = PreparedRead(
    Case,
    lambda typed, upper: (
        Case.objects.filter(Q(number=typed) | Q(number=upper))
        .select_related("item", "department", "center", "applicant", "notice__issued_by")
        .order_by("id")[:1]
    ),
)
_PUBLIC_EVENTS = PreparedRead(
    CaseEvent,
    lambda case: CaseEvent.objects.filter(case_id=case, public=True).order_by("at", "id"),
)


def public_events(case: Case):
    return _PUBLIC_EVENTS(case=case.pk)


def pauses_of(case: Case) -> list[dict]:
    """The pause ledger as periods: reason, start, end (None while open), working days."""
    periods = []
    for entry in case.clock_entries.all():
        if entry.kind == ClockEntry.Kind.PAUSE:
            periods.append(
                {
                    "reason": entry.reason,
                    "reason_label": entry.reason_label,
                    "start": entry.on,
                    "end": None,
                    "days": None,
                    "note": entry.note,
                }
            )
        elif entry.kind == ClockEntry.Kind.RESUME and periods and periods[-1]["end"] is None:
            periods[-1]["end"] = entry.on
            periods[-1]["days"] = entry.days
    return periods


def extension_of(case: Case) -> ClockEntry | None:
    return next((e for e in case.clock_entries.all() if e.kind == ClockEntry.Kind.EXTENSION), None)


# --- ledgers (台账, C-2.2) -------------------------------------------------------------------


def visible_applicants(user, *, query: str = ""):
    """Applicants with a case in the user's scope; a query matches a name or an exact ID
    number / credit code (through its blind index)."""
    cases = _scoped(user, Case.objects.all())
    qs = Applicant.objects.filter(id__in=cases.values("applicant_id"))
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(identifier_index=blind_index(query)))
    return qs.annotate(case_count=Count("cases")).order_by("name", "id")


def visible_projects(user, *, query: str = ""):
    qs = Project.objects.annotate(case_count=Count("cases"))
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(code=query))
    return qs.order_by("code")


def applicant_for(user, applicant_id: int) -> Applicant:
    found = visible_applicants(user).filter(pk=applicant_id).first()
    if found is None:
        raise NotFound("未找到该申请人，或不在您的查看范围内")
    return found


def project_for(user, project_id: int) -> Project:
    found = Project.objects.filter(pk=project_id).first()
    if found is None:
        raise NotFound("未找到该项目")
    return found


def ledger_cases(user, *, applicant: Applicant | None = None, project: Project | None = None):
    qs = _scoped(user, Case.objects.all())
    if applicant is not None:
        qs = qs.filter(applicant=applicant)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.select_related("item", "department").order_by("-received_at", "-id")


def scheduled_meetings(case: Case):
    """Meetings a case may be referred to: scheduled ones of the committees of its center."""
    from zwfw.grants.models import CommitteeMeeting

    return (
        CommitteeMeeting.objects.filter(
            status=CommitteeMeeting.Status.SCHEDULED,
            committee__center_id__in=case.department.center_path_ids(),
            committee__active=True,
        )
        .select_related("committee")
        .order_by("held_on", "id")
    )
