"""Journey: window staff take in an application missing a material, issue the one-time notice,
record the supplement, accept; the chief service officer decides; the applicant sees the
result in the public progress query (R-16, L-ACCEPT, N-13)."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, staff, valid_id_number

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_case_from_intake_to_public_result(page, browser, live_server):
    from tests.cases.factories import grant_for, make_item, officer
    from zwfw.workdays import loader

    loader.reset()
    center = CenterFactory(code="QL")
    department = DepartmentFactory(code="QLGA", name="青岚市公安局", center=center)
    admin = staff("department_admin", department=department).user
    center_admin = staff("center_admin", department=department, center=center).user
    item = make_item(admin, department, name="保安服务公司设立许可", promised=20)
    clerk = staff("window_staff", department=department, name="苏晴").user
    chief = officer(department, name="陆文博")
    grant_for(
        center_admin,
        department,
        chief,
        final=[item],
        valid_from=datetime.date.today() - datetime.timedelta(days=30),
        valid_to=datetime.date.today() + datetime.timedelta(days=700),
    )

    login(page, clerk.username)
    page.goto(f"/cases/new/{item.code}/")
    page.select_option("select[name=kind]", "person")
    page.fill("input[name=name]", "张晓明")
    page.fill("input[name=id_number]", valid_id_number(datetime.date(1990, 5, 6), 21))
    page.fill("input[name=phone]", "13912345678")
    page.check("input[name=material_0][value=paper]")  # 申请书; 营业执照 is missing
    page.click("text=确认收件")
    page.wait_for_selector("#case-status")
    number = page.locator("h1").inner_text().replace("办件", "").strip()
    assert "已收件" in page.locator("#case-status").inner_text()

    page.click("#form-supplement_notice button[type=submit]")
    page.wait_for_selector("text=待补正")
    assert "营业执照" in page.content()

    page.check("#form-supplement input[value=paper]")
    page.click("#form-supplement button[type=submit]")
    page.wait_for_selector("text=补正材料已齐全")
    page.locator("form[action$='/accept/'] button").click()
    page.wait_for_selector("#case-status:has-text('已受理')")

    page.context.clear_cookies()
    login(page, chief.user.username)
    page.goto(f"/cases/{number}/")
    page.check("#form-decide input[value=approve]")
    page.fill("#form-decide textarea[name=opinion]", "符合条件，准予许可")
    page.click("#form-decide button[type=submit]")
    page.wait_for_selector("#case-status:has-text('已作出决定')")

    public = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844}
    ).new_page()
    public.goto("/public/cases/")
    public.fill("input[name=number]", number)
    public.fill("input[name=phone_last4]", "5678")
    public.click("button[type=submit]")
    public.wait_for_selector("#progress-status")
    assert "已作出决定" in public.locator("#progress-status").inner_text()
    body = public.content()
    assert "准予许可" in body and "营业执照" in body and "13912345678" not in body
    assert "张*" in body
