"""Journey (R-14, C-4.1, C-4.2, R-18): a department administrator adds an item, is refused for
"其他材料", fixes it, submits the list; the coordination office approves it; the item is public."""

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_item_to_published_list(page):
    center = CenterFactory(code="JC", name="旅程市政务服务中心")
    department = DepartmentFactory(code="JCSJ", name="旅程市市场监督管理局", center=center)
    admin = staff("department_admin", department=department).user
    office = staff(
        "coordination_office", department=DepartmentFactory(center=center), center=center
    ).user

    login(page, admin.username)
    page.goto("/catalog/new/")
    page.fill("input[name=code]", "JCSJ-XK-001")
    page.fill("input[name=name]", "食品经营许可")
    page.fill("input[name=handling_name]", "新设")
    page.select_option("select[name=item_type]", "license")
    page.fill("input[name=promised_limit_days]", "5")
    page.check("input[name=high_frequency]")
    page.select_option("select[name=chief_list_included]", "yes")
    page.fill("input[name='materials-0-name']", "食品经营许可申请书")
    page.fill("input[name='materials-1-name']", "其他材料")
    page.fill("input[name='steps-0-name']", "受理")
    page.fill("input[name='steps-0-post']", "窗口受理岗")
    page.click("button[type=submit].primary")

    # Refused beside the material list, naming the phrase and the rule; nothing saved.
    refusal = page.locator("#materials .error")
    assert "其他材料" in refusal.inner_text() and "第十四条" in refusal.inner_text()
    page.fill("input[name='materials-1-name']", "营业执照")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/catalog/items/JCSJ-XK-001/")
    assert "已新增事项" in page.content() and "第1版" in page.content()

    page.goto(f"/catalog/lists/{department.code}/")
    assert "100.0%" in page.inner_text(".rate")
    page.click("#submit button[type=submit]")
    assert "清单已报送协调办公室" in page.content()

    page.context.clear_cookies()
    login(page, office.username)
    assert "旅程市市场监督管理局 报送的首席服务员清单待审核" in page.content()
    page.goto(f"/catalog/lists/{department.code}/")
    page.check("#review input[value=approve]")
    page.fill("#review textarea[name=comment]", "同意发布")
    page.click("#review button.primary")
    assert "已审核通过并发布" in page.content()

    page.context.clear_cookies()
    page.goto(f"/public/catalog/lists/{department.code}/")
    row = page.locator("table tbody tr").first
    assert "食品经营许可" in row.inner_text() and "是" in row.inner_text()
    page.click("text=食品经营许可")
    page.wait_for_url("**/public/catalog/items/JCSJ-XK-001/")
    assert "营业执照" in page.inner_text("#guide") and "其他材料" not in page.content()
