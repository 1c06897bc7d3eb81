"""Reads of the resident-staff app: who may open what, residents and their postings, gaps
and headcount (R-10), change letters (R-11), leave (R-19), monthly and annual results
(R-21, R-22), chief officers' records (N-19)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from zwfw.core.errors import Forbidden, NotFound
from zwfw.core.permissions import (
    Role,
    has_role,
    has_role_anywhere,
    scope_filter,
    scope_ids,
    scope_q,
)
from zwfw.core.prepared import PreparedRead
from zwfw.staff.models import (
    Admission,
    AnnualGrade,
    ChangeLetter,
    Indicator,
    LeaveRequest,
    ManualAdjustment,
    MonthlyAssessment,
    MonthlyBulletin,
    MonthlyFacts,
    OfficerReview,
    ResidentAssignment,
    TaskComplaint,
)

# Who reads the app's lists: the center (its admins), the home departments (their own rows),
# supervision and the leading group (everything in their scope).
READERS = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, Role.SUPERVISOR, Role.LEADING_GROUP)
CENTER_READERS = (Role.CENTER_ADMIN, Role.SUPERVISOR, Role.LEADING_GROUP)


def may_open(user) -> bool:
    """Menu entry 进驻人员: the index page's check (a reader role in any scope)."""
    return has_role_anywhere(user, *READERS)


def require_open(user) -> None:
    if not may_open(user):
        raise Forbidden("需要中心管理员、部门管理员、督查人员或领导小组成员")


def _today(on):
    return on or timezone.localdate()


def rows_q(user, roles=READERS) -> Q:
    """Rows (with department_id and center_id columns) the user may read."""
    return scope_q(user, roles)


def is_center_admin(user, center) -> bool:
    return has_role(user, Role.CENTER_ADMIN, center=center)


def admin_centers(user):
    from zwfw.org.models import ServiceCenter

    return [c for c in ServiceCenter.objects.order_by("path") if is_center_admin(user, c)]


def readable_centers(user):
    from zwfw.org.models import ServiceCenter

    return [
        c
        for c in ServiceCenter.objects.order_by("path")
        if has_role(user, *CENTER_READERS, center=c)
    ]


# --- residents --------------------------------------------------------------------------


def _open_assignment(person):
    # [:1] of the model's ordering: what .first() reads (at most one is open: a constraint).
    return ResidentAssignment.objects.filter(
        person_id=person, ended_on__isnull=True
    ).select_related("department", "center")[:1]


# Every home page of a person asks (staff.home.resident_panel): compiled once (core.prepared).
_OPEN_ASSIGNMENT = PreparedRead(ResidentAssignment, _open_assignment)


def open_assignment(person):
    if person is None:
        return None
    found = _OPEN_ASSIGNMENT(person=person.pk)
    return found[0] if found else None


def assignment_in_month(person, month: datetime.date):
    from zwfw.staff.rollup import month_bounds

    first, nxt = month_bounds(month)
    return (
        ResidentAssignment.objects.filter(person=person, start_date__lt=nxt)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("center")
        .order_by("-start_date")
        .first()
    )


def _open_in(scope: Q):
    return ResidentAssignment.objects.filter(scope, ended_on__isnull=True)


def assignments(user, *, on=None, include_ended=False):
    scope = rows_q(user)
    qs = _open_in(scope) if not include_ended else ResidentAssignment.objects.filter(scope)
    return qs.select_related("person", "department", "center").order_by(
        "center__path", "department__code", "start_date", "id"
    )


def _ending(scope: Q, first: datetime.date, last: datetime.date):
    # Only what the staff index page and the home panel show of each posting.
    return (
        _open_in(scope)
        .filter(term_end__gte=first, term_end__lte=last)
        .select_related("person", "department")
        .only("term_end", "person__name", "department__name", "department__short_name")
        .order_by("term_end", "id")
    )


# Every admin's home page asks: compiled once per shape of scope (core.prepared).
_ENDING = PreparedRead(
    ResidentAssignment,
    lambda first, last, **ids: _ending(scope_filter(**ids), first, last),
)


def ending_soon(user, *, days: int = 60, on=None):
    """R-11: assignments whose three-year term ends within `days` (home panel)."""
    first = _today(on)
    last = first + datetime.timedelta(days=days)
    return _ENDING(first=first, last=last, **scope_ids(user, READERS))


