"""The center sets, per item, the ways of applying it accepts (seed 002 第十八条, R-18):
无正当理由不得限定申请方式 — closing a way needs a reason, recorded with who and when."""

from django.db import transaction
from django.utils import timezone

from zwfw.catalog.models import CHANNEL_LABELS, CHANNELS, ItemChannelSetting, ServiceItem
from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.core.textclean import clean_text

REASON_MIN = 5  # a reason must say something ("无" or "需要" is not a reason)
REASON_MAX = 500


def _accepted(channels: dict[str, bool]) -> dict[str, bool]:
    unknown = set(channels) - set(CHANNEL_LABELS)
    if unknown:
        raise RuleViolation(
            "invalid", f"未知的申请方式：{'、'.join(sorted(unknown))}", field="channels"
        )
    # A way not named stays open: only an explicit false closes one.
    accepted = {key: bool(channels.get(key, True)) for key, _label in CHANNELS}
    if not any(accepted.values()):
        raise RuleViolation("R-18", "至少须保留一种申请方式", field="channels")
    return accepted


def _reason(reason: str, restricted: bool) -> str:
    reason = clean_text(reason or "").strip()
    if restricted and len(reason) < REASON_MIN:
        raise RuleViolation(
            "R-18",
            f"无正当理由不得限定申请方式：限定申请方式须写明理由（至少{REASON_MIN}个字）",
            field="reason",
        )
    if len(reason) > REASON_MAX:
        raise RuleViolation("invalid", f"理由最多{REASON_MAX}字", field="reason")
    return reason if restricted else ""


@transaction.atomic
def set_item_channels(
    *, by, item: ServiceItem, channels: dict[str, bool], reason: str = ""
) -> ItemChannelSetting:
    """Set the ways `item` accepts; a center admin whose center the item's department is
    stationed in (a department cannot restrict its own items' ways of applying)."""
    require_role(by, Role.CENTER_ADMIN, department=item.department)
    if item.department.center_id is None:
        raise RuleViolation("invalid", "该事项的实施部门未进驻政务服务中心", field="item")
    accepted = _accepted(channels)
    restricted = not all(accepted.values())
    reason = _reason(reason, restricted)
    setting = ItemChannelSetting.objects.select_for_update().filter(item=item).first()
    before = setting.accepted() if setting else {k: True for k, _l in CHANNELS}
    before_reason = setting.reason if setting else ""
    if setting is not None and before == accepted and before_reason == reason:
        return setting  # nothing changed: no new record
    setting = setting or ItemChannelSetting(item=item)
    for key, value in accepted.items():
        setattr(setting, key, value)
    setting.reason = reason
    setting.set_by = by
    setting.set_at = timezone.now()
    setting.save()
    audit.record(
        actor=by,
        action="set_item_channels",
        obj=setting,
        before={"item": item.code, **before, "reason": before_reason},
        after={"item": item.code, **accepted, "reason": reason},
    )
    return setting
