"""The normal procedure (一般程序; N-4, R-15, N-13): an item that no chief service officer
decides is handled through the steps (环节) of its guide, each recorded by a person holding
the step's post (办理岗位) in the item's department; the last step decides.

Rules chosen here (documented in the README):
- The procedure is fixed at acceptance from the item and the grants in force on the day of
  acceptance (`fix_procedure`). A case accepted under the normal procedure stays in it even
  when a grant later covers the item: it is finished step by step.
- A chief (or preliminary) case whose officer's grant ends before the decision: authority is
  always read on the day of the act (N-13), so the former officer can no longer decide. Any
  other officer whose grant covers the item that day may still decide it; when nobody does,
  the case moves to the normal procedure at its first step, recorded on the timeline.
- One person records at most one step of a case (the handler does not approve their own
  work), and steps go in the order of the plan fixed at acceptance.
- The plan is the guide's steps between acceptance and the decision: a leading 受理 step is
  the acceptance itself and trailing 办结/送达 steps are the delivery and completion actions;
  a guide without steps gets 承办 → 审核 → 审批 (DEFAULT_PLAN).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zwfw.cases.models import Case, CaseStep, Procedure, Result
from zwfw.cases.services.base import (
    CLOCK_FIELDS,
    apply_deemed_acceptance,
    lock,
    moment,
    person_of,
    record_event,
    refresh_clock,
    save_step,
)
from zwfw.cases.states import Action, CaseState, next_state
from zwfw.core import audit, fastsql
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.prepared import PreparedRead

S = CaseState

# An item whose guide lists no steps still follows the usual three-level handling
# (承办 → 审核 → 审批), so that every item can be decided (N-4).
DEFAULT_PLAN = (
    {"step": "承办", "post": "承办"},
    {"step": "审核", "post": "审核"},
    {"step": "审批", "post": "审批"},
)


def plan_of(item, version: int | None = None) -> list[dict]:
    """The item's handling steps [{"step", "post"}] (R-15): from the guide version the case was
    received under, else the guide as it is, else the default three steps."""
    from zwfw.catalog.models import HandlingStep, ItemVersion

    rows = None
    if version:
        # A unique key: no ORDER BY (ItemVersion's default ordering joins the item and its
        # department), and the hot path's cached SQL (core.fastsql).
        found = fastsql.first(ItemVersion, {"item": item.pk, "number": version})
        data = found.data if found is not None else None
        if isinstance(data, dict) and data.get("steps"):
            rows = [(s.get("name", ""), s.get("post", "")) for s in data["steps"]]
    if rows is None:
        rows = list(
            HandlingStep.objects.filter(guide__item=item)
            .order_by("position", "id")
            .values_list("name", "post")
        )
    plan = _handling_only([{"step": name, "post": post or name} for name, post in rows if name])
    return plan or [dict(s) for s in DEFAULT_PLAN]


# Guides list the whole flow (受理 → … → 决定 → 办结送达); acceptance, delivery and completion
# are the case's own actions (accept, delivery record, complete), so they are not steps.
AFTER_DECISION = ("办结", "送达", "出件")


def _handling_only(plan: list[dict]) -> list[dict]:
    while plan and plan[0]["step"].startswith("受理"):
        plan = plan[1:]
    while plan and any(word in plan[-1]["step"] for word in AFTER_DECISION):
        plan = plan[:-1]
    return plan


def fix_procedure(case: Case, day: datetime.date) -> list[str]:
    """N-4: fix the procedure and the steps at acceptance, from the item and the grants in
    force on `day` (the acceptance date). Returns the fields to save."""
    from zwfw.cases.services.intake import procedure_for

    case.procedure = procedure_for(case.item, day)
    case.step_plan = plan_of(case.item, case.item_version)
    return ["procedure", "step_plan"]


def steps_of(case: Case) -> list[CaseStep]:
    return list(CaseStep.objects.filter(case=case).select_related("by").order_by("position"))


def plan_for(case: Case) -> list[dict]:
    """The case's plan; a case accepted before plans were kept reads its item's."""
    return case.step_plan or plan_of(case.item, case.item_version)


def current_step(case: Case, done: int | None = None) -> dict | None:
    """The next step of a normal-procedure case in handling, or None."""
    if case.procedure != Procedure.NORMAL or case.status != S.ACCEPTED:
        return None
    plan = plan_for(case)
    if done is None:
        done = CaseStep.objects.filter(case=case).count()
    return plan[done] if done < len(plan) else None


def may_record(person, case: Case, step: dict | None, on: datetime.date | None = None) -> bool:
    """Whether the page offers `person` the form of `step` (the service checks again)."""
    from zwfw.grants.selectors import authority_for

    if person is None or step is None:
        return False
    if CaseStep.objects.filter(case=case, by=person).exists():
        return False
    return authority_for(person, case.item, on, post=step["post"]) is not None


def _assignments_of(person, on):
    from django.db.models import BooleanField, ExpressionWrapper

    from zwfw.grants.selectors import posts_in_force_q
    from zwfw.org.models import PostAssignment

    in_force = ExpressionWrapper(posts_in_force_q(on), output_field=BooleanField())
    return (
        PostAssignment.objects.filter(person_id=person)
        .annotate(in_force=in_force)
        .only("department", "post")
        .order_by()
    )


# Every home page asks (the 待我办理 panel): compiled once (core.prepared).
_ASSIGNMENTS = PreparedRead("org.PostAssignment", _assignments_of)


def post_assignments(person, on: datetime.date | None = None) -> list:
    """Every post assignment of `person`, each with `in_force` on `on` (posts_in_force_q), in
    one query: the posts `awaiting` reads and whether the person holds any post at all."""
    if person is None:
        return []
    return _ASSIGNMENTS(person=person.pk, on=on or timezone.localdate())


def awaiting(
    person,
    on: datetime.date | None = None,
    limit: int = 10,
    *,
    assignments: list | None = None,
) -> list[tuple[Case, dict]]:
    """待我办理: normal-procedure cases in handling whose current step's post `person` holds
    in the case's department today and who has recorded no step of them, soonest due first.
    `assignments`: the caller's post_assignments(person, on), when it needs them too."""
    from django.db.models import Count, Exists, OuterRef

    if person is None:
        return []
    if assignments is None:
        assignments = post_assignments(person, on)
    held: dict[int, set[str]] = {}
    for a in assignments:
        if a.in_force:
            held.setdefault(a.department_id, set()).add(a.post)
    if not held:
        return []
    mine = CaseStep.objects.filter(case=OuterRef("pk"), by=person)
    candidates = (
        Case.objects.filter(procedure=Procedure.NORMAL, status=S.ACCEPTED, department_id__in=held)
        .annotate(done=Count("steps"), recorded=Exists(mine))
        .filter(recorded=False)
        .select_related("item")
        .order_by("due_date", "id")[:200]
    )
    out = []
    for case in candidates:
        step = current_step(case, case.done)
        if step is not None and step["post"] in held[case.department_id]:
            out.append((case, step))
            if len(out) >= limit:
                break
    return out


