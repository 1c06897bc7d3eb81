"""Joint cases (一事联办): one application for a theme spanning items of two or more
departments (L-LIMIT, R-18). One function per use case, one transaction each, with its audit
event.

Decisions documented here (README and the joint pages say the same):
- Each part is an ordinary case taken in through services.take_in and accepted through
  services.accept_case, so its department handles it under its own authority (chief,
  preliminary or normal procedure, fixed at acceptance by the existing code) with its own
  clock, through the normal case pages and endpoints.
- R-18: the joint checklist is the union of the parts' checklists by material name; a
  material handed in once counts for every part that lists it, a one-time notice names it
  once, and one supplement completes it for every part.
- L-LIMIT: the joint case is due 45 working days after acceptance (the latest acceptance
  day of its parts: after corrections, the day they were all in), extendable once by at
  most 15 working days with the lead department's approval.
- Countersign (会签): a part the theme marks for countersign needs the lead department's
  recorded countersign opinion; the joint case completes when every part is closed (at
  least one completed) and every countersign part carries that opinion.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from zwfw.cases import clock, notices
from zwfw.cases.models import CaseMaterial
from zwfw.cases.models_joint import (
    JointCase,
    JointCaseCounter,
    JointPart,
    JointState,
    Theme,
    ThemeItem,
)
from zwfw.cases.services.base import HANDLING_ROLES, moment, person_of
from zwfw.cases.states import OPEN_BEFORE_DECISION, CaseState
from zwfw.core import audit
from zwfw.core.errors import Conflict, NotFound, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.workdays import calendar

J = JointState


def limit_days() -> int:
    """L-LIMIT: working days of joint handling across departments (45, extendable by 15)."""
    return int(getattr(settings, "CASES_JOINT_LIMIT_DAYS", 45))


def max_extension_days() -> int:
    return int(getattr(settings, "CASES_JOINT_MAX_EXTENSION_DAYS", 15))


def due_date_of(accepted_on: datetime.date, extension_days: int = 0, cal=None) -> datetime.date:
    """The joint due date through the case clock's arithmetic (zwfw.cases.clock)."""
    cal = cal or calendar.current()
    return clock.read_clock(
        cal,
        accepted_on=accepted_on,
        limit_days=limit_days(),
        today=accepted_on,
        extension_days=extension_days,
    ).due_date


# --- themes -------------------------------------------------------------------------------


