"""R-21: the monthly per-resident facts table (MonthlyFacts), refreshed from the raw tables.

`refresh()` runs one GROUP BY per source over the month's rows (cases received, cases
decided with the on-time count, one-time notices, ratings, upheld bad reviews, inspection
findings, 12345 complaints, attendance records), adds approved leave in working days and
the manual adjustments, and replaces the month's rows. Scores then read only MonthlyFacts.
Each GROUP BY reads only the month's rows through an index on its date column (cases:
received_at, decided_on; ratings: month; 12345: received_on; attendance: date).

`recount()` computes the same facts the slow way, row by row in Python, and is the test's
oracle (tests/staff/test_assessment.py: the rollup equals a full recount).

Attribution: a case is received by the account that took it in (Case.received_by), decided
by Case.decided_by; an inspection finding belongs to the case's decider; a rating and a
12345 ticket to their `staff`; an upheld bad review to its rating's `staff`; an attendance
record to its person (days present: 出勤, 迟到, 早退, 迟到且早退, 外出公务; late and early
count 迟到且早退 once each; absences: 旷工).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from zwfw.staff.models import (
    EARLY_STATUSES,
    FACT_FIELDS,
    LATE_STATUSES,
    PRESENT_STATUSES,
    AttendanceRecord,
    LeaveRequest,
    ManualAdjustment,
    MonthlyFacts,
)

UPHELD = ("true", "partly")


class JSONText(str):
    """A JSONField value already encoded as JSON text (bulk_insert writes it as it is)."""


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert `rows` (column attname → Python value) into `model`'s table: by COPY on
    PostgreSQL (Django's bulk_create sends arrays whose text escaping dominates at 10,000
    JSON rows), by bulk_create elsewhere. Values are what the driver takes: ints, Decimals,
    dates, aware datetimes, JSON as text (json.dumps) for JSONFields."""
    import json

    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        decoded = [
            {k: json.loads(v) if isinstance(v, JSONText) else v for k, v in r.items()} for r in rows
        ]
        model.objects.bulk_create([model(**r) for r in decoded], batch_size=1000)
        return
    columns = list(rows[0])
    json_cols = {
        f.attname for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"
    }
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row(
                [
                    r[c]
                    if c not in json_cols or isinstance(r[c], JSONText)
                    else json.dumps(r[c], ensure_ascii=False, default=str)
                    for c in columns
                ]
            )


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, nxt


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _assignments(month: datetime.date, center=None):
    from zwfw.staff.models import ResidentAssignment

    first, nxt = month_bounds(month)
    qs = ResidentAssignment.objects.filter(start_date__lt=nxt).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    return qs.filter(center=center) if center is not None else qs


def residents(month: datetime.date, center=None) -> dict[int, tuple[int, int, int | None]]:
    """{person_id: (center_id, department_id, user_id)} of residents stationed on any day of
    the month (at `center`, or everywhere)."""

    out = {}
    qs = _assignments(month, center)
    for person_id, center_id, department_id, user_id in qs.order_by("start_date").values_list(
        "person_id", "center_id", "department_id", "person__user_id"
    ):
        out[person_id] = (center_id, department_id, user_id)
    return out


def _leave(month, people) -> tuple[dict, dict]:
    from zwfw.workdays.calendar import count_workdays

    first, nxt = month_bounds(month)
    last = nxt - datetime.timedelta(days=1)
    total, personal = defaultdict(int), defaultdict(int)
    rows = LeaveRequest.objects.filter(
        status=LeaveRequest.Status.APPROVED, start__lte=last, end__gte=first
    ).values_list("person_id", "kind", "start", "end")
    for person_id, kind, start, end in rows:
        if person_id not in people:
            continue
        a, b = max(start, first), min(end, last)
        days = count_workdays(a - datetime.timedelta(days=1), b)
        total[person_id] += days
        if kind == LeaveRequest.Kind.PERSONAL:
            personal[person_id] += days
    return total, personal