def _move_to_normal(case: Case, by, on: datetime.date, at: datetime.datetime) -> None:
    """A chief case nobody may decide any more (the grant relied on at acceptance ended and
    no other covers the item): it continues under the normal procedure (N-4, N-13)."""
    from zwfw.cases.services.intake import procedure_for

    if procedure_for(case.item, on) != Procedure.NORMAL:
        raise RuleViolation(
            "N-4",
            "本件受理时适用首席服务员程序，由持有有效授权的首席服务员作出决定，不按一般程序办理",
            field="step",
        )
    before = case.procedure
    case.procedure = Procedure.NORMAL
    case.step_plan = plan_for(case)
    fastsql.update(case, ["procedure", "step_plan", "updated_at"])
    text = "受理时依据的首席服务员授权已不在有效期内，本事项当日无人持有授权，转一般程序办理"
    record_event(
        case, action="procedure_change", by=by, at=at, on=on, from_status=case.status, text=text
    )
    audit.record(
        actor=by,
        action="change_procedure_case",
        obj=case,
        before={"procedure": before},
        after={"procedure": case.procedure, "on": on},
    )


def _label(step: dict) -> str:
    """ "审查（审查岗）", or just "审批" when the step is named after its post."""
    if step["post"] == step["step"]:
        return f"{step['step']}环节"
    return f"{step['step']}环节（{step['post']}）"


