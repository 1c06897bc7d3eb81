"""The clock: pauses (L-PAUSE, N-6), the one extension (L-LIMIT), the nightly refresh and
the recomputation when the official calendar changes (L-CAL)."""

import datetime
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from zwfw.cases import conf, notices, rollups
from zwfw.cases.models import Case, CaseEvent, ClockEntry, PauseReason
from zwfw.cases.services.base import (
    CLOCK_FIELDS,
    apply_deemed_acceptance,
    moment,
    person_of,
    refresh_clock,
    require_handler,
    save_step,
    take,
)
from zwfw.cases.states import CLOCK_OPEN, Action, CaseState
from zwfw.core import fastsql
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.permissions import Role, has_role
from zwfw.workdays import calendar, loader
from zwfw.workdays.hooks import Batch

S = CaseState


def _entry(case: Case, kind: str, on: datetime.date, by, note: str, **fields) -> ClockEntry:
    """A row of the case's clock (pause, resume, extension) with its note trimmed."""
    return ClockEntry(
        case=case, kind=kind, on=on, note=(note or "").strip()[:2000], by=by, **fields
    )


@transaction.atomic
def pause_case(
    *, case: Case, by, reason: str, note: str = "", on: datetime.date | None = None
) -> Case:
    """Stop the clock for inspection, hearing, testing, expert review or the applicant's
    supplement; the applicant is told in writing (L-PAUSE, N-6; 行政许可法第45条)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.PAUSE)
    require_handler(by, case)
    if reason not in PauseReason.values:
        raise RuleViolation(
            "L-PAUSE",
            "暂停计时须选择法定事由（现场踏勘、听证、检验检测、专家评审等）",
            field="reason",
        )
    if on < case.accepted_on:
        raise RuleViolation("L-PAUSE", "暂停日期不能早于受理日期", field="on")
    entry = _entry(case, ClockEntry.Kind.PAUSE, on, by, note, reason=reason)
    label = PauseReason(reason).label
    case.status = after
    case.paused_since = on
    refresh_clock(case, on)
    save_step(
        case,
        action="pause",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["paused_since", *CLOCK_FIELDS],
        text=f"因{label}暂停计时" + (f"：{note.strip()}" if note and note.strip() else ""),
        audit_after={"reason": reason, "note": note},
        sms=("pause", notices.pause_text(case, label)),
        rows=(entry,),
    )
    return case


@transaction.atomic
def resume_case(*, case: Case, by, note: str = "", on: datetime.date | None = None) -> Case:
    """Restart the clock; the pause's working days move the due date (L-PAUSE)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.RESUME)
    require_handler(by, case)
    started = case.paused_since
    if on < started:
        raise RuleViolation("L-PAUSE", "恢复计时日期不能早于暂停日期", field="on")
    days = calendar.count_workdays(started, on)
    entry = _entry(case, ClockEntry.Kind.RESUME, on, by, note, days=days)
    case.status = after
    case.closed_pause_workdays += days
    case.paused_since = None
    refresh_clock(case, on)
    save_step(
        case,
        action="resume",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["paused_since", "closed_pause_workdays", *CLOCK_FIELDS],
        text=f"恢复计时，暂停{days}个工作日不计入办理时限，办理期限{case.due_date:%Y年%m月%d日}",
        audit_after={"paused_workdays": days, "due_date": case.due_date},
        sms=("resume", notices.resume_text(case)),
        rows=(entry,),
    )
    return case


def extension_approver(by, case: Case, on: datetime.date):
    """L-LIMIT: the department's chief representative (a grant in force) or its department
    administrator approves; returns (person, grant or None)."""
    from zwfw.grants.eligibility import GrantRole
    from zwfw.grants.models import Grant
    from zwfw.grants.selectors import in_force_q

    person = person_of(by)
    if person is not None:
        grant = (
            Grant.objects.filter(
                in_force_q(on),
                grantee=person,
                department_id=case.department_id,
                role=GrantRole.CHIEF_REPRESENTATIVE,
            )
            .order_by("-valid_from")
            .first()
        )
        if grant is not None:
            return person, grant
    if has_role(by, Role.DEPARTMENT_ADMIN, department=case.department) and person is not None:
        return person, None
    raise Forbidden("延期须经本部门首席代表或部门管理员批准", code="L-LIMIT")


