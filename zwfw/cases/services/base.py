"""Shared steps of every case service: take the row, move the state, refresh the clock, write
the timeline and the audit event, notify after commit."""

import copy
import datetime
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zwfw.cases import clock, conf, notices, rollups
from zwfw.cases.models import Case, CaseEvent, CaseNumberCounter
from zwfw.cases.states import CLOCK_OPEN, Action, CaseState, next_state
from zwfw.core import audit, fastsql
from zwfw.core.errors import Forbidden, NotFound
from zwfw.core.permissions import Role, has_role, require_role
from zwfw.workdays import calendar

S = CaseState
HANDLING_ROLES = (Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)
MANAGING_ROLES = (Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)


def moment(on: datetime.date | None) -> tuple[datetime.date, datetime.datetime]:
    """The day of an action and its timestamp: now, or 09:30 local time on a given past day
    (demo data and tests pass days explicitly)."""
    now = timezone.now()
    today = timezone.localdate(now)
    if on is None or on == today:
        return today, now
    naive = datetime.datetime.combine(on, datetime.time(9, 30))
    return on, timezone.make_aware(naive)


@dataclass(frozen=True)
class PhoneProof:
    """Proof that whoever acts without an account holds `phone`: made by
    services.public.prove_phone after a one-time SMS code checked out (or by the demo loader,
    which stands in for its invented applicants). Anonymous writes demand one."""

    phone: str
    purpose: str
    subject: str = ""


def require_proof(proof, *, phone: str, purpose: str, subject: str = "") -> None:
    """An anonymous change must come with a proof for this very phone, purpose and subject."""
    if (
        not isinstance(proof, PhoneProof)
        or proof.phone != phone
        or proof.purpose != purpose
        or proof.subject != subject
    ):
        raise Forbidden("请先通过短信验证码验证手机号", code="phone_unverified")


def require_handler(by, case: Case) -> None:
    require_role(by, *HANDLING_ROLES, department=case.department)


def has_handler_role(by, case: Case) -> bool:
    return has_role(by, *HANDLING_ROLES, department=case.department)


def person_of(by):
    person = getattr(by, "person", None) if by is not None else None
    return person


def lock(case: Case, *, audited: bool = False) -> Case:
    """The case row as it is now, locked for this transaction (two officers never both move
    it). Returns a fresh copy that keeps the caller's loaded item, department, center and
    applicant (a case never changes them), so the hot path reads one row (core.fastsql).

    `audited`: the transaction appends to the trail (every step does): the same statement
    takes the center's chain lock and its head after the row's (core.audit.head_sql), one
    round trip fewer per transition. The chain lock is then held from the row lock to commit,
    not only from the audit row: a center's writers queue a little longer."""
    chain = audit.head_to_read(case) if audited else None
    if chain is None:
        row = fastsql.fetch(Case, case.pk, lock=True)
    else:
        row, head = fastsql.fetch_with(Case, case.pk, audit.head_sql(), [chain])
        if row is not None:
            audit.prime(chain, head)
    if row is None:
        raise NotFound("未找到该办件")
    fresh = copy.copy(case)
    for field in Case._meta.concrete_fields:
        changed = field.is_relation and row[field.attname] != getattr(case, field.attname)
        if changed and field.is_cached(fresh):
            field.delete_cached_value(fresh)
    fresh.__dict__.update(row)
    rollups.track(fresh)  # the rollup key as stored: save_step writes the delta from it
    return fresh


_NEXT = "UPDATE cases_casenumbercounter SET last = last + 1 WHERE center_id = %s AND day = %s RETURNING last"


def next_number(center, day: datetime.date, *, audited: bool = False) -> str:
    """Draw the next number of a center's day: one UPDATE … RETURNING takes the counter row's
    lock and the number together (no races, no gaps). `audited` (an intake): the same
    statement takes the center's chain lock and head after the counter's row lock (see
    lock())."""
    chain = audit.head_to_read(center) if audited else None
    sql = _NEXT if chain is None else f"{_NEXT}, {audit.head_sql()}"
    params = [center.pk, connection.ops.adapt_datefield_value(day)]
    if chain is not None:
        params.append(chain)
    for _attempt in range(5):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            if chain is not None:
                audit.prime(chain, row[1])
            return conf.number_format().format(center=center.code, date=day, seq=row[0])
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.create(center=center, day=day, last=0)
        except IntegrityError:
            continue  # another intake created it first: take theirs
    raise RuntimeError("could not draw a case number")


def limit_days_of(item) -> int:
    """L-LIMIT: the promise when shorter than the law, else the law; an immediate item is done
    within its day (1 working day as a safety net when staff cannot finish on the spot)."""
    legal = item.legal_limit_days or conf.default_limit_days()
    promised = item.promised_limit_days
    if item.immediate and not promised:
        return 1
    if promised and promised < legal:
        return promised
    return legal


