"""The canonical form of an item and its guide, as stored in `ItemVersion.data` (C-4.2).

One dict shape is used everywhere: services build it from rows, the Excel import builds it
from cells, versions store it, the guide pages render it and the history page diffs it.
No queries here: `snapshot()` reads rows the caller has already fetched.
"""

from zwfw.catalog.models import (
    ApplicantKind,
    ApplyMode,
    ExclusionReason,
    ExerciseLevel,
    GreenChannelMode,
    HandlingKind,
    HandlingStep,
    ItemType,
    Material,
    NodeKind,
    Scenario,
    ServiceGuide,
    ServiceItem,
    SpecialStep,
)

ITEM_FIELDS = (
    "name",
    "handling_name",
    "competent_authority",
    "item_type",
    "legal_basis",
    "exercise_level",
    "node_kind",
    "handling_kind",
    "on_application",
    "legal_limit_days",
    "promised_limit_days",
    "immediate",
    "high_frequency",
    "chief_list_included",
    "exclusion_reason",
    "exclusion_note",
    "green_channel",
    "green_channel_mode",
    "active",
)
GUIDE_FIELDS = (
    "applicant_kind",
    "conditions",
    "fee",
    "apply_mode",
    "place_and_hours",
    "online_url",
    "result",
    "delivery",
    "consult_channel",
    "complaint_channel",
    "faq",
    "visits_required",
    "baseline_steps",
    "baseline_materials",
    "baseline_visits",
)
MATERIAL_FIELDS = (
    "name",
    "required",
    "original",
    "copies",
    "electronic_ok",
    "source",
    "basis",
    "exempt_by_sharing",
    "note",
    "sample_text",
)
STEP_FIELDS = ("name", "post", "days", "description")
SPECIAL_STEP_FIELDS = ("name", "days", "basis", "counted_in_limit")
SCENARIO_FIELDS = ("name", "description")

# list key -> (model, fields, related name on the guide)
LISTS = {
    "materials": (Material, MATERIAL_FIELDS),
    "steps": (HandlingStep, STEP_FIELDS),
    "special_steps": (SpecialStep, SPECIAL_STEP_FIELDS),
    "scenarios": (Scenario, SCENARIO_FIELDS),
}
LIST_LABELS = {
    "materials": "申请材料",
    "steps": "办理环节",
    "special_steps": "特别程序",
    "scenarios": "办理情形",
}
# The columns of 附件1: a change to one of them changes the chief service officer list.
LIST_RELEVANT = frozenset(
    {
        "name",
        "handling_name",
        "item_type",
        "on_application",
        "chief_list_included",
        "exclusion_reason",
        "exclusion_note",
        "active",
    }
)

CHOICES = {
    "item_type": ItemType,
    "exercise_level": ExerciseLevel,
    "node_kind": NodeKind,
    "handling_kind": HandlingKind,
    "exclusion_reason": ExclusionReason,
    "green_channel_mode": GreenChannelMode,
    "applicant_kind": ApplicantKind,
    "apply_mode": ApplyMode,
}

DEFAULTS: dict = {
    "handling_name": "",
    "competent_authority": "",
    "legal_basis": "",
    "exercise_level": ExerciseLevel.CITY.value,
    "node_kind": NodeKind.HANDLING.value,
    "handling_kind": "",
    "on_application": True,
    "legal_limit_days": 20,
    "promised_limit_days": 0,
    "immediate": False,
    "high_frequency": False,
    "chief_list_included": None,
    "exclusion_reason": "",
    "exclusion_note": "",
    "green_channel": False,
    "green_channel_mode": "",
    "active": True,
    "applicant_kind": ApplicantKind.BOTH.value,
    "conditions": "",
    "fee": "不收费",
    "apply_mode": ApplyMode.BOTH.value,
    "place_and_hours": "",
    "online_url": "",
    "result": "",
    "delivery": "",
    "consult_channel": "",
    "complaint_channel": "",
    "faq": "",
    "visits_required": 1,
    "baseline_steps": 0,
    "baseline_materials": 0,
    "baseline_visits": 0,
    "parent_code": "",
    "materials": [],
    "steps": [],
    "special_steps": [],
    "scenarios": [],
}
ROW_DEFAULTS = {
    "materials": {
        "required": True,
        "original": True,
        "copies": 1,
        "electronic_ok": True,
        "source": "",
        "basis": "",
        "exempt_by_sharing": False,
        "note": "",
        "sample_text": "",
    },
    "steps": {"days": 0, "description": ""},
    "special_steps": {"days": 0, "basis": "", "counted_in_limit": False},
    "scenarios": {"description": ""},
}


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


LABELS = {
    "code": "事项编码",
    "department_code": "实施部门编码",
    "department_name": "实施部门",
    "parent_code": "上级事项编码",
    **{f: _label(ServiceItem, f) for f in ITEM_FIELDS},
    **{f: _label(ServiceGuide, f) for f in GUIDE_FIELDS},
}
ROW_LABELS = {key: {f: _label(model, f) for f in fields} for key, (model, fields) in LISTS.items()}


