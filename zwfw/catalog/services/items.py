"""Writes of items and their guides. Every change is a new version (C-4.2)."""

import datetime
import os

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from zwfw.catalog import rules, selectors
from zwfw.catalog import snapshot as snap
from zwfw.catalog.models import ExclusionReason, ItemVersion, ServiceGuide, ServiceItem
from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import require_role
from zwfw.org.models import Department

EDIT_ROLES = selectors.EDIT_ROLES
ALLOWED_KEYS = frozenset({"parent_code", *snap.ITEM_FIELDS, *snap.GUIDE_FIELDS, *snap.LISTS})
SAMPLE_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".wps",
    ".ofd",
    ".xls",
    ".xlsx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
}
SAMPLE_MAX_BYTES = 20 * 1024 * 1024


def prepare(data: dict) -> dict:
    """Defaults filled in and values normalized: the data every check and version sees."""
    return rules.normalize(snap.with_defaults(data))


def raise_first(errors: list[RuleViolation]) -> None:
    if errors:
        raise errors[0]


def _reject_unknown(data: dict, allowed) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise RuleViolation("invalid", f"不认识的字段：{'、'.join(unknown)}", field=unknown[0])


def _check_samples(materials: list[dict]) -> None:
    for row in materials:
        upload = row.get("sample_text")
        if not upload or isinstance(upload, str):
            continue
        ext = os.path.splitext(upload.name)[1].lower()
        if ext not in SAMPLE_EXTENSIONS:
            raise RuleViolation(
                "invalid",
                f"示范文本“{upload.name}”的格式不受支持（可上传PDF、Word、WPS、OFD、Excel、图片或文本）",
                field="materials",
            )
        if upload.size > SAMPLE_MAX_BYTES:
            raise RuleViolation("invalid", "示范文本不能超过20MB", field="materials")


def _store_samples(materials: list[dict], now: datetime.datetime) -> None:
    # Old files are never deleted: earlier versions still point at them (C-4.2).
    for row in materials:
        upload = row.get("sample_text")
        if upload and not isinstance(upload, str):
            name = os.path.basename(upload.name)
            row["sample_text"] = default_storage.save(
                f"catalog/samples/{now:%Y}/{name}", upload, max_length=255
            )


def _resolve_parent(department: Department, parent_code: str) -> ServiceItem | None:
    if not parent_code:
        return None
    parent = ServiceItem.objects.filter(code=parent_code).first()
    if parent is None:
        raise RuleViolation("invalid", f"未找到上级事项“{parent_code}”", field="parent")
    if parent.department_id != department.pk:
        raise RuleViolation("invalid", "上级事项须属于同一实施部门", field="parent")
    return parent


def write_children(guide: ServiceGuide, data: dict, keys=None) -> None:
    """Replace the guide's materials, steps, special steps and scenarios (or only `keys`)."""
    for key, (model, fields) in snap.LISTS.items():
        if keys is not None and key not in keys:
            continue
        model.objects.filter(guide=guide).delete()
        model.objects.bulk_create(
            [
                model(guide=guide, position=i, **{f: row[f] for f in fields})
                for i, row in enumerate(data[key], start=1)
            ]
        )


def save_version(
    item: ServiceItem, data: dict, *, by, reason: str, now: datetime.datetime
) -> ItemVersion:
    item.version_number += 1
    ServiceItem.objects.filter(pk=item.pk).update(version_number=item.version_number)
    return ItemVersion.objects.create(
        item=item,
        number=item.version_number,
        data=data,
        changed_by=by if getattr(by, "is_authenticated", False) else None,
        changed_at=now,
        effective_from=timezone.localdate(now),
        reason=reason,
    )


@transaction.atomic
def create_item(
    *,
    by,
    department: Department,
    data: dict,
    reason: str = "新增事项",
    now: datetime.datetime | None = None,
) -> ServiceItem:
    """Add an item and its guide as version 1 (C-4.1, C-4.2, N-4, R-14, R-15, R-18)."""
    require_role(by, *EDIT_ROLES, department=department)
    _reject_unknown(data, ALLOWED_KEYS | {"code"})
    now = now or timezone.now()
    data = prepare({**data, "department_code": department.code, "department_name": department.name})
    raise_first(rules.check_item(data, selectors.vague_phrases()))
    _check_samples(data["materials"])
    if ServiceItem.objects.filter(code=data["code"]).exists():
        raise RuleViolation(
            "duplicate", f"事项编码“{data['code']}”已存在", field="code", status=409
        )
    parent = _resolve_parent(department, data["parent_code"])
    item = ServiceItem.objects.create(
        code=data["code"],
        department=department,
        parent=parent,
        **{f: data[f] for f in snap.ITEM_FIELDS},
    )
    guide = ServiceGuide.objects.create(item=item, **{f: data[f] for f in snap.GUIDE_FIELDS})
    _store_samples(data["materials"], now)
    write_children(guide, data)
    stored = snap.canonical(data)
    save_version(item, stored, by=by, reason=reason or "新增事项", now=now)
    audit.record(
        actor=by,
        action="create_item",
        obj=item,
        after={"code": item.code, "name": item.name, "version": 1, "reason": reason},
    )
    if item.on_application:
        from zwfw.catalog.services.lists import note_list_changed

        note_list_changed(department=department, by=by)
    return item


