"""Issue 16: a citizen on a phone goes portal → search → guide → online application →
progress query; staff are asked before an irreversible action (point 4)."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _item():
    from tests.cases.factories import make_item

    center = CenterFactory(code="QL")
    department = DepartmentFactory(code="QLSJ", name="青岚市市场监督管理局", center=center)
    admin = staff("department_admin", department=department).user
    item = make_item(admin, department, name="食品经营许可")
    return department, item


def test_portal_to_progress_at_phone_width(phone_page):
    from zwfw.notifications.codes import latest_code_for_tests

    _, item = _item()
    page = phone_page
    page.goto("/public/")
    page.fill("#portal-q", "食品经营")
    page.click("#portal-search button[type=submit]")
    page.click(f"a[href='/public/catalog/items/{item.code}/']")
    page.wait_for_selector("#guide")
    page.click("a.button:has-text('网上申请')")
    page.select_option("select[name=kind]", "organisation")
    page.fill("input[name=name]", "青岚味道餐饮有限公司")
    from tests.cases.factories import org_applicant

    page.fill("input[name=credit_code]", org_applicant(seq=31).credit_code)
    page.fill("input[name=phone]", "13911112222")
    for i in range(2):
        page.check(f"input[name=material_{i}][value=electronic]")
    page.click("button[name=send_code]")
    page.wait_for_selector("#apply-notice")
    page.fill("input[name=sms_code]", latest_code_for_tests("13911112222"))
    page.click("button.primary[type=submit]")
    number = page.locator("#case-number").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto("/public/")
    page.fill("#portal-number", number.lower())  # any letter case
    page.fill("#portal-last4", "2222")
    page.click("#portal-progress button[type=submit]")
    page.wait_for_selector("#progress-status")
    assert "已收件" in page.locator("#progress-status").inner_text()
    assert page.locator("#stepbar li.current").inner_text() == "收件"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_irreversible_action_asks_first(browser, live_server):
    from tests.cases.factories import receive

    department, item = _item()
    clerk = staff("window_staff", department=department, name="苏晴").user
    case = receive(clerk, item, on=datetime.date.today())
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    login(page, clerk.username)
    page.goto(f"/cases/{case.number}/")
    page.fill("#form-refuse textarea[name=reason]", "申请事项依法不属于本机关职权范围")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("#form-refuse button[type=submit]")
    page.wait_for_timeout(300)
    assert asked == ["确定不予受理吗？此操作不可撤销。"]
    assert "已收件" in page.locator("#case-status").inner_text()  # dismissed: nothing sent
    page.once("dialog", lambda d: d.accept())
    page.click("#form-refuse button[type=submit]")
    page.wait_for_selector("#case-status:has-text('不予受理')")
    context.close()