@transaction.atomic
def create_theme(*, by, center, code: str, name: str, lead_department, items) -> Theme:
    """A theme (主题) configured by the center: items of two or more of its departments, a
    lead department among them, and which items need countersign. `items`: [(item, bool)]."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 40:
        raise RuleViolation("invalid", "主题编码不能为空且最多40字", field="code")
    if not name or len(name) > 200:
        raise RuleViolation("invalid", "主题名称不能为空且最多200字", field="name")
    if Theme.objects.filter(code=code).exists():
        raise RuleViolation("duplicate", f"主题编码“{code}”已存在", field="code", status=409)
    rows = [(item, bool(countersign)) for item, countersign in items]
    departments = {item.department_id for item, _c in rows}
    if len({item.pk for item, _c in rows}) != len(rows):
        raise RuleViolation("invalid", "主题中的事项不能重复", field="items")
    if len(departments) < 2:
        raise RuleViolation("invalid", "联办主题须包含两个以上部门的事项", field="items")
    if lead_department.pk not in departments:
        raise RuleViolation(
            "invalid", "牵头部门须为主题事项的实施部门之一", field="lead_department"
        )
    for item, _c in rows:
        if item.department.center_id != center.pk:
            raise RuleViolation("invalid", f"事项“{item.name}”不在本中心办理", field="items")
    theme = Theme.objects.create(
        center=center, code=code, name=name, lead_department=lead_department
    )
    ThemeItem.objects.bulk_create(
        ThemeItem(theme=theme, item=item, countersign=c, position=i)
        for i, (item, c) in enumerate(rows)
    )
    audit.record(
        actor=by,
        action="create_theme",
        obj=theme,
        after={
            "code": code,
            "name": name,
            "lead_department": lead_department.code,
            "items": [item.code for item, _c in rows],
            "countersign": [item.code for item, c in rows if c],
        },
    )
    return theme


def theme_for(items: list, theme_code: str = "") -> Theme:
    """The active theme holding every one of `items` (the named one when given)."""
    qs = Theme.objects.filter(active=True).select_related("lead_department", "center")
    if theme_code:
        qs = qs.filter(code=theme_code)
    wanted = {item.pk for item in items}
    for theme in qs.prefetch_related("items"):
        if wanted <= {row.item_id for row in theme.items.all()}:
            return theme
    if theme_code:
        raise RuleViolation("invalid", "所选事项不全属于该联办主题", field="items")
    raise RuleViolation(
        "invalid", "未找到包含所选事项的联办主题，请由中心先配置主题", field="items"
    )


def union_checklist(items: list) -> list[dict]:
    """R-18: the parts' checklists merged by material name, in first-seen order; required
    when any part requires it; `items` names the parts that list it."""
    from zwfw.catalog.selectors import checklist

    merged: dict[str, dict] = {}
    for item in items:
        for m in checklist(item):
            row = merged.setdefault(
                m.name, {"name": m.name, "required": False, "electronic_ok": True, "items": []}
            )
            row["required"] = row["required"] or m.required
            row["electronic_ok"] = row["electronic_ok"] and m.electronic_ok
            row["items"].append(item.code)
    return list(merged.values())


# --- numbers ------------------------------------------------------------------------------

_NEXT = "UPDATE cases_jointcasecounter SET last = last + 1 WHERE center_id = %s AND day = %s RETURNING last"


def next_joint_number(center, day: datetime.date) -> str:
    params = [center.pk, connection.ops.adapt_datefield_value(day)]
    for _attempt in range(5):
        with connection.cursor() as cursor:
            cursor.execute(_NEXT, params)
            row = cursor.fetchone()
        if row is not None:
            return f"{center.code}-LB{day:%Y%m%d}-{row[0]:04d}"
        try:
            with transaction.atomic():
                JointCaseCounter.objects.create(center=center, day=day, last=0)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a joint case number")


# --- intake -------------------------------------------------------------------------------


def _items(codes: list[str]) -> list:
    from zwfw.catalog.selectors import item_by_code

    if len(codes) != len(set(codes)):
        raise RuleViolation("invalid", "联办事项不能重复", field="items")
    found = []
    for code in codes:
        try:
            found.append(item_by_code(code))
        except NotFound:
            raise RuleViolation("invalid", f"未找到事项“{code}”", field="items")
    if len({item.department_id for item in found}) < 2:
        raise RuleViolation("invalid", "一事联办须包含两个以上部门的事项", field="items")
    return found


@transaction.atomic
def take_in_joint(
    *,
    by,
    items: list[str],
    applicant,
    phone: str,
    channel: str = "window",
    materials: dict[str, str] | None = None,
    title: str = "",
    theme: str = "",
    on: datetime.date | None = None,
) -> JointCase:
    """Receive one application for a theme: the shared materials are checked once against
    the union checklist (R-18) and each part is taken in as an ordinary case with the
    materials its own checklist lists. Staff only (the person at the window must hold a
    handling role for every part's department, which take_in checks)."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise RuleViolation("invalid", "联办件须由工作人员收件", field="channel", status=403)
    from zwfw.cases.services.intake import take_in

    on, at = moment(on)
    found = _items(list(items or []))
    chosen = theme_for(found, theme)
    materials = dict(materials or {})
    union = {row["name"]: row for row in union_checklist(found)}
    for name in materials:
        if name not in union:
            raise RuleViolation(
                "invalid", f"材料“{name}”不在本联办事项的材料清单中", field="materials"
            )
    title = (title or "").strip() or chosen.name
    if len(title) > 200:
        raise RuleViolation("invalid", "申请事项名称最多200字", field="title")
    joint = JointCase(
        number=next_joint_number(chosen.center, on),
        theme=chosen,
        title=title,
        center=chosen.center,
        channel=channel,
        received_by=by,
        received_at=at,
        limit_days=limit_days(),
    )
    countersign = {row.item_id: row.countersign for row in chosen.items.all()}
    parts = []
    with notices.held():
        for position, item in enumerate(found):
            own = {
                name: form for name, form in materials.items() if item.code in union[name]["items"]
            }
            case = take_in(
                by=by,
                item=item,
                applicant=applicant,
                phone=phone,
                channel=channel,
                materials=own,
                on=on,
            )
            parts.append((position, case))
    first = parts[0][1]
    joint.applicant, joint.phone, joint.phone_last4 = (
        first.applicant,
        first.phone,
        first.phone_last4,
    )
    joint.save()
    JointPart.objects.bulk_create(
        JointPart(
            joint=joint,
            case=case,
            department_id=case.department_id,
            position=position,
            countersign=countersign.get(case.item_id, False),
        )
        for position, case in parts
    )
    audit.record(
        actor=by,
        action="receive_joint_case",
        obj=joint,
        after={
            "number": joint.number,
            "theme": chosen.code,
            "parts": [case.number for _p, case in parts],
            "materials": sorted(materials),
            "on": on,
        },
    )
    _sms(
        joint,
        "acceptance",
        f"已收件，共{len(parts)}个部门分项，可凭联办编号和手机号后四位查询办理进度。",
    )
    return joint


# --- actions ------------------------------------------------------------------------------


def _lock(joint: JointCase) -> JointCase:
    row = (
        JointCase.objects.select_for_update()
        .select_related("theme__lead_department", "center")
        .filter(pk=joint.pk)
        .first()
    )
    if row is None:
        raise NotFound("未找到该联办件")
    return row


def _parts(joint: JointCase) -> list[JointPart]:
    return list(
        JointPart.objects.filter(joint=joint)
        .select_related("case__item", "case__department", "case__center", "case__applicant")
        .order_by("position", "id")
    )


def _require_status(joint: JointCase, *allowed: str, action: str) -> None:
    if joint.status not in allowed:
        raise Conflict(
            "invalid_transition",
            f"联办件当前状态为“{JointState(joint.status).label}”，不能{action}",
        )


def _record(joint: JointCase, by, action: str, after: dict, fields: list[str]) -> None:
    joint.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=by, action=action, obj=joint, after={"number": joint.number, **after})


