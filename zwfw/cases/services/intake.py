"""Intake (收件): at a window by staff, or online by the applicant (R-16, R-18, L-ACCEPT)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from zwfw.cases import conf, notices, rollups
from zwfw.cases.models import (
    Applicant,
    ApplicantKind,
    Case,
    CaseMaterial,
    Channel,
    Procedure,
    Project,
)
from zwfw.cases.services.base import (
    HANDLING_ROLES,
    PhoneProof,
    limit_days_of,
    moment,
    next_number,
    record_event,
    refresh_clock,
    require_proof,
)
from zwfw.cases.states import CaseState
from zwfw.core import audit, fastsql
from zwfw.core.crypto import blind_index
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import require_role, require_role_anywhere
from zwfw.core.validators import clean_credit_code, clean_id_number, clean_name, clean_phone
from zwfw.workdays import calendar

PUBLIC_CHANNELS = (Channel.ONLINE, Channel.MOBILE, Channel.SELF_SERVICE)


@dataclass(frozen=True)
class ApplicantData:
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""


@dataclass(frozen=True)
class AgentData:
    name: str
    id_number: str
    phone: str


def _identifier(data: ApplicantData) -> tuple[str, str]:
    """(name, identifier) checked: the applicant's name and ID number or credit code."""
    name = clean_name(data.name)  # no invisible or bidi characters (issue 11 point 12)
    if not name:
        raise RuleViolation("invalid", "请填写申请人姓名或名称", field="applicant.name")
    if len(name) > 200:
        raise RuleViolation("invalid", "申请人名称过长", field="applicant.name")
    if data.kind == ApplicantKind.PERSON:
        identifier = clean_id_number(data.id_number, field="applicant.id_number")
    elif data.kind == ApplicantKind.ORGANISATION:
        identifier = clean_credit_code(data.credit_code, field="applicant.credit_code")
    else:
        raise RuleViolation("invalid", "申请人类型须为自然人或法人", field="applicant.kind")
    return name, identifier


def _applicant(data: ApplicantData) -> tuple[Applicant, str]:
    """The applicant of this ID number or credit code (one ledger per applicant, C-2.2), and
    the name given when it differs from the registered one ("" otherwise).

    An application never renames the registered applicant: a different name is kept on the
    case and flagged for staff, who rename through rename_applicant (audited). Otherwise one
    anonymous form would rename a company in all its cases, ledgers and PDFs."""
    name, identifier = _identifier(data)
    index = blind_index(identifier)
    found = fastsql.first(Applicant, {"kind": data.kind, "identifier_index": index})
    if found is not None:
        return found, ("" if found.name == name else name)
    try:
        with transaction.atomic():
            created = Applicant.objects.create(
                kind=data.kind, name=name, identifier=identifier, identifier_index=index
            )
            return created, ""
    except IntegrityError:  # the same applicant at another window at the same moment
        found = Applicant.objects.get(kind=data.kind, identifier_index=index)
        return found, ("" if found.name == name else name)


def _agent(agent: AgentData | None) -> dict:
    if agent is None:
        return {"agent_name": "", "agent_id_number": "", "agent_phone": ""}
    name = clean_name(agent.name)
    if not name:
        raise RuleViolation("invalid", "请填写代办人姓名", field="agent.name")
    return {
        "agent_name": name[:50],
        "agent_id_number": clean_id_number(agent.id_number, field="agent.id_number"),
        "agent_phone": clean_phone(agent.phone, field="agent.phone"),
    }


def _checklist(item) -> list:
    from zwfw.catalog.selectors import checklist

    return checklist(item)


def clean_materials(checklist, submitted: dict[str, str], channel: str) -> dict[str, str]:
    """Names handed in and their form (R-18: electronic OR paper, never both; the same list
    online and at the window)."""
    known = {m.name for m in checklist}
    default = "electronic" if channel in PUBLIC_CHANNELS else "paper"
    cleaned = {}
    for name, form in submitted.items():
        name = (name or "").strip()
        if name not in known:
            raise RuleViolation("invalid", f"材料“{name}”不在本事项的材料清单中", field="materials")
        form = form or default
        if form not in ("electronic", "paper"):
            raise RuleViolation(
                "R-18", f"材料“{name}”须选择电子或纸质其中一种提交形式", field="materials"
            )
        cleaned[name] = form
    return cleaned


