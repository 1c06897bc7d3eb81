"""Acceptance (受理), refusal (不予受理) and the one-time notice (一次性告知) with its
supplement (补正): L-ACCEPT, R-16, R-18, C-2.2 (行政许可法第32条)."""

import datetime

from django.db import connection, transaction

from zwfw.cases import conf, notices
from zwfw.cases.models import Case, CaseMaterial, SupplementNotice
from zwfw.cases.services.base import (
    CLOCK_FIELDS,
    moment,
    person_of,
    refresh_clock,
    require_handler,
    save_step,
    take,
)
from zwfw.cases.services.steps import fix_procedure
from zwfw.cases.states import Action, CaseState
from zwfw.core import fastsql
from zwfw.core.errors import RuleViolation
from zwfw.workdays import calendar

S = CaseState


def _materials(case: Case) -> list[CaseMaterial]:
    # Read under the case's lock on every acceptance: the hot path's cached SQL (core.fastsql).
    return fastsql.select(CaseMaterial, {"case": case.pk}, order_by=("position", "id"))


def _missing_required(case: Case) -> list[CaseMaterial]:
    return [m for m in _materials(case) if m.required and m.status != "received"]


def _had_notice(case: Case) -> bool:
    return fastsql.first(SupplementNotice, {"case": case.pk}) is not None


_CHECK = (
    "SELECT {columns}, EXISTS (SELECT 1 FROM cases_supplementnotice n WHERE n.case_id = m.case_id)"
    " FROM cases_casematerial m WHERE m.case_id = %s ORDER BY m.position, m.id"
)


def _acceptance_check(case: Case) -> tuple[list[CaseMaterial], bool]:
    """(required materials still missing, whether a one-time notice was issued): what
    acceptance needs, read in one statement."""
    sql = _CHECK.format(columns=fastsql.columns(CaseMaterial, "m"))
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk])
        rows = cursor.fetchall()
    if not rows:  # an item without a checklist
        return [], _had_notice(case)
    materials = [fastsql.instance(CaseMaterial, row) for row in rows]
    missing = [m for m in materials if m.required and m.status != "received"]
    return missing, bool(rows[0][-1])


def _notice_items(case: Case, listed: list[dict | str]) -> list[dict]:
    """ALL corrections in one notice: every listed material and every required one still
    missing. A material received in order can never be asked for again (R-16, R-18)."""
    materials = {m.name: m for m in _materials(case)}
    items: dict[str, str] = {}
    for entry in listed:
        if isinstance(entry, str):
            entry = {"name": entry}
        name = (entry.get("name") or "").strip()
        problem = (entry.get("problem") or "").strip()[:300]
        material = materials.get(name)
        if material is None:
            raise RuleViolation("invalid", f"材料“{name}”不在本事项的材料清单中", field="missing")
        if material.status == "received" and not problem:
            raise RuleViolation(
                "R-16",
                f"材料“{name}”已收取，不得要求重复提交（R-18）；如材料有误，请写明存在的问题",
                field="missing",
            )
        items[name] = problem or "未提交"
    for material in _missing_required(case):
        items.setdefault(material.name, "未提交")
    if not items:
        raise RuleViolation("L-ACCEPT", "材料齐全，无需补正，请直接受理", field="missing")
    order = {m.name: m.position for m in materials.values()}
    return [{"name": n, "problem": p} for n, p in sorted(items.items(), key=lambda x: order[x[0]])]


def _notice_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > 1000:
        raise RuleViolation("invalid", "一次性告知书的说明最多1000字", field="note")
    return note


