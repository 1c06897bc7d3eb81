"""Writes of the double-random inspections (双随机, N-17): the inspector pool, draws and their
replay, findings, and the departments' rectification of problems found."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zwfw.cases.models import Case
from zwfw.core import audit
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.permissions import Role, department_scope, require_role, require_role_anywhere
from zwfw.notifications.services import queue_sms
from zwfw.org.models import Department, Person
from zwfw.supervision import access, conf, sampling, selectors
from zwfw.supervision.models import (
    Inspection,
    InspectionDraw,
    InspectionMethod,
    InspectionRectification,
    InspectorPoolMember,
    Strata,
)
from zwfw.workdays import calendar

MAX_SEED = 2**63 - 1
# New seeds stay below 2**53 so JavaScript clients read them exactly from JSON.
SEED_BITS = 53


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _not_future(day: datetime.date, today: datetime.date, field: str, label: str) -> None:
    if day > today:
        raise RuleViolation("invalid", f"{label}不能晚于今天", field=field)


# --- the inspector pool ------------------------------------------------------------------


@transaction.atomic
def add_pool_member(
    *, by, person: Person, since: datetime.date | None = None, note: str = ""
) -> InspectorPoolMember:
    """Put a person in the inspector pool (or back in it) (N-17)."""
    require_role(by, *access.POOL_ROLES, department=person.department)
    if not person.active or person.user_id is None:
        raise RuleViolation("invalid", "只能将在职且有账号的人员纳入检查人员库", field="person")
    since = since or timezone.localdate()
    member = InspectorPoolMember.objects.select_for_update().filter(person=person).first()
    if member is not None and member.active:
        raise Conflict("duplicate", f"{person.name}已在检查人员库中", field="person")
    before = {"active": member.active} if member else None
    if member is None:
        member = InspectorPoolMember(person=person)
    member.active, member.since, member.note, member.added_by = True, since, note.strip(), by
    member.save()
    audit.record(
        actor=by,
        action="add_inspector",
        obj=member,
        object_repr=f"检查人员库：{person.name}",
        before=before,
        after={"person": person.pk, "since": since, "note": member.note},
    )
    return member


@transaction.atomic
def set_pool_member_active(*, by, member: InspectorPoolMember, active: bool) -> InspectorPoolMember:
    """Take a member out of the pool (or back in); past draws keep their own copy of it."""
    require_role(by, *access.POOL_ROLES, department=member.person.department)
    member = InspectorPoolMember.objects.select_for_update().get(pk=member.pk)
    if member.active == active:
        return member
    member.active = active
    member.save(update_fields=["active", "updated_at"])
    audit.record(
        actor=by,
        action="activate_inspector" if active else "deactivate_inspector",
        obj=member,
        object_repr=f"检查人员库：{member.person.name}",
        before={"active": not active},
        after={"active": active},
    )
    return member


# --- draws -------------------------------------------------------------------------------


def _departments(by, departments: list[Department] | None) -> list[Department]:
    scope = department_scope(by, Role.SUPERVISOR)
    if not departments:
        chosen = list(selectors.departments_in_scope(by))
        if not chosen:
            raise RuleViolation("invalid", "没有可抽查的部门", field="departments")
        return chosen
    for d in departments:
        if scope is not None and d.pk not in scope:
            raise Forbidden(f"您无权抽查{d.name}的办件")
    return sorted({d.pk: d for d in departments}.values(), key=lambda d: d.code)


def _check_draw(*, period_start, period_end, size, strata, method, seed, today) -> None:
    if period_end < period_start:
        raise RuleViolation("invalid", "抽查期间的结束日期不能早于开始日期", field="period_end")
    if period_end >= today:
        # A period still running would gain cases after the draw: it could not be replayed.
        raise RuleViolation(
            "N-17",
            "抽查期间须已结束（截止日期最晚为昨天），以保证抽取结果可复现",
            field="period_end",
        )
    if strata not in Strata.values:
        raise RuleViolation("invalid", "分层方式不正确", field="strata")
    if method not in InspectionMethod.values:
        raise RuleViolation("invalid", "检查方式须为现场核查、系统调取或卷宗抽查", field="method")
    if not 1 <= size <= conf.max_draw_size():
        raise RuleViolation("invalid", f"抽取件数须在1到{conf.max_draw_size()}之间", field="size")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise RuleViolation("invalid", "随机种子须为0到2^63-1之间的整数", field="seed")


def _run(inputs: dict, seed: int) -> tuple[list, list]:
    """Compute a draw from its stored inputs: (population, [(case, inspector)])."""
    population = selectors.draw_population(
        inputs["department_ids"],
        datetime.date.fromisoformat(inputs["period_start"]),
        datetime.date.fromisoformat(inputs["period_end"]),
        inputs["strata"],
    )
    pool = [sampling.Inspector(*row) for row in inputs["pool"]]
    if inputs["size"] > len(population):
        raise sampling.DrawError(
            f"抽查期间内符合条件（已办结、不予受理、撤回或终止）的办件共{len(population)}件，"
            f"少于抽取件数{inputs['size']}件",
            field="size",
        )
    pairs = sampling.draw(population, pool, inputs["size"], seed, selectors.case_handlers)
    return population, pairs


@transaction.atomic
def create_draw(
    *,
    by,
    period_start: datetime.date,
    period_end: datetime.date,
    size: int,
    departments: list[Department] | None = None,
    strata: str = Strata.DEPARTMENT,
    method: str = InspectionMethod.CASE_FILE,
    seed: int | None = None,
    title: str = "",
    on: datetime.date | None = None,
) -> InspectionDraw:
    """Draw cases and inspectors at random and store everything needed to redo it (N-17)."""
    require_role_anywhere(by, Role.SUPERVISOR)
    today = _today(on)
    _check_draw(
        period_start=period_start,
        period_end=period_end,
        size=size,
        strata=strata,
        method=method,
        seed=seed,
        today=today,
    )
    chosen = _departments(by, departments)
    seed = secrets.randbits(SEED_BITS) if seed is None else seed
    # The pool within the drawing supervisor's scope (issue 11 point 9); stored in the
    # inputs below, so a replay uses exactly this pool.
    pool = selectors.pool_inspectors(department_scope(by, Role.SUPERVISOR))
    inputs = {
        "algorithm": sampling.ALGORITHM,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "departments": [d.code for d in chosen],
        "department_ids": [d.pk for d in chosen],
        "size": size,
        "strata": strata,
        # The pool as it stood: [person id, department id, account id], by person id.
        "pool": [[p.person_id, p.department_id, p.user_id] for p in pool],
    }
    try:
        population, pairs = _run(inputs, seed)
    except sampling.DrawError as exc:
        raise RuleViolation(exc.code, exc.message, field=exc.field)
    draw = InspectionDraw.objects.create(
        title=title.strip()[:100]
        or f"{period_start:%Y年%m月%d日}至{period_end:%Y年%m月%d日}办件双随机抽查",
        period_start=period_start,
        period_end=period_end,
        size=size,
        strata=strata,
        method=method,
        seed=seed,
        inputs=inputs,
        population_size=len(population),
        population_digest=sampling.population_digest(c.number for c in population),
        created_by=by,
    )
    case_ids = dict(
        Case.objects.filter(number__in=[c.number for c, _ in pairs]).values_list("number", "id")
    )
    Inspection.objects.bulk_create(
        [
            Inspection(
                draw=draw,
                position=i,
                case_id=case_ids[case.number],
                department_id=case.department_id,
                inspector_id=inspector.person_id,
            )
            for i, (case, inspector) in enumerate(pairs, start=1)
        ]
    )
    audit.record(
        actor=by,
        action="create_inspection_draw",
        obj=draw,
        after={
            "seed": seed,
            "inputs": inputs,
            "population_size": draw.population_size,
            "population_digest": draw.population_digest,
            "assignments": [[c.number, p.person_id] for c, p in pairs],
        },
    )
    _notify_inspectors(draw, pairs)
    return draw


def _notify_inspectors(draw: InspectionDraw, pairs) -> None:
    counts: dict[int, int] = {}
    for _case, inspector in pairs:
        counts[inspector.person_id] = counts.get(inspector.person_id, 0) + 1
    for person in Person.objects.filter(pk__in=list(counts)).select_related("department"):
        if not person.phone:
            continue
        queue_sms(
            phone=person.phone,
            text=f"【监督检查】您被随机分派{counts[person.pk]}件办件检查任务（{draw.title}），"
            "请登录平台“我的检查任务”记录检查结论。",
            ref=f"inspection-draw-{draw.pk}",
            department=person.department,
        )


@dataclass
class Replay:
    matches: bool
    population_changed: bool
    population_size_then: int
    population_size_now: int
    assignments: list[tuple[str, int]]
    message: str


@transaction.atomic
def replay_draw(*, by, draw: InspectionDraw) -> Replay:
    """Recompute a draw from its stored inputs and seed and compare (N-17: auditable)."""
    require_role_anywhere(by, *access.DRAW_VIEW_ROLES)
    stored = selectors.draw_assignments(draw)
    population = selectors.draw_population(
        draw.inputs["department_ids"],
        datetime.date.fromisoformat(draw.inputs["period_start"]),
        datetime.date.fromisoformat(draw.inputs["period_end"]),
        draw.inputs["strata"],
    )
    changed = sampling.population_digest(c.number for c in population) != draw.population_digest
    try:
        _population, pairs = _run(draw.inputs, draw.seed)
        again = [(c.number, p.person_id) for c, p in pairs]
        error = ""
    except sampling.DrawError as exc:
        again, error = [], exc.message
    matches = not changed and again == stored
    if matches:
        message = (
            f"复核一致：以种子{draw.seed}重新抽取的{len(again)}件办件及检查人员与原结果完全相同"
        )
    elif changed:
        message = (
            f"抽查期间内的办件总体已变化（抽取时{draw.population_size}件，现为{len(population)}件），"
            "无法按原总体复核"
        )
    else:
        message = "复核不一致：重新抽取的结果与原结果不同" + (f"（{error}）" if error else "")
    audit.record(
        actor=by,
        action="replay_inspection_draw",
        obj=draw,
        after={"matches": matches, "population_changed": changed},
    )
    return Replay(
        matches=matches,
        population_changed=changed,
        population_size_then=draw.population_size,
        population_size_now=len(population),
        assignments=again,
        message=message,
    )


# --- findings and rectification ------------------------------------------------------------


def _check_finding(result: str, method: str, category: str, note: str) -> tuple[str, str]:
    if result not in (Inspection.Result.PASSED, Inspection.Result.PROBLEM):
        raise RuleViolation("invalid", "检查结论须为合格或存在问题", field="result")
    if method not in InspectionMethod.values:
        raise RuleViolation("invalid", "检查方式须为现场核查、系统调取或卷宗抽查", field="method")
    note = (note or "").strip()
    if result == Inspection.Result.PASSED:
        return "", note
    if category not in Inspection.Category.values:
        raise RuleViolation("invalid", "存在问题时须选择问题类别", field="category")
    if not note:
        raise RuleViolation("invalid", "存在问题时须写明检查意见（具体问题）", field="note")
    return category, note


@transaction.atomic
def record_finding(
    *,
    by,
    inspection: Inspection,
    result: str,
    method: str,
    category: str = "",
    note: str = "",
    on: datetime.date | None = None,
) -> Inspection:
    """The assigned inspector records the finding on a drawn case (N-17); a problem opens a
    rectification for the case's department, due in working days."""
    today = timezone.localdate()
    on = on or today
    # The draw row first: findings of one draw are serialised, so the last one completes it.
    draw = InspectionDraw.objects.select_for_update().get(pk=inspection.draw_id)
    inspection = Inspection.objects.select_related("department").get(pk=inspection.pk)
    person = getattr(by, "person", None)
    if person is None or inspection.inspector_id != person.pk:
        raise Forbidden("只有被分派的检查人员可以记录该办件的检查结论")
    if inspection.result != Inspection.Result.PENDING:
        raise Conflict("already_recorded", "该办件的检查结论已记录，不能重复记录")
    category, note = _check_finding(result, method, category, note)
    _not_future(on, today, "found_on", "检查日期")
    if on < timezone.localdate(draw.created_at):
        raise RuleViolation("invalid", "检查日期不能早于抽取日期", field="found_on")
    inspection.result, inspection.method, inspection.category = result, method, category
    inspection.note, inspection.found_on = note, on
    inspection.recorded_by, inspection.recorded_at = by, timezone.now()
    inspection.save()
    audit.record(
        actor=by,
        action="record_inspection_finding",
        obj=inspection,
        object_repr=f"{draw.title} 第{inspection.position}件",
        before={"result": Inspection.Result.PENDING},
        after={
            "case": inspection.case_id,
            "result": result,
            "method": method,
            "category": category,
            "note": note,
            "found_on": on,
        },
    )
    if result == Inspection.Result.PROBLEM:
        _open_rectification(by, inspection, on)
    if not Inspection.objects.filter(draw=draw, result=Inspection.Result.PENDING).exists():
        draw.status, draw.completed_on = InspectionDraw.Status.COMPLETED, on
        draw.save(update_fields=["status", "completed_on"])
        audit.record(
            actor=by,
            action="complete_inspection_draw",
            obj=draw,
            before={"status": InspectionDraw.Status.IN_PROGRESS},
            after={"status": draw.status, "completed_on": on},
        )
    return inspection


