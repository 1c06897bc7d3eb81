"""Excel export and import in the 附件1 layout: round trip, all-or-nothing, set-based writes."""

import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from tests import slow
from tests.catalog.factories import item_data, make_item
from zwfw.catalog import excel, exports, selectors, services
from zwfw.catalog import snapshot as snap
from zwfw.catalog.models import (
    HandlingStep,
    ItemVersion,
    Material,
    Scenario,
    ServiceGuide,
    ServiceItem,
    SpecialStep,
)
from zwfw.core.errors import RuleViolation

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name="items.xlsx"):
    return SimpleUploadedFile(name, content)


def _sheet(rows: list[list], header=excel.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(department, n: int, **overrides) -> list:
    """A sheet row for a new item, built through the export format itself."""
    data = snap.canonical(
        services.items.prepare(
            {
                **item_data(code=f"R{n:05d}", name=f"导入事项{n}"),
                "department_code": department.code,
                "department_name": department.name,
                **overrides,
            }
        )
    )
    return excel.export_row(n, data)


def _wipe() -> None:
    """Delete every item row directly (no collector: other apps' tables need not exist)."""
    for model in (Material, HandlingStep, SpecialStep, Scenario, ServiceGuide, ItemVersion):
        model.objects.all()._raw_delete(connection.alias)
    ServiceItem.objects.filter(parent__isnull=False)._raw_delete(connection.alias)
    ServiceItem.objects.all()._raw_delete(connection.alias)
    assert not ServiceItem.objects.exists()


def _all_data(department) -> dict:
    items = selectors.with_guide(ServiceItem.objects.filter(department=department))
    return {i.code: selectors.current_data(i) for i in items}


def test_export_has_annex1_columns_first(dept_admin, department):
    make_item(
        dept_admin,
        department,
        chief_list_included=False,
        exclusion_reason="classified",
        exclusion_note="涉及国家秘密",
    )
    wb = load_workbook(io.BytesIO(exports.items_workbook(dept_admin, department)), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert "首席服务员审批服务事项清单" in rows[0][0]
    assert list(rows[1][:8]) == excel.ANNEX_HEADERS
    assert rows[2][1] == department.name and rows[2][5] == "否" and rows[2][7] == "涉密"


def test_round_trip_recreates_the_same_items(dept_admin, department):
    """Export, delete, import: the re-imported items equal the exported ones, field by field."""
    make_item(
        dept_admin,
        department,
        code="RT-1",
        node_kind="main",
        on_application=False,
        chief_list_included=None,
    )
    make_item(
        dept_admin,
        department,
        code="RT-1-01",
        parent_code="RT-1",
        handling_kind="new",
        green_channel=True,
        green_channel_mode="direct",
        special_steps=[{"name": "现场踏勘", "days": 3, "basis": "行政许可法第45条"}],
        scenarios=[{"name": "分支机构申请", "description": "需总公司授权"}],
    )
    make_item(
        dept_admin,
        department,
        code="RT-2",
        immediate=True,
        high_frequency=True,
        chief_list_included=None,
        fee="工本费10元",
        baseline_materials=3,
        materials=[
            {
                "name": "申请书",
                "required": False,
                "copies": 2,
                "electronic_ok": False,
                "note": "A4纸",
            }
        ],
    )
    make_item(
        dept_admin,
        department,
        code="RT-3",
        chief_list_included=False,
        exclusion_reason="public_safety",
        exclusion_note="涉及重大公共安全",
        active=False,
    )
    before = _all_data(department)
    content = exports.items_workbook(dept_admin, department)
    _wipe()
    result = services.import_items(by=dept_admin, file=_upload(content))
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert _all_data(department) == before
    assert ServiceItem.objects.get(code="RT-1-01").parent.code == "RT-1"
    # Re-importing the same file changes nothing and makes no version.
    result = services.import_items(by=dept_admin, file=_upload(content))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert ItemVersion.objects.count() == 4


def test_import_updates_existing_items_with_new_versions_c42(dept_admin, department):
    """C-4.2: an import that changes an item adds a version with the import's reason."""
    item = make_item(dept_admin, department, code="UP-1", promised_limit_days=5)
    data = selectors.current_data(
        selectors.with_guide(ServiceItem.objects.filter(pk=item.pk)).get()
    )
    data["name"] = "导入后的名称"
    content = _sheet([excel.export_row(1, data)])
    result = services.import_items(by=dept_admin, file=_upload(content), reason="年度清理")
    assert result.updated == 1
    item.refresh_from_db()
    assert item.name == "导入后的名称" and item.version_number == 2
    version = item.versions.get(number=2)
    assert version.reason == "年度清理" and version.data["name"] == "导入后的名称"


def test_bad_rows_import_nothing_and_are_all_reported(dept_admin, department, other_department):
    """R-14, C-4.1, N-4: any bad row imports nothing; every bad row is reported with its number."""
    rows = [
        _row(department, 1),
        _row(department, 2, materials=[{"name": "其他材料"}]),
        _row(department, 3, chief_list_included=False),
        _row(
            department,
            4,
            high_frequency=True,
            chief_list_included=False,
            exclusion_reason="classified",
            exclusion_note="x",
        ),
        _row(department, 5),
        _row(other_department, 6),
    ]
    rows[4][4] = "许可类"  # 事项类型 not a choice
    rows.append(list(rows[0]))  # a duplicate code
    with pytest.raises(services.ImportRejected) as exc:
        services.import_items(by=dept_admin, file=_upload(_sheet(rows)))
    by_row = {}
    for e in exc.value.errors:
        by_row.setdefault(e["row"], set()).add(e["code"])
    assert by_row == {
        3: {"R-14"},
        4: {"C-4.1"},
        5: {"N-4"},
        6: {"invalid"},
        7: {"forbidden"},
        8: {"duplicate"},
    }
    assert not ServiceItem.objects.exists()
    assert exc.value.as_dict()["code"] == "import_invalid"


def test_import_refuses_files_that_are_not_the_layout(dept_admin):
    with pytest.raises(RuleViolation):
        services.import_items(by=dept_admin, file=_upload(b"plain text"))
    with pytest.raises(RuleViolation):
        services.import_items(by=dept_admin, file=_upload(_sheet([["a"]], header=["x", "y"])))
    with pytest.raises(RuleViolation):
        services.import_items(by=dept_admin, file=_upload(_sheet([])))


def test_bad_json_cell_is_reported(dept_admin, department):
    row = _row(department, 1)
    row[excel.HEADERS.index("申请材料（JSON）")] = "[{name: 1}]"
    with pytest.raises(services.ImportRejected) as exc:
        services.import_items(by=dept_admin, file=_upload(_sheet([row])))
    assert "申请材料" in exc.value.errors[0]["message"]


def test_import_via_page_lists_row_errors(client, dept_admin, department):
    client.force_login(dept_admin)
    content = _sheet([_row(department, 1, materials=[{"name": "相关材料"}])])
    r = client.post("/catalog/import/", {"file": _upload(content)})
    assert r.status_code == 422
    assert "第2行" in r.content.decode() and "相关材料" in r.content.decode()
    r = client.post("/catalog/import/", {"file": _upload(_sheet([_row(department, 1)]))})
    assert r.status_code == 200 and "新增 1 项" in r.content.decode()


def _queries_for(by, department, n: int, start: int) -> int:
    rows = [_row(department, start + i) for i in range(n)]
    content = _sheet(rows)
    with CaptureQueriesContext(connection) as ctx:
        started = time.process_time()
        result = services.import_items(by=by, file=_upload(content))
        print(f"import of {n} rows: {time.process_time() - started:.2f}s CPU, {len(ctx)} queries")
    assert result.created == n
    return len(ctx)


def test_10000_rows_import_with_constant_number_of_queries(dept_admin, department):
    """10,000 rows (1,000 when slow tests are left out: tests/slow.py) cost the same number
    of statements as 10: no query per row."""
    n = 10000 if slow.SLOW else 1000
    _queries_for(dept_admin, department, 1, 1)  # the first import also opens the list row
    small = _queries_for(dept_admin, department, 10, 10)
    big = _queries_for(dept_admin, department, n, 100)
    assert big == small
    assert ServiceItem.objects.count() == n + 11
    assert ItemVersion.objects.count() == n + 11
    code = f"R{100 + n // 2:05d}"
    sample = ServiceItem.objects.get(code=code)
    assert [m.name for m in sample.guide.materials.all()] == ["申请书", "营业执照"]
    assert json.loads(json.dumps(sample.versions.get().data))["code"] == code


def test_every_error_of_a_row_is_listed_with_its_column_name(dept_admin, department):
    """Issue 16 point 7 (R-14): a row with an unknown department AND a vague material lists
    both, each with the sheet's Chinese column name."""
    row = _row(department, 1, materials=[{"name": "其他材料"}])
    row[excel.HEADERS.index("部门代码")] = "NO-SUCH"
    row[excel.HEADERS.index("实施部门")] = "不存在的部门"
    with pytest.raises(services.ImportRejected) as exc:
        services.import_items(by=dept_admin, file=_upload(_sheet([row])))
    found = {(e["code"], e["column"]) for e in exc.value.errors}
    assert ("invalid", "实施部门") in found
    assert ("R-14", "申请材料（JSON）") in found
