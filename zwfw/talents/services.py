"""Talent service windows and commissioners (seed 003): one transaction per use case, each
with its audit event; SMS through the outbox.

Who may do what:
- a window's managers are the center admins over its center and the active window
  commissioners of the window or of a window above it (a city commissioner steers the
  county windows);
- a unit commissioner files requests for their talent; a department commissioner delays and
  completes their own tasks; the window commissioner dispatches.
"""

import contextlib
import datetime
import secrets
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.crypto import blind_index
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.core.validators import clean_id_number, clean_name, clean_phone
from zwfw.notifications.services import queue_sms
from zwfw.org.models import RoleAssignment, Window
from zwfw.talents import rules, selectors
from zwfw.talents.models import (
    ArchiveFiling,
    CardCheck,
    Commissioner,
    CommissionerAction,
    CommissionerFiling,
    DailyAssessment,
    GreenItemRule,
    HotlineReferral,
    Interview,
    Level,
    ParentReport,
    Rating,
    RequestStep,
    StatusCheck,
    Talent,
    TalentArchive,
    TalentCard,
    TalentRequest,
    TalentTask,
    TalentWindow,
    Training,
    WindowGrade,
)
from zwfw.workdays.calendar import add_workdays, count_workdays


def _today(on):
    return on or timezone.localdate()


