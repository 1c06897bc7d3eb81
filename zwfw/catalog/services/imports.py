"""Import items from the 附件1 layout: all rows or none (C-4.1, C-4.2, R-14, R-15, N-4).

The file is read in streaming mode; rows are checked in memory with the same rules as the
pages and the API, then written set-based (`core.fastsql.insert_rows` and `update_rows`), so the
number of statements does not depend on the number of rows.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zwfw.catalog import excel, rules, selectors
from zwfw.catalog import snapshot as snap
from zwfw.catalog.models import ItemVersion, ServiceGuide, ServiceItem
from zwfw.catalog.services.items import prepare
from zwfw.catalog.services.lists import note_list_changed
from zwfw.core import audit, fastsql
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import has_role, require_role_anywhere
from zwfw.documents.xlsx import XlsxError, read_rows
from zwfw.org.models import Department

MAX_ROWS = 50000
ITEM_INSERT_FIELDS = [
    "code",
    "department",
    "parent",
    *snap.ITEM_FIELDS,
    "version_number",
    "created_at",
    "updated_at",
]  # created_at/updated_at: set explicitly
ITEM_UPDATE_FIELDS = [*snap.ITEM_FIELDS, "version_number", "updated_at"]
VERSION_FIELDS = ["item", "number", "data", "changed_by", "changed_at", "effective_from", "reason"]


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class ImportRejected(RuleViolation):
    """The file has bad rows; nothing was imported. `errors` lists every one."""

    def __init__(self, errors: list[dict]):
        rows = len({e["row"] for e in errors})
        super().__init__(
            "import_invalid",
            f"共有{rows}行数据有误，未导入任何数据；请修改后重新导入",
            field="file",
        )
        self.errors = errors

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


@dataclass
class _Row:
    number: int
    data: dict
    item: ServiceItem | None = None
    before: dict | None = None
    item_id: int | None = None  # set once the row is written


def _read(file) -> tuple[list[_Row], list[dict]]:
    rows, errors, header, parse = [], [], None, None
    try:
        for number, values in read_rows(file):
            if header is None:
                header = excel.find_header(values)
                if header is None and number >= 5:
                    break
                if header is not None:
                    parse = excel.row_parser(header)
                continue
            if excel.is_blank(values):
                continue
            if len(rows) >= MAX_ROWS:
                raise RuleViolation("invalid", f"一次最多导入{MAX_ROWS}行", field="file")
            data, cell_errors = parse(values)
            errors += [{"row": number, "code": "invalid", "message": m} for m in cell_errors]
            rows.append(_Row(number, data))
    except XlsxError as exc:
        raise RuleViolation("invalid", str(exc), field="file")
    if header is None:
        raise RuleViolation(
            "invalid",
            "未找到表头：请使用本系统导出的清单格式（含“事项编码”“事项名称”列）",
            field="file",
        )
    if not rows:
        raise RuleViolation("invalid", "文件中没有数据行", field="file")
    return rows, errors


def _existing(codes: list[str]) -> dict[str, ServiceItem]:
    found = {}
    for chunk in fastsql.chunks(codes):
        for item in selectors.with_guide(ServiceItem.objects.filter(code__in=chunk)):
            found[item.code] = item
    return found


def _departments(rows: list[_Row]) -> tuple[dict[str, Department], dict[str, Department]]:
    codes = {r.data.get("department_code") for r in rows} - {None, ""}
    names = {r.data.get("department_name") for r in rows} - {None, ""}
    qs = Department.objects.filter(code__in=codes) | Department.objects.filter(name__in=names)
    by_code, by_name = {}, {}
    for d in qs:
        by_code[d.code] = d
        by_name[d.name] = d
    return by_code, by_name


def _check_rows(by, rows: list[_Row], errors: list[dict]) -> dict[str, Department]:
    """Resolve departments and existing items and check every row; fill `errors`."""

    def fail(row, exc: RuleViolation):
        errors.append(
            {
                "row": row.number,
                "code": exc.code,
                "message": exc.message,
                "field": exc.field,
                # The sheet's own column name, so the person finds the cell (issue 16 point 7).
                "column": excel.column_label(exc.field),
            }
        )

    by_code, by_name = _departments(rows)
    existing = _existing([r.data["code"] for r in rows if r.data.get("code")])
    phrases = selectors.vague_phrases()
    departments: dict[str, Department] = {}
    seen: dict[str, int] = {}
    allowed: dict[int, bool] = {}
    for row in rows:
        # Every problem of a row is listed at once: a bad department does not hide the rest.
        code = row.data.get("code", "")
        usable = True
        if code and code in seen:
            fail(row, RuleViolation("duplicate", f"事项编码“{code}”与第{seen[code]}行重复", "code"))
            usable = False
        else:
            seen[code] = row.number
        row.item = existing.get(code)
        department = by_code.get(row.data.get("department_code", "")) or by_name.get(
            row.data.get("department_name", "")
        )
        if department is None and row.item is not None:
            department = row.item.department
        if department is None:
            fail(row, RuleViolation("invalid", "未找到实施部门（请填写部门代码）", "department"))
            usable = False
        else:
            if department.pk not in allowed:
                allowed[department.pk] = has_role(by, *selectors.EDIT_ROLES, department=department)
            if not allowed[department.pk]:
                fail(
                    row,
                    RuleViolation("forbidden", f"您无权维护{department.name}的事项", "department"),
                )
                usable = False
            elif row.item is not None and row.item.department_id != department.pk:
                fail(
                    row,
                    RuleViolation(
                        "invalid",
                        f"事项“{code}”属于{row.item.department.name}，不能通过导入改变实施部门",
                        "department",
                    ),
                )
                usable = False
        base = selectors.current_data(row.item) if row.item else {}
        if row.item:
            row.before = base
        named = (
            {"department_code": department.code, "department_name": department.name}
            if department
            else {}
        )
        row.data = prepare({**base, **row.data, **named})
        for exc in rules.check_item(row.data, phrases):
            fail(row, exc)
        if usable:
            departments[code] = department
    _check_parents(rows, departments, existing, fail)
    return departments


def _check_parents(rows, departments, existing, fail) -> None:
    in_file = {code: dept for code, dept in departments.items()}
    wanted = {r.data["parent_code"] for r in rows if r.data.get("parent_code")}
    outside = [c for c in wanted if c not in in_file and c not in existing]
    known = {i.code: i.department_id for i in ServiceItem.objects.filter(code__in=outside)}
    for row in rows:
        parent = row.data.get("parent_code") if isinstance(row.data, dict) else ""
        code = row.data.get("code")
        if not parent or code not in departments:
            continue
        dept_id = (
            in_file[parent].pk
            if parent in in_file
            else existing[parent].department_id
            if parent in existing
            else known.get(parent)
        )
        if dept_id is None:
            fail(row, RuleViolation("invalid", f"未找到上级事项“{parent}”", "parent"))
        elif dept_id != departments[code].pk:
            fail(row, RuleViolation("invalid", "上级事项须属于同一实施部门", "parent"))


@transaction.atomic
def import_items(
    *, by, file, reason: str = "", now: datetime.datetime | None = None
) -> ImportResult:
    """Create or update items from an uploaded sheet; any bad row imports nothing."""
    require_role_anywhere(by, *selectors.EDIT_ROLES)
    now = now or timezone.now()
    rows, errors = _read(file)
    departments = _check_rows(by, rows, errors)
    if errors:
        errors.sort(key=lambda e: e["row"])
        raise ImportRejected(errors)
    reason = (reason or "").strip() or "Excel导入"
    new = [r for r in rows if r.item is None]
    changed = [r for r in rows if r.item is not None and snap.canonical(r.data) != r.before]
    _create(new, departments, by, reason, now)
    _update(changed, by, reason, now)
    _link_parents(new + changed)
    touched = {}
    for r in new:
        touched[departments[r.data["code"]].pk] = departments[r.data["code"]]
    for r in changed:
        after = snap.canonical(r.data)
        if any(r.before.get(k) != after.get(k) for k in snap.LIST_RELEVANT):
            touched[r.item.department_id] = r.item.department
    for department in touched.values():
        note_list_changed(department=department, by=by)
    result = ImportResult(
        created=len(new), updated=len(changed), unchanged=len(rows) - len(new) - len(changed)
    )
    audit.record(
        actor=by,
        action="import_items",
        object_type="catalog.ServiceItem",
        object_repr=getattr(file, "name", "Excel")[:300],
        after={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "reason": reason,
            "departments": sorted(d.code for d in touched.values()),
        },
    )
    return result


def _version(item_id: int, number: int, data: dict, by, reason: str, now) -> dict:
    return {
        "item": item_id,
        "number": number,
        "data": data,
        "changed_by": by.pk,
        "changed_at": now,
        "effective_from": timezone.localdate(now),
        "reason": reason,
    }


def _children(guide_ids: dict[str, int], rows: list[_Row]) -> None:
    for key, (model, fields) in snap.LISTS.items():
        objs = [
            {"guide": guide_ids[r.data["code"]], "position": i, **{f: row[f] for f in fields}}
            for r in rows
            for i, row in enumerate(r.data[key], start=1)
        ]
        fastsql.insert_rows(model, objs, ["guide", "position", *fields])


def _ids(model, column: str, values: list, key: str = "id") -> dict:
    found = {}
    for chunk in fastsql.chunks(values):
        found.update(model.objects.filter(**{f"{column}__in": chunk}).values_list(column, key))
    return found


def _create(rows: list[_Row], departments, by, reason: str, now) -> None:
    if not rows:
        return
    items = [
        {
            "code": r.data["code"],
            "department": departments[r.data["code"]].pk,
            "parent": None,
            "version_number": 1,
            "created_at": now,
            "updated_at": now,
            **{f: r.data[f] for f in snap.ITEM_FIELDS},
        }
        for r in rows
    ]
    fastsql.insert_rows(ServiceItem, items, ITEM_INSERT_FIELDS)
    ids = _ids(ServiceItem, "code", [r.data["code"] for r in rows])
    guides = [
        {"item": ids[r.data["code"]], **{f: r.data[f] for f in snap.GUIDE_FIELDS}} for r in rows
    ]
    fastsql.insert_rows(ServiceGuide, guides, ["item", *snap.GUIDE_FIELDS])
    by_item = {v: k for k, v in ids.items()}
    guide_ids = {
        by_item[item_id]: guide_id
        for item_id, guide_id in _ids(ServiceGuide, "item_id", list(ids.values())).items()
    }
    _children(guide_ids, rows)
    versions = [
        _version(ids[r.data["code"]], 1, snap.canonical(r.data), by, reason, now) for r in rows
    ]
    fastsql.insert_rows(ItemVersion, versions, VERSION_FIELDS)
    for r in rows:
        r.item_id = ids[r.data["code"]]


def _update(rows: list[_Row], by, reason: str, now) -> None:
    if not rows:
        return
    items, guides, versions = [], [], []
    for r in rows:
        item, data = r.item, r.data
        item.version_number += 1
        r.item_id = item.pk
        items.append(
            {
                "pk": item.pk,
                "version_number": item.version_number,
                "updated_at": now,
                **{f: data[f] for f in snap.ITEM_FIELDS},
            }
        )
        guides.append({"pk": item.guide.pk, **{f: data[f] for f in snap.GUIDE_FIELDS}})
        versions.append(
            _version(item.pk, item.version_number, snap.canonical(data), by, reason, now)
        )
    fastsql.update_rows(ServiceItem, items, ITEM_UPDATE_FIELDS)
    fastsql.update_rows(ServiceGuide, guides, list(snap.GUIDE_FIELDS))
    guide_ids = {r.data["code"]: r.item.guide.pk for r in rows}
    for _key, (model, _fields) in snap.LISTS.items():
        for chunk in fastsql.chunks(list(guide_ids.values())):
            model.objects.filter(guide_id__in=chunk).delete()
    _children(guide_ids, rows)
    fastsql.insert_rows(ItemVersion, versions, VERSION_FIELDS)


def _link_parents(rows: list[_Row]) -> None:
    """Parents are set last: a parent may be a row further down the same file."""
    wanted = [r for r in rows if r.data["parent_code"] != (r.before or {}).get("parent_code", "")]
    if not wanted:
        return
    ids = _ids(
        ServiceItem, "code", list({r.data["parent_code"] for r in wanted if r.data["parent_code"]})
    )
    fastsql.update_rows(
        ServiceItem,
        [{"pk": r.item_id, "parent": ids.get(r.data["parent_code"])} for r in wanted],
        ["parent"],
    )