def _open_rectification(by, inspection: Inspection, on: datetime.date) -> None:
    due = calendar.add_workdays(on, conf.rectify_days())
    rectification = InspectionRectification.objects.create(
        inspection=inspection, department=inspection.department, opened_on=on, due_date=due
    )
    audit.record(
        actor=by,
        action="open_inspection_rectification",
        obj=rectification,
        after={"department": inspection.department.code, "opened_on": on, "due_date": due},
    )
    _notify_department(
        inspection.department,
        f"【监督检查】您部门有1件办件在双随机抽查中发现问题（{inspection.get_category_display()}），"
        f"请于{due:%Y年%m月%d日}前完成整改并在平台登记整改情况。",
        ref=f"inspection-rectification-{rectification.pk}",
    )


def _notify_department(department: Department, text: str, ref: str) -> None:
    """Text the department's administrators (one query for them, one outbox row each)."""
    admins = Person.objects.filter(
        user__role_assignments__role=Role.DEPARTMENT_ADMIN,
        user__role_assignments__department=department,
        active=True,
    ).distinct()
    for person in admins:
        if person.phone:
            queue_sms(phone=person.phone, text=text, ref=ref, department=department)


@transaction.atomic
def record_rectification(
    *,
    by,
    rectification: InspectionRectification,
    measures: str,
    on: datetime.date | None = None,
) -> InspectionRectification:
    """The department records how it rectified a problem found by an inspection (N-17)."""
    require_role(by, Role.DEPARTMENT_ADMIN, department=rectification.department)
    today = timezone.localdate()
    on = on or today
    rectification = InspectionRectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status != InspectionRectification.Status.OPEN:
        raise Conflict("already_rectified", "该问题的整改情况已登记")
    measures = (measures or "").strip()
    if not measures:
        raise RuleViolation("invalid", "请填写整改措施及结果", field="measures")
    _not_future(on, today, "rectified_on", "整改完成日期")
    if on < rectification.opened_on:
        raise RuleViolation("invalid", "整改完成日期不能早于问题下达日期", field="rectified_on")
    rectification.status = InspectionRectification.Status.RECTIFIED
    rectification.measures, rectification.rectified_on, rectification.recorded_by = (
        measures,
        on,
        by,
    )
    rectification.save()
    audit.record(
        actor=by,
        action="record_inspection_rectification",
        obj=rectification,
        before={"status": InspectionRectification.Status.OPEN},
        after={
            "status": rectification.status,
            "measures": measures,
            "rectified_on": on,
            "on_time": on <= rectification.due_date,
        },
    )
    return rectification


def remind_overdue_rectifications(*, on: datetime.date | None = None) -> int:
    """Text each department once about its inspection rectifications past their due date
    (bounded by the (status, due_date) index; each reminder in its own transaction)."""
    on = _today(on)
    ids = list(
        InspectionRectification.objects.filter(
            InspectionRectification.overdue_q(on), overdue_notified_on__isnull=True
        )
        .order_by("due_date", "id")
        .values_list("id", flat=True)[:1000]
    )
    for pk in ids:
        with transaction.atomic():
            r = (
                InspectionRectification.objects.select_for_update()
                .select_related("department")
                .get(pk=pk)
            )
            if r.overdue_notified_on is not None:
                continue
            r.overdue_notified_on = on
            r.save(update_fields=["overdue_notified_on"])
            audit.record(
                actor=None,
                action="remind_overdue_inspection_rectification",
                obj=r,
                after={"due_date": r.due_date, "notified_on": on},
            )
            _notify_department(
                r.department,
                f"【监督检查】您部门的抽查整改已于{r.due_date:%Y年%m月%d日}到期仍未登记，请尽快整改并登记。",
                ref=f"inspection-rectification-{r.pk}",
            )
    return len(ids)