def _person(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def require_manager(user, window: TalentWindow) -> None:
    if not selectors.manages(user, window):
        raise Forbidden(f"需要{window.name}的窗口专员或中心管理员")


def _text(value: str, field: str, label: str, max_length: int = 300) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation("invalid", f"请填写{label}", field=field)
    if len(value) > max_length:
        raise RuleViolation("invalid", f"{label}最多{max_length}字", field=field)
    return value


def _sms(person_or_phone, text: str, ref: str = "") -> None:
    phone = getattr(person_or_phone, "phone", person_or_phone)
    if not phone:
        return
    # A malformed stored phone number must not block the use case.
    with contextlib.suppress(RuleViolation):
        queue_sms(phone=phone, text=text, ref=ref)


def _step(request, action: str, text: str, on, by, task=None) -> None:
    RequestStep.objects.create(
        request=request, task=task, action=action, text=text[:300], on=on, by=by
    )


# --- windows (TW-3) ------------------------------------------------------------------------

_PARENT_LEVELS = {
    TalentWindow.WindowLevel.CITY: (),
    TalentWindow.WindowLevel.COUNTY: (TalentWindow.WindowLevel.CITY,),
    TalentWindow.WindowLevel.GROUP: (
        TalentWindow.WindowLevel.CITY,
        TalentWindow.WindowLevel.COUNTY,
    ),
    TalentWindow.WindowLevel.PARK: (
        TalentWindow.WindowLevel.CITY,
        TalentWindow.WindowLevel.COUNTY,
    ),
}


@transaction.atomic
def register_window(
    *, by, window: Window, level: str, parent: TalentWindow | None = None, head_name: str = ""
) -> TalentWindow:
    """TW-3: make a talent window of the hall's window. The city window has no parent; a
    county window's parent is the city window; a group or park window hangs under the city or
    a county window. Without `parent`, the org window's own parent is used."""
    require_role(by, Role.CENTER_ADMIN, center=window.center)
    if window.kind != Window.Kind.TALENT:
        raise RuleViolation(
            "TW-3", "只有“人才服务窗口”类型的窗口可登记为人才服务窗口", field="window"
        )
    if level not in _PARENT_LEVELS:
        raise RuleViolation("invalid", "层级须为 city、county、group 或 park", field="level")
    if TalentWindow.objects.filter(window=window).exists():
        raise Conflict("duplicate", "该窗口已登记为人才服务窗口")
    if parent is None and window.parent_id:
        parent = TalentWindow.objects.filter(window_id=window.parent_id).first()
    allowed = _PARENT_LEVELS[level]
    if not allowed and parent is not None:
        raise RuleViolation("TW-3", "市级人才服务窗口没有上级窗口", field="parent")
    if allowed and parent is None:
        raise RuleViolation("TW-3", "县区、人才集团和园区窗口须有上级窗口", field="parent")
    if parent is not None and parent.level not in allowed:
        names = "、".join(TalentWindow.WindowLevel(a).label for a in allowed)
        raise RuleViolation("TW-3", f"上级窗口须为{names}", field="parent")
    if window.parent_id and parent is not None and window.parent_id != parent.window_id:
        raise RuleViolation("TW-3", "上级窗口与大厅窗口登记的上级窗口不一致", field="parent")
    tw = TalentWindow.objects.create(
        window=window,
        level=level,
        parent=parent,
        name=f"{window.center.name}{window.name}",
        head_name=(head_name or "").strip()[:50],
    )
    audit.record(
        actor=by,
        action="register_talent_window",
        obj=tw,
        after={"window": window.pk, "level": level, "parent": parent and parent.pk},
    )
    return tw


# --- green-channel items (TW-7) ------------------------------------------------------------


@transaction.atomic
def publish_item(
    *,
    by,
    window: TalentWindow,
    item,
    min_level: str,
    rules_text: str,
    undertaking: str = "",
    on: datetime.date | None = None,
) -> GreenItemRule:
    """TW-7: publish a new or changed green-channel item with its rules; the public page
    shows it and the parent window receives a report."""
    require_manager(by, window)
    on = _today(on)
    if not item.green_channel:
        raise RuleViolation("TW-7", f"“{item.name}”未列入人才绿色通道事项", field="item")
    if min_level not in Level.values:
        raise RuleViolation("invalid", "最低等级须为 A–E", field="min_level")
    rules_text = _text(rules_text, "rules", "实施细则", 2000)
    rule = GreenItemRule.objects.select_for_update().filter(item=item).first()
    change = "changed" if rule else "new"
    if rule is None:
        rule = GreenItemRule(item=item, version=1)
    else:
        rule.version += 1
    rule.window, rule.min_level, rule.rules = window, min_level, rules_text
    rule.undertaking = (undertaking or "").strip()[:100]
    rule.published_on = on
    rule.save()
    if window.parent_id:
        ParentReport.objects.create(
            rule=rule,
            version=rule.version,
            change=change,
            from_window=window,
            to_window=window.parent,
            reported_on=on,
            summary=f"{'新增' if change == 'new' else '优化'}绿色通道事项“{item.name}”"
            f"（{min_level}类及以上）：{rules_text[:200]}",
        )
    audit.record(
        actor=by,
        action="publish_green_item",
        obj=rule,
        after={"item": item.code, "version": rule.version, "min_level": min_level},
    )
    return rule


# --- talents and cards (TC-16, TC-14) --------------------------------------------------------


def _clean_card(card: dict) -> dict:
    kind = card.get("kind")
    if kind not in TalentCard.Kind.values:
        raise RuleViolation("invalid", "卡种须为 shandong 或 yimeng", field="card.kind")
    number = (card.get("number") or "").strip()
    if not number or len(number) > 40:
        raise RuleViolation("invalid", "请填写卡号（最多40字）", field="card.number")
    if card.get("level") not in Level.values:
        raise RuleViolation("invalid", "惠才卡等级须为 A–E", field="card.level")
    if not isinstance(card.get("valid_to"), datetime.date):
        raise RuleViolation("invalid", "请填写有效期", field="card.valid_to")
    if TalentCard.objects.filter(number=number).exists():
        raise Conflict("duplicate", f"卡号“{number}”已登记")
    return {"kind": kind, "number": number, "level": card["level"], "valid_to": card["valid_to"]}


@transaction.atomic
def register_talent(
    *,
    by,
    window: TalentWindow,
    name: str,
    id_number: str,
    employer: str,
    level: str,
    phone: str = "",
    card: dict | None = None,
    on: datetime.date | None = None,
) -> Talent:
    """Record a talent at a window, open the talent's service archive there (TW-14) and
    register the card (TC-16)."""
    require_manager(by, window)
    on = _today(on)
    name = clean_name(name)
    if not name:
        raise RuleViolation("invalid", "请填写姓名", field="name")
    id_number = clean_id_number(id_number)
    if Talent.objects.filter(id_number_index=blind_index(id_number)).exists():
        raise Conflict("duplicate", "该人才已登记")
    employer = _text(employer, "employer", "用人单位", 100)
    if level not in Level.values:
        raise RuleViolation("invalid", "人才层次须为 A–E", field="level")
    phone = clean_phone(phone) if phone else ""
    card_data = _clean_card(card) if card else None
    talent = Talent.objects.create(
        name=name,
        id_number=id_number,
        id_number_index=blind_index(id_number),
        phone=phone,
        employer=employer,
        level=level,
        window=window,
        status_checked_on=on,
    )
    TalentArchive.objects.create(talent=talent, window=window, opened_on=on)
    if card_data:
        TalentCard.objects.create(talent=talent, **card_data)
    audit.record(
        actor=by,
        action="register_talent",
        obj=talent,
        after={"window": window.pk, "level": level, "employer": employer, "card": bool(card)},
    )
    return talent


@transaction.atomic
def add_card(*, by, talent: Talent, card: dict) -> TalentCard:
    require_manager(by, talent.window)
    row = TalentCard.objects.create(talent=talent, **_clean_card(card))
    audit.record(actor=by, action="add_talent_card", obj=row, after={"talent": talent.pk})
    return row


@transaction.atomic
def check_card(
    *, by, talent: Talent, item, card_number: str = "", on: datetime.date | None = None
) -> CardCheck:
    """TC-16: whether the talent's card, today, allows the green-channel item; logged (the
    check made when the talent is served: a page's or the API's POST)."""
    on = _today(on)
    answer = selectors.card_answer(by, talent, item, card_number=card_number, on=on)
    row = CardCheck.objects.create(
        talent=talent,
        card=answer.card,
        item=item,
        on=on,
        allowed=answer.allowed,
        reason=answer.reason[:200],
        checked_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by,
        action="talent_card_check",
        obj=row,
        after={"talent": talent.pk, "item": item.code, "allowed": answer.allowed},
    )
    return row


@transaction.atomic
def check_status(
    *,
    by,
    talent: Talent,
    employed: bool,
    lives_in_city: bool,
    note: str = "",
    on: datetime.date | None = None,
) -> StatusCheck:
    """TC-14: the window commissioner keeps the talent's status current; a talent no longer
    employed or no longer in the city is reported to the parent window."""
    require_manager(by, talent.window)
    on = _today(on)
    problem = not (employed and lives_in_city)
    note = (note or "").strip()[:300]
    if problem and not note:
        raise RuleViolation("TC-14", "人才不在职或不在本市生活时，请填写情况说明", field="note")
    row = StatusCheck.objects.create(
        talent=talent,
        checked_on=on,
        employed=employed,
        lives_in_city=lives_in_city,
        note=note,
        reported_up=problem and talent.window.parent_id is not None,
        checked_by=by,
    )
    before = {"employed": talent.employed, "lives_in_city": talent.lives_in_city}
    talent.employed, talent.lives_in_city, talent.status_checked_on = employed, lives_in_city, on
    talent.save(update_fields=["employed", "lives_in_city", "status_checked_on"])
    audit.record(
        actor=by,
        action="talent_status_check",
        obj=talent,
        before=before,
        after={
            "employed": employed,
            "lives_in_city": lives_in_city,
            "reported_up": row.reported_up,
        },
    )
    return row


# --- commissioners (TC-4, TC-19, TC-20, TC-22) ------------------------------------------------


def _grant_role(person, window: TalentWindow) -> None:
    """The commissioner role opens the talents pages (what a commissioner may do is decided by
    their Commissioner records, not by the role's scope). Staff of a stationed department
    hold it for that department; others (an employer's staff) for the city's talent system,
    the center of the top window."""
    if not person.user_id:
        return
    if person.department.center_id:
        scope = {"department": person.department, "center": None}
    else:
        top = TalentWindow.objects.select_related("window__center").get(
            pk=selectors.ancestor_ids(window)[-1]
        )
        scope = {"center": top.window.center, "department": None}
    RoleAssignment.objects.get_or_create(user_id=person.user_id, role=Role.COMMISSIONER, **scope)


def _file_change(*, by, commissioner, change, changed_on, on, replaces=None):
    days = count_workdays(changed_on, on) if on > changed_on else 0
    return CommissionerFiling.objects.create(
        commissioner=commissioner,
        replaces=replaces,
        window=commissioner.window,
        change=change,
        changed_on=changed_on,
        filed_on=on,
        workdays=days,
        late=rules.filing_is_late(days),
        filed_by=by,
    )


@transaction.atomic
def appoint_commissioner(
    *,
    by,
    window: TalentWindow,
    person,
    kind: str,
    appointed_on: datetime.date,
    talent: Talent | None = None,
    department=None,
    organisation: str = "",
    on: datetime.date | None = None,
) -> Commissioner:
    """TC-4: appoint a commissioner of one of the four kinds; TC-19: the change is filed with
    the window now, and a filing more than 7 working days after `appointed_on` is flagged.
    A new unit commissioner of a talent replaces the previous one (exactly one per talent)."""
    require_manager(by, window)
    on = _today(on)
    if kind not in Commissioner.Kind.values:
        raise RuleViolation(
            "invalid", "类别须为 unit、department、undertaking 或 window", field="kind"
        )
    if appointed_on is None or appointed_on > on:
        raise RuleViolation("invalid", "任职日期须为今天或以前", field="appointed_on")
    organisation = (organisation or "").strip()[:100]
    replaces = None
    if kind == Commissioner.Kind.UNIT:
        if talent is None:
            raise RuleViolation("TC-4", "单位专员须指定所服务的人才", field="talent")
        organisation = organisation or talent.employer
        if organisation != talent.employer:
            raise RuleViolation("TC-4", "单位专员须由人才所在单位的人员担任", field="organisation")
        replaces = (
            Commissioner.objects.select_for_update()
            .filter(kind=kind, talent=talent, ended_on__isnull=True)
            .first()
        )
        if replaces is not None:
            if replaces.person_id == person.pk:
                raise Conflict("duplicate", "该人员已是该人才的单位专员")
            replaces.ended_on = appointed_on
            replaces.save(update_fields=["ended_on"])
    elif kind == Commissioner.Kind.DEPARTMENT:
        if department is None:
            raise RuleViolation("TC-4", "部门专员须指定主管部门", field="department")
        organisation = organisation or department.name
    elif kind == Commissioner.Kind.UNDERTAKING and not organisation:
        raise RuleViolation("TC-4", "承办专员须填写承办机构", field="organisation")
    if kind != Commissioner.Kind.UNIT:
        talent = None
    if kind != Commissioner.Kind.DEPARTMENT:
        department = None
    duplicate = Commissioner.objects.filter(
        person=person,
        kind=kind,
        window=window,
        talent=talent,
        department=department,
        organisation=organisation,
        ended_on__isnull=True,
    )
    if kind != Commissioner.Kind.UNIT and duplicate.exists():
        raise Conflict("duplicate", "该人员已是该类专员")
    row = Commissioner.objects.create(
        person=person,
        kind=kind,
        window=window,
        talent=talent,
        department=department,
        organisation=organisation,
        full_time=kind == Commissioner.Kind.WINDOW,
        appointed_on=appointed_on,
    )
    filing = _file_change(
        by=by,
        commissioner=row,
        change="replaced" if replaces else "appointed",
        changed_on=appointed_on,
        on=on,
        replaces=replaces,
    )
    _grant_role(person, window)
    audit.record(
        actor=by,
        action="appoint_commissioner",
        obj=row,
        after={
            "kind": kind,
            "person": person.pk,
            "window": window.pk,
            "talent": talent and talent.pk,
            "department": department and department.code,
            "replaces": replaces and replaces.pk,
            "filing_workdays": filing.workdays,
            "late": filing.late,
        },
    )
    return row


@transaction.atomic
def end_commissioner(
    *, by, commissioner: Commissioner, ended_on: datetime.date, on: datetime.date | None = None
) -> CommissionerFiling:
    """TC-19: a commissioner leaves; the change is filed (late after 7 working days)."""
    require_manager(by, commissioner.window)
    on = _today(on)
    if commissioner.ended_on is not None:
        raise Conflict("already_ended", "该专员已免职")
    if ended_on is None or ended_on > on or ended_on < commissioner.appointed_on:
        raise RuleViolation("invalid", "免职日期须在任职日期与今天之间", field="ended_on")
    commissioner.ended_on = ended_on
    commissioner.save(update_fields=["ended_on"])
    filing = _file_change(
        by=by, commissioner=commissioner, change="ended", changed_on=ended_on, on=on
    )
    audit.record(
        actor=by,
        action="end_commissioner",
        obj=commissioner,
        after={"ended_on": ended_on, "late": filing.late},
    )
    return filing


@transaction.atomic
def record_training(
    *, by, window: TalentWindow, title: str, held_on: datetime.date, attendees: list, hours=1
) -> Training:
    """TC-20: a training session and who attended."""
    require_manager(by, window)
    title = _text(title, "title", "培训内容", 200)
    if not attendees:
        raise RuleViolation("invalid", "请选择参训专员", field="attendees")
    row = Training.objects.create(window=window, title=title, held_on=held_on, hours=hours)
    row.attendees.set(attendees)
    audit.record(
        actor=by,
        action="commissioner_training",
        obj=row,
        after={"title": title, "held_on": held_on, "attendees": [a.pk for a in attendees]},
    )
    return row


@transaction.atomic
def record_assessment(
    *, by, commissioner: Commissioner, result: str, note: str, on: datetime.date | None = None
) -> DailyAssessment:
    """TC-20: a daily assessment entry."""
    require_manager(by, commissioner.window)
    if result not in DailyAssessment.Result.values:
        raise RuleViolation("invalid", "考核情况须为 good、fair 或 poor", field="result")
    row = DailyAssessment.objects.create(
        commissioner=commissioner,
        on=_today(on),
        result=result,
        note=_text(note, "note", "考核说明"),
        recorded_by=by,
    )
    audit.record(actor=by, action="commissioner_assessment", obj=row, after={"result": result})
    return row


@transaction.atomic
def record_action(
    *,
    by,
    commissioner: Commissioner,
    year: int,
    kind: str,
    reason: str,
    decided_on: datetime.date | None = None,
    interviewee: str = "",
    interview_on: datetime.date | None = None,
    interview_notes: str = "",
) -> CommissionerAction:
    """TC-22: the year's commendation or accountability, with its reason; a city-wide notice
    (serious case) needs the interview (约谈) of those responsible, recorded with it."""
    require_manager(by, commissioner.window)
    if kind not in CommissionerAction.Kind.values:
        raise RuleViolation("invalid", "类别不正确", field="kind")
    reason = _text(reason, "reason", "事由", 2000)
    decided_on = _today(decided_on)
    if kind == CommissionerAction.Kind.CITYWIDE_NOTICE:
        interviewee = _text(interviewee, "interviewee", "约谈对象", 50)
        interview_notes = _text(interview_notes, "interview_notes", "约谈情况", 2000)
        if interview_on is None:
            raise RuleViolation("TC-22", "全市通报须同时记录约谈日期", field="interview_on")
    row = CommissionerAction.objects.create(
        commissioner=commissioner,
        year=year,
        kind=kind,
        reason=reason,
        decided_on=decided_on,
        recorded_by=by,
    )
    if kind == CommissionerAction.Kind.CITYWIDE_NOTICE:
        Interview.objects.create(
            action=row,
            interviewee=interviewee,
            held_on=interview_on,
            notes=interview_notes,
            recorded_by=by,
        )
    audit.record(
        actor=by,
        action="commissioner_action",
        obj=row,
        after={"kind": kind, "year": year, "reason": reason[:200]},
    )
    return row


# --- requests (TC-17, TW-9) ---------------------------------------------------------------


def _department_commissioner(department) -> Commissioner:
    found = selectors.department_commissioner(department)
    if found is None:
        raise RuleViolation("TC-4", f"{department.name}尚未配备部门专员，无法转办", field="items")
    return found


def _make_task(*, request, department, items, on, by, dispatched_by=None) -> TalentTask:
    commissioner = _department_commissioner(department)
    limit = rules.task_limit_days(items)
    due = add_workdays(on, limit) if limit > 0 else on
    task = TalentTask.objects.create(
        request=request,
        department=department,
        commissioner=commissioner,
        dispatched_by=dispatched_by,
        dispatched_on=on,
        due_date=due,
        original_due_date=due,
    )
    task.items.set(items)
    names = "、".join(i.name for i in items)
    _step(
        request,
        "assign",
        f"交{department.name}部门专员{commissioner.person.name}办理：{names}，{due:%Y-%m-%d}前办结",
        on,
        by,
        task,
    )
    _sms(
        commissioner.person,
        f"【人才服务】请于{due:%Y-%m-%d}前为高层次人才办结：{names}（申请{request.pk}）。",
        ref=f"talent-request-{request.pk}",
    )
    return task


@transaction.atomic
def file_request(
    *,
    by,
    talent: Talent,
    items: list,
    unit_commissioner: Commissioner,
    note: str = "",
    on: datetime.date | None = None,
) -> TalentRequest:
    """TC-17: the unit commissioner applies for on-application green-channel items. ONE item
    goes at once to that department's commissioner; SEVERAL go to the window commissioner,
    who dispatches them (dispatch())."""
    on = _today(on)
    uc = unit_commissioner
    if uc.kind != Commissioner.Kind.UNIT or uc.talent_id != talent.pk or uc.ended_on:
        raise RuleViolation("TC-17", "申请须由该人才在任的单位专员提出", field="by")
    person = _person(by)
    if not (person is not None and person.pk == uc.person_id) and not selectors.manages(
        by, talent.window
    ):
        raise Forbidden("只有该人才的单位专员可以提出申请")
    items = list(dict.fromkeys(items))
    if not items:
        raise RuleViolation("invalid", "请至少选择一个事项", field="items")
    for item in items:
        if not item.green_channel or not item.active:
            raise RuleViolation("TC-17", f"“{item.name}”不是绿色通道事项", field="items")
        if item.green_channel_mode == "direct":
            raise RuleViolation(
                "TC-16", f"“{item.name}”为直接服务事项：人才凭惠才卡直接联系专员办理", field="items"
            )
    single = len(items) == 1
    request = TalentRequest.objects.create(
        talent=talent,
        window=talent.window,
        unit_commissioner=uc,
        route=TalentRequest.Route.SINGLE if single else TalentRequest.Route.MULTIPLE,
        status=(
            TalentRequest.Status.IN_PROGRESS if single else TalentRequest.Status.AWAITING_DISPATCH
        ),
        note=(note or "").strip()[:300],
        filed_on=on,
    )
    request.items.set(items)
    names = "、".join(i.name for i in items)
    _step(request, "file", f"单位专员{uc.person.name}申办：{names}", on, by)
    if single:
        _make_task(request=request, department=items[0].department, items=items, on=on, by=by)
    else:
        wcs = selectors.window_commissioners(talent.window)
        if not wcs:
            raise RuleViolation(
                "TC-4", f"{talent.window.name}尚未配备窗口专员，无法受理多事项申请", field="items"
            )
        for wc in wcs:
            _sms(
                wc.person,
                f"【人才服务】单位专员{uc.person.name}申办{len(items)}个事项（申请{request.pk}），请梳理转办。",
                ref=f"talent-request-{request.pk}",
            )
    audit.record(
        actor=by,
        action="file_talent_request",
        obj=request,
        after={"talent": talent.pk, "items": [i.code for i in items], "route": request.route},
    )
    return request


@transaction.atomic
def dispatch(*, by, request: TalentRequest, on: datetime.date | None = None) -> list[TalentTask]:
    """TC-17: the window commissioner splits a several-item request by department and
    dispatches one task to each department's commissioner, each with its due date."""
    request = TalentRequest.objects.select_for_update().get(pk=request.pk)
    on = _today(on)
    wc = selectors.window_commissioner_of(by, request.window)
    if wc is None and not selectors.manages(by, request.window):
        raise Forbidden("只有本窗口的窗口专员可以转办")
    if request.status != TalentRequest.Status.AWAITING_DISPATCH:
        raise Conflict("TC-17", "该申请不在待转办状态")
    groups = defaultdict(list)
    for item in request.items.select_related("department").order_by("department__code", "code"):
        groups[item.department].append(item)
    tasks = [
        _make_task(request=request, department=d, items=i, on=on, by=by, dispatched_by=wc)
        for d, i in groups.items()
    ]
    request.status = TalentRequest.Status.IN_PROGRESS
    request.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="dispatch_talent_request",
        obj=request,
        after={"tasks": [(t.department.code, t.due_date) for t in tasks]},
    )
    return tasks


