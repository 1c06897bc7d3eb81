"""Journey: a department admin proposes a chief service officer, the leading group approves,
the authorization letter downloads and the officer appears on the public list (N-10, C-A2)."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import staff
from tests.grants.factories import candidate, item, leader

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_propose_approve_download_and_publish(page, department, center):
    admin = staff("department_admin", department=department, name="部门管理员甲")
    person = candidate(department, name="陆文博", phone="13712345678")
    final = item(department, name="保安服务公司设立许可")
    preliminary = item(department, name="典当业特种行业许可证核发")
    chair = leader(center)
    today = datetime.date.today()

    login(page, admin.user.username)
    page.click("text=授权管理")
    page.click("text=提名人选")
    assert "提名首席服务员（首席代表）人选" in page.content()
    page.select_option("select[name=grantee]", str(person.pk))
    # Issue 16 point 5: a choice with consequences starts at "请选择".
    assert page.input_value("select[name=role]") == ""
    page.select_option("select[name=role]", "chief_service_officer")
    page.check(f"input[name=final_items][value='{final.pk}']")
    page.check(f"input[name=preliminary_items][value='{preliminary.pk}']")
    page.fill("input[name=valid_from]", today.isoformat())
    page.fill("input[name=valid_to]", today.replace(year=today.year + 2).isoformat())
    page.fill("textarea[name=justification]", "熟悉治安审批业务")
    page.click("text=提交人选建议")
    page.wait_for_selector("text=人选建议已提交")
    assert "待领导小组研究" in page.content()
    page.click("text=退出")

    login(page, chair.user.username)
    assert "待领导小组研究的人选建议" in page.content()
    page.click("text=示范市公安局提名陆文博为首席服务员")
    assert page.locator("input[name=result]:checked").count() == 0  # no preset decision
    page.check("input[name=result][value=approve]")
    page.fill("textarea[name=note]", "同意授权")
    page.click("text=记录决定")
    page.wait_for_selector("text=领导小组已同意")
    assert "保安服务公司设立许可" in page.content()
    with page.expect_download() as info:
        page.click("text=下载授权委托书（Word）")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    assert "陆文博" in download.suggested_filename

    page.goto("/public/grants/")
    content = page.content()
    assert "陆文博" in content
    assert "保安服务公司设立许可" in content
    assert "137****5678" in content and "13712345678" not in content