def _sms(joint: JointCase, kind: str, text: str) -> None:
    """Queue one SMS about the joint case (sent after commit), from the lead department."""
    from zwfw.notifications.services import queue_sms

    head = f"【{joint.center.name}】您申请的一事联办“{joint.title}”（联办编号{joint.number}）"
    queue_sms(
        phone=joint.phone,
        text=head + text,
        kind=kind,
        ref=joint.number,
        department=joint.theme.lead_department,
    )


def settle(joint: JointCase, on: datetime.date) -> bool:
    """Store the completion once every part is closed (at least one completed) and every
    countersign part carries the lead department's opinion; True when it changed."""
    from zwfw.cases.joint_selectors import completion

    done = completion(joint, [p for p in _parts(joint)])
    if joint.status != J.ACCEPTED or done is None:
        return False
    joint.status, joint.completed_on = J.COMPLETED, done
    joint.save(update_fields=["status", "completed_on", "updated_at"])
    audit.record(
        actor=None,
        action="complete_joint_case",
        obj=joint,
        after={"number": joint.number, "completed_on": done},
    )
    return True


@transaction.atomic
def accept_joint(*, joint: JointCase, by, on: datetime.date | None = None) -> JointCase:
    """Accept once: every part still waiting is accepted (services.accept_case, which fixes
    its procedure and starts its clock); the joint clock starts on the latest acceptance day."""
    from zwfw.cases.services import accept_case

    on, at = moment(on)
    joint = _lock(joint)
    _require_status(joint, J.RECEIVED, action="受理")
    parts = _parts(joint)
    for part in parts:
        if part.case.status == CaseState.RECEIVED:
            with notices.held():
                part.case = accept_case(case=part.case, by=by, on=on)
        elif part.case.status == CaseState.AWAITING_SUPPLEMENT:
            raise RuleViolation(
                "L-ACCEPT", f"分项{part.case.number}尚待补正，请先补正材料", field="materials"
            )
    days = [p.case.accepted_on for p in parts if p.case.accepted_on]
    if not days:
        raise Conflict("invalid_transition", "联办件没有可受理的分项")
    joint.status = J.ACCEPTED
    joint.accepted_on, joint.accepted_at = max(days), at
    joint.due_date = due_date_of(joint.accepted_on, joint.extension_days)
    _record(
        joint,
        by,
        "accept_joint_case",
        {"accepted_on": joint.accepted_on, "due_date": joint.due_date},
        ["status", "accepted_on", "accepted_at", "due_date"],
    )
    _sms(joint, "acceptance", f"已受理，联办期限{joint.due_date:%Y年%m月%d日}。")
    settle(joint, on)
    return joint


