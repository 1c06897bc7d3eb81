"""Journey: the supervisor draws cases and inspectors at random and replays the draw; the
inspector records a problem; the department sees the rectification with its due date (N-17)."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_draw_inspect_and_rectify(page, live_server):
    from tests.supervision.factories import closed_case, inspector
    from zwfw.workdays import demo as workdays_demo
    from zwfw.workdays import loader

    # Live-server tests flush the database: restore the seeded official calendars.
    workdays_demo.load()
    loader.reset()
    today = datetime.date.today()
    center = CenterFactory(code="QL")
    ga = DepartmentFactory(code="QLGA", name="青岚市公安局", center=center)
    jt = DepartmentFactory(code="QLJT", name="青岚市交通运输局", center=center)
    supervisor = staff("supervisor", department=jt, center=center, name="袁清和").user
    checker = inspector(jt, name="程立新")
    ga_admin = staff("department_admin", department=ga, name="杜海峰").user
    case = closed_case(ga, on=today - datetime.timedelta(days=3))

    login(page, supervisor.username)
    page.goto("/supervision/draws/new/")
    page.fill("input[name=period_start]", (today - datetime.timedelta(days=10)).isoformat())
    page.fill("input[name=period_end]", (today - datetime.timedelta(days=1)).isoformat())
    page.check(f"input[name=departments][value='{ga.pk}']")
    page.fill("input[name=size]", "1")
    page.fill("input[name=seed]", "2026")
    page.click("text=抽取并分派")
    page.wait_for_selector("text=已抽取1件办件")
    assert case.number in page.content() and "程立新" in page.content()
    page.click("text=复核抽取结果")
    page.wait_for_selector("text=复核一致")
    page.click("text=退出")

    login(page, checker.user.username)
    page.click(f"text={case.number}")
    page.check("input[name=result][value=problem]")
    page.select_option("select[name=category]", "missing_materials")
    page.fill("textarea[name=note]", "缺少营业执照复印件")
    page.click("text=提交检查结论")
    page.wait_for_selector(f"text=已记录办件{case.number}的检查结论")
    page.click("text=退出")

    login(page, ga_admin.username)
    assert "抽查发现问题待整改" in page.content()
    page.click(f"text={case.number} 材料不全")
    page.fill("textarea[name=measures]", "已补齐材料并归档")
    page.click("button:has-text('登记整改')")
    page.wait_for_selector("text=已登记整改情况")
    assert "已整改" in page.content()
