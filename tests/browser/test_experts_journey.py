"""Journey (seed 000): the office opens a campaign, an organisation nominates with an
attachment, the notice runs and an objection is dismissed, the ballot is held, the second
notice and the inspection pass, the office approves, and the expert shows on the public page
with the studio. The clock moves forward through the year (next year, so always ahead)."""

import datetime

import pytest
import time_machine

from tests.browser.conftest import login
from tests.factories import DepartmentFactory, staff
from zwfw.experts.models import Campaign, IndustryCommittee, NominatingOrganisation, Sector

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEEDS = "扎根政务服务一线，熟悉审批业务，帮助企业解决手续办理难题。" * 20


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=True)


def switch(page, user) -> None:
    """A fresh session as `user` (the clock jumps ahead between steps)."""
    page.context.clear_cookies()
    login(page, user.username)


def test_experts_journey(page, center, tmp_path, settings):
    settings.REDIS_URL = ""  # rate counters in the test database
    y = datetime.date.today().year + 1
    D = lambda m, d: datetime.date(y, m, d)  # noqa: E731
    sectors = []
    for i in range(10):
        s = Sector.objects.create(code=f"J{i:02d}", name=f"领域{i}")
        IndustryCommittee.objects.create(sector=s, name=f"领域{i}工作委员会")
        sectors.append(s)
    office = staff(
        "expert_office", department=DepartmentFactory(center=center), center=center, name="姚办公"
    )
    org = NominatingOrganisation.objects.create(
        name="云溪县人民政府", kind="county", department=DepartmentFactory(name="云溪县人民政府")
    )
    org_person = staff("nominating_org", department=org.department, name="柯推荐")
    org.accounts.add(org_person.user)
    member = staff("industry_committee", name="宋委员")
    sectors[0].committee.members.add(member)
    voters = [staff(None, name=f"库员{i}") for i in range(3)]
    certificate = tmp_path / "证书.pdf"
    certificate.write_bytes(PDF)

    with at(D(4, 12)):
        switch(page, office.user)
        page.click("text=首席专家")
        page.click("text=部署年度选拔")
        page.fill("input[name=year]", str(y))
        page.fill("input[name=nomination_deadline]", D(6, 30).isoformat())
        for s in sectors:
            page.check(f"input[name=sectors][value='{s.pk}']")
        page.fill("input[name=deployment_start]", D(4, 12).isoformat())
        page.fill("input[name=deployment_end]", D(4, 30).isoformat())
        page.fill("input[name=ballot_start]", D(7, 1).isoformat())
        page.fill("input[name=ballot_end]", D(9, 30).isoformat())
        page.click("text=部署并发布")
        page.wait_for_selector(f"text=已部署{y}年度选拔")

        switch(page, org_person.user)
        page.goto("/experts/nominations/new/")
        page.select_option("select[name=sector]", str(sectors[0].pk))
        page.select_option("select[name=talent_type]", "composite")
        page.fill("input[name=name]", "闻知远")
        page.select_option("select[name=gender]", "female")
        page.fill("input[name=birth_date]", "1980-05-04")
        page.fill("input[name=phone]", "13905331234")
        page.fill("input[name=unit_start_date]", "2008-09-01")
        page.fill("input[name=field_start_date]", "2010-01-01")
        page.fill("textarea[name=deeds]", DEEDS)
        for name in ("political", "ethics", "health", "integrity"):
            page.check(f"input[name={name}]")
        page.click("text=提交推荐")
        page.wait_for_selector("text=已提交推荐申报")
        page.select_option("select[name=kind]", "award")
        page.set_input_files("input[name=file]", str(certificate))
        page.click("#form-attach button")
        page.wait_for_selector("text=已上传证明材料")
        page.click("text=发布公示")
        page.wait_for_selector("text=已公示")
        nomination_url = page.url

    with at(D(4, 13)):
        page.context.clear_cookies()
        page.goto("/public/experts/notices/")
        page.click("text=闻知远")
        page.fill("textarea[name=text]", "反映该同志获奖情况需要核实")
        page.click("text=提交异议")
        page.wait_for_selector("text=异议已收到")
        switch(page, org_person.user)
        page.goto(nomination_url)
        page.fill("input[name=finding]", "经核实获奖情况属实")
        page.click("text=记录核查结论")
        page.wait_for_selector("text=已记录异议核查结论")

    with at(D(4, 21)):
        switch(page, org_person.user)
        page.goto(nomination_url)
        page.click("text=公示期满无异议")
        page.wait_for_selector("text=已报送市选拔管理工作办公室")

    with at(D(7, 15)):
        switch(page, office.user)
        campaign = Campaign.objects.get(year=y)
        page.goto(f"/experts/pools/{campaign.pk}/{sectors[0].pk}/")
        page.select_option("select[name=members]", [str(v.pk) for v in voters])
        page.check("input[name=nominations]")
        page.click("text=保存专家库")
        page.wait_for_selector("text=已更新专家库")
        page.fill("textarea[name=discussion]", "逐一介绍事迹，充分讨论")
        for v in voters:
            page.locator(f"input[name=vote_{v.pk}]").first.check()
        page.click("text=记录投票并计票")
        page.wait_for_selector("text=记名投票结果")
        page.goto(nomination_url)
        page.click("text=发布建议人选公示")
        page.wait_for_selector("text=已公示")

    with at(D(7, 28)):
        switch(page, member.user)
        page.goto(nomination_url)
        page.fill("input[name=date]", D(7, 28).isoformat())
        page.check(f"input[name=members][value='{member.pk}']")
        page.fill("textarea[name=findings]", "实地考察业绩突出")
        page.click("text=记录考察")
        page.wait_for_selector("text=已记录实地考察")

        switch(page, office.user)
        page.goto(nomination_url)
        page.click("text=审定通过")
        page.wait_for_selector("text=已认定为首席专家")

        page.goto("/public/experts/")
        content = page.content()
        assert "闻知远" in content and "工作室" in content and "领域0" in content
