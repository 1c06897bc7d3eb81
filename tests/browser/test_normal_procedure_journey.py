"""Journey: an item left off the chief list goes through the normal procedure; 承办, 审核 and
审批 each log in and record their step on the case page; the last step decides (N-4, R-15,
N-13)."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import CenterFactory, DepartmentFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_normal_procedure_case_through_three_steps(page):
    from tests.cases.factories import receive
    from tests.cases.test_normal_procedure import excluded_item
    from zwfw.cases import services
    from zwfw.org import posts
    from zwfw.workdays import loader

    loader.reset()
    center = CenterFactory(code="QL")
    department = DepartmentFactory(code="QLGA", name="青岚市公安局", center=center)
    admin = staff("department_admin", department=department).user
    item = excluded_item(admin, department)
    clerk = staff("window_staff", department=department, name="苏晴").user
    holders = {}
    for post, name in (("承办", "韩雪"), ("审核", "邹建明"), ("审批", "秦振华")):
        person = staff("window_staff", department=department, name=name)
        posts.assign_post(by=admin, person=person, post=post, valid_from=datetime.date(2025, 1, 1))
        holders[post] = person.user
    today = datetime.date.today()
    case = receive(clerk, item, on=today)
    case = services.accept_case(case=case, by=clerk, on=today)

    for post, result in (("承办", None), ("审核", "approve"), ("审批", "approve")):
        page.context.clear_cookies()
        login(page, holders[post].username)
        assert case.number in page.content()  # 待我办理 on the home page
        page.goto(f"/cases/{case.number}/")
        page.fill("#form-step textarea[name=opinion]", f"{post}意见：符合条件")
        if result:
            page.check(f"#form-step input[name=result][value={result}]")
        page.click("#form-step button[type=submit]")
        page.wait_for_selector(f"text=已办理“{post}”环节")

    assert "已作出决定" in page.locator("#case-status").inner_text()
    steps = page.locator("#steps tr.step-done")
    assert steps.count() == 3
    assert "秦振华" in steps.nth(2).inner_text()
    assert "决定人 秦振华，依据办理岗位“审批”" in page.content()