def refresh_clock(case: Case, on: datetime.date, cal=None) -> bool:
    """Recompute the stored clock columns for `on`; True when any of them changed."""
    cal = cal or calendar.current()
    before = (
        case.due_date,
        case.remaining_workdays,
        case.alert_level,
        case.paused_workdays,
        case.due_provisional,
    )
    if case.status == S.RECEIVED and case.acceptance_deadline:
        deadline = case.acceptance_deadline
        remaining = (
            cal.count_workdays(on, deadline)
            if on <= deadline
            else -cal.count_workdays(deadline, on)
        )
        case.due_date = deadline
        case.remaining_workdays = remaining
        case.alert_level = clock.alert_level(remaining, conf.accept_days())
        case.due_provisional = cal.provisional_between(case.materials_complete_on, deadline)
    elif case.status == S.AWAITING_SUPPLEMENT:
        # L-ACCEPT: the applicant holds the next step; no clock runs.
        case.due_date = case.remaining_workdays = None
        case.alert_level = "green"
        case.due_provisional = False
    elif case.status in CLOCK_OPEN:
        pauses = [clock.Pause("open", case.paused_since)] if case.paused_since else []
        reading = clock.read_clock(
            cal,
            accepted_on=case.accepted_on,
            limit_days=case.limit_days,
            today=on,
            pauses=pauses,
            extension_days=case.extension_days,
            earlier_paused_workdays=case.closed_pause_workdays,
        )
        case.due_date = reading.due_date
        case.remaining_workdays = reading.remaining_workdays
        case.alert_level = reading.alert_level
        case.paused_workdays = reading.paused_workdays
        case.due_provisional = cal.provisional_between(
            case.accepted_on + datetime.timedelta(days=1), reading.due_date
        )
    else:
        return False  # decided or closed: the clock stopped where it was
    case.clock_read_on = on
    after = (
        case.due_date,
        case.remaining_workdays,
        case.alert_level,
        case.paused_workdays,
        case.due_provisional,
    )
    return before != after


CLOCK_FIELDS = [
    "due_date",
    "remaining_workdays",
    "alert_level",
    "paused_workdays",
    "due_provisional",
    "clock_read_on",
]


def record_event(
    case: Case,
    *,
    action: str,
    by,
    at: datetime.datetime,
    on: datetime.date,
    from_status: str = "",
    text: str = "",
    public: bool = True,
) -> CaseEvent:
    # The timeline shows who acted; roles and department are in the audit row already.
    person = person_of(by)
    if by is None:
        name = "系统"
    elif person is not None:
        name = person.name
    else:
        name = by.get_full_name() or by.get_username()
    # The timeline row's key is not read back: it costs no round trip of its own.
    return fastsql.insert(
        CaseEvent(
            case=case,
            at=at,
            on=on,
            action=action,
            from_status=from_status,
            to_status=case.status,
            actor=by if getattr(by, "is_authenticated", False) else None,
            actor_name=name[:100],
            text=text,
            public=public,
        ),
        read_key=False,
    )


def save_step(
    case: Case,
    *,
    action: str,
    by,
    on: datetime.date,
    at: datetime.datetime,
    fields: list[str],
    before_status: str,
    text: str = "",
    public: bool = True,
    audit_after: dict | None = None,
    sms: tuple[str, str] | None = None,
    rows: tuple = (),
) -> None:
    """Write the changed columns, the timeline row, the audit event and the applicant's SMS
    (kind, text) of one step, and `rows`: new rows of the step whose keys nobody reads (a
    pause's clock entry), in the same statement on PostgreSQL."""
    if case.status == S.DECIDED and before_status != S.DECIDED:
        # Every way to a decision passes here: its document is numbered once, now (point 6).
        from zwfw.cases.services.delivery import issue_decision_document

        issue_decision_document(case, by=by, on=case.decided_on or on)
    rollups.remember(case)  # the rollup key as stored, before the row changes
    # The step's writes read none of each other's rows: on PostgreSQL they go as one
    # statement (core.fastsql.together), with the SMS's INSERT or the last of them.
    with fastsql.together():
        fastsql.update(case, sorted(set(fields) | {"status", "updated_at"}))
        for row in rows:
            fastsql.insert(row, read_key=False)
        rollups.changed(case)  # same transaction, delta rows (zwfw.cases.rollups)
        if case.status == S.COMPLETED and before_status != S.COMPLETED:
            rollups.completed(case)
        record_event(
            case,
            action=action,
            by=by,
            at=at,
            on=on,
            from_status=before_status,
            text=text,
            public=public,
        )
        audit.record(
            actor=by,
            action=f"{action}_case",
            obj=case,
            before={"status": before_status},
            after={"status": case.status, "on": on, **(audit_after or {})},
        )
        if sms is not None:
            notices.sms(case, *sms)


def apply_deemed_acceptance(case: Case, on: datetime.date, cal=None) -> bool:
    """L-ACCEPT (行政许可法第32条): without a notice or a decision within the period, the case
    counts as accepted on the day complete materials were received. Call on a locked row."""
    if case.status != S.RECEIVED or not case.acceptance_deadline:
        return False
    if on <= case.acceptance_deadline:
        return False
    before = case.status
    case.status = next_state(S(case.status), Action.ACCEPT)
    case.accepted_on = case.materials_complete_on
    case.accepted_at = timezone.now()
    case.deemed_accepted = True
    # N-4: the procedure is fixed on the acceptance date (cases.services.steps).
    from zwfw.cases.services.steps import fix_procedure

    fixed = fix_procedure(case, case.accepted_on)
    refresh_clock(case, on, cal)
    _on, at = moment(on)
    save_step(
        case,
        action="deemed_accept",
        by=None,
        on=on,
        at=at,
        before_status=before,
        fields=["accepted_on", "accepted_at", "deemed_accepted", *fixed, *CLOCK_FIELDS],
        text=f"逾期未告知，视为自收件之日起受理（受理日期{case.accepted_on:%Y年%m月%d日}）",
        audit_after={"accepted_on": case.accepted_on, "deemed": True},
        sms=("acceptance", notices.acceptance_text(case)),
    )
    return True


def take(case: Case, on: datetime.date, action: Action) -> tuple[Case, str, CaseState]:
    """Lock, catch up with deemed acceptance, and check the transition: (row, before, after)."""
    case = lock(case, audited=True)
    apply_deemed_acceptance(case, on)
    before = case.status
    return case, before, next_state(S(before), action)