def _keep_samples(before: dict, changes: dict) -> dict:
    """A material given without `sample_text` keeps the sample it had under the same name."""
    if "materials" not in changes:
        return changes
    had = {m["name"]: m["sample_text"] for m in before["materials"] if m["sample_text"]}
    rows = [
        row if "sample_text" in row else {**row, "sample_text": had.get(row.get("name"), "")}
        for row in changes["materials"] or []
    ]
    return {**changes, "materials": rows}


def _changed_keys(before: dict, after: dict) -> list[str]:
    return [k for k in after if before.get(k) != after.get(k)]


def _auto_reason(keys: list[str]) -> str:
    labels = [snap.LABELS.get(k) or snap.LIST_LABELS.get(k, k) for k in keys]
    return "未填写原因；修改了：" + "、".join(labels)


@transaction.atomic
def update_item(
    *,
    by,
    item: ServiceItem,
    changes: dict,
    reason: str = "",
    require_reason: bool = True,
    now: datetime.datetime | None = None,
) -> ServiceItem:
    """Change an item or its guide; a real change makes a new version with who, when, why (C-4.2).

    Pages require a reason; the API may omit it (API.md), and the version then records which
    fields changed instead.
    """
    require_role(by, *EDIT_ROLES, department=item.department)
    _reject_unknown(changes, ALLOWED_KEYS)
    reason = (reason or "").strip()
    if require_reason and not reason:
        raise RuleViolation("C-4.2", "修改事项须填写修改原因", field="reason")
    now = now or timezone.now()
    # Lock the row first: two editors must not both build version n+1 (unique constraint).
    ServiceItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").get()
    item = selectors.with_guide(ServiceItem.objects.filter(pk=item.pk)).get()
    before = selectors.current_data(item)
    changes = _keep_samples(before, changes)
    merged = prepare({**before, **changes})
    raise_first(rules.check_item(merged, selectors.vague_phrases()))
    _check_samples(merged["materials"])
    if merged["parent_code"] != before["parent_code"]:
        item.parent = _resolve_parent(item.department, merged["parent_code"])
    _store_samples(merged["materials"], now)
    after = snap.canonical(merged)
    changed = _changed_keys(before, after)
    if not changed:
        return item
    for f in snap.ITEM_FIELDS:
        setattr(item, f, after[f])
    item.save()
    guide = item.guide
    for f in snap.GUIDE_FIELDS:
        setattr(guide, f, after[f])
    guide.save()
    write_children(guide, after, keys=[k for k in snap.LISTS if k in changed])
    save_version(item, after, by=by, reason=reason or _auto_reason(changed), now=now)
    audit.record(
        actor=by,
        action="update_item",
        obj=item,
        before={k: before[k] for k in changed},
        after={**{k: after[k] for k in changed}, "version": item.version_number, "reason": reason},
    )
    if snap.LIST_RELEVANT & set(changed) and (before["on_application"] or after["on_application"]):
        from zwfw.catalog.services.lists import note_list_changed

        note_list_changed(department=item.department, by=by)
    return item


def decide_inclusion(
    *,
    by,
    item: ServiceItem,
    included: bool,
    exclusion_reason: str = "",
    exclusion_note: str = "",
    reason: str = "",
    now: datetime.datetime | None = None,
) -> ServiceItem:
    """Include an item in the chief service officer list or exclude it with a reason (C-4.1)."""
    if included:
        default_reason = "纳入首席服务员清单"
    else:
        # The note is optional (API.md); the reason's label always explains the exclusion.
        label = dict(ExclusionReason.choices).get(exclusion_reason, exclusion_reason)
        note = (exclusion_note or "").strip()
        default_reason = "不纳入首席服务员清单：" + "，".join(x for x in (label, note) if x)
    return update_item(
        by=by,
        item=item,
        changes={
            "chief_list_included": bool(included),
            "exclusion_reason": exclusion_reason or "",
            "exclusion_note": exclusion_note or "",
        },
        reason=(reason or "").strip() or default_reason,
        now=now,
    )