def _missing_of(case) -> set[str]:
    return set(
        CaseMaterial.objects.filter(case=case, required=True)
        .exclude(status="received")
        .values_list("name", flat=True)
    )


@transaction.atomic
def send_joint_supplement_notice(
    *, joint: JointCase, by, missing: list, note: str = "", on: datetime.date | None = None
) -> JointCase:
    """ONE notice for the whole application (R-16, R-18): each listed material once; every
    part that lists it gets it in its own one-time notice (services.send_supplement_notice)."""
    from zwfw.cases.services import send_supplement_notice

    on, _at = moment(on)
    joint = _lock(joint)
    _require_status(joint, J.RECEIVED, action="出具一次性告知书")
    parts = _parts(joint)
    entries: dict[str, dict] = {}
    for entry in missing or []:
        entry = {"name": entry} if isinstance(entry, str) else dict(entry)
        entries[(entry.get("name") or "").strip()] = entry
    known = {m.name: m.case_id for p in parts for m in p.case.materials.all()}
    for name in entries:
        if name not in known:
            raise RuleViolation(
                "invalid", f"材料“{name}”不在本联办事项的材料清单中", field="missing"
            )
    asked: set[str] = set()
    for part in parts:
        names = {m.name for m in part.case.materials.all()}
        own = [entries[n] for n in entries if n in names]
        if part.case.status != CaseState.RECEIVED or not (own or _missing_of(part.case)):
            continue
        with notices.held():
            part.case = send_supplement_notice(case=part.case, by=by, missing=own, note=note, on=on)
        asked |= {i["name"] for i in part.case.notice.items}
    if not asked:
        raise RuleViolation("L-ACCEPT", "材料齐全，无需补正，请直接受理", field="missing")
    joint.status = J.AWAITING_SUPPLEMENT
    _record(joint, by, "joint_supplement_notice", {"items": sorted(asked)}, ["status"])
    _sms(joint, "supplement_notice", "需一次性补正以下材料：" + "、".join(sorted(asked)) + "。")
    return joint


@transaction.atomic
def supplement_joint(
    *, joint: JointCase, by, materials: dict[str, str], on: datetime.date | None = None
) -> JointCase:
    """Materials handed in once count for every part that asked for them (R-18)."""
    from zwfw.cases.services import supplement_case

    on, _at = moment(on)
    joint = _lock(joint)
    _require_status(joint, J.AWAITING_SUPPLEMENT, action="补正")
    if not materials:
        raise RuleViolation("invalid", "请选择补正提交的材料", field="materials")
    parts = _parts(joint)
    used: set[str] = set()
    for part in parts:
        if part.case.status != CaseState.AWAITING_SUPPLEMENT:
            continue
        asked = {i["name"] for i in part.case.notice.items}
        still = asked - {m.name for m in part.case.materials.all() if m.status == "received"}
        own = {n: f for n, f in materials.items() if n in still}
        if own:
            part.case = supplement_case(case=part.case, by=by, materials=own, on=on)
            used |= set(own)
    unknown = set(materials) - used
    if unknown:
        raise RuleViolation(
            "R-16",
            "材料“" + "、".join(sorted(unknown)) + "”不在待补正材料中或已补正收取",
            field="materials",
        )
    if all(p.case.status != CaseState.AWAITING_SUPPLEMENT for p in parts):
        joint.status = J.RECEIVED
    _record(joint, by, "supplement_joint_case", {"materials": sorted(materials)}, ["status"])
    return joint


