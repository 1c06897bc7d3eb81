"""Calendar pages, the edit form and the home panel, via the Django test client (L-CAL)."""

import datetime
import re

import pytest

from tests.workdays.conftest import d
from zwfw.core.models import AuditEvent
from zwfw.workdays import calendar, panels
from zwfw.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db

FORM_2027 = {
    "holidays": "2027-01-01~2027-01-03 元旦\n2027-02-05 至 2027-02-12 春节\n# 注释行\n\n"
    "2027-10-01~2027-10-07 国庆节",
    "adjusted_workdays": "2027-02-20 春节\n2027-10-09 国庆节",
    "source": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕1号）",
}


@pytest.fixture
def late_2026(time_machine):
    time_machine.move_to("2026-11-20 10:00 +08:00", tick=False)


def test_calendar_page_shows_twelve_months_with_marks(client, clerk, django_assert_max_num_queries):
    """L-CAL: 休 and 班 with names, twelve months, the notice as source."""
    client.force_login(clerk)
    client.get("/workdays/?year=2025")  # warm the in-memory calendar
    with django_assert_max_num_queries(12):
        r = client.get("/workdays/?year=2025")
    body = r.content.decode()
    assert r.status_code == 200
    assert len(re.findall(r'class="card month"', body)) == 12
    assert re.search(
        r"<span class=\"mark\">休</span><span class=\"label\">国庆节、中秋节</span>", body
    )
    assert re.search(
        r"<span class=\"mark\">班</span><span class=\"label\">国庆节、中秋节</span>", body
    )
    # 1/28 and 2/1 (a run is named again in each month), and the worked days 1/26, 2/8
    assert body.count('<span class="label">春节</span>') == 4
    assert "国务院办公厅关于2025年部分节假日安排的通知" in body
    assert "10月1日至10月8日放假，共8天" in body
    assert "尚未录入" not in body
    assert "录入2025年安排" not in body and "修改2025年安排" not in body  # clerk cannot edit


def test_provisional_year_has_a_banner(client, clerk):
    """L-CAL: a year without an official calendar says so."""
    client.force_login(clerk)
    body = client.get("/workdays/?year=2027").content.decode()
    assert "2027年尚未录入国务院办公厅正式公布的节假日安排" in body
    assert '<span class="mark">' not in body


def test_year_switcher_and_bad_year(client, clerk):
    client.force_login(clerk)
    body = client.get("/workdays/?year=2026").content.decode()
    assert 'href="?year=2025"' in body and 'href="?year=2027"' in body
    assert '<option value="2004">' in body
    assert client.get("/workdays/?year=abc").status_code == 200  # falls back to this year
    r = client.get("/workdays/?year=1990")
    assert r.status_code == 422 and "2004" in r.content.decode()


def test_page_needs_login(client):
    assert client.get("/workdays/").status_code == 302


def test_edit_page_is_for_center_admins(client, clerk, platform_admin):
    """L-CAL: only a center administrator may open the form."""
    client.force_login(clerk)
    assert client.get("/workdays/years/2027/edit/").status_code == 403
    client.force_login(platform_admin)
    r = client.get("/workdays/years/2026/edit/")
    assert r.status_code == 200
    assert "2026-02-15~2026-02-23 春节" in r.content.decode()


def test_center_admin_enters_2027_through_the_form(client, platform_admin, late_2026):
    """L-CAL: the form calls set_year; the calendar shows the new year at once."""
    client.force_login(platform_admin)
    r = client.post("/workdays/years/2027/edit/", FORM_2027)
    assert r.status_code == 302 and r["Location"] == "/workdays/?year=2027"
    row = CalendarYear.objects.get(year=2027)
    assert row.official and row.source.endswith("1号）") and row.holidays.count() == 18
    assert AuditEvent.objects.filter(action="set_calendar_year").count() == 1
    assert calendar.is_workday(d("2027-02-20")) and not calendar.is_workday(d("2027-02-08"))
    body = client.get("/workdays/?year=2027").content.decode()
    assert "尚未录入" not in body and '<span class="label">春节</span>' in body


@pytest.mark.parametrize(
    "change,field_text",
    [
        (
            {"adjusted_workdays": "2027-03-01 春节"},
            "只能安排在周六或周日（依据国务院办公厅关于年度部分节假日安排的通知）",
        ),
        ({"holidays": "2027-02-30 春节"}, "不是有效日期"),
        ({"holidays": "春节 2027-02-05"}, "格式不对"),
        (
            {"holidays": "2026-12-31 元旦"},
            "不在2027年内（依据国务院办公厅关于年度部分节假日安排的通知）",
        ),
        ({"holidays": ""}, "这个字段是必填项"),
    ],
)
def test_form_shows_errors_beside_fields(client, platform_admin, late_2026, change, field_text):
    """L-CAL: a refusal appears beside its field, nothing is saved."""
    client.force_login(platform_admin)
    r = client.post("/workdays/years/2027/edit/", {**FORM_2027, **change})
    assert r.status_code == 200
    body = r.content.decode()
    assert field_text in body
    assert re.search(r'class="field has-error"', body)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_past_year_form_asks_for_a_reason(client, platform_admin, late_2026):
    """L-CAL: past years are kept as they were unless a reason is given."""
    client.force_login(platform_admin)
    page = client.get("/workdays/years/2025/edit/").content.decode()
    assert "2025年已经结束" in page
    form = {"holidays": "2025-01-01 元旦", "adjusted_workdays": "", "source": ""}
    r = client.post("/workdays/years/2025/edit/", form)
    assert "请填写更正理由（依据国务院办公厅关于年度部分节假日安排的通知）" in r.content.decode()
    assert CalendarYear.objects.get(year=2025).revision == 1


def test_home_panel_reminds_center_admin_from_november(platform_admin, clerk):
    """L-CAL: from 1 November, center admins are asked to enter next year's notice."""
    assert panels.calendar_panel(platform_admin, today=datetime.date(2026, 10, 31)) is None
    panel = panels.calendar_panel(platform_admin, today=datetime.date(2026, 11, 1))
    assert panel.rows[0]["text"] == "请录入下一年度节假日安排（2027年）"
    assert panel.rows[0]["url"] == "/workdays/years/2027/edit/"
    assert panels.calendar_panel(clerk, today=datetime.date(2026, 11, 1)) is None
    overdue = panels.calendar_panel(platform_admin, today=datetime.date(2027, 1, 5))
    assert (
        overdue.rows[0]["level"] == "red" and "2027年尚无正式节假日安排" in overdue.rows[0]["text"]
    )


def test_home_page_shows_the_panel(client, platform_admin, late_2026):
    client.force_login(platform_admin)
    assert "请录入下一年度节假日安排（2027年）" in client.get("/").content.decode()


def test_admin_is_read_only(client, superuser):
    """L-CAL: no bypass of the audit trail through the admin."""
    client.force_login(superuser)
    row = CalendarYear.objects.get(year=2025)
    assert client.get(f"/admin/workdays/calendaryear/{row.pk}/change/").status_code == 200
    r = client.post(f"/admin/workdays/calendaryear/{row.pk}/change/", {"year": 2025})
    assert r.status_code == 403
    assert client.get("/admin/workdays/calendaryear/add/").status_code == 403
    assert (
        client.post(f"/admin/workdays/calendaryear/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert CalendarYear.objects.filter(pk=row.pk).exists()
