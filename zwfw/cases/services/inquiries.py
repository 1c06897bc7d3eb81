"""First inquiry (首问首接, R-16): the staff member first asked answers, gives the one-time
notice of all materials of the item (C-2.2) and, when the matter belongs elsewhere, refers
the person to the right window or department; every inquiry is logged."""

import datetime

from django.db import transaction

from zwfw.cases.models_docs import Inquiry
from zwfw.cases.services.base import HANDLING_ROLES, moment, person_of
from zwfw.core import audit
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.permissions import require_role
from zwfw.core.textclean import clean_text
from zwfw.core.validators import clean_name, clean_phone


def _text(value: str, field: str, limit: int, *, required: bool = False, label: str = "") -> str:
    value = clean_text(value or "").strip()
    if required and not value:
        raise RuleViolation("invalid", f"请填写{label}", field=field)
    if len(value) > limit:
        raise RuleViolation("invalid", f"{label}最多{limit}个字", field=field)
    return value


def _notice_materials(item) -> list[dict]:
    """C-2.2: ALL materials of the item's guide, as told today (a snapshot)."""
    from zwfw.catalog.selectors import checklist

    rows = checklist(item)
    if not rows:
        raise RuleViolation(
            "C-2.2", "该事项尚无办事指南材料清单，无法一次性告知", field="notice_given"
        )
    return [
        {"name": m.name, "required": m.required, "original": m.original, "copies": m.copies}
        for m in rows
    ]


def _check_places(center, department, window, referred_window, referred_department) -> None:
    if window is not None and window.center_id != center.pk:
        raise RuleViolation("invalid", "窗口不属于本中心", field="window")
    if referred_window is not None and referred_window.center_id != center.pk:
        raise RuleViolation("invalid", "引导的窗口不属于本中心", field="referred_to_window")
    if referred_window is not None and window is not None and referred_window.pk == window.pk:
        raise RuleViolation("R-16", "不能引导至本窗口", field="referred_to_window")
    if referred_department is not None and referred_department.pk == department.pk:
        raise RuleViolation("R-16", "不能引导至本部门", field="referred_to_department")


@transaction.atomic
def log_inquiry(
    *,
    by,
    question: str,
    asker_name: str = "",
    asker_phone: str = "",
    item=None,
    window=None,
    answer: str = "",
    notice_given: bool = False,
    referred_to_window=None,
    referred_to_department=None,
    referral_note: str = "",
    on: datetime.date | None = None,
) -> Inquiry:
    """Log an inquiry answered by `by` (the first-asked staff member, R-16)."""
    person = person_of(by)
    if person is None:
        raise Forbidden("只有登记在册的工作人员可以登记首问", code="R-16")
    require_role(by, *HANDLING_ROLES, department=person.department)
    department = person.department
    center = department.center
    if center is None:
        raise RuleViolation("invalid", "您所在部门未进驻政务服务中心", field="window")
    on, at = moment(on)
    question = _text(question, "question", 2000, required=True, label="咨询内容")
    answer = _text(answer, "answer", 2000, label="答复内容")
    referral_note = _text(referral_note, "referral_note", 300, label="引导说明")
    name = clean_name(asker_name, field="asker_name", max_length=50)
    phone = clean_phone(asker_phone, field="asker_phone") if (asker_phone or "").strip() else ""
    _check_places(center, department, window, referred_to_window, referred_to_department)
    if item is not None and not item.active:
        raise RuleViolation("invalid", "该事项已停用", field="item")
    if notice_given and item is None:
        raise RuleViolation("C-2.2", "一次性告知须选择咨询的事项", field="item")
    inquiry = Inquiry.objects.create(
        center=center,
        department=department,
        window=window,
        answered_by=person,
        asked_at=at,
        asked_on=on,
        asker_name=name,
        asker_phone=phone,
        item=item,
        question=question,
        answer=answer,
        notice_given=bool(notice_given),
        notice_materials=_notice_materials(item) if notice_given else [],
        referred_to_window=referred_to_window,
        referred_to_department=referred_to_department,
        referral_note=referral_note,
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="log_inquiry",
        obj=inquiry,
        after={
            # Who asked stays out of the chain in clear text: masked, like on pages.
            "asker": inquiry.masked_name,
            "phone": inquiry.masked_phone,
            "item": item.code if item else None,
            "window": window.pk if window else None,
            "notice_given": inquiry.notice_given,
            "referred_to_window": referred_to_window.pk if referred_to_window else None,
            "referred_to_department": (
                referred_to_department.pk if referred_to_department else None
            ),
            "on": on,
        },
    )
    return inquiry
