"""The Excel layout of the item list: the eight columns of 附件1, then every other field.

Export writes it, import reads it back: a round trip recreates the same items. Cells are
parsed here without touching the database; each problem is reported with its column.
"""

import json

from zwfw.catalog import snapshot as snap
from zwfw.documents.xlsx import cell_text

INCLUSION_HEADER = "是否纳入首席服务员审批服务清单"
# The eight columns of 附件1 in their order.
ANNEX_HEADERS = [
    "序号",
    "实施部门",
    "事项名称",
    "办理项名称",
    "事项类型",
    INCLUSION_HEADER,
    "首席服务员",
    "未纳入原因",
]

INT_FIELDS = {
    "legal_limit_days",
    "promised_limit_days",
    "visits_required",
    "baseline_steps",
    "baseline_materials",
    "baseline_visits",
}
BOOL_FIELDS = {"on_application", "immediate", "high_frequency", "green_channel", "active"}

# (header, key) of the columns after the eight: what a faithful re-import needs.
EXTRA_COLUMNS = [
    ("事项编码", "code"),
    ("部门代码", "department_code"),
    ("未纳入说明", "exclusion_note"),
    ("事项层级", "node_kind"),
    ("上级事项编码", "parent_code"),
    ("业务办理项类别", "handling_kind"),
    ("行使层级", "exercise_level"),
    ("主管部门", "competent_authority"),
    ("设定和实施依据", "legal_basis"),
    ("依申请事项", "on_application"),
    ("法定时限（工作日）", "legal_limit_days"),
    ("承诺时限（工作日）", "promised_limit_days"),
    ("即办件", "immediate"),
    ("高频事项", "high_frequency"),
    ("人才绿色通道事项", "green_channel"),
    ("绿色通道方式", "green_channel_mode"),
    ("在用", "active"),
    *[(snap.LABELS[f], f) for f in snap.GUIDE_FIELDS],
    *[(f"{snap.LIST_LABELS[k]}（JSON）", k) for k in snap.LISTS],
]
HEADERS = ANNEX_HEADERS + [h for h, _ in EXTRA_COLUMNS]
# Which annex headers carry item data on import (序号 and 首席服务员 are derived).
ANNEX_KEYS = {
    "实施部门": "department_name",
    "事项名称": "name",
    "办理项名称": "handling_name",
    "事项类型": "item_type",
    INCLUSION_HEADER: "chief_list_included",
    "未纳入原因": "exclusion_reason",
}
COLUMN_KEYS = {**ANNEX_KEYS, **dict(EXTRA_COLUMNS)}
_LABEL_OF = {key: header for header, key in COLUMN_KEYS.items()}
_LABEL_OF.update({"department": "实施部门", "department_code": "部门代码", "code": "事项编码"})


def column_label(field: str | None) -> str:
    """The sheet's column name for a field an error names ("" when it names none)."""
    if not field:
        return ""
    return _LABEL_OF.get(field.split(".")[0], "")


BLANK_WHEN_EMPTY = frozenset(
    k
    for k in COLUMN_KEYS.values()
    if k not in INT_FIELDS
    and k not in BOOL_FIELDS
    and k != "chief_list_included"
    and (k not in snap.CHOICES or snap.DEFAULTS.get(k, "") == "")
) - {"code", "department_code", "item_type"}
WIDTHS = [6, 22, 30, 18, 12, 14, 12, 16, 24, 10]

TRUE_WORDS = {"是", "true", "1", "y", "yes", "√", "纳入"}
FALSE_WORDS = {"否", "false", "0", "n", "no", "×", "不纳入"}


def _yes_no(value) -> str:
    return "是" if value else "否"


def export_row(seq: int, data: dict, officer: str = "") -> list:
    """One sheet row from an item's canonical data."""
    included = data["chief_list_included"]
    row = [
        seq,
        data["department_name"],
        data["name"],
        data["handling_name"],
        snap.display("item_type", data["item_type"]),
        "" if included is None else _yes_no(included),
        officer,
        snap.display("exclusion_reason", data["exclusion_reason"])
        if included is False and data["exclusion_reason"]
        else "",
    ]
    for _header, key in EXTRA_COLUMNS:
        value = data.get(key)
        if key in snap.LISTS:
            row.append(json.dumps(value, ensure_ascii=False) if value else "")
        elif key in BOOL_FIELDS:
            row.append(_yes_no(value))
        elif key in snap.CHOICES:
            row.append(snap.display(key, value) if value else "")
        else:
            row.append(value)
    # Empty cells instead of empty strings: nothing to store, nothing to parse back.
    return [None if v == "" else v for v in row]