def _task_for_action(by, task: TalentTask) -> TalentTask:
    task = (
        TalentTask.objects.select_for_update()
        .select_related("request", "commissioner__person")
        .get(pk=task.pk)
    )
    person = _person(by)
    own = person is not None and person.pk == task.commissioner.person_id
    if not own and not selectors.manages(by, task.request.window):
        raise Forbidden("只有承接该任务的部门专员可以办理")
    if task.status == TalentTask.Status.COMPLETED:
        raise Conflict("TC-17", "该任务已办结")
    return task


def _report_to(request, text: str) -> None:
    _sms(request.unit_commissioner.person, text, ref=f"talent-request-{request.pk}")
    for wc in selectors.window_commissioners(request.window):
        _sms(wc.person, text, ref=f"talent-request-{request.pk}")


@transaction.atomic
def delay_task(
    *,
    by,
    task: TalentTask,
    explanation: str,
    new_due_date: datetime.date,
    on: datetime.date | None = None,
) -> TalentTask:
    """TC-17: a department that cannot finish in time records an explanation, reports to the
    window commissioner (and the unit commissioner, who explains to the talent) and sets the
    new completion date."""
    task = _task_for_action(by, task)
    on = _today(on)
    explanation = _text(explanation, "explanation", "延期说明", 1000)
    if new_due_date is None or new_due_date <= task.due_date or new_due_date < on:
        raise RuleViolation(
            "TC-17",
            f"新的办结日期须晚于原定时限{task.due_date:%Y-%m-%d}且不早于今天",
            field="new_due_date",
        )
    before = task.due_date
    task.due_date, task.status = new_due_date, TalentTask.Status.DELAYED
    task.delay_explanation = (
        f"{task.delay_explanation}\n" if task.delay_explanation else ""
    ) + f"{on:%Y-%m-%d}：{explanation}"
    task.save(update_fields=["due_date", "status", "delay_explanation"])
    _step(
        task.request,
        "delay",
        f"{task.department.name}报备延期至{new_due_date:%Y-%m-%d}：{explanation}",
        on,
        by,
        task,
    )
    _report_to(
        task.request,
        f"【人才服务】{task.department.name}报备申请{task.request_id}延期至{new_due_date:%Y-%m-%d}：{explanation[:60]}",
    )
    audit.record(
        actor=by,
        action="delay_talent_task",
        obj=task,
        before={"due_date": before},
        after={"due_date": new_due_date, "explanation": explanation},
    )
    return task


