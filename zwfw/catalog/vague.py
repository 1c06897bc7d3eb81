"""Vague wording in guides (R-14): pure functions, no database.

The phrase list itself is a table (`VaguePhrase`) that a center administrator extends;
callers pass the active phrases in.
"""

from collections.abc import Iterable

# The defaults the 0002 migration seeds; kept here for tests and documentation.
DEFAULT_PHRASES = (
    "其他材料",
    "其它材料",
    "有关部门",
    "相关部门",
    "等材料",
    "相关材料",
    "有关材料",
    "其他条件",
    "其它条件",
    "其他相关",
    "其他有关",
    "等相关",
    "等证明",
    "等文件",
    "等资料",
    "相关资料",
    "其他资料",
    "其他证明",
)


def find_vague(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases found in `text`, longest first so the message names the widest match."""
    if not text:
        return []
    compact = "".join(text.split())  # "其他 材料" is as vague as "其他材料"
    return sorted({p for p in phrases if p and p in compact}, key=lambda p: (-len(p), p))
