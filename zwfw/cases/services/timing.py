"""The clock: pauses (L-PAUSE, N-6), the one extension (L-LIMIT), the nightly refresh and
the recomputation when the official calendar changes (L-CAL)."""

import datetime

from django.db import connection, transaction
from django.db.models import Count, Max
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
    fastsql.insert(
        ClockEntry(
            case=case,
            kind=ClockEntry.Kind.PAUSE,
            on=on,
            reason=reason,
            note=(note or "").strip()[:2000],
            by=by,
        )
    )
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
    fastsql.insert(
        ClockEntry(
            case=case,
            kind=ClockEntry.Kind.RESUME,
            on=on,
            days=days,
            note=(note or "").strip()[:2000],
            by=by,
        )
    )
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
        ClockEntry(
            case=case,
            kind=ClockEntry.Kind.EXTENSION,
            on=on,
            days=days,
            note=reason[:2000],
            by=by,
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
    """The clock columns of one case, as `refresh_clock` reads and sets them. A million of
    these cost a tenth of the model instances (Case has ~60 fields to defer)."""

    __slots__ = RECOMPUTE_FIELDS

    def __init__(self, values):
        for name, value in zip(RECOMPUTE_FIELDS, values, strict=True):
            setattr(self, name, value)


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


# PostgreSQL: many rows in one statement over unnest'ed arrays (one round trip, no Python per
# row in the driver); ~50 times faster than Django's bulk_update CASE chains.
_PG_TYPES = {
    "id": "bigint",
    "acceptance_deadline": "date",
    "due_date": "date",
    "remaining_workdays": "integer",
    "alert_level": "varchar",
    "paused_workdays": "integer",
    "due_provisional": "boolean",
    "clock_read_on": "date",
}
_EVENT_COLUMNS = [
    ("case_id", "bigint"),
    ("at", "timestamptz"),
    ("on", "date"),
    ("action", "varchar"),
    ("from_status", "varchar"),
    ("to_status", "varchar"),
    ("actor_name", "varchar"),
    ("text", "text"),
    ("public", "boolean"),
]


def _write_clocks(rows: list[ClockRow], at: datetime.datetime) -> None:
    """Store the recomputed columns of many cases in one statement (rows in id order)."""
    q = connection.ops.quote_name
    table = q(Case._meta.db_table)
    if connection.vendor == "postgresql":
        columns = ["id", *RECOMPUTED_FIELDS]
        sets = ", ".join(f"{q(f)} = v.{q(f)}" for f in RECOMPUTED_FIELDS)
        arrays = ", ".join(f"%s::{_PG_TYPES[c]}[]" for c in columns)
        sql = (
            f"UPDATE {table} AS c SET {sets}, updated_at = %s FROM unnest({arrays}) "
            f"AS v({', '.join(q(c) for c in columns)}) "
            # The id range lets the planner read the batch's rows by the primary key instead
            # of hashing the whole table (it cannot estimate unnest's rows).
            "WHERE c.id = v.id AND c.id BETWEEN %s AND %s"
        )
        params = [at, *([getattr(r, c) for r in rows] for c in columns), rows[0].id, rows[-1].id]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    sets = ", ".join(f"{q(f)} = %s" for f in [*RECOMPUTED_FIELDS, "updated_at"])
    values = [[*(getattr(r, f) for f in RECOMPUTED_FIELDS), at, r.id] for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", values)


def _insert_events(events: list[tuple]) -> None:
    """The timeline rows of moved due dates (tuples in _EVENT_COLUMNS order), one statement."""
    q = connection.ops.quote_name
    table = q(CaseEvent._meta.db_table)
    names = ", ".join(q(c) for c, _ in _EVENT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{t}[]" for _, t in _EVENT_COLUMNS)
            columns = [list(col) for col in zip(*events, strict=True)]
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})", columns)
        else:
            marks = ", ".join(["%s"] * len(_EVENT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", events)


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
        wanted = list(
            scope.filter(id__gt=after_id, id__lte=top)
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        # Fewer than asked: the range is exhausted, the cursor jumps to its end.
        cursor = wanted[-1] if len(wanted) == size else top
    else:
        wanted, cursor = sorted(ids), after_id
    batch = Batch(cursor=cursor)
    if not wanted:
        return batch
    # A range, not IN (2,000 placeholders): same rows (all of `wanted` are in scope), and
    # the driver does not parse a long statement.
    lock = (
        scope.filter(id__gte=wanted[0], id__lte=wanted[-1])
        if ids is None
        else scope.filter(id__in=wanted)
    )
    rows = [
        ClockRow(values)
        for values in lock.select_for_update(skip_locked=True)
        .order_by("id")
        .values_list(*RECOMPUTE_FIELDS)
    ]
    if len(rows) < len(wanted):
        got = {r.id for r in rows}
        missing = [i for i in wanted if i not in got]
        # Held by another writer, unless it closed in the meantime (then nothing to do).
        batch.skipped = list(scope.filter(id__in=missing).values_list("id", flat=True))
    if not rows:
        return batch
    accept_days = conf.accept_days()
    at = timezone.now()
    dirty, events = [], []
    for row in rows:
        old_due, old_deadline = row.due_date, row.acceptance_deadline
        if row.status == S.RECEIVED and row.materials_complete_on:
            row.acceptance_deadline = cal.add_workdays(row.materials_complete_on, accept_days)
        clock_moved = refresh_clock(row, on, cal)
        if not clock_moved and row.acceptance_deadline == old_deadline:
            continue
        dirty.append(row)
        if row.due_date == old_due and row.acceptance_deadline == old_deadline:
            continue  # only today's remaining days or alert level: not a calendar change
        batch.changes[str(row.id)] = [old_due, row.due_date]
        text = _recompute_text(year, old_due, row.due_date)
        events.append(
            (row.id, at, on, "recompute_due_date", row.status, row.status, "系统", text, True)
        )
    if dirty:
        _write_clocks(dirty, at)
    if events:
        _insert_events(events)
    batch.first_id, batch.last_id = rows[0].id, rows[-1].id
    batch.visited, batch.changed = len(rows), len(events)
    return batch


def recompute_due_dates_for_year(year: int) -> int:
    """Recompute now, in this process, through the same job a calendar edit queues (a shell,
    or a center without a Huey worker); returns how many due dates moved."""
    from zwfw.workdays import recompute

    return recompute.run_now(year).changed