@transaction.atomic
def complete_task(
    *, by, task: TalentTask, result: str, on: datetime.date | None = None
) -> TalentTask:
    """TC-17: the department commissioner completes the task and reports back to the unit and
    window commissioners; the request is done when all its tasks are."""
    task = _task_for_action(by, task)
    on = _today(on)
    result = _text(result, "result", "办理结果", 1000)
    task.status, task.result, task.completed_on = TalentTask.Status.COMPLETED, result, on
    task.save(update_fields=["status", "result", "completed_on"])
    request = task.request
    _step(request, "complete", f"{task.department.name}办结并反馈：{result}", on, by, task)
    _report_to(request, f"【人才服务】{task.department.name}已办结申请{request.pk}：{result[:60]}")
    if not request.tasks.exclude(status=TalentTask.Status.COMPLETED).exists():
        request.status, request.completed_on = TalentRequest.Status.COMPLETED, on
        request.save(update_fields=["status", "completed_on"])
        _step(request, "completed", "全部事项办结", on, by)
    audit.record(
        actor=by,
        action="complete_talent_task",
        obj=task,
        after={"result": result[:200], "on_time": on <= task.original_due_date},
    )
    return task


@transaction.atomic
def notify_talent(*, by, request: TalentRequest, on: datetime.date | None = None) -> TalentRequest:
    """TC-17: the unit commissioner tells the talent the result; the SMS carries the rating
    link (TW-10)."""
    request = TalentRequest.objects.select_for_update().get(pk=request.pk)
    person = _person(by)
    if not (person and person.pk == request.unit_commissioner.person_id) and not selectors.manages(
        by, request.window
    ):
        raise Forbidden("只有该人才的单位专员可以告知办理结果")
    if request.status != TalentRequest.Status.COMPLETED:
        raise Conflict("TC-17", "申请尚未全部办结")
    on = _today(on)
    request.status, request.notified_on = TalentRequest.Status.NOTIFIED, on
    request.rating_token = request.rating_token or secrets.token_urlsafe(24)
    request.save(update_fields=["status", "notified_on", "rating_token"])
    _step(request, "notify", "单位专员已告知人才办理结果", on, by)
    from django.urls import reverse

    from zwfw.evaluations.links import absolute  # the public site address (SMS outlives pages)

    link = absolute(reverse("public_talents:rate", args=[request.rating_token]))
    _sms(
        request.talent.phone,
        f"【人才服务】您申办的事项已全部办结，欢迎评价：{link}",
        ref=f"talent-request-{request.pk}",
    )
    audit.record(actor=by, action="notify_talent", obj=request, after={"on": on})
    return request