def check_extend(case: Case, by, on: datetime.date):
    """延期 by `by` now: an approver (extension_approver) and no extension yet (L-LIMIT: once).
    Returns (approver, grant)."""
    approved = extension_approver(by, case, on)
    if (
        case.extension_days
        or ClockEntry.objects.filter(case=case, kind=ClockEntry.Kind.EXTENSION).exists()
    ):
        raise RuleViolation("L-LIMIT", "办理期限只能延长一次，本件已经延期", field="days")
    return approved


@transaction.atomic
def extend_case(*, case: Case, by, days: int, reason: str, on: datetime.date | None = None) -> Case:
    """Extend the limit once, by at most 10 working days, with approval and a reason told to
    the applicant (L-LIMIT; 行政许可法第42条)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.EXTEND)
    approver, grant = check_extend(case, by, on)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("L-LIMIT", "延期须写明理由", field="reason")
    limit = conf.max_extension_days()
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
        raise RuleViolation("L-LIMIT", f"延长期限须为1至{limit}个工作日", field="days")
    fastsql.insert(
        _entry(
            case,
            ClockEntry.Kind.EXTENSION,
            on,
            by,
            reason,
            days=days,
            approved_by=approver,
            approver_grant=grant,
        )
    )
    old_due = case.due_date
    case.status = after
    case.extension_days = days
    refresh_clock(case, on)
    save_step(
        case,
        action="extend",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["extension_days", *CLOCK_FIELDS],
        text=f"经批准延长{days}个工作日，理由：{reason}；办理期限由"
        f"{old_due:%Y年%m月%d日}延至{case.due_date:%Y年%m月%d日}",
        audit_after={
            "days": days,
            "reason": reason,
            "approver": approver.pk,
            "grant": grant.pk if grant else None,
            "due_date": case.due_date,
        },
        sms=("extension", notices.extension_text(case, days, reason)),
    )
    return case


@transaction.atomic
def bring_up_to_date(*, case: Case, on: datetime.date | None = None) -> Case:
    """Before a write: apply a deemed acceptance that fell due and refresh a stale clock
    (L-ACCEPT, L-LIMIT). Write paths and the periodic task only: GET requests never write,
    pages show selectors.as_of (the same state computed in memory)."""
    on = on or timezone.localdate()
    needs_deem = (
        case.status == S.RECEIVED and case.acceptance_deadline and on > case.acceptance_deadline
    )
    stale = case.status in (S.RECEIVED, *CLOCK_OPEN) and case.clock_read_on != on
    if not (needs_deem or stale):
        return case
    from zwfw.cases.services.base import lock

    case = lock(case)
    if not apply_deemed_acceptance(case, on) and refresh_clock(case, on):
        case.save(update_fields=CLOCK_FIELDS)
    elif case.clock_read_on != on and case.status in (S.RECEIVED, *CLOCK_OPEN):
        case.clock_read_on = on
        case.save(update_fields=["clock_read_on"])
    return case


REFRESH_FIELDS = [
    "id",
    "number",
    "status",
    "accepted_on",
    "limit_days",
    "extension_days",
    "closed_pause_workdays",
    "paused_since",
    "acceptance_deadline",
    "materials_complete_on",
    *CLOCK_FIELDS,
]


def refresh_open_cases(*, on: datetime.date | None = None, batch: int = 2000) -> dict:
    """Nightly: deemed acceptances, then the stored due dates, remaining days and alert levels
    of every open case, written in bulk (only rows that changed)."""
    on = on or timezone.localdate()
    deemed = 0
    late = Case.objects.filter(status=S.RECEIVED, acceptance_deadline__lt=on)
    for case in late.select_related("item", "center", "department").iterator(chunk_size=500):
        with transaction.atomic():
            deemed += bool(
                apply_deemed_acceptance(
                    Case.objects.select_for_update()
                    .select_related("item", "center", "department")
                    .get(pk=case.pk),
                    on,
                )
            )
    cal = calendar.current()
    changed = 0
    last_id = 0
    open_states = [S.RECEIVED, *CLOCK_OPEN]
    while True:
        rows = list(
            Case.objects.filter(status__in=open_states, id__gt=last_id)
            .only(*REFRESH_FIELDS)
            .order_by("id")[:batch]
        )
        if not rows:
            break
        last_id = rows[-1].id
        dirty = []
        for case in rows:
            if refresh_clock(case, on, cal):
                dirty.append(case)
            case.clock_read_on = on
        with transaction.atomic():
            Case.objects.bulk_update(dirty, CLOCK_FIELDS, batch_size=500)
            clean = [c.id for c in rows if c not in dirty]
            if clean:
                Case.objects.filter(id__in=clean).update(clock_read_on=on)
        changed += len(dirty)
    # The dashboards' open-case counts are keyed by due date and alert level (cases.rollups):
    # take in the night's clock changes now, not at the next 10-minute recount.
    rollups.recount()
    return {"deemed_accepted": deemed, "clock_changed": changed}


RECOMPUTE_STATES = [S.RECEIVED, *CLOCK_OPEN]
# What a recomputation reads of a case: the clock's inputs and outputs, nothing else.
RECOMPUTE_FIELDS = [f for f in REFRESH_FIELDS if f != "number"]
# What it writes back.
RECOMPUTED_FIELDS = ["acceptance_deadline", *CLOCK_FIELDS]


class ClockRow:
    """The clock columns of one case, as `refresh_clock` reads and sets them."""

    __slots__ = RECOMPUTE_FIELDS

    def __init__(self, values):
        for name, value in zip(RECOMPUTE_FIELDS, values, strict=True):
            setattr(self, name, value)


class Outcome(NamedTuple):
    """What a recomputation does to cases with the same clock columns."""

    written: tuple | None  # RECOMPUTED_FIELDS' new values; None: nothing to write
    moved: tuple | None  # (old due date, new due date) when a due date or deadline moved
    text: str | None  # the timeline row of a move


def recompute_clock(clock: tuple, *, year: int, calendar, on: datetime.date, accept_days: int):
    """L-CAL: the outcome for a case whose RECOMPUTE_FIELDS, id left out, are `clock`.

    Every column `refresh_clock` reads or keeps is in `clock`, so cases with equal tuples
    get equal outcomes: a batch computes each distinct tuple once (a batch of 2,000 open
    cases holds a few dozen: start dates, limits and pauses repeat)."""
    row = ClockRow((None, *clock))
    old_due, old_deadline = row.due_date, row.acceptance_deadline
    if row.status == S.RECEIVED and row.materials_complete_on:
        row.acceptance_deadline = calendar.add_workdays(row.materials_complete_on, accept_days)
    clock_moved = refresh_clock(row, on, calendar)
    if not clock_moved and row.acceptance_deadline == old_deadline:
        return Outcome(None, None, None)
    written = tuple(getattr(row, f) for f in RECOMPUTED_FIELDS)
    if row.due_date == old_due and row.acceptance_deadline == old_deadline:
        return Outcome(written, None, None)  # only today's remaining days or alert level
    return Outcome(written, (old_due, row.due_date), _recompute_text(year, old_due, row.due_date))


def _recompute_scope_qs(year: int):
    """Open cases whose clock can cross `year`: materials complete by its last day (a clock
    that starts later never reads it)."""
    return Case.objects.filter(
        status__in=RECOMPUTE_STATES, materials_complete_on__lte=datetime.date(year, 12, 31)
    )


def recompute_scope(year: int) -> tuple[int, int]:
    """L-CAL: how many open cases a recomputation of `year` visits, and the highest id."""
    agg = _recompute_scope_qs(year).aggregate(n=Count("id"), top=Max("id"))
    return agg["n"], agg["top"] or 0


def recompute_finished(year: int) -> None:
    """After a calendar recompute's last batch: the dashboards' counts by due date."""
    rollups.recount()


def recompute_affects(case: Case, year: int) -> bool:
    """Whether a recomputation of `year` visits this case (the case page's hint)."""
    done_by = case.materials_complete_on
    return case.status in RECOMPUTE_STATES and done_by is not None and done_by.year <= year


_PG_TYPES = {
    "acceptance_deadline": "date",
    "due_date": "date",
    "remaining_workdays": "integer",
    "alert_level": "varchar",
    "paused_workdays": "integer",
    "due_provisional": "boolean",
    "clock_read_on": "date",
}
_EVENT_COLUMNS = [
    "case_id",
    "at",
    "on",
    "action",
    "from_status",
    "to_status",
    "actor_name",
    "text",
    "public",
]
EVENT_ACTION = "recompute_due_date"
EVENT_ACTOR = "系统"


def _pg_store_sql() -> str:
    """PostgreSQL: one statement per batch. The rows travel as two integer arrays (id,
    outcome number) and the outcomes as a few short arrays; the join spreads them, the
    clocks are updated and the timeline rows of moves inserted, without a value per row
    and column to encode in Python (what made a batch's statement cost as much as its
    writes)."""
    q = connection.ops.quote_name
    outcome_cols = ["status", *RECOMPUTED_FIELDS, "text"]
    types = {**_PG_TYPES, "status": "varchar", "text": "text"}
    arrays = ", ".join(f"%s::{types[c]}[]" for c in outcome_cols)
    sets = ", ".join(f"{q(f)} = v.{q(f)}" for f in RECOMPUTED_FIELDS)
    return (
        f"WITH v AS (SELECT * FROM unnest({arrays}) WITH ORDINALITY "
        f"AS v({', '.join(q(c) for c in outcome_cols)}, g)), "
        "r AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS r(id, g)), "
        f"w AS (UPDATE {q(Case._meta.db_table)} AS c SET {sets}, updated_at = %s "
        "FROM r JOIN v ON v.g = r.g "
        # The id range lets the planner read the batch's rows by the primary key instead of
        # hashing the whole table (it cannot estimate unnest's rows).
        "WHERE c.id = r.id AND c.id BETWEEN %s AND %s) "
        f"INSERT INTO {q(CaseEvent._meta.db_table)} ({', '.join(q(c) for c in _EVENT_COLUMNS)}) "
        "SELECT r.id, %s, %s, %s, v.status, v.status, %s, v.text, true "
        "FROM r JOIN v ON v.g = r.g WHERE v.text IS NOT NULL ORDER BY r.id"
    )


def _store(rows: list[tuple[int, int]], outcomes: list[tuple[str, Outcome]], at, on: datetime.date):
    """Write the recomputed clocks of `rows` ((case id, index into `outcomes`), id order)
    and a timeline row for each moved due date; `outcomes` are (status, outcome)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            nothing = (None,) * len(RECOMPUTED_FIELDS)  # outcomes no row refers to
            columns = [
                [status for status, _ in outcomes],
                *map(list, zip(*(o.written or nothing for _, o in outcomes), strict=True)),
                [o.text for _, o in outcomes],
            ]
            # ORDINALITY numbers outcomes from 1.
            params = [*columns, [i for i, _ in rows], [g + 1 for _, g in rows], at]
            params += [rows[0][0], rows[-1][0], at, on, EVENT_ACTION, EVENT_ACTOR]
            cursor.execute(_pg_store_sql(), params)
            return
        q = connection.ops.quote_name
        sets = ", ".join(f"{q(f)} = %s" for f in [*RECOMPUTED_FIELDS, "updated_at"])
        cursor.executemany(
            f"UPDATE {q(Case._meta.db_table)} SET {sets} WHERE id = %s",
            [[*outcomes[g][1].written, at, i] for i, g in rows],
        )
        events = [
            (i, at, on, EVENT_ACTION, status, status, EVENT_ACTOR, outcome.text, True)
            for i, g in rows
            for status, outcome in [outcomes[g]]
            if outcome.text is not None
        ]
        if events:
            names = ", ".join(q(c) for c in _EVENT_COLUMNS)
            marks = ", ".join(["%s"] * len(_EVENT_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {q(CaseEvent._meta.db_table)} ({names}) VALUES ({marks})", events
            )


def _recompute_text(year: int, old_due, new_due) -> str:
    if old_due and new_due:
        return f"{year}年工作日历调整，期限由{old_due:%Y年%m月%d日}改为{new_due:%Y年%m月%d日}"
    return f"{year}年工作日历调整，期限重新计算"


def recompute_batch(
    *,
    year: int,
    after_id: int = 0,
    until_id: int | None = None,
    size: int = 2000,
    ids: list[int] | None = None,
    calendar=None,
    on: datetime.date | None = None,
) -> Batch:
    """L-CAL: recompute the due dates of one batch of open cases, in the caller's transaction
    (zwfw.workdays.recompute runs one per transaction): the next `size` ids after `after_id`
    up to `until_id`, or exactly `ids`. Rows another writer holds are skipped (SKIP LOCKED)
    and returned for a retry; each moved due date gets a timeline row on its case. The
    caller writes the batch's audit event (`Batch.changes` lists every moved date)."""
    cal = calendar or loader.current()
    on = on or timezone.localdate()
    scope = _recompute_scope_qs(year)
    if ids is None:
        top = until_id if until_id is not None else recompute_scope(year)[1]
        ahead = scope.filter(id__gt=after_id, id__lte=top).order_by("id")[:size]
        span = ahead.aggregate(n=Count("id"), first=Min("id"), last=Max("id"))
        # Fewer than asked: the range is exhausted, the cursor jumps to its end.
        cursor = span["last"] if span["n"] == size else top
        wanted = span["n"]
        # A range, not IN (2,000 placeholders): the same rows (every case of the scope in
        # it is among the next `size`).
        lock = scope.filter(id__gte=span["first"], id__lte=span["last"]) if wanted else None
    else:
        wanted, cursor = len(ids), after_id
        lock = scope.filter(id__in=ids)
    batch = Batch(cursor=cursor)
    if not wanted:
        return batch
    rows = list(
        lock.select_for_update(skip_locked=True).order_by("id").values_list(*RECOMPUTE_FIELDS)
    )
    if len(rows) < wanted:
        got = {values[0] for values in rows}
        # Held by another writer, unless it closed in the meantime (then nothing to do).
        batch.skipped = [
            i for i in lock.order_by("id").values_list("id", flat=True) if i not in got
        ]
    if not rows:
        return batch
    common = {"year": year, "calendar": cal, "on": on, "accept_days": conf.accept_days()}
    numbers: dict[tuple, int] = {}
    outcomes: list[tuple[str, Outcome]] = []
    dirty: list[tuple[int, int]] = []
    for values in rows:
        clock = values[1:]
        g = numbers.get(clock)
        if g is None:
            g = numbers[clock] = len(outcomes)
            outcomes.append((clock[0], recompute_clock(clock, **common)))
        outcome = outcomes[g][1]
        if outcome.written is not None:
            dirty.append((values[0], g))
            if outcome.moved is not None:
                batch.changes[str(values[0])] = list(outcome.moved)
    _store(dirty, outcomes, timezone.now(), on)
    batch.first_id, batch.last_id = rows[0][0], rows[-1][0]
    batch.visited, batch.changed = len(rows), len(batch.changes)
    return batch


def recompute_due_dates_for_year(year: int) -> int:
    """Recompute now, in this process, through the same job a calendar edit queues (a shell,
    or a center without a Huey worker); returns how many due dates moved."""
    from zwfw.workdays import recompute

    return recompute.run_now(year).changed