def person_summary(person, on: datetime.date) -> str:
    section = person.section.name if person.section_id else ""
    return (
        f"{person.name}，{person.get_gender_display()}，{person.age_on(on)}岁，"
        f"{person.department.name}{section}{person.position}，"
        f"{'在编在岗' if person.established else '非在编'}，"
        f"{person.unit_start_date:%Y年%m月}进入本单位"
    )


def admission_for(user, pk: int) -> Admission:
    a = (
        Admission.objects.filter(rows_q(user))
        .select_related("person__section", "department", "center", "approver", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if a is None:
        raise NotFound("未找到该进驻申请")
    return a


def admissions(user, status: str | None = None):
    qs = Admission.objects.filter(rows_q(user)).select_related("person", "department", "center")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-applied_at", "-id")


# --- gaps and headcount ------------------------------------------------------------


def section_gaps(user, on=None) -> list[dict]:
    """R-10: departments whose government-service-section members are not all stationed."""
    from zwfw.org.models import Department, Person

    on = _today(on)
    depts = Department.objects.filter(
        scope_q(user, READERS, department="id", center="center_id"),
        center__isnull=False,
        active=True,
    ).order_by("code")
    stationed = set(
        ResidentAssignment.objects.filter(ended_on__isnull=True, start_date__lte=on).values_list(
            "person_id", flat=True
        )
    )
    members = defaultdict(list)
    for p in Person.objects.filter(
        active=True, section__is_service_section=True, department__in=depts
    ).order_by("name"):
        members[p.department_id].append(p)
    out = []
    for d in depts:
        people = members.get(d.pk, [])
        missing = [p for p in people if p.pk not in stationed]
        out.append({"department": d, "members": len(people), "missing": missing})
    return out


def headcount_vs_volume(user, *, months: int = 3, on=None) -> list[dict]:
    """R-10: stationed headcount vs case volume (cases received per person per month over
    the last `months` full months)."""
    from zwfw.cases.models import Case
    from zwfw.org.models import Department

    on = _today(on)
    end = on.replace(day=1)
    start = end
    for _ in range(months):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    depts = list(
        Department.objects.filter(
            scope_q(user, READERS, department="id", center="center_id"),
            center__isnull=False,
            active=True,
        ).order_by("code")
    )
    heads = dict(
        ResidentAssignment.objects.filter(ended_on__isnull=True, start_date__lte=on)
        .values_list("department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    tz = timezone.get_current_timezone()
    volume = dict(
        Case.objects.filter(
            department__in=depts,
            received_at__gte=datetime.datetime.combine(start, datetime.time.min, tz),
            received_at__lt=datetime.datetime.combine(end, datetime.time.min, tz),
        )
        .values_list("department_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = []
    for d in depts:
        n, cases = heads.get(d.pk, 0), volume.get(d.pk, 0)
        per = round(cases / n / months, 1) if n else None
        out.append({"department": d, "headcount": n, "cases": cases, "per_person_month": per})
    return out


# --- R-11 ------------------------------------------------------------------------------------


def letters_naming(person):
    return list(ChangeLetter.objects.filter(new_person=person).select_related("reply"))


def approved_letter_for(person):
    return (
        ChangeLetter.objects.filter(new_person=person, status=ChangeLetter.Status.APPROVED)
        .order_by("-submitted_on", "-id")
        .first()
    )


def change_letters(user, status: str | None = None):
    qs = ChangeLetter.objects.filter(rows_q(user)).select_related(
        "assignment__person", "new_person", "department", "center", "reply"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_on", "-id")


def letter_for(user, pk: int) -> ChangeLetter:
    letter = change_letters(user).filter(pk=pk).first()
    if letter is None:
        raise NotFound("未找到该调整函")
    return letter


def next_reply_no(center, on: datetime.date) -> str:
    from zwfw.staff.models import ApprovalReply

    n = ApprovalReply.objects.filter(letter__center=center, replied_on__year=on.year).count() + 1
    return f"{center.name[:2]}政服函〔{on.year}〕{n}号"


# --- R-19 -------------------------------------------------------------------------------------


def leave_requests(user, status: str | None = None):
    qs = LeaveRequest.objects.filter(rows_q(user)).select_related("person", "department", "center")
    me = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if me is not None:
        qs = LeaveRequest.objects.filter(rows_q(user) | Q(person=me)).select_related(
            "person", "department", "center"
        )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-start", "-id")


def leave_for(user, pk: int) -> LeaveRequest:
    leave = leave_requests(user).filter(pk=pk).first()
    if leave is None:
        raise NotFound("未找到该请假")
    return leave


def task_complaints(user):
    """R-19: visible to the center (and supervision), not to the home department."""
    return (
        TaskComplaint.objects.filter(scope_q(user, CENTER_READERS))
        .select_related("person", "department")
        .order_by("-occurred_on", "-id")
    )


# --- R-21 -------------------------------------------------------------------------------------


def rules_for(center):
    """The center's indicators, else its nearest parent center's, else the platform default
    rows (center empty), else scoring.DEFAULT_RULES (R-25: same rules, own settings)."""
    from zwfw.staff.scoring import DEFAULT_RULES, Rule

    rows = list(Indicator.objects.filter(active=True, center_id__in=center.path_ids()))
    if not rows:
        rows = list(Indicator.objects.filter(active=True, center__isnull=True))
    else:
        depth = {cid: i for i, cid in enumerate(center.path_ids())}
        deepest = max(depth[r.center_id] for r in rows)
        rows = [r for r in rows if depth[r.center_id] == deepest]
    if not rows:
        return list(DEFAULT_RULES)
    rows.sort(key=lambda r: (r.position, r.id))
    return [Rule(r.code, r.name, r.kind, r.weight, r.fact, r.denominator, r.cap) for r in rows]


def facts_of_month(center, month):
    return MonthlyFacts.objects.filter(center=center, month=month).order_by("person_id")


def adjustments_of_month(center, month) -> dict[int, list]:
    out = defaultdict(list)
    for a in ManualAdjustment.objects.filter(center=center, month=month).order_by("id"):
        out[a.person_id].append((a.points, f"{a.reason}（{a.points:+}）"))
    return out


def month_results(user, month: datetime.date, center=None):
    qs = MonthlyAssessment.objects.filter(rows_q(user), month=month.replace(day=1)).select_related(
        "person", "department", "center"
    )
    if center is not None:
        qs = qs.filter(center__in=center.descendant_ids())
    return qs.order_by("center__path", "-score", "person__name")


def _readable_center_ids(user):
    """Centers whose bulletins the user reads: those of the departments in their scope (a
    department admin reads its center's bulletin, with its own people's rows)."""
    from zwfw.org.models import Department

    return Department.objects.filter(
        scope_q(user, READERS, department="id", center="center_id")
    ).values("center_id")


def bulletins(user):
    return (
        MonthlyBulletin.objects.filter(center_id__in=_readable_center_ids(user))
        .select_related("center")
        .order_by("-month", "center__path")
    )


def bulletin_for(user, pk: int) -> MonthlyBulletin:
    b = bulletins(user).filter(pk=pk).first()
    if b is None:
        raise NotFound("未找到该通报")
    return b


def bulletin_rows(user, bulletin):
    return list(
        MonthlyAssessment.objects.filter(rows_q(user), center=bulletin.center, month=bulletin.month)
        .select_related("person", "department")
        .order_by("-score", "department__code", "person__name")
    )


# --- R-22 / R-23 ------------------------------------------------------------------------------


def annual_results(center, year: int) -> list[dict]:
    """[{person_id, department_id, score, months}] of the center's residents in `year`, best
    first (average of the monthly scores, 2 decimals)."""
    rows = (
        MonthlyAssessment.objects.filter(center=center, month__year=year)
        .values("person_id")
        .annotate(avg=Avg("score"), months=Count("id"))
        .order_by()
    )
    department = dict(
        MonthlyAssessment.objects.filter(center=center, month__year=year)
        .order_by("person_id", "month")
        .values_list("person_id", "department_id")
    )
    out = [
        {
            "person_id": r["person_id"],
            "department_id": department[r["person_id"]],
            "score": Decimal(r["avg"]).quantize(Decimal("0.01")),
            "months": r["months"],
        }
        for r in rows
    ]
    out.sort(key=lambda r: (-r["score"], r["person_id"]))
    return out


def grades(user, year: int, center=None):
    qs = AnnualGrade.objects.filter(rows_q(user), year=year).select_related(
        "person", "department", "center"
    )
    if center is not None:
        qs = qs.filter(center__in=center.descendant_ids())
    return qs.order_by("center__path", "department__code", "-score")


def department_annual_scores(user, year: int) -> list[dict]:
    """R-21: the residents' results feed the department's annual score (average)."""
    rows = (
        MonthlyAssessment.objects.filter(rows_q(user), month__year=year)
        .values("department__name", "department_id")
        .annotate(avg=Avg("score"), people=Count("person", distinct=True))
        .order_by("department__name")
    )
    return [
        {
            "department": r["department__name"],
            "average": Decimal(r["avg"]).quantize(Decimal("0.01")),
            "people": r["people"],
        }
        for r in rows
    ]


# --- N-19 -----------------------------------------------------------------------------------


def chief_officers(user, year: int):
    """Chief service officers with a grant in force some day of `year`, in the user's scope."""
    from zwfw.grants.models import Grant

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    qs = Grant.objects.filter(
        scope_q(user, READERS + (Role.COORDINATION_OFFICE,), center="department__center_id")
    )
    qs = qs.filter(valid_from__lte=last).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    people = {}
    for g in qs.select_related("grantee__department").order_by("department__code", "grantee__name"):
        people.setdefault(g.grantee_id, g.grantee)
    return list(people.values())


def officer_year(person, year: int) -> dict:
    """N-19: the year's record of a chief officer, from cases, evaluations and supervision."""
    from zwfw.cases.models import Case
    from zwfw.evaluations.models import Evaluation
    from zwfw.supervision.models import FaultToleranceRecord, Inspection, InterferenceReport

    decided = Case.objects.filter(decided_by=person, decided_on__year=year)
    agg = decided.aggregate(
        n=Count("id"),
        on_time=Count("id", filter=Q(due_date__isnull=True) | Q(decided_on__lte=F("due_date"))),
    )
    referrals = Case.objects.filter(
        decided_on__year=year, agenda_item__isnull=False, first_reviewed_by=person
    ).count()
    ratings = Evaluation.objects.filter(
        staff=person, rated_on__year=year, excluded=False
    ).aggregate(n=Count("id"), good=Count("id", filter=Q(good=True)))
    problems = Inspection.objects.filter(
        case__decided_by=person, result="problem", found_on__year=year
    ).count()
    interference = InterferenceReport.objects.filter(
        reporter=person, occurred_on__year=year
    ).count()
    tolerance = FaultToleranceRecord.objects.filter(person=person, decided_on__year=year).count()
    return {
        "decided": agg["n"],
        "on_time": agg["on_time"],
        "referrals": referrals,
        "ratings": ratings["n"],
        "good": ratings["good"],
        "inspection_problems": problems,
        "interference_reports": interference,
        "fault_tolerance": tolerance,
    }


def officer_reviews(user, year: int):
    return (
        OfficerReview.objects.filter(
            scope_q(user, READERS + (Role.COORDINATION_OFFICE,), center="department__center_id"),
            year=year,
        )
        .select_related("person", "department", "approved_by")
        .order_by("department__code", "person__name")
    )


def center_by_code(code: str | None):
    from zwfw.org.models import ServiceCenter

    if not code:
        return None
    center = ServiceCenter.objects.filter(code=code).first()
    if center is None:
        raise NotFound(f"未找到中心“{code}”")
    return center


# --- R-24 -------------------------------------------------------------------------------------


def half_year_report(user, year: int, half: int) -> dict:
    """R-24: the supervision office's half-year report on how the rules are carried out, as
    a draft built from the records of the user's scope."""
    first = datetime.date(year, 1 if half == 1 else 7, 1)
    last = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    q = rows_q(user)
    adm = Admission.objects.filter(q, applied_at__date__gte=first, applied_at__date__lte=last)
    adm_counts = dict(adm.values_list("status").annotate(n=Count("id")).order_by())
    warned = adm.exclude(warnings=[]).count()
    over45 = adm.exclude(age_exception="").count()
    letters = ChangeLetter.objects.filter(q, submitted_on__gte=first, submitted_on__lte=last)
    letter_counts = dict(letters.values_list("status").annotate(n=Count("id")).order_by())
    mid = letters.filter(kind=ChangeLetter.Kind.MID_TERM).count()
    leave = LeaveRequest.objects.filter(q, start__gte=first, start__lte=last)
    leave_counts = dict(leave.values_list("status").annotate(n=Count("id")).order_by())
    leave_days = sum(leave.filter(status="approved").values_list("workdays", flat=True))
    complaints = TaskComplaint.objects.filter(
        scope_q(user, CENTER_READERS), occurred_on__gte=first, occurred_on__lte=last
    ).count()
    bulletin_rows = list(
        MonthlyBulletin.objects.filter(
            center_id__in=_readable_center_ids(user), month__gte=first, month__lte=last
        )
        .select_related("center")
        .order_by("center__path", "month")
    )
    gaps = [g for g in section_gaps(user) if g["missing"]]
    period = f"{year}年{'上' if half == 1 else '下'}半年"
    return {
        "title": f"{period}进驻人员管理办法执行情况通报",
        "signer": "区政府办公室督查室",
        "sections": [
            (
                "一、进驻人员选进（第六条至第十条）",
                [
                    f"{period}各进驻单位提出进驻申请{adm.count()}人次，其中审核进驻{adm_counts.get('admitted', 0)}人，"
                    f"审核未通过{adm_counts.get('rejected', 0)}人，待审核{adm_counts.get('applied', 0)}人；"
                    f"按“原则上”条款说明理由或经集体审定进驻{warned}人，政务服务科负责人超过45周岁进驻{over45}人。",
                    (
                        f"政务服务科人员未全部进驻的单位{len(gaps)}个："
                        + "、".join(
                            f"{g['department'].name}（缺{len(g['missing'])}人）" for g in gaps
                        )
                        + "。"
                    )
                    if gaps
                    else "各进驻单位政务服务科人员均已全部进驻。",
                ],
                None,
            ),
            (
                "二、进驻人员调整（第十一条）",
                [
                    f"收到调整函{letters.count()}件，其中中途调整{mid}件；中心同意{letter_counts.get('approved', 0)}件，"
                    f"不同意{letter_counts.get('rejected', 0)}件，待函复{letter_counts.get('pending', 0)}件。"
                ],
                None,
            ),
            (
                "三、请销假与无关任务（第十九条）",
                [
                    f"进驻人员请假{leave.count()}人次，中心批准{leave_counts.get('approved', 0)}人次，"
                    f"共{leave_days}个工作日；进驻人员反映进驻单位安排无关任务{complaints}件。"
                ],
                None,
            ),
            (
                "四、考核与通报（第二十一条、第二十二条）",
                [f"中心按月通报考核结果{len(bulletin_rows)}次。"],
                {
                    "header": ["中心", "月份", "参加考核人数", "平均分"],
                    "rows": [
                        [b.center.name, f"{b.month:%Y-%m}", b.headcount, f"{b.average}"]
                        for b in bulletin_rows
                    ],
                },
            ),
            ("五、存在的问题和下一步工作", ["（由督查室根据检查情况填写。）"], None),
        ],
    }


# --- R-12 -------------------------------------------------------------------------------------


def representative_departments(user):
    """Departments whose R-12 page the user reads (stationed departments in scope)."""
    from zwfw.org.models import Department

    return Department.objects.filter(
        scope_q(user, READERS, department="id", center="center_id"),
        center__isnull=False,
        active=True,
    ).order_by("code")


def department_for(user, pk: int):
    d = representative_departments(user).select_related("center").filter(pk=pk).first()
    if d is None:
        raise NotFound("未找到该单位")
    return d


def promised_items(department, *, months: int = 12, on=None) -> list[dict]:
    """R-12: the department's promised items, promised vs legal limits, and the on-time rate
    of cases decided in the last `months` months (one GROUP BY)."""
    from zwfw.cases.models import Case
    from zwfw.catalog.models import ServiceItem

    on = _today(on)
    since = on - datetime.timedelta(days=30 * months)
    stats = {
        r["item_id"]: r
        for r in Case.objects.filter(
            department=department, decided_on__gte=since, decided_on__lte=on
        )
        .values("item_id")
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(due_date__isnull=True) | Q(decided_on__lte=F("due_date"))),
        )
        .order_by()
    }
    out = []
    for item in ServiceItem.objects.filter(department=department, active=True).order_by("code"):
        s = stats.get(item.pk, {"n": 0, "on_time": 0})
        out.append(
            {
                "item": item,
                "decided": s["n"],
                "on_time": s["on_time"],
                "rate": round(100 * s["on_time"] / s["n"], 1) if s["n"] else None,
            }
        )
    return out


def trainings(department):
    from zwfw.staff.models import Training

    return list(
        Training.objects.filter(department=department)
        .prefetch_related("attendees")
        .order_by("-held_on", "-id")[:50]
    )


def representative_of(department):
    return (
        ResidentAssignment.objects.filter(
            department=department, ended_on__isnull=True, chief_representative=True
        )
        .select_related("person")
        .first()
    )


OWN_LEAVE_ROWS = 5


def _own_leave(person):
    return (
        LeaveRequest.objects.filter(person_id=person)
        .only("kind", "start", "end", "workdays", "status")
        .order_by("-start", "-id")[:OWN_LEAVE_ROWS]
    )


# A resident's home page asks (staff.home.resident_panel): compiled once (core.prepared).
_OWN_LEAVE = PreparedRead(LeaveRequest, _own_leave)


def own_leave(person):
    """The person's latest leave requests, with what the home panel shows of them."""
    return _OWN_LEAVE(person=person.pk)


# --- attendance -----------------------------------------------------------------------


def working_hours(center):
    """The center's hours (WorkingHours), else its nearest parent's, else the default."""
    from zwfw.staff.attendance import DEFAULT_WORKING_HOURS, Hours
    from zwfw.staff.models import WorkingHours

    path = center.path_ids()
    rows = {w.center_id: w for w in WorkingHours.objects.filter(center_id__in=path)}
    for cid in reversed(path):
        w = rows.get(cid)
        if w is not None:
            return Hours(
                w.morning_start, w.morning_end, w.afternoon_start, w.afternoon_end, w.grace_minutes
            )
    return DEFAULT_WORKING_HOURS


def assignment_on(person, day: datetime.date):
    return (
        ResidentAssignment.objects.filter(person=person, start_date__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("center", "department")
        .order_by("-start_date")
        .first()
    )


class AttendancePeople:
    """The center's residents between two days, found as the clock-in export names them:
    by 工号 (account) or by 姓名 with the ID number's last four characters."""

    def __init__(self, assignments):
        self.assignments = assignments
        self.by_account = defaultdict(list)
        self.by_name = defaultdict(list)
        for a in assignments:
            p = a.person
            if p.user_id:
                self.by_account[p.user.username].append(a)
            self.by_name[(p.name, (p.id_number or "")[-4:].upper())].append(a)

    def find(self, row):
        """(assignment, None) or (None, (column, message))."""
        if row.account:
            found = self.by_account.get(row.account, [])
            if not found:
                return None, ("工号", f"本中心没有工号为“{row.account}”的进驻人员")
            if found[0].person.name != row.name:
                return None, (
                    "姓名",
                    f"工号“{row.account}”是{found[0].person.name}，与“{row.name}”不符",
                )
        else:
            found = self.by_name.get((row.name, row.id_last4), [])
            if not found:
                return None, (
                    "姓名",
                    f"本中心没有姓名为“{row.name}”、身份证号后四位为{row.id_last4}的进驻人员",
                )
            if len({a.person_id for a in found}) > 1:
                return None, ("姓名", f"“{row.name}”（{row.id_last4}）对应多人，请填写工号")
        for a in found:
            if a.start_date <= row.date and (a.ended_on is None or row.date <= a.ended_on):
                return a, None
        return None, ("日期", f"{found[0].person.name}在{row.date:%Y-%m-%d}不在本中心进驻")


def attendance_people(center, lo: datetime.date, hi: datetime.date) -> AttendancePeople:
    qs = (
        ResidentAssignment.objects.filter(center=center, start_date__lte=hi)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=lo))
        .select_related("person", "person__user")
    )
    return AttendancePeople(list(qs))


def approved_leave_days(person_ids, lo: datetime.date, hi: datetime.date) -> set:
    """{(person_id, day)} of approved leave between lo and hi."""
    out = set()
    rows = LeaveRequest.objects.filter(
        person_id__in=person_ids, status=LeaveRequest.Status.APPROVED, start__lte=hi, end__gte=lo
    ).values_list("person_id", "start", "end")
    for person_id, start, end in rows:
        day = max(start, lo)
        while day <= min(end, hi):
            out.add((person_id, day))
            day += datetime.timedelta(days=1)
    return out


def attendance_between(person_ids, lo: datetime.date, hi: datetime.date):
    from zwfw.staff.models import AttendanceRecord

    return AttendanceRecord.objects.filter(person_id__in=person_ids, date__gte=lo, date__lte=hi)


def month_workdays(month: datetime.date) -> list[datetime.date]:
    from zwfw.staff.rollup import month_bounds
    from zwfw.workdays.calendar import is_workday

    first, nxt = month_bounds(month)
    days = [first + datetime.timedelta(days=i) for i in range((nxt - first).days)]
    return [d for d in days if is_workday(d)]


def attendance_counts(records) -> dict:
    """The month's attendance facts of one resident's records (as MonthlyFacts counts them)."""
    from zwfw.staff.models import EARLY_STATUSES, LATE_STATUSES, PRESENT_STATUSES

    out = {"days_present": 0, "late": 0, "early": 0, "absent": 0, "leave": 0, "business": 0}
    for r in records:
        out["days_present"] += r.status in PRESENT_STATUSES
        out["late"] += r.status in LATE_STATUSES
        out["early"] += r.status in EARLY_STATUSES
        out["absent"] += r.status == "absent"
        out["leave"] += r.status == "leave"
        out["business"] += r.status == "business"
    return out


def attendance_departments(user) -> list:
    """Departments whose residents' attendance the user reads as the department's own
    administrator (R-21; the center's readers read the whole center)."""
    from zwfw.org.models import Department

    return list(
        Department.objects.filter(
            scope_q(user, (Role.DEPARTMENT_ADMIN,), department="id", center="center_id")
        )
        .select_related("center")
        .order_by("code")
    )


def attendance_grid(user, center, month: datetime.date, department=None) -> dict:
    """A center's month of attendance: the working days as columns, one row per resident
    stationed that month (by department), each cell that day's record or None. Three
    queries whatever the headcount (residents, records, the calendar's cached days)."""
    from zwfw.staff.models import AttendanceRecord
    from zwfw.staff.rollup import month_bounds

    if not has_role(user, *CENTER_READERS, center=center) and not (
        department is not None
        and department.center_id == center.pk
        and department in attendance_departments(user)
    ):
        raise Forbidden("需要该中心的管理员、督查人员或领导小组成员，或该单位的管理员")
    first, nxt = month_bounds(month)
    days = month_workdays(first)
    qs = (
        ResidentAssignment.objects.filter(center=center, start_date__lt=nxt)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("person", "department")
        .order_by("department__code", "person__name", "start_date")
    )
    if department is not None:
        qs = qs.filter(department=department)
    people = {}
    for a in qs:
        people.setdefault(a.person_id, a)
    records = defaultdict(dict)
    for r in AttendanceRecord.objects.filter(
        person_id__in=list(people), date__gte=first, date__lt=nxt
    ):
        records[r.person_id][r.date] = r
    rows = []
    for person_id, a in people.items():
        mine = records.get(person_id, {})
        rows.append(
            {
                "person": a.person,
                "department": a.department,
                "cells": [mine.get(d) for d in days],
                "counts": attendance_counts(mine.values()),
            }
        )
    return {"month": first, "days": days, "rows": rows}


def own_attendance(person, month: datetime.date) -> dict:
    from zwfw.staff.models import AttendanceRecord
    from zwfw.staff.rollup import month_bounds

    first, nxt = month_bounds(month)
    records = list(
        AttendanceRecord.objects.filter(person=person, date__gte=first, date__lt=nxt).order_by(
            "date"
        )
    )
    return {"month": first, "records": records, "counts": attendance_counts(records)}


def attendance_records(user, month: datetime.date, center=None, person=None):
    """The month's records the user may read: their own, or the centers/departments they
    read (API list)."""
    from zwfw.staff.models import AttendanceRecord
    from zwfw.staff.rollup import month_bounds

    first, nxt = month_bounds(month)
    qs = AttendanceRecord.objects.filter(date__gte=first, date__lt=nxt)
    me = getattr(user, "person", None) if user.is_authenticated else None
    if may_open(user):
        q = rows_q(user)
        if me is not None:
            q |= Q(person=me)
        qs = qs.filter(q)
    elif me is not None:
        qs = qs.filter(person=me)
    else:
        raise Forbidden("需要中心管理员、部门管理员或进驻人员")
    if center is not None:
        qs = qs.filter(center=center)
    if person is not None:
        qs = qs.filter(person=person)
    return qs.select_related("person", "department", "center").order_by("date", "person_id")
