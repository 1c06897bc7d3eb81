"""Journey: a demo user logs in and sees the Chinese home page, at phone width too."""

import pytest

from tests.browser.conftest import login
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_demo_window_staff_logs_in_and_sees_chinese_home(phone_page):
    from zwfw.org import demo

    demo.load()
    login(phone_page, "ga_chuangkou", demo.DEMO_PASSWORD)
    assert "您好，苏晴" in phone_page.content()
    assert "窗口工作人员（青岚市公安局）" in phone_page.content()
    assert "今日待办" in phone_page.content()
    assert phone_page.locator("html").get_attribute("lang") == "zh-CN"


def test_wrong_password_shows_chinese_error(page, department):
    person = staff("window_staff", department=department)
    page.goto("/login/")
    page.fill("input[name=username]", person.user.username)
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "账号或密码错误" in page.content()