@transaction.atomic
def extend_joint(
    *, joint: JointCase, by, days: int, reason: str, on: datetime.date | None = None
) -> JointCase:
    """L-LIMIT: one extension of at most 15 working days, approved by the lead department
    (its chief representative or department administrator)."""
    from zwfw.cases.services.timing import extension_approver

    on, _at = moment(on)
    joint = _lock(joint)
    _require_status(joint, J.ACCEPTED, action="延期")
    lead = joint.theme.lead_department
    approver, _grant = extension_approver(
        by, SimpleNamespace(department_id=lead.pk, department=lead), on
    )
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("L-LIMIT", "延期须写明理由", field="reason")
    limit = max_extension_days()
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
        raise RuleViolation("L-LIMIT", f"联办件延长期限须为1至{limit}个工作日", field="days")
    if joint.extension_days or joint.extended_on:
        raise RuleViolation("L-LIMIT", "联办期限只能延长一次，本件已经延期", field="days")
    joint.extension_days, joint.extension_reason, joint.extended_on = days, reason[:2000], on
    joint.extension_approved_by = approver
    joint.due_date = due_date_of(joint.accepted_on, days)
    _record(
        joint,
        by,
        "extend_joint_case",
        {
            "days": days,
            "reason": joint.extension_reason,
            "approver": approver.pk,
            "due_date": joint.due_date,
        },
        ["extension_days", "extension_reason", "extended_on", "extension_approved_by", "due_date"],
    )
    # L-LIMIT (第42条): the reason of the extension is told to the applicant.
    _sms(
        joint,
        "extension",
        f"经牵头部门批准延长{days}个工作日，理由：{joint.extension_reason}；"
        f"联办期限延至{joint.due_date:%Y年%m月%d日}。",
    )
    return joint


@transaction.atomic
def withdraw_joint(
    *, joint: JointCase, by, reason: str, on: datetime.date | None = None
) -> JointCase:
    """The applicant withdraws the whole application (recorded by staff): every part not yet
    decided is withdrawn; once a part is decided the application can no longer be withdrawn
    as a whole."""
    from zwfw.cases.services import withdraw_case

    on, _at = moment(on)
    joint = _lock(joint)
    _require_status(joint, J.RECEIVED, J.AWAITING_SUPPLEMENT, J.ACCEPTED, action="撤回")
    parts = _parts(joint)
    decided = [
        p.case.number for p in parts if p.case.status in (CaseState.DECIDED, CaseState.COMPLETED)
    ]
    if decided:
        raise Conflict(
            "invalid_transition", "分项" + "、".join(decided) + "已作出决定，不能整体撤回"
        )
    for part in parts:
        if part.case.status in OPEN_BEFORE_DECISION:
            with notices.held():
                withdraw_case(case=part.case, by=by, reason=reason, on=on)
    joint.status = J.WITHDRAWN
    joint.closed_reason, joint.closed_on = (reason or "").strip()[:2000], on
    _record(
        joint,
        by,
        "withdraw_joint_case",
        {"reason": joint.closed_reason},
        ["status", "closed_reason", "closed_on"],
    )
    _sms(joint, "withdrawal", "已撤回，各部门分项均已终止办理。")
    return joint


