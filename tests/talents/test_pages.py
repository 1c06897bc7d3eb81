"""Pages of talent services: window home (TW-9 overdue red, TC-4 gaps, TW-14 filings),
commissioner home (TC-17 filing and tasks), request page actions, public pages (TW-7, TW-10)."""

import datetime
import io
import re
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from tests.talents.conftest import TODAY
from zwfw.notifications.codes import latest_code_for_tests
from zwfw.talents import services
from zwfw.talents.models import Rating, TalentRequest

pytestmark = pytest.mark.django_db


def _request(setup, keys=("a",)):
    return services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[setup["items"][k] for k in keys],
        unit_commissioner=setup["uc"],
    )


def test_TW_9_window_page_overdue_task_red(
    client, setup, county_window, django_assert_max_num_queries
):
    r = _request(setup)
    _request(setup, ("a", "c"))
    task = r.tasks.get()
    later = task.due_date + datetime.timedelta(days=2)
    with time_machine.travel(
        datetime.datetime(later.year, later.month, later.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    ):
        client.force_login(setup["wc"].person.user)
        with django_assert_max_num_queries(40):
            page = client.get(f"/talents/windows/{county_window.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(rf'<tr class="level-red"><td><a href="/talents/requests/{r.pk}/"', html)
    assert "已超期" in html and "待窗口专员转办" in html


def test_TC_4_window_page_shows_gaps(client, center_admin, county_window, talent):
    client.force_login(center_admin)
    html = client.get(f"/talents/windows/{county_window.pk}/").content.decode()
    assert "没有单位专员" in html and "没有专职窗口专员" in html
    assert "林博远" not in html


def test_window_page_refuses_outsider(client, outsider, county_window):
    client.force_login(outsider)
    assert client.get(f"/talents/windows/{county_window.pk}/").status_code == 403
    assert client.get("/talents/").status_code == 403


def test_TC_17_commissioner_home_files_three_item_request(client, setup):
    client.force_login(setup["uc"].person.user)
    page = client.get("/talents/me/")
    assert page.status_code == 200 and "申办绿色通道事项" in page.content.decode()
    it = setup["items"]
    resp = client.post(
        "/talents/me/",
        {
            "commission": setup["uc"].pk,
            "items": [it["a"].code, it["b"].code, it["c"].code],
            "note": "",
        },
    )
    r = TalentRequest.objects.get()
    assert resp.status_code == 302 and r.status == "awaiting_dispatch"
    client.force_login(setup["wc"].person.user)
    assert f"申请{r.pk}" in client.get("/talents/me/").content.decode()
    client.post(f"/talents/requests/{r.pk}/dispatch/")
    r.refresh_from_db()
    assert r.status == "in_progress" and r.tasks.count() == 2
    ga = r.tasks.get(department__code="D-GA")
    client.force_login(setup["dc"]["D-GA"].person.user)
    assert "我的任务" in client.get("/talents/me/").content.decode()
    client.post(f"/talents/tasks/{ga.pk}/complete/", {"result": "已落户"})
    jt = r.tasks.get(department__code="D-JT")
    client.force_login(setup["dc"]["D-JT"].person.user)
    resp = client.post(
        f"/talents/tasks/{jt.pk}/delay/", {"explanation": "x", "new_due_date": "2020-01-01"}
    )
    assert resp.status_code == 302
    jt.refresh_from_db()
    assert jt.status == "open"  # refused: the date is not later
    ga.refresh_from_db()
    assert ga.status == "completed"


def test_TW_10_public_rating_with_sms_code_once(client, setup):
    r = _request(setup)
    services.complete_task(by=setup["dc"]["D-GA"].person.user, task=r.tasks.get(), result="已办")
    services.notify_talent(by=setup["uc"].person.user, request=r)
    r.refresh_from_db()
    url = f"/public/talents/rate/{r.rating_token}/"
    assert client.get(url).status_code == 200
    assert Rating.objects.count() == 0  # GET writes nothing
    client.post(url, {"action": "send"})
    code = latest_code_for_tests("13811112222")
    bad = client.post(
        url,
        {"action": "rate", "value": "5", "sms_code": "000000" if code != "000000" else "111111"},
    )
    assert bad.status_code == 200 and Rating.objects.count() == 0
    client.post(url, {"action": "send"})
    code = latest_code_for_tests("13811112222")
    client.post(url, {"action": "rate", "value": "4", "comment": "很好", "sms_code": code})
    assert Rating.objects.get(request=r).value == 4
    assert "您已评价" in client.get(url).content.decode()
    assert client.get("/public/talents/rate/nope/").status_code == 404


def test_TW_7_public_items_page(client, setup, county_window, center_admin):
    services.publish_item(
        by=center_admin,
        window=county_window,
        item=setup["items"]["direct"],
        min_level="B",
        rules_text="凭卡优先候检",
    )
    html = client.get("/public/talents/").content.decode()
    assert "人才绿色通道优先候检" in html and "B类及以上" in html and "凭卡优先候检" in html


def test_TC_16_talent_page_card_check(client, setup):
    client.force_login(setup["wc"].person.user)
    t = setup["talent"]
    html = client.get(f"/talents/people/{t.pk}/").content.decode()
    assert "林**" in html and "林博远" not in html and "13811112222" not in html
    resp = client.post(
        f"/talents/people/{t.pk}/",
        {"action": "card", "item": setup["items"]["direct"].code},
        follow=True,
    )
    assert "核验通过" in resp.content.decode()


def test_TW_14_filing_document_download(client, setup, county_window):
    with time_machine.travel(datetime.datetime(2025, 10, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client.force_login(setup["wc"].person.user)
        html = client.get(f"/talents/windows/{county_window.pk}/").content.decode()
        assert "逾期未备案" in html
        client.post(f"/talents/windows/{county_window.pk}/filings/", {"year": 2025, "quarter": 3})
        html = client.get(f"/talents/windows/{county_window.pk}/").content.decode()
    assert "逾期备案" in html
    link = re.search(r'href="(/talents/filings/\d+/snapshot.docx)"', html).group(1)
    resp = client.get(link)
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    assert "人才服务档案备案" in unquote(resp["Content-Disposition"])
    resp = client.get(link.replace(".docx", ".pdf"))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(resp.content)).pages)
    assert "档案备案表" in text and county_window.window.name in text


def test_TW_17_city_page_grades_county_and_records_interview(
    client, setup, county_window, center_admin
):
    city = county_window.parent
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client.force_login(center_admin)
        client.post(
            f"/talents/windows/{city.pk}/grades/",
            {"window": county_window.pk, "year": 2025, "manual_score": "5"},
        )
        grade = county_window.grades.get()
        assert grade.grade == "fail"
        client.post(
            f"/talents/windows/{city.pk}/grades/{grade.pk}/interview/",
            {
                "interviewee": "吴主任",
                "held_on": "2026-01-22",
                "notes": "约谈",
                "meeting_on": "2026-02-03",
                "meeting_explanation": "作出说明",
            },
        )
        html = client.get(f"/talents/windows/{city.pk}/").content.decode()
    assert "不达标" in html and "已约谈吴主任" in html


def test_menu_and_index(client, setup):
    client.force_login(setup["uc"].person.user)
    assert client.get("/talents/").status_code == 200
    assert "/talents/" in client.get("/").content.decode()
    assert TODAY


def test_TC_19_window_page_appoint_late_and_TW_7_publish_and_TC_20_training(
    client, setup, county_window, department
):
    from tests.factories import staff
    from zwfw.talents.models import Commissioner, ParentReport, Training

    client.force_login(setup["wc"].person.user)
    person = staff(None, department=department)
    resp = client.post(
        f"/talents/windows/{county_window.pk}/manage/",
        {
            "action": "appoint",
            "person": person.pk,
            "kind": "department",
            "department": "D-GA",
            "appointed_on": "2025-09-01",
        },
        follow=True,
    )
    assert "逾期备案" in resp.content.decode()
    assert Commissioner.objects.get(person=person).filings.get().late
    client.post(
        f"/talents/windows/{county_window.pk}/manage/",
        {
            "action": "publish",
            "item": setup["items"]["a"].code,
            "min_level": "C",
            "rules_text": "3日办结",
        },
    )
    assert ParentReport.objects.get().to_window == county_window.parent
    client.post(
        f"/talents/windows/{county_window.pk}/manage/",
        {
            "action": "training",
            "title": "政策培训",
            "held_on": "2025-09-15",
            "hours": "2",
            "attendees": [setup["wc"].pk, setup["uc"].pk],
        },
    )
    assert Training.objects.get().attendees.count() == 2
    assert (
        client.post(f"/talents/windows/{county_window.pk}/manage/", {"action": "x"}).status_code
        == 404
    )


def test_TC_16_window_registers_a_talent_with_a_card_on_the_page(client, setup, county_window):
    """TC-16: the window commissioner registers a talent and the card shown; the ID number is
    stored encrypted and masked on the page; a second card is added on the talent's page."""
    from tests.factories import valid_id_number
    from zwfw.talents.models import Talent

    client.force_login(setup["wc"].person.user)
    url = f"/talents/windows/{county_window.pk}/talents/"
    assert 'id="register-talent"' in client.get(url).content.decode()
    id_number = valid_id_number(datetime.date(1986, 4, 4), 41)
    data = {
        "name": "韩知远",
        "id_number": id_number,
        "phone": "13700001111",
        "employer": "示范大学",
        "level": "B",
        "card_kind": "yimeng",
        "card_number": "YM-2025-0099",
        "card_level": "B",
        "card_valid_to": "2027-12-31",
    }
    r = client.post(url, {**data, "card_level": ""})
    assert r.status_code == 422 and "惠才卡等级" in r.content.decode()
    r = client.post(url, data, follow=True)
    talent = Talent.objects.get(cards__number="YM-2025-0099")
    html = r.content.decode()
    assert id_number not in html and "13700001111" not in html and talent.masked_name in html
    r = client.post(
        f"/talents/people/{talent.pk}/",
        {
            "action": "add_card",
            "card_kind": "shandong",
            "card_number": "SD-2025-0007",
            "card_level": "A",
            "card_valid_to": "2028-06-30",
        },
    )
    assert r.status_code == 302 and talent.cards.count() == 2


def test_TC_19_commissioner_ended_on_the_page_and_filed(client, setup, county_window):
    c = setup["uc"]
    client.force_login(setup["wc"].person.user)
    page = client.get(f"/talents/commissioners/{c.pk}/").content.decode()
    assert 'id="form-end"' in page and "data-confirm" in page
    r = client.post(
        f"/talents/commissioners/{c.pk}/", {"action": "end", "ended_on": TODAY.isoformat()}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.ended_on == TODAY and c.filings.filter(change="ended").exists()
