"""Journey: a joint case (一事联办) of two departments, from intake at the window (one union
checklist, R-18) and one acceptance of every part, to the applicant's single progress page
listing both departments' parts (L-LIMIT: the 45-working-day date is shown)."""

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_joint_case_from_intake_to_single_progress_page(page):
    from tests.cases.factories import make_item, org_applicant
    from zwfw.cases import joint
    from zwfw.workdays import loader

    loader.reset()
    center = CenterFactory(code="QL")
    market = DepartmentFactory(code="QLSJ", name="青岚市市场监督管理局", center=center)
    city = DepartmentFactory(code="QLCG", name="青岚市城市管理局", center=center)
    admin = staff("center_admin", department=market, center=center).user
    food = make_item(admin, market, name="食品经营许可")
    sign = make_item(admin, city, name="户外招牌设置许可")
    joint.create_theme(
        by=admin,
        center=center,
        code="T-CANYIN",
        name="开办餐饮店",
        lead_department=market,
        items=[(food, False), (sign, True)],
    )

    login(page, admin.username)
    page.goto("/joint-cases/new/")
    page.click('a[href="/joint-cases/new/T-CANYIN/"]')
    assert page.locator("#joint-intake input[value=营业执照]").count() == 1  # asked once
    page.fill("#id_title", "开办青岚小馆")
    page.fill("#id_name", "青岚小馆餐饮有限公司")
    page.fill("#id_credit_code", org_applicant().credit_code)
    page.fill("#id_phone", "13912345678")
    page.check("#joint-intake input[value=申请书]")
    page.check("#joint-intake input[value=营业执照]")
    page.click("#joint-intake button[type=submit]")
    page.wait_for_selector("text=已收件，联办编号")
    number = page.locator("h1").inner_text().replace("联办件", "").strip()
    page.click("#joint-accept")
    page.wait_for_selector("#joint-due")
    assert "已受理" in page.locator("#joint-status").inner_text()
    due = page.locator("#joint-due").inner_text()

    page.context.clear_cookies()
    page.goto("/public/joint/")
    page.fill("#id_number", number)
    page.fill("#id_phone_last4", "5678")
    page.click("button.primary")
    parts = page.locator("#joint-progress-parts").inner_text()
    assert "食品经营许可" in parts and "户外招牌设置许可" in parts
    assert "已受理" in page.locator("#joint-progress-status").inner_text()
    assert due in page.locator("#joint-progress").inner_text()
