"""Public pages under /public/catalog/ (no login): items, printable guides, published lists."""

import datetime
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from tests.catalog.factories import item_data, make_item
from zwfw.catalog import services

pytestmark = pytest.mark.django_db

DAY1 = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
DAY2 = timezone.make_aware(datetime.datetime(2026, 3, 2, 10))


def _guide(html: str) -> str:
    return re.search(r'<article class="guide card".*?</article>', html, re.S).group(0)


def test_public_and_window_guides_are_identical_r18(client, dept_admin, clerk, department):
    """R-18, R-14: online and offline show the same guide, rendered from one published version."""
    make_item(dept_admin, department, code="PUB-1")
    public = client.get("/public/catalog/items/PUB-1/").content.decode()
    client.force_login(clerk)  # window staff see the guide at the counter
    window = client.get("/catalog/items/PUB-1/").content.decode()
    assert _guide(public) == _guide(window)
    assert "申请书" in _guide(public) and "不收费" in _guide(public)


def test_guide_in_force_on_a_date_c42(client, dept_admin, department):
    """C-4.2: ?on= shows the version in force on that day, on the public page too."""
    item = services.create_item(
        by=dept_admin,
        department=department,
        data=item_data(code="PUB-2", promised_limit_days=5),
        now=DAY1,
    )
    services.update_item(
        by=dept_admin,
        item=item,
        reason="压缩时限",
        now=DAY2,
        changes={"promised_limit_days": 2, "steps": [{"name": "受理", "post": "窗口", "days": 2}]},
    )
    old = client.get("/public/catalog/items/PUB-2/?on=2026-02-01").content.decode()
    new = client.get("/public/catalog/items/PUB-2/?on=2026-03-02").content.decode()
    assert "自受理之日起5个工作日办结" in old and "第1版" in old
    assert "自受理之日起2个工作日办结" in new and "第2版" in new
    assert client.get("/public/catalog/items/PUB-2/?on=2025-01-01").status_code == 404
    assert client.get("/public/catalog/items/PUB-2/?on=bad").status_code == 422


def test_guide_is_printable(client, dept_admin, department):
    make_item(dept_admin, department, code="PUB-3")
    html = client.get("/public/catalog/items/PUB-3/").content.decode()
    assert "window.print()" in html and "catalog/catalog.css" in html
    with open(finders.find("catalog/catalog.css"), encoding="utf-8") as css:
        assert "@media print" in css.read()


def test_public_item_list_search_and_filters(
    client, dept_admin, department, other_department, center_admin, django_assert_max_num_queries
):
    for n in range(8):
        make_item(dept_admin, department, name=f"食品经营许可{n}", item_type="license")
    make_item(center_admin, other_department, name="道路运输许可", item_type="public_service")
    make_item(
        dept_admin,
        department,
        name="主项",
        node_kind="main",
        on_application=False,
        chief_list_included=None,
    )
    make_item(dept_admin, department, name="已停用事项", active=False)
    with django_assert_max_num_queries(5):
        r = client.get("/public/catalog/")
    html = r.content.decode()
    assert r.status_code == 200 and "食品经营许可0" in html and "道路运输许可" in html
    assert "已停用事项" not in html and ">主项<" not in html
    assert (
        "道路运输许可"
        not in client.get(f"/public/catalog/?department={department.code}").content.decode()
    )
    assert (
        "食品经营许可0"
        not in client.get("/public/catalog/?item_type=public_service").content.decode()
    )
    found = client.get("/public/catalog/?q=道路").content.decode()
    assert "道路运输许可" in found and "食品经营许可0" not in found


def test_published_list_page_has_annex1_columns_n4(
    client, dept_admin, department, coordinator, django_assert_max_num_queries
):
    """N-4, C-4.1: the public list shows the columns of 附件1 and the reasons of exclusions."""
    make_item(dept_admin, department, name="高频许可", high_frequency=True)
    make_item(
        dept_admin,
        department,
        name="涉密事项",
        chief_list_included=False,
        exclusion_reason="classified",
        exclusion_note="涉及国家秘密",
    )
    assert client.get(f"/public/catalog/lists/{department.code}/").status_code == 404
    services.submit_list(by=dept_admin, department=department)
    services.approve_list(by=coordinator, department=department)
    with django_assert_max_num_queries(8):
        r = client.get(f"/public/catalog/lists/{department.code}/")
    html = r.content.decode()
    for column in (
        "序号",
        "实施部门",
        "事项名称",
        "办理项名称",
        "事项类型",
        "是否纳入首席服务员审批服务清单",
        "首席服务员",
        "未纳入原因",
    ):
        assert column in html
    assert "高频许可" in html and "涉密" in html
    assert department.name in client.get("/public/catalog/lists/").content.decode()
    assert client.get("/public/catalog/lists/NOPE/").status_code == 404


def test_guide_shows_steps_posts_and_reductions_r15(client, dept_admin, department):
    """R-15: the guide lists each step with its responsible post and the four reductions."""
    make_item(
        dept_admin,
        department,
        code="PUB-R",
        baseline_steps=5,
        baseline_materials=4,
        baseline_visits=3,
        visits_required=1,
    )
    guide = _guide(client.get("/public/catalog/items/PUB-R/").content.decode())
    assert "窗口受理岗" in guide and "审查岗" in guide and "首席服务员" in guide
    assert "精简情况" in guide and "40.0%" in guide  # steps: 5 → 3
    assert "75.0%" in guide  # days: 20 → 5


def test_api_refuses_a_step_without_post_r15(api, dept_admin, department):
    """R-15: each step names the post responsible for it."""
    payload = {**item_data(steps=[{"name": "审查", "post": " "}]), "department": department.code}
    r = api.login(dept_admin).post("/items", payload)
    assert r.status_code == 422 and r.json()["code"] == "R-15" and r.json()["field"] == "steps"