def with_defaults(data: dict) -> dict:
    """Fill absent keys (and absent keys of list rows) with the model defaults."""
    out = {**DEFAULTS, **data}
    for key in LISTS:
        out[key] = [{**ROW_DEFAULTS[key], **row} for row in out.get(key) or []]
    return out


def _row(obj, fields) -> dict:
    out = {}
    for f in fields:
        value = getattr(obj, f)
        out[f] = value.name if f == "sample_text" else value
    return out


def snapshot(item: ServiceItem, guide: ServiceGuide, lists: dict[str, list]) -> dict:
    """The canonical dict of an item as it is in the database now."""
    data = {
        "code": item.code,
        "department_code": item.department.code,
        "department_name": item.department.name,
        "parent_code": item.parent.code if item.parent_id else "",
    }
    data.update({f: getattr(item, f) for f in ITEM_FIELDS})
    data.update({f: getattr(guide, f) for f in GUIDE_FIELDS})
    for key, (_model, fields) in LISTS.items():
        data[key] = [_row(obj, fields) for obj in lists[key]]
    return data


def canonical(data: dict) -> dict:
    """Only the keys a version stores, in a stable order (so equal items compare equal)."""
    keys = ("code", "department_code", "department_name", "parent_code")
    out = {k: data.get(k, "") for k in keys}
    out.update({f: data[f] for f in ITEM_FIELDS + GUIDE_FIELDS})
    for key, (_model, fields) in LISTS.items():
        out[key] = [{f: row.get(f, ROW_DEFAULTS[key].get(f)) for f in fields} for row in data[key]]
    return out


def display(field: str, value) -> str:
    """A value as users read it: choice labels, 是/否, 未决定 for an open inclusion."""
    if field == "chief_list_included":
        return {True: "纳入", False: "不纳入", None: "未决定"}[value]
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "（空）"
    if field in CHOICES:
        try:
            return str(CHOICES[field](value).label)
        except ValueError:
            return str(value)
    return str(value)


def diff(old: dict, new: dict) -> list[dict]:
    """Field-by-field differences between two versions: [{"field", "label", "old", "new"}]."""
    changes = []
    for key in ("code", "department_name", "parent_code", *ITEM_FIELDS, *GUIDE_FIELDS):
        a, b = old.get(key), new.get(key)
        if a != b:
            changes.append(
                {"field": key, "label": LABELS[key], "old": display(key, a), "new": display(key, b)}
            )
    for key, (_model, fields) in LISTS.items():
        rows_a, rows_b = old.get(key) or [], new.get(key) or []
        for i in range(max(len(rows_a), len(rows_b))):
            prefix = f"{LIST_LABELS[key]}第{i + 1}项"
            if i >= len(rows_a):
                changes.append(
                    {
                        "field": f"{key}.{i}",
                        "label": prefix,
                        "old": "（无）",
                        "new": rows_b[i]["name"],
                    }
                )
                continue
            if i >= len(rows_b):
                changes.append(
                    {
                        "field": f"{key}.{i}",
                        "label": prefix,
                        "old": rows_a[i]["name"],
                        "new": "（删除）",
                    }
                )
                continue
            for f in fields:
                va, vb = rows_a[i].get(f), rows_b[i].get(f)
                if va != vb:
                    changes.append(
                        {
                            "field": f"{key}.{i}.{f}",
                            "label": f"{prefix}·{ROW_LABELS[key][f]}",
                            "old": display(f, va),
                            "new": display(f, vb),
                        }
                    )
    return changes


def reductions(data: dict) -> list[dict]:
    """The four reductions against the legal baseline (R-15): steps, days, materials, visits.

    A baseline of 0 means "not recorded" and gives no figure rather than a false one.
    """
    figures = [
        ("环节", data["baseline_steps"], len(data["steps"]), "个"),
        ("时间", data["legal_limit_days"], _actual_days(data), "个工作日"),
        ("材料", data["baseline_materials"], len(data["materials"]), "件"),
        ("跑动次数", data["baseline_visits"], data["visits_required"], "次"),
    ]
    out = []
    for name, baseline, actual, unit in figures:
        if not baseline:
            out.append({"name": name, "baseline": None, "actual": actual, "unit": unit})
            continue
        saved = baseline - actual
        out.append(
            {
                "name": name,
                "baseline": baseline,
                "actual": actual,
                "saved": saved,
                "rate": round(100 * saved / baseline, 1),
                "unit": unit,
            }
        )
    return out


def _actual_days(data: dict) -> int:
    return 0 if data["immediate"] else data["promised_limit_days"]


def time_limit_text(data: dict) -> str:
    if data["immediate"]:
        return "即办"
    return f"自受理之日起{data['promised_limit_days']}个工作日办结"


def guide_view(data: dict) -> dict:
    """What the guide template needs, computed once from a version's data."""
    return {
        "data": data,
        "labels": {k: display(k, data.get(k)) for k in CHOICES},
        "time_limit": time_limit_text(data),
        "reductions": reductions(data),
        "online_allowed": data["apply_mode"] in (ApplyMode.ONLINE, ApplyMode.BOTH),
        "window_allowed": data["apply_mode"] in (ApplyMode.WINDOW, ApplyMode.BOTH),
    }
