"""Rules on one item and its guide that need no database (C-4.1, N-4, R-14, R-15, R-18).

`check_item()` returns every violation, so the Excel import can report all of a row's
problems while services raise the first one.
"""

from zwfw.catalog.models import ExclusionReason, NodeKind, ServiceGuide, ServiceItem
from zwfw.catalog.snapshot import CHOICES, LABELS, LIST_LABELS, LISTS, ROW_LABELS
from zwfw.catalog.vague import find_vague
from zwfw.core.errors import RuleViolation

MAX_DAYS = 3650


def _max_lengths(model, fields) -> dict[str, int]:
    out = {}
    for f in fields:
        field = model._meta.get_field(f)
        if getattr(field, "max_length", None) and f not in CHOICES and f != "sample_text":
            out[f] = field.max_length
    return out


# Read from the models so a length check here never disagrees with the columns.
TEXT_LIMITS = {
    **_max_lengths(ServiceItem, [f.name for f in ServiceItem._meta.concrete_fields]),
    **_max_lengths(ServiceGuide, [f.name for f in ServiceGuide._meta.concrete_fields]),
}
ROW_LIMITS = {key: _max_lengths(model, fields) for key, (model, fields) in LISTS.items()}


def normalize(data: dict) -> dict:
    """Strip text and drop values that only make sense with another one."""
    out = dict(data)
    for key, value in out.items():
        if isinstance(value, str):
            out[key] = value.strip()
    # An included or undecided item has no exclusion reason; keeping a stale one would
    # put a wrong 未纳入原因 on the published list (C-4.1).
    if out.get("chief_list_included") is not False:
        out["exclusion_reason"] = ""
        out["exclusion_note"] = ""
    if not out.get("green_channel"):
        out["green_channel_mode"] = ""
    if out.get("node_kind") != NodeKind.HANDLING:
        out["handling_kind"] = ""
    if out.get("immediate"):
        out["promised_limit_days"] = 0
    for key in ("materials", "steps", "special_steps", "scenarios"):
        out[key] = [
            {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
            for row in out.get(key) or []
        ]
    return out


def check_item(data: dict, phrases: list[str]) -> list[RuleViolation]:
    """Every rule a single item breaks; `data` is normalized canonical data."""
    errors: list[RuleViolation] = []
    errors += _check_basics(data)
    errors += _check_limits(data)
    errors += _check_list(data)
    errors += _check_guide(data, phrases)
    errors += _check_steps(data)
    return errors


def _check_basics(data: dict) -> list[RuleViolation]:
    errors = []
    code = data.get("code") or ""
    if not code:
        errors.append(RuleViolation("invalid", "事项编码不能为空", field="code"))
    elif any(ch.isspace() for ch in code):
        errors.append(RuleViolation("invalid", "事项编码不能包含空格", field="code"))
    if not data.get("name"):
        errors.append(RuleViolation("invalid", "事项名称不能为空", field="name"))
    for key, limit in TEXT_LIMITS.items():
        value = data.get(key)
        if isinstance(value, str) and len(value) > limit:
            label = LABELS.get(key, key)
            errors.append(RuleViolation("invalid", f"{label}超过{limit}个字符", field=key))
    for key, limits in ROW_LIMITS.items():
        for i, row in enumerate(data.get(key) or [], start=1):
            for f, limit in limits.items():
                value = row.get(f)
                if isinstance(value, str) and len(value) > limit:
                    label = f"{LIST_LABELS[key]}第{i}项{ROW_LABELS[key][f]}"
                    errors.append(RuleViolation("invalid", f"{label}超过{limit}个字符", field=key))
    for key, choices in CHOICES.items():
        value = data.get(key)
        if key in ("item_type",) and not value:
            errors.append(RuleViolation("invalid", "请选择事项类型", field=key))
        elif value and value not in choices.values:
            errors.append(
                RuleViolation("invalid", f"{key} 的取值“{value}”不在可选范围内", field=key)
            )
    kind = data.get("node_kind")
    if kind == NodeKind.MAIN and data.get("parent_code"):
        errors.append(RuleViolation("invalid", "主项不能有上级事项", field="parent"))
    if kind == NodeKind.SUB and not data.get("parent_code"):
        errors.append(RuleViolation("invalid", "子项须指定所属主项", field="parent"))
    if data.get("parent_code") and data.get("parent_code") == code:
        errors.append(RuleViolation("invalid", "上级事项不能是事项本身", field="parent"))
    return errors


def _check_limits(data: dict) -> list[RuleViolation]:
    errors = []
    legal, promised = data.get("legal_limit_days"), data.get("promised_limit_days")
    for key, value in (("legal_limit_days", legal), ("promised_limit_days", promised)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
            errors.append(
                RuleViolation("invalid", "时限须为0到3650之间的整数（工作日）", field=key)
            )
    if errors:
        return errors
    if not data.get("immediate") and promised < 1:
        errors.append(
            RuleViolation(
                "L-LIMIT",
                "承诺件须填写承诺时限（工作日）；当场办结的请勾选即办件",
                field="promised_limit_days",
            )
        )
    if legal and promised > legal:
        errors.append(
            RuleViolation(
                "L-LIMIT",
                f"承诺时限（{promised}个工作日）不得超过法定时限（{legal}个工作日）",
                field="promised_limit_days",
            )
        )
    return errors


def _check_list(data: dict) -> list[RuleViolation]:
    errors = []
    if data.get("chief_list_included") is False:
        if data.get("exclusion_reason") not in ExclusionReason.values:
            errors.append(
                RuleViolation(
                    "C-4.1",
                    "未纳入首席服务员清单的事项须选择未纳入原因：涉密、重大公共安全或公民生命财产安全",
                    field="exclusion_reason",
                )
            )
        # API.md: the reason alone excludes an item; the note is an optional explanation.
        if data.get("high_frequency"):
            errors.append(
                RuleViolation(
                    "N-4",
                    "高频且标准明确的事项应纳入首席服务员清单，由首席服务员直接审批",
                    field="chief_list_included",
                )
            )
    if data.get("green_channel") and not data.get("green_channel_mode"):
        errors.append(
            RuleViolation(
                "invalid",
                "绿色通道事项须选择办理方式（直接办理或依申请办理）",
                field="green_channel_mode",
            )
        )
    return errors


def _check_guide(data: dict, phrases: list[str]) -> list[RuleViolation]:
    errors = []
    if not data.get("fee"):
        errors.append(
            RuleViolation("invalid", "收费标准须明确填写；不收费的请填写“不收费”", field="fee")
        )
    found = find_vague(data.get("conditions", ""), phrases)
    if found:
        errors.append(
            RuleViolation(
                "R-14", f"受理条件含有模糊表述“{found[0]}”，请写明具体条件", field="conditions"
            )
        )
    seen: set[str] = set()
    for i, row in enumerate(data.get("materials") or [], start=1):
        name = row.get("name") or ""
        if not name:
            errors.append(
                RuleViolation("invalid", f"申请材料第{i}项缺少材料名称", field="materials")
            )
            continue
        found = find_vague(f"{name} {row.get('note') or ''}", phrases)
        if found:
            errors.append(
                RuleViolation(
                    "R-14",
                    f"申请材料第{i}项“{name}”含有模糊表述“{found[0]}”，请逐项列明具体材料名称",
                    field="materials",
                )
            )
        if name in seen:
            errors.append(
                RuleViolation(
                    "R-18", f"申请材料“{name}”重复列出，同一材料不得要求提交两次", field="materials"
                )
            )
        seen.add(name)
        copies = row.get("copies")
        if not isinstance(copies, int) or isinstance(copies, bool) or not 0 <= copies <= 99:
            errors.append(
                RuleViolation(
                    "invalid", f"申请材料“{name}”的份数须为0到99的整数", field="materials"
                )
            )
    return errors


def _check_steps(data: dict) -> list[RuleViolation]:
    errors = []
    steps = data.get("steps") or []
    for i, row in enumerate(steps, start=1):
        if not row.get("name") or not row.get("post"):
            errors.append(
                RuleViolation("R-15", f"办理环节第{i}项须填写环节名称和责任岗位", field="steps")
            )
    for key in ("special_steps", "scenarios"):
        for i, row in enumerate(data.get(key) or [], start=1):
            if not row.get("name"):
                errors.append(
                    RuleViolation("invalid", f"{LIST_LABELS[key]}第{i}项缺少名称", field=key)
                )
    if errors:
        return errors
    promised = data.get("promised_limit_days") or 0
    step_days = sum(row.get("days") or 0 for row in steps)
    if not data.get("immediate") and steps and step_days > promised:
        errors.append(
            RuleViolation(
                "R-15",
                f"各环节时限合计{step_days}个工作日，超过承诺时限{promised}个工作日",
                field="steps",
            )
        )
    for actual, baseline, label, field in (
        (len(steps), data.get("baseline_steps") or 0, "办理环节数", "baseline_steps"),
        (
            len(data.get("materials") or []),
            data.get("baseline_materials") or 0,
            "申请材料数",
            "baseline_materials",
        ),
        (
            data.get("visits_required") or 0,
            data.get("baseline_visits") or 0,
            "到现场次数",
            "baseline_visits",
        ),
    ):
        if baseline and actual > baseline:
            errors.append(
                RuleViolation(
                    "R-15",
                    f"{label}（{actual}）多于法定基准（{baseline}），精简不能为负",
                    field=field,
                )
            )
    return errors
