"""Journey (issue 15, TC-17 / TW-10): a unit commissioner files a three-item request, the
window commissioner dispatches it by department, one department completes, the other records
a delay (then completes), the unit commissioner tells the talent, and the talent rates the
request from the SMS link with an SMS code."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.talents.conftest import (  # noqa: F401  (fixtures, without the frozen day)
    city_window,
    county_center,
    county_window,
    dept_commissioners,
    employer_dept,
    items,
    setup,
    talent,
    unit_commissioner,
    window_commissioner,
)
from zwfw.notifications.codes import latest_code_for_tests
from zwfw.talents import services
from zwfw.talents.models import Rating, TalentRequest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_three_items_dispatched_completed_delayed_rated(page, setup):  # noqa: F811
    it = setup["items"]
    uc, wc, dc = setup["uc"], setup["wc"], setup["dc"]

    login(page, uc.person.user.username)
    page.goto("/talents/me/")
    for key in ("a", "b", "c"):
        page.check(f"input[name=items][value='{it[key].code}']")
    page.click("text=提交申请")
    page.wait_for_selector("text=已报窗口专员转办")
    r = TalentRequest.objects.get()
    assert r.status == "awaiting_dispatch"
    page.click("text=退出")

    login(page, wc.person.user.username)
    page.goto("/talents/me/")
    page.click(f"text=申请{r.pk}")
    page.click("text=按部门转办")
    page.wait_for_selector("text=已按部门转办，共2个任务")
    page.click("text=退出")

    ga = r.tasks.get(department__code="D-GA")
    jt = r.tasks.get(department__code="D-JT")
    login(page, dc["D-GA"].person.user.username)
    page.goto("/talents/me/")
    page.click(f"text=申请{r.pk}")
    page.fill(f"#task-{ga.pk} input[name=result]", "已办理落户和子女入学")
    page.click(f"#task-{ga.pk} .task-complete button")
    page.wait_for_selector("text=已办结，并已反馈单位专员和窗口专员")
    page.click("text=退出")

    login(page, dc["D-JT"].person.user.username)
    page.goto(f"/talents/requests/{r.pk}/")
    new_date = jt.due_date + datetime.timedelta(days=7)
    page.fill(f"#task-{jt.pk} .task-delay input[name=explanation]", "需省交通运输厅审核")
    page.fill(f"#task-{jt.pk} .task-delay input[name=new_due_date]", new_date.isoformat())
    page.click(f"#task-{jt.pk} .task-delay button")
    page.wait_for_selector("text=已报备延期")
    assert "需省交通运输厅审核" in page.content()
    page.click("text=退出")
    jt.refresh_from_db()
    assert jt.status == "delayed" and jt.due_date == new_date

    # The delayed task is finished later (set up through the service).
    services.complete_task(by=dc["D-JT"].person.user, task=jt, result="已开通便利服务")
    login(page, uc.person.user.username)
    page.goto(f"/talents/requests/{r.pk}/")
    page.click("button:has-text('告知人才')")
    page.wait_for_selector("text=已短信告知人才办理结果")
    page.click("text=退出")

    r.refresh_from_db()
    page.goto(f"/public/talents/rate/{r.rating_token}/")
    page.click("text=获取验证码")
    page.wait_for_selector("text=验证码已发送至138****2222")
    page.check("input[name=value][value='5']")
    page.fill("input[name=comment]", "专员服务非常周到")
    page.fill("input[name=sms_code]", latest_code_for_tests("13811112222"))
    page.click("text=提交评价")
    page.wait_for_selector("text=感谢您的评价")
    assert Rating.objects.get(request=r).value == 5