# --- ratings and hotline (TW-10, TC-14) -------------------------------------------------------


@transaction.atomic
def rate_request(
    *,
    request: TalentRequest,
    value: int,
    comment: str = "",
    channel: str = "sms_link",
    by=None,
    on: datetime.date | None = None,
) -> Rating:
    """TW-10: the talent rates the request on the 好差评 scale; one rating per request."""
    request = TalentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (TalentRequest.Status.COMPLETED, TalentRequest.Status.NOTIFIED):
        raise RuleViolation("TW-10", "申请办结后才能评价", field="value")
    if value not in Rating.Value.values:
        raise RuleViolation("invalid", "评价须为1至5", field="value")
    if Rating.objects.filter(request=request).exists():
        raise Conflict("TW-10", "该申请已评价，每个申请只能评价一次")
    try:
        with transaction.atomic():
            row = Rating.objects.create(
                request=request,
                value=value,
                comment=(comment or "").strip()[:300],
                rated_on=_today(on),
                channel=channel[:20],
            )
    except IntegrityError:
        raise Conflict("TW-10", "该申请已评价，每个申请只能评价一次")
    audit.record(
        actor=by,
        action="rate_talent_request",
        obj=row,
        after={"request": request.pk, "value": value},
    )
    return row


@transaction.atomic
def record_referral(
    *,
    by,
    window: TalentWindow,
    source: str,
    ticket: str,
    summary: str,
    request: TalentRequest | None = None,
    commissioner: Commissioner | None = None,
    department=None,
    satisfied: bool | None = None,
    on: datetime.date | None = None,
) -> HotlineReferral:
    """TW-10 / TC-14: a 12345 or provincial-hotline referral, linked to the request and to the
    commissioner and department (from the request's task when not given)."""
    require_manager(by, window)
    if source not in HotlineReferral.Source.values:
        raise RuleViolation("invalid", "来源须为 12345 或 provincial", field="source")
    ticket = _text(ticket, "ticket", "工单号", 40)
    summary = _text(summary, "summary", "诉求摘要")
    if request is not None:
        task = request.tasks.select_related("commissioner").first()
        if task is not None:
            department = department or task.department
            commissioner = commissioner or task.commissioner
    if HotlineReferral.objects.filter(source=source, ticket=ticket).exists():
        raise Conflict("duplicate", f"工单“{ticket}”已登记")
    row = HotlineReferral.objects.create(
        source=source,
        ticket=ticket,
        request=request,
        commissioner=commissioner,
        department=department,
        window=window,
        summary=summary,
        satisfied=satisfied,
        received_on=_today(on),
    )
    audit.record(
        actor=by,
        action="talent_hotline_referral",
        obj=row,
        after={"source": source, "ticket": ticket, "request": request and request.pk},
    )
    return row