def _check_step(case: Case, step: str, done: list[CaseStep], by) -> tuple[dict, bool]:
    plan = case.step_plan or []
    if len(done) >= len(plan):
        raise Conflict("steps_done", "本件各办理环节均已完成")
    current = plan[len(done)]
    if (step or "").strip() != current["step"]:
        raise RuleViolation(
            "R-15", f"当前应办理“{current['step']}”环节（按办事指南的环节顺序）", field="step"
        )
    person = person_of(by)
    if person is not None and any(s.by_id == person.pk for s in done):
        raise RuleViolation(
            "N-13", "同一人不能办理同一办件的两个环节（承办、审核、审批相互分离）", field="step"
        )
    return current, len(done) == len(plan) - 1


@transaction.atomic
def record_step(
    *,
    case: Case,
    by,
    step: str,
    opinion: str,
    result: str = "",
    on: datetime.date | None = None,
) -> Case:
    """Record the current step of a normal-procedure case (N-4, R-15) by a person holding its
    post in the item's department (N-13); the last step decides through the same path as a
    chief officer's decision (clock, notice, outbox)."""
    from zwfw.cases.services.decision import record_decision
    from zwfw.grants.selectors import authority_for

    on, at = moment(on)
    case = lock(case)
    apply_deemed_acceptance(case, on)
    before = case.status
    next_state(S(before), Action.RECORD_STEP)  # in handling, clock running (409 otherwise)
    if case.procedure != Procedure.NORMAL:
        _move_to_normal(case, by, on, at)
    elif not case.step_plan:
        case.step_plan = plan_for(case)
        fastsql.update(case, ["step_plan"])
    done = steps_of(case)
    current, last = _check_step(case, step, done, by)
    person = person_of(by)
    authority = authority_for(person, case.item, on, post=current["post"])
    if authority is None:
        raise RuleViolation(
            "N-13",
            f"您在{on:%Y年%m月%d日}未在{case.department.name}担任“{current['post']}”岗位，"
            f"不能办理“{current['step']}”环节",
            field="step",
            status=403,
        )
    opinion = (opinion or "").strip()[:4000]
    if not opinion:
        raise RuleViolation("invalid", f"请填写{current['step']}意见", field="opinion")
    if result and result not in Result.values:
        raise RuleViolation("invalid", "结果须为同意（approve）或不同意（deny）", field="result")
    if last and not result:
        raise RuleViolation(
            "N-4", f"“{current['step']}”是最后环节，须作出准予或不予许可的决定", field="result"
        )
    CaseStep.objects.create(
        case=case,
        position=len(done),
        step=current["step"],
        post=current["post"],
        by=person,
        post_assignment=authority.post_assignment,
        on=on,
        at=at,
        opinion=opinion,
        result=result,
    )
    if last:
        return record_decision(
            case,
            by=by,
            on=on,
            at=at,
            before=before,
            result=result,
            opinion=opinion,
            decided_by=person,
            post_assignment=authority.post_assignment,
            label=_label(current),
        )
    case.status = next_state(S(before), Action.RECORD_STEP)
    refresh_clock(case, on)
    verdict = {"approve": "，同意", "deny": "，不同意"}.get(result, "")
    save_step(
        case,
        action="record_step",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=list(CLOCK_FIELDS),
        text=f"{_label(current)}{verdict}：{opinion}",
        public=False,
        audit_after={
            "step": current["step"],
            "post_assignment": authority.post_assignment.pk,
            "result": result,
        },
    )
    return case
