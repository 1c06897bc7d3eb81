"""Reads of joint cases: lists in the reader's scope, one joint case with its parts as of a
day (GET never writes: a completion the parts reached is computed here), the union
materials list (R-18) and the public progress query (issue 11 rules, reused)."""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from zwfw.cases import selectors
from zwfw.cases.models import Case, CaseEvent
from zwfw.cases.models_joint import JointCase, JointPart, JointState
from zwfw.cases.states import CLOSED_STATES, CaseState
from zwfw.core.crypto import constant_time_equal
from zwfw.core.errors import NotFound
from zwfw.core.permissions import department_scope
from zwfw.workdays import calendar

J = JointState
# The shape of a joint number (joint.next_joint_number); no lookup, so no oracle.
JOINT_NUMBER = re.compile(r"-LB\d{8}-\d{4}$")


def joint_number(number: str) -> bool:
    return bool(JOINT_NUMBER.search((number or "").strip()[:40].upper()))


def _parts_prefetch():
    return Prefetch(
        "parts",
        queryset=JointPart.objects.select_related(
            "department",
            "countersigned_by",
            "case__item",
            "case__department",
            "case__center",
            "case__applicant",
        )
        .prefetch_related("case__materials")
        .order_by("position", "id"),
    )


def _scoped(user, qs):
    """A joint case is visible to whoever may see one of its parts (department scope)."""
    scope = department_scope(user, *selectors.VIEW_ROLES)
    if scope is None:
        return qs
    return qs.filter(parts__department_id__in=scope).distinct()


def visible_joint_cases(user, *, status: str = ""):
    """Joint cases in the user's scope by stored status. A completion the parts reached is
    stored on the next joint write, so a status filter for display goes through views()."""
    qs = _scoped(user, JointCase.objects.all()).select_related("theme", "applicant")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-id")


def views(user, *, status: str = "", limit: int = 200) -> list:
    """The newest joint cases in scope as their parts leave them today, by shown status."""
    qs = visible_joint_cases(user).select_related(
        "theme__lead_department", "center", "extension_approved_by"
    )
    if status and status != J.COMPLETED:
        # Stored accepted may show as completed; anything else shows as stored.
        qs = qs.filter(status__in=[status, J.ACCEPTED] if status == J.ACCEPTED else [status])
    elif status == J.COMPLETED:
        qs = qs.filter(status__in=[J.ACCEPTED, J.COMPLETED])
    shown = [view(j) for j in qs.prefetch_related(_parts_prefetch())[:limit]]
    return [v for v in shown if not status or v.status == status]


def joint_for(user, number: str) -> JointCase:
    joint = (
        _scoped(user, JointCase.objects.filter(number=(number or "").strip()[:40]))
        .select_related("theme__lead_department", "center", "applicant", "extension_approved_by")
        .prefetch_related(_parts_prefetch())
        .first()
    )
    if joint is None:
        raise NotFound("未找到该联办件，或不在您的查看范围内")
    return joint


def completion(joint: JointCase, parts: list[JointPart]) -> datetime.date | None:
    """The completion day when every part is closed with at least one completed and every
    countersign part countersigned; None otherwise."""
    if not parts or any(p.case.status not in CLOSED_STATES for p in parts):
        return None
    if not any(p.case.status == CaseState.COMPLETED for p in parts):
        return None
    if any(p.countersign and not p.countersigned_on for p in parts):
        return None
    days = [p.case.completed_on or p.case.closed_on or p.case.refused_on for p in parts]
    return max(d for d in days if d)


@dataclass
class JointView:
    joint: JointCase
    status: str
    status_label: str
    accepted_on: datetime.date | None
    due_date: datetime.date | None
    remaining_workdays: int | None
    alert_level: str
    completed_on: datetime.date | None
    parts: list = field(default_factory=list)  # [(JointPart, Case as of the day)]