@transaction.atomic
def countersign_part(
    *, joint: JointCase, by, case_number: str, opinion: str, on: datetime.date | None = None
) -> JointCase:
    """会签: the lead department records its opinion on a part the theme marks for
    countersign (once); the joint case cannot complete without it."""
    on, _at = moment(on)
    joint = _lock(joint)
    _require_status(joint, J.ACCEPTED, action="会签")
    require_role(by, *HANDLING_ROLES, department=joint.theme.lead_department)
    part = next((p for p in _parts(joint) if p.case.number == case_number), None)
    if part is None:
        raise RuleViolation("invalid", "该办件不是本联办件的分项", field="case")
    if not part.countersign:
        raise RuleViolation("invalid", "该分项无需会签", field="case")
    if part.countersigned_on:
        raise RuleViolation("duplicate", "该分项已会签", field="case", status=409)
    opinion = (opinion or "").strip()
    if not opinion:
        raise RuleViolation("invalid", "请填写会签意见", field="opinion")
    person = person_of(by)
    if person is None:
        raise RuleViolation("invalid", "会签须由牵头部门工作人员本人办理", field="case", status=403)
    part.countersign_opinion, part.countersigned_on, part.countersigned_by = (
        opinion[:2000],
        on,
        person,
    )
    part.save(update_fields=["countersign_opinion", "countersigned_on", "countersigned_by"])
    audit.record(
        actor=by,
        action="countersign_joint_part",
        obj=joint,
        after={"number": joint.number, "case": case_number, "opinion": part.countersign_opinion},
    )
    settle(joint, on)
    return joint


@transaction.atomic
def settle_joint(*, joint: JointCase, on: datetime.date | None = None) -> JointCase:
    """Write path that stores a completion the parts reached (the page computes it anyway)."""
    on, _at = moment(on)
    joint = _lock(joint)
    settle(joint, on)
    return joint


def settle_open_joint_cases(on: datetime.date | None = None) -> int:
    """The periodic catch-up: store the completion of every accepted joint case whose parts
    have all closed (pages show it computed before then; GET never writes)."""
    settled = 0
    ids = JointCase.objects.filter(status=J.ACCEPTED).values_list("pk", flat=True)
    for pk in list(ids):
        with transaction.atomic():
            joint = _lock(JointCase.objects.get(pk=pk))
            settled += settle(joint, moment(on)[0])
    return settled


__all__ = [
    "accept_joint",
    "countersign_part",
    "create_theme",
    "extend_joint",
    "send_joint_supplement_notice",
    "settle_joint",
    "settle_open_joint_cases",
    "supplement_joint",
    "take_in_joint",
    "union_checklist",
    "withdraw_joint",
]


# --- public progress query (issue 11 rules, same store and limits as a case's) -------------


def public_joint_lookup(*, number: str, phone_last4: str, sms_code: str = "") -> JointCase:
    """The progress query of a joint number: the last four digits of its phone; wrong digits
    count against the number, and past the limit only an SMS code to its phone opens it
    (services.public, the same rule as a single case)."""
    from zwfw.cases import conf
    from zwfw.cases.joint_selectors import find_joint, public_joint
    from zwfw.cases.services import public
    from zwfw.core import ratelimit
    from zwfw.notifications import codes

    number = public._number(number)
    limit, window = conf.public_guess_limit()
    key = public._guess_key(number)
    if ratelimit.exceeded(key, limit, window):
        if not (sms_code or "").strip():
            raise public.SmsCodeRequired()
        joint = find_joint(number)
        if joint is None:
            raise RuleViolation(codes.CODE, public.NO_CASE_CODE, field="sms_code")
        public.prove_phone(
            phone=joint.phone, purpose=public.QUERY_PURPOSE, subject=joint.number, code=sms_code
        )
        return joint
    try:
        return public_joint(number, phone_last4)
    except NotFound:
        ratelimit.record(key, window)
        raise


def send_joint_query_code(*, number: str, ip: str | None) -> None:
    """Text a query code to the phone of a joint case that needs one (same answer either way)."""
    from zwfw.cases.joint_selectors import find_joint
    from zwfw.cases.services import public
    from zwfw.notifications import codes

    public.limit_code_requests(ip)
    number = public._number(number)
    if not public.locked(number):
        return
    joint = find_joint(number)
    if joint is not None:
        codes.send_code(
            phone=joint.phone,
            purpose=public.QUERY_PURPOSE,
            subject=joint.number,
            label="联办件进度查询",
        )
