"""Wiring of the staff pages under /catalog/ (Django test client)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.catalog.factories import make_item
from zwfw.catalog.models import ItemVersion, ServiceItem

pytestmark = pytest.mark.django_db


def _form(department, **overrides):
    data = {
        "code": "PG-1",
        "department": department.pk,
        "name": "网页新增事项",
        "handling_name": "新设",
        "item_type": "license",
        "exercise_level": "city",
        "node_kind": "handling",
        "handling_kind": "new",
        "on_application": "on",
        "legal_limit_days": "20",
        "promised_limit_days": "5",
        "chief_list_included": "yes",
        "applicant_kind": "both",
        "fee": "不收费",
        "apply_mode": "both",
        "visits_required": "1",
        "baseline_steps": "0",
        "baseline_materials": "0",
        "baseline_visits": "0",
        "reason": "新增事项",
    }
    for key, rows in {
        "materials": [{"name": "申请书", "copies": "1", "required": "on", "original": "on"}],
        "steps": [{"name": "受理", "post": "窗口受理岗", "days": "1"}],
        "special_steps": [],
        "scenarios": [],
    }.items():
        data[f"{key}-TOTAL_FORMS"] = str(len(rows) + 1)
        data[f"{key}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for k, v in row.items():
                data[f"{key}-{i}-{k}"] = v
    data.update(overrides)
    return data


def test_item_list_page_query_count(client, dept_admin, department, django_assert_max_num_queries):
    for _ in range(15):
        make_item(dept_admin, department)
    client.force_login(dept_admin)
    with django_assert_max_num_queries(12):
        r = client.get("/catalog/")
    assert r.status_code == 200
    assert "政务服务事项" in r.content.decode()


def test_create_page_saves_item_and_version(client, dept_admin, department):
    client.force_login(dept_admin)
    assert client.get("/catalog/new/").status_code == 200
    sample = SimpleUploadedFile(
        "申请书示范文本.pdf", b"%PDF-1.4 sample", content_type="application/pdf"
    )
    r = client.post("/catalog/new/", {**_form(department), "materials-0-sample_text": sample})
    assert r.status_code == 302, r.content.decode()[:3000]
    item = ServiceItem.objects.get(code="PG-1")
    version = ItemVersion.objects.get(item=item)
    assert version.number == 1
    assert version.data["materials"][0]["sample_text"].endswith(".pdf")
    # The sample text is downloadable from the public guide.
    r = client.get("/public/catalog/items/PG-1/v1/materials/1/sample/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"%PDF-1.4 sample"


def test_create_page_shows_r14_beside_the_materials(client, dept_admin, department):
    """R-14: the page refuses "其他材料" and names the phrase and the rule above the table."""
    client.force_login(dept_admin)
    r = client.post("/catalog/new/", _form(department, **{"materials-0-name": "其他材料"}))
    assert r.status_code == 200
    html = r.content.decode()
    assert "其他材料" in html and "进驻人员管理办法》第十四条" in html
    assert not ServiceItem.objects.filter(code="PG-1").exists()


def test_edit_page_requires_reason_c42(client, dept_admin, department):
    """C-4.2: an edit on the page without a reason is refused; with one it makes version 2."""
    item = make_item(dept_admin, department, code="PG-E")
    client.force_login(dept_admin)
    page = client.get("/catalog/items/PG-E/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    for key, formset in page.context["formsets"].items():
        mgmt = formset.management_form
        data[f"{key}-TOTAL_FORMS"] = mgmt.initial["TOTAL_FORMS"]
        data[f"{key}-INITIAL_FORMS"] = mgmt.initial["INITIAL_FORMS"]
        for i, f in enumerate(formset.initial_forms):
            for k, v in f.initial.items():
                if v is True:
                    data[f"{key}-{i}-{k}"] = "on"
                elif v is not False and v is not None:
                    data[f"{key}-{i}-{k}"] = v
    data["name"] = "改名后的事项"
    r = client.post("/catalog/items/PG-E/edit/", {**data, "reason": ""})
    assert r.status_code == 200 and "修改原因" in r.content.decode()
    item.refresh_from_db()
    assert item.version_number == 1
    r = client.post("/catalog/items/PG-E/edit/", {**data, "reason": "名称按省级目录调整"})
    assert r.status_code == 302, r.content.decode()[:2000]
    item.refresh_from_db()
    assert item.version_number == 2 and item.name == "改名后的事项"
    # Untouched materials and steps are kept.
    assert [m["name"] for m in item.versions.get(number=2).data["materials"]] == [
        "申请书",
        "营业执照",
    ]


def test_history_page_shows_field_differences_c42(client, dept_admin, department):
    """C-4.2: the history page lists who, when, why and the field-by-field differences."""
    from zwfw.catalog import services

    item = make_item(dept_admin, department, code="PG-H", promised_limit_days=5)
    services.update_item(
        by=dept_admin,
        item=item,
        changes={"promised_limit_days": 3, "steps": [{"name": "受理", "post": "窗口", "days": 1}]},
        reason="压缩时限",
    )
    client.force_login(dept_admin)
    r = client.get("/catalog/items/PG-H/history/?a=1&b=2")
    html = r.content.decode()
    assert r.status_code == 200
    assert "压缩时限" in html and "承诺时限（工作日）" in html
    assert client.get("/catalog/items/PG-H/history/?a=1&b=9").status_code == 404
    assert client.get("/catalog/items/PG-H/history/?a=x").status_code == 422


def test_detail_page_with_bad_date_is_not_500(client, dept_admin, department):
    make_item(dept_admin, department, code="PG-D")
    client.force_login(dept_admin)
    assert client.get("/catalog/items/PG-D/").status_code == 200
    assert client.get("/catalog/items/PG-D/?on=2026-13-45").status_code == 422
    assert client.get("/catalog/items/PG-D/?on=1999-01-01").status_code == 404
    assert client.get("/catalog/items/NOPE/").status_code == 404


def test_other_department_cannot_edit(client, dept_admin, department, other_admin):
    make_item(dept_admin, department, code="PG-X")
    client.force_login(other_admin)
    assert client.get("/catalog/items/PG-X/edit/").status_code == 404


def test_list_pages_render_with_bounded_queries(
    client, dept_admin, department, coordinator, django_assert_max_num_queries
):
    for _ in range(10):
        make_item(dept_admin, department)
    client.force_login(dept_admin)
    with django_assert_max_num_queries(20):
        r = client.get(f"/catalog/lists/{department.code}/")
    assert r.status_code == 200 and "纳入率" in r.content.decode()
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        assert client.get("/catalog/lists/").status_code == 200


def test_phrases_page(client, platform_admin, dept_admin):
    client.force_login(platform_admin)
    r = client.post("/catalog/phrases/", {"phrase": "各类证明"})
    assert r.status_code == 302
    client.force_login(dept_admin)
    assert client.post("/catalog/phrases/", {"phrase": "再一个"}).status_code == 200
    from zwfw.catalog.models import VaguePhrase

    assert not VaguePhrase.objects.filter(phrase="再一个").exists()


def test_home_panels(client, dept_admin, department, coordinator):
    from zwfw.catalog import services

    make_item(dept_admin, department, chief_list_included=None)
    client.force_login(dept_admin)
    html = client.get("/").content.decode()
    assert "1个事项未决定是否纳入清单" in html
    services.decide_inclusion(
        by=dept_admin, item=ServiceItem.objects.get(department=department), included=True
    )
    services.submit_list(by=dept_admin, department=department)
    client.force_login(coordinator)
    assert "报送的首席服务员清单待审核" in client.get("/").content.decode()