def _adjustments(month, people) -> dict:
    rows = (
        ManualAdjustment.objects.filter(month=month.replace(day=1))
        .values("person_id")
        .annotate(total=Sum("points"))
        .order_by()  # Meta.ordering (by person) would join org_person and org_department
    )
    return {r["person_id"]: r["total"] for r in rows if r["person_id"] in people}


def grouped(month: datetime.date) -> dict[str, dict]:
    """{fact: {key: count}} by one GROUP BY per raw table; keys are person ids, except
    `received` and `notices` which are keyed by user id (the account that acted)."""
    from zwfw.cases.models import Case, SupplementNotice
    from zwfw.evaluations.models import Evaluation, Rectification
    from zwfw.supervision.models import HotlineFeedback, Inspection

    first, nxt = month_bounds(month)
    out: dict[str, dict] = {}
    out["received"] = dict(
        Case.objects.filter(
            received_at__gte=_aware(first), received_at__lt=_aware(nxt), received_by__isnull=False
        )
        .values_list("received_by")
        .annotate(n=Count("id"))
        .order_by()
    )
    decided = (
        Case.objects.filter(decided_on__gte=first, decided_on__lt=nxt, decided_by__isnull=False)
        .values("decided_by")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(due_date__isnull=True) | Q(decided_on__lte=F("due_date"))),
        )
        .order_by()
    )
    out["decided"], out["on_time"] = {}, {}
    for r in decided:
        out["decided"][r["decided_by"]] = r["n"]
        out["on_time"][r["decided_by"]] = r["on_time"]
    out["notices"] = dict(
        SupplementNotice.objects.filter(
            issued_on__gte=first, issued_on__lt=nxt, issued_by__isnull=False
        )
        .values_list("issued_by")
        .annotate(n=Count("id"))
        .order_by()
    )
    ratings = (
        Evaluation.objects.filter(month=first, excluded=False, staff__isnull=False)
        .values("staff")
        .annotate(n=Count("id"), good=Count("id", filter=Q(good=True)))
        .order_by()
    )
    out["evaluations"], out["good"] = {}, {}
    for r in ratings:
        out["evaluations"][r["staff"]] = r["n"]
        out["good"][r["staff"]] = r["good"]
    out["bad_upheld"] = dict(
        Rectification.objects.filter(
            finding__in=UPHELD,
            callback_done_on__gte=first,
            callback_done_on__lt=nxt,
            evaluation__staff__isnull=False,
        )
        .values_list("evaluation__staff")
        .annotate(n=Count("id"))
        .order_by()
    )
    out["inspection_problems"] = dict(
        Inspection.objects.filter(
            result=Inspection.Result.PROBLEM,
            found_on__gte=first,
            found_on__lt=nxt,
            case__decided_by__isnull=False,
        )
        .values_list("case__decided_by")
        .annotate(n=Count("id"))
        .order_by()
    )
    out["hotline_complaints"] = dict(
        HotlineFeedback.objects.filter(
            kind="complaint", received_on__gte=first, received_on__lt=nxt, staff__isnull=False
        )
        .values_list("staff")
        .annotate(n=Count("id"))
        .order_by()
    )
    attendance = (
        AttendanceRecord.objects.filter(date__gte=first, date__lt=nxt)
        .values("person")
        .annotate(
            days_present=Count("id", filter=Q(status__in=PRESENT_STATUSES)),
            late=Count("id", filter=Q(status__in=LATE_STATUSES)),
            early=Count("id", filter=Q(status__in=EARLY_STATUSES)),
            absent=Count("id", filter=Q(status="absent")),
        )
        .order_by()
    )
    for fact in ATTENDANCE_FACTS:
        out[fact] = {}
    for r in attendance:
        for fact in ATTENDANCE_FACTS:
            out[fact][r["person"]] = r[fact]
    return out


ATTENDANCE_FACTS = ("days_present", "late", "early", "absent")


BY_USER = ("received", "notices")


