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
