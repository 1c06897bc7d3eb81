"""Shared steps of the evaluation services: the moment of an action, input cleaning, roles."""

import datetime

from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role
from zwfw.evaluations import conf
from zwfw.evaluations.deadlines import Budget
from zwfw.evaluations.models import LEVEL_NAMES, Level, Tag

# Who acts for the department that owns a rectification (L-EVAL) or appeals (申诉复核).
OWNER_ROLES = (Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)
# Staff who may end a window service and hand out its one-time rating link.
VISIT_ROLES = (Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)
# Staff or integrator accounts recording a rating a channel received (API.md).
RECORDING_ROLES = (Role.WINDOW_STAFF, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)

MAX_COMMENT = 500
MAX_TEXT = 2000


def moment(on: datetime.date | None) -> tuple[datetime.date, datetime.datetime]:
    """The day of an action and its timestamp: now, or 10:00 local time on a given day (demo
    data and tests pass days explicitly)."""
    now = timezone.now()
    today = timezone.localdate(now)
    if on is None or on == today:
        return today, now
    return on, timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))


def budget() -> Budget:
    return Budget(
        callback=conf.callback_days(),
        rectify=conf.rectify_days(),
        report=conf.report_days(),
        cap=conf.max_days(),
    )


_BY_LABEL = {str(label): value for value, label in Level.choices}
_BY_NAME = {name: value for value, name in LEVEL_NAMES.items()}
LEVEL_HELP = "评价等级须为1至5星（5=非常满意，4=满意，3=基本满意，2=不满意，1=非常不满意）"


def clean_level(value) -> int:
    """1–5 stars (5 = 非常满意), the explicit name (very_satisfied …) or the Chinese label
    (非常满意 …)."""
    if isinstance(value, bool):
        raise RuleViolation("invalid", LEVEL_HELP, field="level")
    if isinstance(value, int):
        level = value
    else:
        text = str(value or "").strip()
        level = _BY_NAME.get(text) or _BY_LABEL.get(text) or (int(text) if text.isdigit() else 0)
    if level not in Level.values:
        raise RuleViolation("invalid", LEVEL_HELP, field="level")
    return level


def clean_comment(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_COMMENT:
        raise RuleViolation("invalid", f"评价内容最多{MAX_COMMENT}字", field="comment")
    return text


def clean_tags(values) -> list[str]:
    tags: list[str] = []
    by_label = {str(label): value for value, label in Tag.choices}
    for raw in values or []:
        code = by_label.get(str(raw).strip(), str(raw).strip())
        if code not in Tag.values:
            raise RuleViolation("invalid", f"未知的评价标签“{str(raw)[:20]}”", field="tags")
        if code not in tags:
            tags.append(code)
    return tags


def required_text(value: str | None, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise RuleViolation("invalid", f"请填写{label}", field=field)
    if len(text) > MAX_TEXT:
        raise RuleViolation("invalid", f"{label}最多{MAX_TEXT}字", field=field)
    return text