# --- archives and filings (TW-14) -------------------------------------------------------------


@transaction.atomic
def file_archives(
    *,
    by,
    window: TalentWindow,
    year: int,
    quarter: int = 0,
    on: datetime.date | None = None,
) -> ArchiveFiling:
    """TW-14: file the window's service archives with the parent window for a quarter (1–4)
    or a year (0), with a snapshot document; filed after the due date is flagged late."""
    from zwfw.talents import documents

    require_manager(by, window)
    on = _today(on)
    if window.parent_id is None:
        raise RuleViolation("TW-14", "市级窗口没有上级窗口，无需备案", field="window")
    if quarter not in (0, 1, 2, 3, 4):
        raise RuleViolation("invalid", "季度须为1至4（0为年度）", field="quarter")
    end = rules.period_end(year, quarter)
    if end >= on:
        raise RuleViolation("TW-14", "该期间尚未结束，不能备案", field="year")
    period = ArchiveFiling.Period.YEAR if quarter == 0 else ArchiveFiling.Period.QUARTER
    if ArchiveFiling.objects.filter(
        window=window, period=period, year=year, quarter=quarter
    ).exists():
        raise Conflict("duplicate", "该期间已备案")
    due = add_workdays(end, rules.ARCHIVE_FILING_WORKDAYS)
    snapshot = selectors.archive_snapshot(window, year, quarter)
    label = f"{year}年第{quarter}季度" if quarter else f"{year}年度"
    content = documents.filing_docx(window=window, label=label, snapshot=snapshot, on=on)
    pdf = documents.filing_pdf(window=window, label=label, snapshot=snapshot, on=on)
    row = ArchiveFiling.objects.create(
        window=window,
        parent=window.parent,
        period=period,
        year=year,
        quarter=quarter,
        due_on=due,
        filed_on=on,
        late=on > due,
        archives=len(snapshot),
        document=content,
        pdf=pdf,
        filed_by=by,
    )
    audit.record(
        actor=by,
        action="file_talent_archives",
        obj=row,
        after={"period": label, "archives": len(snapshot), "late": row.late},
    )
    return row


