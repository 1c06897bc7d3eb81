"""Journey: a department applies to station a person, the center reviews with the HR
department and admits (R-6 … R-8), then publishes the monthly bulletin and downloads it as
an .xlsx (R-21)."""

import datetime

import pytest

from tests.browser.conftest import login
from tests.factories import PersonFactory, SectionFactory, staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_apply_admit_publish_and_download_bulletin(page, department, center):
    admin = staff("department_admin", department=department, name="部门管理员乙")
    chief = staff("center_admin", department=department, center=center, name="中心主任丙")
    section = SectionFactory(department=department, name="政务服务科", is_service_section=True)
    person = PersonFactory(
        department=department, section=section, name="许清扬", birth_date=datetime.date(1992, 4, 1)
    )
    today = datetime.date.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)

    login(page, admin.user.username)
    page.goto("/staff/")
    page.click("text=申请进驻")
    page.select_option("select[name=department]", str(department.pk))
    page.select_option("select[name=person]", str(person.pk))
    page.fill("input[name=start_date]", last_month.isoformat())
    page.click("text=提交申请")
    page.wait_for_selector("text=已提交进驻申请")
    assert "待中心审核" in page.content()
    page.click("text=退出")

    login(page, chief.user.username)
    page.goto("/staff/admissions/?status=applied")
    page.click("text=许清扬")
    page.select_option("select[name=result]", "pass")
    page.fill("input[name=hr_reviewer]", "区委组织部 干部科")
    page.check("input[name=union_transferred]")
    page.click("text=记录审核结果")
    page.wait_for_selector("text=已记录审核结果")
    assert "已进驻" in page.content()

    page.goto(f"/staff/assessments/?month={last_month:%Y-%m}&center={center.code}")
    page.click("text=发布每月通报")
    page.wait_for_selector("text=已发布每月通报")
    assert "许清扬" in page.content()
    with page.expect_download() as info:
        page.click("#bulletin-xlsx")
    assert info.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as info:
        page.click("#bulletin-pdf")
    assert info.value.suggested_filename.endswith(".pdf")
