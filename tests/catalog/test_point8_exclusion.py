"""Issue 11 point 8 (C-4.1, API.md): the exclusion reason alone excludes an item."""

import pytest

from tests.catalog.factories import make_item
from zwfw.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db


def _api_md_body(department, code: str) -> dict:
    """Exactly the fields API.md documents for POST /api/v1/items, no exclusion_note."""
    return {
        "code": code,
        "name": "涉密事项许可",
        "department": department.code,
        "item_type": "license",
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "immediate": False,
        "high_frequency": False,
        "materials": [
            {
                "name": "申请书",
                "required": True,
                "original": True,
                "copies": 1,
                "electronic_ok": True,
            }
        ],
        "chief_list_included": False,
        "exclusion_reason": "classified",
    }


def test_point8_c41_create_excluded_item_with_reason_only(api, dept_admin, department):
    """C-4.1 / API.md: POST /items with exclusion_reason and no exclusion_note is accepted."""
    r = api.login(dept_admin).post("/items", _api_md_body(department, "P8-1"))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["chief_list_included"] is False
    assert body["exclusion_reason"] == "classified"
    assert body["exclusion_note"] == ""


def test_point8_c41_patch_excludes_with_reason_only(api, dept_admin, department):
    """C-4.1 / API.md: PATCH with chief_list_included false and a reason alone excludes."""
    item = make_item(dept_admin, department, code="P8-2")
    r = api.login(dept_admin).patch(
        f"/items/{item.code}", {"chief_list_included": False, "exclusion_reason": "life_property"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["exclusion_reason"] == "life_property"


def test_point8_c41_reason_still_required(api, dept_admin, department):
    """C-4.1: one of the three reasons stays mandatory."""
    body = _api_md_body(department, "P8-3")
    del body["exclusion_reason"]
    r = api.login(dept_admin).post("/items", body)
    assert r.status_code == 422
    assert r.json()["code"] == "C-4.1" and r.json()["field"] == "exclusion_reason"


def test_point8_c41_inclusion_page_excludes_without_note(client, dept_admin, department):
    """C-4.1: the chief-list inclusion page accepts a reason with an empty note."""
    item = make_item(dept_admin, department, code="P8-4", chief_list_included=None)
    client.force_login(dept_admin)
    r = client.post(
        f"/catalog/items/{item.code}/inclusion/",
        {"included": "no", "exclusion_reason": "public_safety", "exclusion_note": ""},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    item = ServiceItem.objects.get(pk=item.pk)
    assert item.chief_list_included is False and item.exclusion_reason == "public_safety"
    page = client.get(f"/catalog/items/{item.code}/").content.decode()
    assert "重大公共安全" in page