def find_header(values: tuple) -> dict[str, int] | None:
    """Column index of each known header, if this row is the header row."""
    texts = [cell_text(v) for v in values]
    if "事项编码" not in texts or "事项名称" not in texts:
        return None
    return {t: i for i, t in enumerate(texts) if t in COLUMN_KEYS or t in ANNEX_HEADERS}


class CellError(ValueError):
    pass


# Label or value -> value, computed once (enum `.choices` is rebuilt on every access).
_CHOICE_MAPS = {
    key: {**{str(label): value for value, label in enum.choices}, **{v: v for v in enum.values}}
    for key, enum in snap.CHOICES.items()
}


def _choice(key: str, text: str) -> str:
    found = _CHOICE_MAPS[key].get(text)
    if found is not None:
        return found
    allowed = "、".join(str(label) for _v, label in snap.CHOICES[key].choices)
    raise CellError(f"“{text}”不是可选值（可选：{allowed}）")


def _bool(text: str) -> bool:
    low = text.lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    raise CellError(f"“{text}”应填“是”或“否”")


def _int(value, text: str) -> int:
    if isinstance(value, bool):
        raise CellError(f"“{text}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if text.isdigit():
        return int(text)
    raise CellError(f"“{text}”不是非负整数")


def _rows(key: str, text: str) -> list[dict]:
    if not text:
        return []
    try:
        rows = json.loads(text)
    except json.JSONDecodeError:
        raise CellError("不是有效的JSON数组")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise CellError("应为JSON数组，每项为一个对象")
    fields = snap.LISTS[key][1]
    out = []
    for i, row in enumerate(rows, start=1):
        unknown = set(row) - set(fields)
        if unknown:
            raise CellError(f"第{i}项有不认识的键：{'、'.join(sorted(unknown))}")
        clean = {}
        for f, v in row.items():
            default = snap.ROW_DEFAULTS[key].get(f, "")
            if isinstance(default, bool):
                if not isinstance(v, bool):
                    raise CellError(f"第{i}项的{f}应为true或false")
            elif isinstance(default, int):
                if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                    raise CellError(f"第{i}项的{f}应为非负整数")
            elif v is None:
                v = ""
            elif not isinstance(v, str):
                v = str(v)
            clean[f] = v
        out.append(clean)
    return out


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else cell_text(value)


def _inclusion(value):
    text = _text(value)
    return None if text in ("", "未决定") else _bool(text)


def _optional(parse):
    """Blank means "the default": the key is left out (see `_SKIP`)."""

    def run(value):
        text = _text(value)
        return _SKIP if text == "" else parse(value, text)

    return run


_SKIP = object()


def _parser(key: str):
    """The cell parser of one column, chosen once per file rather than once per cell."""
    if key in snap.LISTS:
        return lambda value: _rows(key, _text(value))
    if key == "chief_list_included":
        return _inclusion
    if key in INT_FIELDS:
        return _optional(_int)
    if key in BOOL_FIELDS:
        return _optional(lambda _value, text: _bool(text))
    if key in snap.CHOICES:
        return lambda value: _choice(key, _text(value)) if _text(value) else ""
    return _text


def _empty(key: str):
    # An empty text cell clears the text; an empty number, yes/no or choice with a default
    # keeps the default (or, on update, the current value).
    if key in BLANK_WHEN_EMPTY:
        return [] if key in snap.LISTS else ""
    if key == "chief_list_included":
        return None
    return _SKIP


def parse_cell(key: str, value):
    parsed = _parser(key)(value)
    return None if parsed is _SKIP else parsed


def row_parser(header: dict[str, int]):
    """A function turning one sheet row into (data of the columns present, cell errors)."""
    plan = [
        (index, title, key, _parser(key), _empty(key))
        for title, index in header.items()
        if (key := COLUMN_KEYS.get(title)) is not None
    ]

    def parse(values: tuple) -> tuple[dict, list[str]]:
        data, errors = {}, []
        size = len(values)
        for index, title, key, parser, empty in plan:
            value = values[index] if index < size else None
            if value is None:
                if empty is not _SKIP:
                    data[key] = empty
                continue
            try:
                parsed = parser(value)
            except CellError as exc:
                errors.append(f"“{title}”列：{exc}")
                continue
            if parsed is not _SKIP:
                data[key] = parsed
        return data, errors

    return parse


def parse_row(values: tuple, header: dict[str, int]) -> tuple[dict, list[str]]:
    return row_parser(header)(values)


def is_blank(values: tuple) -> bool:
    return all(v is None or cell_text(v) == "" for v in values)