def view(joint: JointCase, on: datetime.date | None = None) -> JointView:
    """The joint case as its parts leave it on `on`, computed in memory."""
    from zwfw.cases import joint as joint_services

    on = on or timezone.localdate()
    parts = list(joint.parts.all())
    cases = [selectors.as_of(p.case, on) for p in parts]
    status, accepted_on, due = joint.status, joint.accepted_on, joint.due_date
    completed_on = joint.completed_on
    if status == J.RECEIVED and cases and all(c.accepted_on for c in cases):
        # Every part accepted (a deemed acceptance, L-ACCEPT): the joint clock runs too.
        status, accepted_on = J.ACCEPTED, max(c.accepted_on for c in cases)
        due = joint_services.due_date_of(accepted_on, joint.extension_days)
    if status == J.ACCEPTED:
        shown = [_as_part(p, c) for p, c in zip(parts, cases, strict=True)]
        done = completion(joint, shown)
        if done is not None:
            status, completed_on = J.COMPLETED, done
    remaining, alert = None, "green"
    if status == J.ACCEPTED and due is not None:
        cal = calendar.current()
        remaining = cal.count_workdays(on, due) if on <= due else -cal.count_workdays(due, on)
        from zwfw.cases.clock import alert_level

        alert = alert_level(remaining, joint.limit_days + joint.extension_days)
    return JointView(
        joint=joint,
        status=status,
        status_label=str(JointState(status).label),
        accepted_on=accepted_on,
        due_date=due,
        remaining_workdays=remaining,
        alert_level=alert,
        completed_on=completed_on,
        parts=list(zip(parts, cases, strict=True)),
    )


def _as_part(part: JointPart, case: Case) -> JointPart:
    part.case = case
    return part


def materials_of(joint: JointCase) -> list[dict]:
    """R-18: one line per material name across the parts, with its status (received when
    received for every part that lists it) and the parts that need it."""
    merged: dict[str, dict] = {}
    for part in joint.parts.all():
        for m in part.case.materials.all():
            row = merged.setdefault(
                m.name,
                {
                    "name": m.name,
                    "required": False,
                    "status": "received",
                    "form": "",
                    "problem": "",
                    "cases": [],
                },
            )
            row["required"] = row["required"] or m.required
            row["cases"].append(part.case.number)
            if m.status == "received":
                row["form"] = row["form"] or m.form
            elif row["status"] == "received" or m.status == "defective":
                row["status"] = m.status
                row["problem"] = m.problem or row["problem"]
    return list(merged.values())


def notices_of(joint: JointCase) -> list[dict]:
    """One notice list: the one-time notices of the parts, each material named once."""
    seen: dict[str, dict] = {}
    for part in joint.parts.all():
        notice = selectors.notice_of(part.case)
        if notice is None:
            continue
        for entry in notice.items:
            seen.setdefault(entry["name"], {**entry, "issued_on": notice.issued_on})
    return list(seen.values())


def public_events(joint: JointCase) -> list[CaseEvent]:
    """The applicant's steps of every part, in time order (no staff names shown)."""
    return list(
        CaseEvent.objects.filter(case__joint_part__joint=joint, public=True)
        .select_related("case__item")
        .order_by("at", "id")
    )


def find_joint(number: str) -> JointCase | None:
    return (
        JointCase.objects.filter(selectors.number_q(number))
        .select_related("theme", "applicant")
        .prefetch_related(_parts_prefetch())
        .first()
    )


def public_joint(number: str, phone_last4: str) -> JointCase:
    """A wrong number and a wrong phone give the same answer (no enumeration)."""
    joint = find_joint(number)
    last4 = (phone_last4 or "").strip()
    if joint is None or len(last4) != 4 or not constant_time_equal(joint.phone_last4, last4):
        raise NotFound("未找到该联办件，请核对联办编号和手机号后四位")
    return joint


def counts(user) -> dict:
    """Statistics: each joint case counts once for the applicant; each part is an ordinary
    case counted once for its department in the case statistics."""
    qs = visible_joint_cases(user)
    return {
        "joint_cases": qs.count(),
        "parts": JointPart.objects.filter(joint__in=qs.values("pk")).count(),
    }
