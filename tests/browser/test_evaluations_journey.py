"""Journey: the center prints a window's QR sheet; an applicant scans it on a phone and gives
非常不满意 with a comment, confirming the phone with an SMS code; the department sees the
rectification ticket with its deadline (L-EVAL, N-18, issue 11 points 6 and 7)."""

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, WindowFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_window_qr_bad_review_reaches_the_department(page, phone_page, settings):
    from django.utils import timezone

    from zwfw.workdays import calendar, loader
    from zwfw.workdays import demo as workdays_demo

    workdays_demo.load()
    loader.reset()
    center = CenterFactory(code="QL", name="青岚市政务服务中心")
    department = DepartmentFactory(code="QLGA", name="青岚市公安局", center=center)
    window = WindowFactory(center=center, department=department, number="A01", name="公安窗口")
    center_admin = staff("center_admin", department=department, center=center).user
    dept_admin = staff("department_admin", department=department).user

    # The center prints the window's QR sheet; the QR encodes the sheet's rating address.
    login(page, center_admin.username)
    page.goto("/evaluations/qr/windows/")
    sheet = page.locator(f"#sheet-window-{window.pk}")
    assert sheet.locator("svg").count() == 1
    url = sheet.get_attribute("data-url")

    # An applicant scans it: a phone-sized page, no login, nothing pre-selected, the levels
    # best first (5 stars 非常满意 … 1 star 非常不满意).
    phone_page.goto(url)
    assert phone_page.locator("input[name=level]:checked").count() == 0
    values = phone_page.locator("input[name=level]").evaluate_all("els => els.map(e => e.value)")
    assert values == ["5", "4", "3", "2", "1"]
    phone_page.click("label.level-choice:has-text('非常不满意')")
    phone_page.check("input[name=tags][value=attitude]")
    phone_page.fill("textarea[name=comment]", "窗口人员态度冷淡，问了三遍才回答")
    # A bad review from a QR code: the rater confirms the phone with an SMS code (point 6).
    phone_page.fill("input[name=rater_phone]", "13912340000")
    phone_page.click("#send-code")
    phone_page.wait_for_selector("#code-notice")
    assert phone_page.locator("input[name=level][value='1']").is_checked()
    from zwfw.notifications.codes import latest_code_for_tests

    phone_page.fill("input[name=sms_code]", latest_code_for_tests("13912340000"))
    phone_page.wait_for_timeout(1200)  # a person takes a moment; robots are refused
    phone_page.click("#submit-rating")
    phone_page.wait_for_selector("#thanks")
    assert "非常不满意" in phone_page.locator("#thanks").inner_text()
    assert "回访核实" in phone_page.locator("#thanks").inner_text()

    # The department sees the ticket with its call-back deadline.
    due = calendar.add_workdays(timezone.localdate(), 1).strftime("%Y-%m-%d")
    page.context.clear_cookies()
    login(page, dept_admin.username)
    assert "差评整改" in page.content()
    page.goto("/evaluations/rectifications/?status=open")
    row = page.locator("tbody tr").first
    assert "非常不满意" in row.inner_text() and due in row.locator("td.due").inner_text()
    row.locator("a").first.click()
    page.wait_for_selector("#steps")
    steps = page.locator("#steps").inner_text()
    assert "回访核实" in steps and due in steps
    assert "窗口人员态度冷淡" in page.content()