# --- window grades (TW-17) ------------------------------------------------------------------


def _evaluator_may(by, window: TalentWindow) -> None:
    target = window.parent or window
    if not selectors.manages(by, target):
        raise Forbidden("窗口评估由上级窗口（市级窗口由本级中心）进行")


def window_metrics(window: TalentWindow, year: int) -> dict:
    tasks = TalentTask.objects.filter(request__window=window, dispatched_on__year=year)
    done = tasks.filter(status=TalentTask.Status.COMPLETED)
    total = done.count()
    on_time = done.filter(completed_on__lte=F("original_due_date")).count()
    ratings = Rating.objects.filter(request__window=window, rated_on__year=year).aggregate(
        avg=Avg("value"), n=Count("id")
    )
    filings = ArchiveFiling.objects.filter(window=window, year=year).aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(late=False))
    )
    expected = 5 if window.parent_id else 0
    return {
        "requests": TalentRequest.objects.filter(window=window, filed_on__year=year).count(),
        "tasks_done": total,
        "on_time": on_time,
        "on_time_rate": round(on_time / total, 3) if total else 1.0,
        "ratings": ratings["n"],
        "average_rating": round(ratings["avg"], 2) if ratings["avg"] is not None else None,
        "filings_expected": expected,
        "filings_on_time": filings["on_time"],
        "filed_rate": round(min(filings["on_time"], expected) / expected, 3) if expected else 1.0,
        "referrals": HotlineReferral.objects.filter(window=window, received_on__year=year).count(),
    }