def facts_by_person(month: datetime.date, people: dict, counts: dict) -> dict[int, dict]:
    total_leave, personal_leave = _leave(month, people)
    adjustments = _adjustments(month, people)
    out = {}
    for person_id, (_c, _d, user_id) in people.items():
        row = {}
        for fact in FACT_FIELDS:
            if fact in ("leave_days", "personal_leave_days"):
                continue
            key = user_id if fact in BY_USER else person_id
            row[fact] = counts.get(fact, {}).get(key, 0) if key is not None else 0
        row["leave_days"] = total_leave.get(person_id, 0)
        row["personal_leave_days"] = personal_leave.get(person_id, 0)
        row["adjustments"] = adjustments.get(person_id, Decimal("0"))
        out[person_id] = row
    return out


def refresh(*, month: datetime.date, center=None) -> int:
    """Replace the month's MonthlyFacts rows (of `center`'s residents, or all)."""
    month = month.replace(day=1)
    people = residents(month, center)
    facts = facts_by_person(month, people, grouped(month))
    now = timezone.now()
    stale = MonthlyFacts.objects.filter(month=month)
    if center is not None:
        # The residents by a subquery, not a list of 10,000 ids as parameters.
        stale = stale.filter(
            Q(center=center) | Q(person_id__in=_assignments(month, center).values("person_id"))
        )
    stale.delete()
    bulk_insert(
        MonthlyFacts,
        [
            {
                "person_id": pid,
                "center_id": people[pid][0],
                "department_id": people[pid][1],
                "month": month,
                "refreshed_at": now,
                **row,
            }
            for pid, row in facts.items()
        ],
    )
    return len(facts)


def recount(*, month: datetime.date, center=None) -> dict[int, dict]:
    """The same facts counted row by row (no GROUP BY): the oracle the rollup is tested
    against."""
    from zwfw.cases.models import Case, SupplementNotice
    from zwfw.evaluations.models import Evaluation, Rectification
    from zwfw.supervision.models import HotlineFeedback, Inspection

    month = month.replace(day=1)
    first, nxt = month_bounds(month)
    people = residents(month, center)
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for c in Case.objects.all().iterator():
        if c.received_by_id and first <= timezone.localdate(c.received_at) < nxt:
            counts["received"][c.received_by_id] += 1
        if c.decided_by_id and c.decided_on and first <= c.decided_on < nxt:
            counts["decided"][c.decided_by_id] += 1
            if c.due_date is None or c.decided_on <= c.due_date:
                counts["on_time"][c.decided_by_id] += 1
    for n in SupplementNotice.objects.all().iterator():
        if n.issued_by_id and first <= n.issued_on < nxt:
            counts["notices"][n.issued_by_id] += 1
    for e in Evaluation.objects.all().iterator():
        if e.staff_id and not e.excluded and first <= e.rated_on < nxt:
            counts["evaluations"][e.staff_id] += 1
            counts["good"][e.staff_id] += int(e.good)
    for r in Rectification.objects.select_related("evaluation").iterator():
        done = r.callback_done_on
        if r.finding in UPHELD and done and first <= done < nxt and r.evaluation.staff_id:
            counts["bad_upheld"][r.evaluation.staff_id] += 1
    for i in Inspection.objects.select_related("case").iterator():
        found = i.found_on
        if i.result == "problem" and found and first <= found < nxt and i.case.decided_by_id:
            counts["inspection_problems"][i.case.decided_by_id] += 1
    for h in HotlineFeedback.objects.all().iterator():
        if h.kind == "complaint" and h.staff_id and first <= h.received_on < nxt:
            counts["hotline_complaints"][h.staff_id] += 1
    for a in AttendanceRecord.objects.all().iterator():
        if first <= a.date < nxt:
            counts["days_present"][a.person_id] += a.status in PRESENT_STATUSES
            counts["late"][a.person_id] += a.status in LATE_STATUSES
            counts["early"][a.person_id] += a.status in EARLY_STATUSES
            counts["absent"][a.person_id] += a.status == "absent"
    return facts_by_person(month, people, counts)
