"""Wiring of /api/v1/items: status codes, error shape, permissions, query counts."""

import io

import pytest
from openpyxl import load_workbook

from tests.catalog.factories import item_data, make_item

pytestmark = pytest.mark.django_db


def _payload(department, **overrides):
    data = item_data(**overrides)
    data["department"] = department.code
    return data


def test_create_item_returns_201_with_version_1(api, dept_admin, department):
    r = api.login(dept_admin).post("/items", _payload(department, code="API-1"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "API-1"
    assert body["department"] == department.code
    assert body["version"] == 1
    assert [m["name"] for m in body["materials"]] == ["申请书", "营业执照"]
    assert body["fee"] == "不收费"


def test_create_item_idempotency_key_gives_one_item(api, dept_admin, department):
    api.login(dept_admin)
    payload = _payload(department, code="API-IDEM")
    first = api.post("/items", payload, headers={"Idempotency-Key": "k1"})
    second = api.post("/items", payload, headers={"Idempotency-Key": "k1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


def test_create_item_with_vague_material_is_refused_r14(api, dept_admin, department):
    """R-14: "其他材料" in a material list gives 422 with code R-14 naming the phrase."""
    payload = _payload(department, materials=[{"name": "申请书"}, {"name": "其他材料"}])
    r = api.login(dept_admin).post("/items", payload)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "R-14"
    assert "其他材料" in body["message"]
    assert body["field"] == "materials"


def test_excluded_item_without_reason_is_refused_c41(api, dept_admin, department):
    """C-4.1: excluding an item without one of the three reasons is refused."""
    payload = _payload(department, chief_list_included=False)
    r = api.login(dept_admin).post("/items", payload)
    assert r.status_code == 422
    assert r.json()["code"] == "C-4.1"


def test_bad_input_gives_4xx_with_error_shape(api, dept_admin, department):
    api.login(dept_admin)
    missing = api.post("/items", {"code": "X"})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid"
    wrong_type = api.post("/items", _payload(department, item_type="permit"))
    assert wrong_type.status_code == 422 and wrong_type.json()["field"] == "item_type"
    negative = api.post("/items", _payload(department, legal_limit_days=-3))
    assert negative.status_code == 422
    not_int = api.post("/items", {**_payload(department), "legal_limit_days": "abc"})
    assert not_int.status_code == 422
    unknown_dept = api.post("/items", {**_payload(department), "department": "NOPE"})
    assert unknown_dept.status_code == 422 and unknown_dept.json()["field"] == "department"


def test_duplicate_code_is_409(api, dept_admin, department):
    api.login(dept_admin)
    assert api.post("/items", _payload(department, code="DUP")).status_code == 201
    r = api.post("/items", _payload(department, code="DUP"))
    assert r.status_code == 409 and r.json()["code"] == "duplicate"


def test_department_admin_cannot_create_for_another_department(api, dept_admin, other_department):
    r = api.login(dept_admin).post("/items", _payload(other_department))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_window_staff_cannot_create(api, clerk, department):
    r = api.login(clerk).post("/items", _payload(department))
    assert r.status_code == 403


def test_center_admin_may_create_anywhere(api, center_admin, other_department):
    r = api.login(center_admin).post("/items", _payload(other_department))
    assert r.status_code == 201


def test_list_filters_and_shape(api, dept_admin, department, django_assert_max_num_queries):
    make_item(dept_admin, department, item_type="license", chief_list_included=True)
    make_item(dept_admin, department, item_type="public_service", chief_list_included=None)
    make_item(dept_admin, department, item_type="license", chief_list_included=None)
    api.login(dept_admin)
    r = api.get("/items", department=department.code)
    assert r.status_code == 200
    assert r.json()["count"] == 3 and len(r.json()["items"]) == 3
    assert api.get("/items", item_type="license").json()["count"] == 2
    assert api.get("/items", chief_list_included="true").json()["count"] == 1
    assert api.get("/items", chief_list_included="false").json()["count"] == 0
    assert api.get("/items", page_size=500).status_code == 422


def test_list_query_count_does_not_grow(api, dept_admin, department, django_assert_max_num_queries):
    for _ in range(12):
        make_item(dept_admin, department)
    api.login(dept_admin)
    with django_assert_max_num_queries(14):
        r = api.get("/items", department=department.code)
    assert r.json()["count"] == 12


def test_reads_are_scoped(api, dept_admin, department, other_admin, outsider):
    item = make_item(dept_admin, department)
    assert api.login(dept_admin).get(f"/items/{item.code}").status_code == 200
    assert api.login(other_admin).get(f"/items/{item.code}").status_code == 404
    assert api.login(other_admin).get("/items").json()["count"] == 0
    assert api.login(outsider).get(f"/items/{item.code}").status_code == 404


def test_unauthenticated_is_401(client):
    assert client.get("/api/v1/items").status_code == 401


def test_patch_makes_new_version_c42(api, dept_admin, department):
    """C-4.2: each change through the API makes a new version with who and why."""
    item = make_item(dept_admin, department, promised_limit_days=5)
    api.login(dept_admin)
    r = api.patch(f"/items/{item.code}", {"promised_limit_days": 3, "reason": "压缩承诺时限"})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2 and r.json()["promised_limit_days"] == 3
    versions = api.get(f"/items/{item.code}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["reason"] == "压缩承诺时限"
    # Without a reason the version records what changed.
    r = api.patch(f"/items/{item.code}", {"name": "新名称"})
    assert r.json()["version"] == 3
    assert "事项名称" in api.get(f"/items/{item.code}/versions").json()[0]["reason"]
    # No change, no version.
    assert api.patch(f"/items/{item.code}", {"name": "新名称"}).json()["version"] == 3


def test_patch_refusals(api, dept_admin, department, other_admin):
    item = make_item(dept_admin, department)
    r = api.login(other_admin).patch(f"/items/{item.code}", {"name": "x"})
    assert r.status_code == 403
    r = api.login(dept_admin).patch(f"/items/{item.code}", {"promised_limit_days": 99})
    assert r.status_code == 422 and r.json()["code"] == "L-LIMIT"
    r = api.patch("/items/NO-SUCH", {"name": "x"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = api.patch(f"/items/{item.code}", {"materials": [{"name": "相关材料"}]})
    assert r.status_code == 422 and r.json()["code"] == "R-14"


def test_export_route_is_not_taken_for_an_item_code(api, dept_admin, department):
    make_item(dept_admin, department, code="EXP-1")
    r = api.login(dept_admin).get("/items/export.xlsx", department=department.code)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:8] == (
        "序号",
        "实施部门",
        "事项名称",
        "办理项名称",
        "事项类型",
        "是否纳入首席服务员审批服务清单",
        "首席服务员",
        "未纳入原因",
    )
    assert rows[2][8] == "EXP-1"


def test_import_endpoint_accepts_multipart_and_rejects_garbage(api, dept_admin, department, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.login(dept_admin)
    make_item(dept_admin, department, code="IMP-1")
    content = api.get("/items/export.xlsx", department=department.code).content
    r = client.post(
        "/api/v1/items/import",
        {"file": SimpleUploadedFile("x.xlsx", content)},
        headers=api.headers,
    )
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 0, "updated": 0, "unchanged": 1}
    r = client.post(
        "/api/v1/items/import",
        {"file": SimpleUploadedFile("x.xlsx", b"not an excel file")},
        headers=api.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "file"
    r = client.post("/api/v1/items/import", {}, headers=api.headers)
    assert r.status_code == 422


def test_openapi_lists_the_item_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/items",
        "/api/v1/items/{code}",
        "/api/v1/items/export.xlsx",
        "/api/v1/items/import",
    ):
        assert path in paths


def test_import_endpoint_reports_every_bad_row(api, dept_admin, department, client):
    """R-14: a file with bad rows answers 422 with one entry per problem and imports nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.catalog.test_excel import _row, _sheet
    from zwfw.catalog.models import ServiceItem

    api.login(dept_admin)
    content = _sheet(
        [
            _row(department, 1, materials=[{"name": "有关材料"}]),
            _row(department, 2),
            _row(department, 3, chief_list_included=False),
        ]
    )
    r = client.post(
        "/api/v1/items/import", {"file": SimpleUploadedFile("x.xlsx", content)}, headers=api.headers
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "import_invalid"
    assert [(e["row"], e["code"]) for e in body["errors"]] == [
        (2, "R-14"),
        (4, "C-4.1"),
    ]
    assert not ServiceItem.objects.exists()


def test_window_staff_cannot_import(api, clerk, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.login(clerk)
    r = client.post(
        "/api/v1/items/import", {"file": SimpleUploadedFile("x.xlsx", b"x")}, headers=api.headers
    )
    assert r.status_code == 403


def test_center_admin_exports_every_department(
    api, center_admin, dept_admin, department, other_department
):
    make_item(dept_admin, department, code="E-A")
    make_item(center_admin, other_department, code="E-B")
    r = api.login(center_admin).get("/items/export.xlsx")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    codes = {row[8] for row in wb.worksheets[0].iter_rows(min_row=3, values_only=True)}
    assert codes == {"E-A", "E-B"}