def procedure_for(item, on: datetime.date) -> str:
    """N-4: preliminary when a grant in force has a chief officer review the item first (the
    letter's part 二: first review, then inspection or review, then the final decision), final
    when one decides it directly, normal otherwise."""
    from zwfw.grants.authority_sql import item_listed

    if not item.active or item.chief_list_included is not True:
        return Procedure.NORMAL
    preliminary, final = item_listed(item.pk, item.department_id, on)
    if preliminary:
        return Procedure.PRELIMINARY
    if final:
        return Procedure.FINAL
    return Procedure.NORMAL


APPLY_PURPOSE = "apply"


def check_application(
    *,
    item,
    applicant: ApplicantData,
    phone: str,
    channel: str,
    materials: dict[str, str],
    agent: AgentData | None = None,
    on: datetime.date | None = None,
) -> tuple[int, list, dict[str, str], str]:
    """Every check of an application that reads no applicant row and writes nothing:
    (item version, checklist, materials submitted, phone). The public path runs it before
    spending the applicant's SMS code, take_in runs it again."""
    if channel not in Channel.values:
        raise RuleViolation("invalid", "申请渠道须为窗口、网上、移动端或自助终端", field="channel")
    if not item.active:
        raise RuleViolation("invalid", "该事项已停用，不能申请", field="item")
    on, _at = moment(on)
    from zwfw.catalog.selectors import intake_facts

    channel_open, version_number, checklist = intake_facts(item, on, channel)
    if not channel_open:
        # R-18 (seed 002 第十八条): a way of applying the center closed; the refusal names its
        # recorded reason (read on this path only).
        from zwfw.catalog.channel_selectors import require_channel_open

        require_channel_open(item, channel)
    if version_number is None:
        raise RuleViolation("invalid", "该事项在申请之日尚未发布，不能申请", field="item")
    submitted = clean_materials(checklist, materials, channel)
    phone = clean_phone(phone)
    if item.department.center is None:
        raise RuleViolation("invalid", "该事项的实施部门未进驻政务服务中心", field="item")
    _identifier(applicant)
    _agent(agent)
    return version_number, checklist, submitted, phone


