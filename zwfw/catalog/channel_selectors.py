"""Reads of the per-item ways of applying (R-18): the setting in force, the intake check and
the center admin's list."""

from dataclasses import dataclass

from django.db.models import Q

from zwfw.catalog.models import CHANNEL_LABELS, CHANNELS, ItemChannelSetting, ServiceItem
from zwfw.core import fastsql
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.permissions import Role, department_scope, has_role

CHANNEL_ROLES = (Role.CENTER_ADMIN,)


@dataclass(frozen=True)
class Channels:
    """The ways an item accepts; `setting` None means never restricted (all open)."""

    accepted: dict[str, bool]
    setting: ItemChannelSetting | None

    @property
    def restricted(self) -> bool:
        return not all(self.accepted.values())

    @property
    def reason(self) -> str:
        return self.setting.reason if self.setting else ""

    def labels(self, open_: bool) -> list[str]:
        return [CHANNEL_LABELS[k] for k, v in self.accepted.items() if v is open_]

    @property
    def labels_open(self) -> list[str]:
        return self.labels(True)

    @property
    def labels_closed(self) -> list[str]:
        return self.labels(False)


ALL_OPEN = {key: True for key, _label in CHANNELS}


def channels_of(item: ServiceItem) -> Channels:
    # Intake's hot path: one cached statement (core.fastsql), no ORM query building.
    setting = fastsql.first(ItemChannelSetting, {"item": item.pk})
    return Channels(setting.accepted() if setting else dict(ALL_OPEN), setting)


def require_channel_open(item: ServiceItem, channel: str) -> None:
    """Refuse an application by a way the center closed for this item, naming its reason
    (seed 002 第十八条: a restriction always has a recorded reason to give)."""
    found = channels_of(item)
    if found.accepted.get(channel, True):
        return
    label = CHANNEL_LABELS[channel]
    others = "、".join(found.labels(True))
    raise RuleViolation(
        "channel_restricted",
        f"本中心对事项“{item.name}”暂不受理{label}申请，理由：{found.reason}。"
        f"请通过{others}方式申请。",
        field="channel",
    )


def may_set_channels(user, item: ServiceItem) -> bool:
    """A center admin covering the item's department, which is stationed at a center."""
    if item.department.center_id is None or not item.active:
        return False
    return has_role(user, *CHANNEL_ROLES, department=item.department)


def channel_items(user, *, query: str = "", restricted_only: bool = False):
    """Active items of stationed departments in the user's scope, with their setting (one
    query). Everyone who reads the items sees the setting; only a center admin changes it."""
    scope = department_scope(user)
    qs = ServiceItem.objects.filter(active=True, department__center__isnull=False)
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(code=query))
    if restricted_only:
        qs = qs.filter(channel_setting__isnull=False).exclude(
            channel_setting__window=True,
            channel_setting__online=True,
            channel_setting__mobile=True,
            channel_setting__self_service=True,
        )
    return qs.select_related(
        "department__center", "channel_setting", "channel_setting__set_by"
    ).order_by("department__code", "code")


def settable_item(user, code: str) -> ServiceItem:
    """The item whose ways of applying this user may set (403 when it may only read it)."""
    item = channel_items(user).filter(code=code).first()
    if item is None:
        raise NotFound(f"未找到事项“{code}”，或不在您的管理范围内")
    if not may_set_channels(user, item):
        raise Forbidden("只有事项所在中心的中心管理员可以设置申请方式")
    return item


def channels_for(item: ServiceItem) -> Channels:
    """From the row select_related already read (lists), falling back to a query."""
    try:
        setting = item.channel_setting
    except ItemChannelSetting.DoesNotExist:
        setting = None
    return Channels(setting.accepted() if setting else dict(ALL_OPEN), setting)