@transaction.atomic
def send_supplement_notice(
    *, case: Case, by, missing: list[dict | str], note: str = "", on: datetime.date | None = None
) -> Case:
    """Issue the ONE notice listing every missing or defective material (L-ACCEPT, R-16)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.SUPPLEMENT_NOTICE)
    require_handler(by, case)
    if SupplementNotice.objects.filter(case=case).exists():
        raise RuleViolation(
            "R-16", "本件已出具过一次性告知书，不得再次告知补正（一次性告知）", field="missing"
        )
    items = _notice_items(case, missing)
    notice = SupplementNotice.objects.create(
        case=case,
        issued_on=on,
        issued_at=at,
        issued_by=by,
        items=items,
        note=_notice_note(note),
    )
    names = [i["name"] for i in items]
    CaseMaterial.objects.filter(case=case, name__in=names).update(status="defective")
    for i in items:
        CaseMaterial.objects.filter(case=case, name=i["name"]).update(problem=i["problem"])
    case.status = after
    refresh_clock(case, on)
    save_step(
        case,
        action="supplement_notice",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=CLOCK_FIELDS,
        text="出具一次性告知书，需补正："
        + "；".join(f"{i['name']}（{i['problem']}）" for i in items),
        audit_after={"notice": notice.pk, "items": items},
        sms=("supplement_notice", notices.supplement_notice_text(case, names)),
    )
    return case


@transaction.atomic
def supplement_case(
    *, case: Case, by, materials: dict[str, str], on: datetime.date | None = None
) -> Case:
    """Record materials handed in after the notice; once all are in, the case is back for a
    decision on acceptance, counted from that day (L-ACCEPT; 第32条)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.SUPPLEMENT)
    if by is not None:
        require_handler(by, case)
    notice = case.notice
    asked = {i["name"] for i in notice.items}
    open_rows = {
        m.name: m for m in case.materials.filter(name__in=asked).exclude(status="received")
    }
    if not materials:
        raise RuleViolation("invalid", "请选择补正提交的材料", field="materials")
    default = "paper" if case.channel == "window" and by is not None else "electronic"
    for name, form in materials.items():
        if name not in asked:
            raise RuleViolation(
                "R-16", f"材料“{name}”不在一次性告知书所列的补正材料中", field="materials"
            )
        if name not in open_rows:
            raise RuleViolation("R-16", f"材料“{name}”已补正收取，无需重复提交", field="materials")
        form = form or default
        if form not in ("electronic", "paper"):
            raise RuleViolation(
                "R-18", f"材料“{name}”须选择电子或纸质其中一种提交形式", field="materials"
            )
        row = open_rows.pop(name)
        row.status, row.form, row.received_on, row.problem = "received", form, on, ""
        row.save(update_fields=["status", "form", "received_on", "problem"])
    text = "补正提交：" + "、".join(materials)
    if open_rows:
        # Partial: the applicant still owes the rest; the state waits.
        save_step(
            case,
            action="supplement",
            by=by,
            on=on,
            at=at,
            before_status=before,
            fields=[],
            text=text + f"；尚缺{len(open_rows)}项",
            audit_after={"materials": sorted(materials), "complete": False},
        )
        return case
    notice.completed_on = on
    notice.save(update_fields=["completed_on"])
    case.status = after
    case.materials_complete_on = on
    case.acceptance_deadline = calendar.add_workdays(on, conf.accept_days())
    refresh_clock(case, on)
    save_step(
        case,
        action="supplement",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["materials_complete_on", "acceptance_deadline", *CLOCK_FIELDS],
        text=text + "；补正材料已齐全",
        audit_after={"materials": sorted(materials), "complete": True},
        sms=("supplement_notice", notices.supplemented_text(case)),
    )
    return case


def check_accept(case: Case, by) -> bool:
    """Whether `by` may accept `case` now (the page offers 受理 only then); returns whether a
    notice was issued. Raises the refusal otherwise."""
    require_handler(by, case)
    missing, had_notice = _acceptance_check(case)
    if missing:
        raise RuleViolation(
            "L-ACCEPT",
            "必要材料不齐全（"
            + "、".join(m.name for m in missing)
            + "），请出具一次性告知书或不予受理",
            field="materials",
        )
    return had_notice


@transaction.atomic
def accept_case(*, case: Case, by, on: datetime.date | None = None) -> Case:
    """Accept a complete application (L-ACCEPT; 行政许可法第32条): the clock starts on the day
    complete materials were in hand."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.ACCEPT)
    had_notice = check_accept(case, by)
    case.status = after
    # After corrections the acceptance date is the day they were all handed in (第32条).
    case.accepted_on = case.materials_complete_on if had_notice else on
    case.accepted_at = at
    # N-4: the procedure (and the steps of the normal one) is fixed on the acceptance date.
    fixed = fix_procedure(case, case.accepted_on)
    refresh_clock(case, on)
    save_step(
        case,
        action="accept",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=["accepted_on", "accepted_at", *fixed, *CLOCK_FIELDS],
        text=f"受理，受理日期{case.accepted_on:%Y年%m月%d日}，办理期限{case.due_date:%Y年%m月%d日}",
        audit_after={
            "accepted_on": case.accepted_on,
            "due_date": case.due_date,
            "by_person": getattr(person_of(by), "pk", None),
        },
        sms=("acceptance", notices.acceptance_text(case)),
    )
    return case


@transaction.atomic
def refuse_case(
    *, case: Case, by, reason: str, competent_authority: str = "", on: datetime.date | None = None
) -> Case:
    """Refuse to accept, with the reason, the competent authority where it is another one, and
    the rights of appeal on the notice (L-ACCEPT; 行政许可法第32条)."""
    on, at = moment(on)
    case, before, after = take(case, on, Action.REFUSE)
    require_handler(by, case)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("L-ACCEPT", "不予受理须写明理由", field="reason")
    if len(reason) > 2000:
        raise RuleViolation("invalid", "不予受理理由最多2000字", field="reason")
    case.status = after
    case.refused_on = on
    case.refusal_reason = reason
    case.refusal_authority = (competent_authority or "").strip()[:200]
    case.due_date = case.remaining_workdays = None
    case.alert_level = "green"
    save_step(
        case,
        action="refuse",
        by=by,
        on=on,
        at=at,
        before_status=before,
        fields=[
            "refused_on",
            "refusal_reason",
            "refusal_authority",
            "due_date",
            "remaining_workdays",
            "alert_level",
        ],
        text=f"不予受理：{case.refusal_reason}",
        audit_after={"reason": case.refusal_reason, "competent_authority": case.refusal_authority},
        sms=("refusal", notices.refusal_text(case)),
    )
    return case