@transaction.atomic
def take_in(
    *,
    by,
    item,
    applicant: ApplicantData,
    phone: str,
    channel: str,
    materials: dict[str, str],
    project: Project | None = None,
    agent: AgentData | None = None,
    on: datetime.date | None = None,
    proof: PhoneProof | None = None,
    window=None,
) -> Case:
    """Receive an application with its checklist (R-16, R-18; 行政许可法第32条).

    `window`: where staff took it in; at a comprehensive window (R-17) the department's
    authorization decides who may (zwfw.windows.services.check_intake) and the case keeps
    the window, where its result is handed out.

    Without an account (`by` None: online, mobile, self-service) the applicant's phone must
    be proven first (`proof`, an SMS code: services.public.apply_online), so nothing is ever
    texted to a phone whose holder did not ask for it."""
    if channel not in Channel.values:
        raise RuleViolation("invalid", "申请渠道须为窗口、网上、移动端或自助终端", field="channel")
    if by is None or not getattr(by, "is_authenticated", False):
        if channel not in PUBLIC_CHANNELS:
            raise RuleViolation("invalid", "窗口收件须由工作人员登录办理", field="channel")
        require_proof(proof, phone=clean_phone(phone), purpose=APPLY_PURPOSE, subject=item.code)
    elif window is None:
        require_role(by, *HANDLING_ROLES, department=item.department)
    on, at = moment(on)
    authorization = None
    if window is not None:
        if by is None or not getattr(by, "is_authenticated", False):
            raise RuleViolation("invalid", "网上申请不指定收件窗口", field="window")
        from zwfw.windows.services import check_intake

        authorization = check_intake(by=by, item=item, window=window, channel=channel, on=on)
    version_number, checklist, submitted, phone = check_application(
        item=item,
        applicant=applicant,
        phone=phone,
        channel=channel,
        materials=materials,
        agent=agent,
        on=on,
    )
    center = item.department.center
    registered, name_given = _applicant(applicant)
    case = Case(
        number=next_number(center, on, audited=True),
        item=item,
        item_version=version_number,
        department=item.department,
        center=center,
        applicant=registered,
        applicant_name_given=name_given,
        phone=phone,
        phone_last4=phone[-4:],
        project=project,
        channel=channel,
        procedure=procedure_for(item, on),
        status=CaseState.RECEIVED,
        received_by=by if getattr(by, "is_authenticated", False) else None,
        received_at=at,
        materials_complete_on=on,
        limit_days=limit_days_of(item),
        **_agent(agent),
    )
    cal = calendar.current()
    case.acceptance_deadline = cal.add_workdays(on, conf.accept_days())
    refresh_clock(case, on, cal)
    fastsql.insert(case)
    # The rows below read none of each other: on PostgreSQL they go as one statement with
    # the SMS (core.fastsql.together).
    with fastsql.together():
        rollups.added(case)  # same transaction, a delta row (zwfw.cases.rollups)
        fastsql.insert_many(
            [
                CaseMaterial(
                    case=case,
                    position=i,
                    name=m.name,
                    required=m.required,
                    electronic_ok=m.electronic_ok,
                    form=submitted.get(m.name, ""),
                    status=("received" if m.name in submitted else "missing"),
                    received_on=on if m.name in submitted else None,
                )
                for i, m in enumerate(checklist)
            ],
            read_keys=False,
        )
        missing = [m.name for m in checklist if m.required and m.name not in submitted]
        text = f"通过{Channel(channel).label}收件，收取材料{len(submitted)}项"
        if window is not None:
            text = f"在{window.name}（{window.number}号）收件，收取材料{len(submitted)}项"
        if missing:
            text += f"，缺少必要材料{len(missing)}项"
        record_event(case, action="receive", by=by, at=at, on=on, text=text)
        # 收件回执: what was handed in, fixed now (issue 12 point 6).
        from zwfw.cases.services.delivery import issue_intake_receipt

        issue_intake_receipt(case, at=at, submitted=submitted, missing=missing)
        audit.record(
            actor=by,
            action="receive_case",
            obj=case,
            after={
                "number": case.number,
                "item": item.code,
                "channel": channel,
                "materials": sorted(submitted),
                "on": on,
                **({"name_mismatch": True} if name_given else {}),
            },
        )
        notices.sms(case, "acceptance", notices.received_text(case))
    if window is not None:
        from zwfw.windows.services import record_intake_window

        record_intake_window(case, window, authorization)
    if item.immediate and channel == Channel.WINDOW and not missing:
        # an immediate item is accepted, decided and completed on the spot when the
        # person at the window holds the authority to decide it.
        from zwfw.cases.services.decision import handle_on_the_spot

        case = handle_on_the_spot(case=case, by=by, on=on)
    return case


@transaction.atomic
def create_project(*, by, code: str, name: str, investor: str = "", center=None) -> Project:
    """Register an investment project whose cases share a ledger (C-2.2)."""
    require_role_anywhere(by, *HANDLING_ROLES)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 40:
        raise RuleViolation("invalid", "项目编号不能为空且最多40字", field="code")
    if not name:
        raise RuleViolation("invalid", "项目名称不能为空", field="name")
    if Project.objects.filter(code=code).exists():
        raise RuleViolation("duplicate", f"项目编号“{code}”已存在", field="code", status=409)
    project = Project(
        code=code, name=name[:200], investor=(investor or "").strip()[:200], center=center
    )
    project.full_clean()
    project.save()
    audit.record(
        actor=by,
        action="create_project",
        obj=project,
        after={"code": code, "name": project.name, "investor": project.investor},
    )
    return project
