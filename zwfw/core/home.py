"""Home-page panels: each app registers what a person must do today.

A panel function takes the user and returns a `Panel` or None (nothing for this user).
Apps register in their AppConfig.ready(), so core never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    title: str
    rows: list[dict] = field(default_factory=list)  # each: {"text", "url"?, "level"?, "meta"?}
    empty: str = "暂无待办事项"
    link: str | None = None
    order: int = 100


_panels: list[Callable] = []


def register(func: Callable) -> Callable:
    _panels.append(func)
    return func


def panels_for(user) -> list[Panel]:
    found = [p for p in (func(user) for func in _panels) if p is not None]
    return sorted(found, key=lambda p: p.order)


# --- the main menu -----------------------------------------------------------------------
# Each entry that not every staff member may open names the predicate its page (or the
# page's selector) checks, so a menu entry is shown exactly when the page would answer 200.


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    may: str | None = None  # dotted path of a predicate `(user) -> bool`; None: every staff


MENU = [
    MenuEntry("工作台", "/"),
    MenuEntry("人员", "/org/people/"),
    MenuEntry("部门", "/org/departments/"),
    MenuEntry("中心与窗口", "/org/centers/"),
    MenuEntry("办件", "/cases/"),
    MenuEntry("一事联办", "/joint-cases/"),
    MenuEntry("首问登记", "/cases/inquiries/", "zwfw.cases.inquiry_selectors.may_read"),
    MenuEntry("综合窗口", "/windows/", "zwfw.windows.selectors.may_open"),
    MenuEntry("事项清单", "/catalog/"),
    MenuEntry("授权管理", "/grants/"),
    MenuEntry("好差评", "/evaluations/"),
    MenuEntry("监督检查", "/supervision/"),
    MenuEntry("首席专家", "/experts/", "zwfw.experts.selectors.may_open"),  # issue 13
    MenuEntry("进驻人员", "/staff/", "zwfw.staff.selectors.may_open"),  # issue 14
    MenuEntry("人才服务", "/talents/", "zwfw.talents.selectors.may_open"),  # issue 15
    MenuEntry("工作日历", "/workdays/"),
    MenuEntry("短信发件箱", "/notifications/", "zwfw.notifications.selectors.may_read_outbox"),
    MenuEntry("审计日志", "/audit/", "zwfw.core.home.may_read_audit"),
]


def may_read_audit(user) -> bool:
    """The audit trail is platform-wide: the check audit_page makes (a global auditor)."""
    from zwfw.core.permissions import Role, has_role

    return has_role(user, Role.AUDITOR)


def menu_for(user) -> list[MenuEntry]:
    from django.utils.module_loading import import_string

    return [e for e in MENU if e.may is None or import_string(e.may)(user)]