@transaction.atomic
def grade_window(
    *,
    by,
    window: TalentWindow,
    year: int,
    manual_score: Decimal,
    manual_note: str = "",
    on: datetime.date | None = None,
) -> WindowGrade:
    """TW-17: the yearly grade from the records (out of 70) plus manual items (out of 30):
    优秀 ≥ 90, 良好 ≥ 80, 达标 ≥ 60, 不达标 below; a 不达标 window then needs an interview."""
    _evaluator_may(by, window)
    manual_score = Decimal(str(manual_score))
    if not Decimal(0) <= manual_score <= Decimal(30):
        raise RuleViolation("invalid", "人工评价得分须在0至30之间", field="manual_score")
    if WindowGrade.objects.filter(window=window, year=year).exists():
        raise Conflict("duplicate", f"{window.name}{year}年度已评定")
    metrics = window_metrics(window, year)
    record = rules.record_score(
        on_time_rate=metrics["on_time_rate"],
        average_rating=metrics["average_rating"],
        filed_rate=metrics["filed_rate"],
    )
    score = record + manual_score
    row = WindowGrade.objects.create(
        window=window,
        year=year,
        metrics=metrics,
        record_score=record,
        manual_score=manual_score,
        manual_note=(manual_note or "").strip()[:2000],
        score=score,
        grade=rules.grade_for(score),
        graded_on=_today(on),
        graded_by=by,
    )
    audit.record(
        actor=by,
        action="grade_talent_window",
        obj=row,
        after={"year": year, "score": score, "grade": row.grade},
    )
    return row


@transaction.atomic
def record_interview(
    *,
    by,
    grade: WindowGrade,
    interviewee: str,
    held_on: datetime.date,
    notes: str,
    meeting_on: datetime.date | None = None,
    meeting_explanation: str = "",
) -> Interview:
    """TW-17: a 不达标 window's head is interviewed (约谈) and explains at the joint meeting."""
    _evaluator_may(by, grade.window)
    if grade.grade != WindowGrade.Grade.FAIL:
        raise RuleViolation("TW-17", "只有评定为不达标的窗口需要约谈", field="grade")
    if Interview.objects.filter(grade=grade).exists():
        raise Conflict("duplicate", "该窗口已记录约谈")
    row = Interview.objects.create(
        grade=grade,
        interviewee=_text(interviewee, "interviewee", "约谈对象", 50),
        held_on=held_on,
        notes=_text(notes, "notes", "约谈情况", 2000),
        meeting_on=meeting_on,
        meeting_explanation=(meeting_explanation or "").strip()[:2000],
        recorded_by=by,
    )
    if meeting_on and not row.meeting_explanation:
        raise RuleViolation("TW-17", "请填写在联席会议上的说明", field="meeting_explanation")
    audit.record(
        actor=by,
        action="talent_window_interview",
        obj=row,
        after={"grade": grade.pk, "interviewee": row.interviewee, "meeting_on": meeting_on},
    )
    return row
