"""Staff pages of 好差评: wiring, errors beside fields with 4xx, masking, query counts."""

import datetime

import pytest
import time_machine

from tests.factories import WindowFactory, staff
from zwfw.evaluations import services, tokens
from zwfw.evaluations.models import Evaluation, EvaluatorDevice, Rectification, WindowVisit

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0), tick=False):
        yield


@pytest.fixture
def many(complete, window):
    """Ratings of every kind: case ratings, sheet ratings with tags, some bad (tickets)."""
    for i in range(4):
        case = complete(received_on=D(2026, 9, 21 + i))
        services.rate_case(
            case=case, level=5 - i, channel="sms", tags=["efficient"], on=D(2026, 9, 30)
        )
    for level in (5, 1, 2):
        services.rate_at_sheet(
            nonce=tokens.new_secret(),
            window=window,
            level=level,
            tags=["attitude"],
            rater_phone="13912345678",
            phone_confirmed=True,  # the rater's SMS code was checked
            on=D(2026, 9, 30),
        )


def test_index_lists_in_scope_with_bounded_queries(
    client, dept_admin, many, django_assert_max_num_queries
):
    """The list has no query per row (tags prefetched, relations joined)."""
    client.force_login(dept_admin)
    client.get("/evaluations/")  # warm the session
    with django_assert_max_num_queries(12):
        r = client.get("/evaluations/")
    body = r.content.decode()
    assert r.status_code == 200 and body.count("<tr") == 8  # header + 7 ratings
    assert "13912345678" not in body
    r = client.get("/evaluations/", {"bad": "1", "month": "2026-09"})
    assert r.content.decode().count("<tr") == 1 + 3


def test_outsider_sees_no_rating(client, outsider, many):
    client.force_login(outsider)
    assert "暂无评价" in client.get("/evaluations/").content.decode()
    e = Evaluation.objects.first()
    assert client.get(f"/evaluations/{e.pk}/").status_code == 404


def test_detail_masks_the_phone_and_department_appeals(client, dept_admin, many):
    """L-EVAL (申诉复核): the department files an appeal from the rating's page; a missing
    reason is shown beside the field with 400."""
    e = Evaluation.objects.filter(level=1, window__isnull=False).get()
    client.force_login(dept_admin)
    body = client.get(f"/evaluations/{e.pk}/").content.decode()
    assert "139****5678" in body and "13912345678" not in body and 'id="form-appeal"' in body
    r = client.post(f"/evaluations/{e.pk}/appeal/", {"reason": ""})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    r = client.post(f"/evaluations/{e.pk}/appeal/", {"reason": "恶意差评"})
    assert r.status_code == 302
    assert Evaluation.objects.get(pk=e.pk).appeal.status == "pending"


def test_l_eval_rectification_list_and_detail_show_due_dates_in_colour(
    client, dept_admin, many, django_assert_max_num_queries
):
    """L-EVAL: tickets with their current due date; overdue steps red (10-09, after 国庆)."""
    client.force_login(dept_admin)
    client.get("/evaluations/rectifications/")
    with django_assert_max_num_queries(12):
        r = client.get("/evaluations/rectifications/", {"status": "open"})
    body = r.content.decode()
    assert body.count("alert-red") == 4 and "2026-10-08（已逾期）" in body
    rect = Rectification.objects.filter(evaluation__window__isnull=False).first()
    body = client.get(f"/evaluations/rectifications/{rect.pk}/").content.decode()
    assert 'data-state="red"' in body and "2026-10-08" in body and "2026-10-13" in body
    assert 'id="form-callback"' in body and 'id="form-rectify"' not in body


def test_l_eval_rectification_actions_on_the_page(client, dept_admin, many):
    """L-EVAL: each step by form; a refused step shows its message beside the field (400)."""
    rect = Rectification.objects.filter(evaluation__window__isnull=False).first()
    client.force_login(dept_admin)
    url = f"/evaluations/rectifications/{rect.pk}/"
    r = client.post(url + "callback/", {"callback-finding": "true", "callback-note": ""})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    r = client.post(url + "callback/", {"callback-finding": "true", "callback-note": "已回访"})
    assert r.status_code == 302
    r = client.post(url + "close/", {"close-result": "x"})
    assert r.status_code == 400 and "不能办结" in r.content.decode()
    r = client.post(url + "extend/", {"extend-days": "11", "extend-reason": "会商"})
    assert r.status_code == 400 and "15个工作日" in r.content.decode()
    for action, data in [
        ("rectify", {"rectify-note": "整改"}),
        ("report_back", {"report_back-note": "反馈"}),
        ("close", {"close-result": "结果"}),
    ]:
        assert client.post(url + f"{action}/", data).status_code == 302
    rect.refresh_from_db()
    assert rect.status == "closed" and rect.on_time is False
    assert client.post(url + "explode/", {}).status_code == 404


def test_appeal_list_has_no_query_per_row(
    client, dept_admin, center_admin, many, django_assert_max_num_queries
):
    for e in Evaluation.objects.filter(good=False):
        services.file_appeal(evaluation=e, by=dept_admin, reason="误评")
    client.force_login(center_admin)
    client.get("/evaluations/appeals/")
    with django_assert_max_num_queries(10):
        body = client.get("/evaluations/appeals/").content.decode()
    assert body.count('id="appeal-') == 3


def test_appeal_page_center_decides(client, dept_admin, center_admin, many):
    e = Evaluation.objects.filter(level=1, window__isnull=False).get()
    appeal = services.file_appeal(evaluation=e, by=dept_admin, reason="误评")
    client.force_login(center_admin)
    body = client.get("/evaluations/appeals/", {"status": "pending"}).content.decode()
    assert f'id="appeal-{appeal.pk}"' in body and "误评" in body
    r = client.post(f"/evaluations/appeals/{appeal.pk}/decide/", {"upheld": "1", "opinion": ""})
    assert r.status_code == 400
    r = client.post(f"/evaluations/appeals/{appeal.pk}/decide/", {"upheld": "1", "opinion": "成立"})
    assert r.status_code == 302
    assert Evaluation.objects.get(pk=e.pk).excluded
    assert "已申诉核减" in client.get("/evaluations/").content.decode()


def test_statistics_page_with_charts_and_xlsx(client, center_admin, many, clerk):
    client.force_login(center_admin)
    r = client.get("/evaluations/statistics/", {"month": "2026-09", "dimension": "department"})
    body = r.content.decode()
    assert r.status_code == 200 and "vendor/echarts.min.js" in body and 'id="chart-data"' in body
    assert 'id="stats"' in body and "好评率" in body
    r = client.get(
        "/evaluations/statistics/", {"month": "2026-09", "dimension": "window", "format": "xlsx"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    r = client.get("/evaluations/statistics/", {"month": "soon"})
    assert r.status_code == 400 and "YYYY-MM" in r.content.decode()
    client.force_login(clerk)
    assert client.get("/evaluations/statistics/").status_code == 403


def test_devices_page_shows_the_token_once(client, center_admin, window, dept_admin):
    client.force_login(center_admin)
    r = client.post("/evaluations/devices/", {"window": window.pk, "name": "A01评价器"})
    assert r.status_code == 201
    token = r.content.decode().split('id="device-token">')[1].split("<")[0]
    device = EvaluatorDevice.objects.get()
    assert device.token_digest == tokens.digest(token)
    assert token not in client.get("/evaluations/devices/").content.decode()
    assert client.post("/evaluations/devices/", {"window": "", "name": "x"}).status_code == 400
    r = client.post(f"/evaluations/devices/{device.pk}/deactivate/")
    assert r.status_code == 302 and not EvaluatorDevice.objects.get().active
    client.force_login(dept_admin)
    assert client.get("/evaluations/devices/").status_code == 403


def test_qr_sheets_per_window_and_staff(client, center_admin, window, department, clerk):
    """QR sheets (segno SVG inline) for every window of a center and each staff member."""
    WindowFactory(center=window.center, department=department, number="A02")
    client.force_login(center_admin)
    body = client.get("/evaluations/qr/windows/").content.decode()
    assert body.count("<svg") == 2 and f'id="sheet-window-{window.pk}"' in body
    assert "/public/rate/window/" in body
    body = client.get("/evaluations/qr/staff/", {"department_id": department.pk}).content.decode()
    assert f'id="sheet-staff-{clerk.person.pk}"' in body and "/public/rate/staff/" in body


def test_window_staff_opens_a_visit_with_a_one_time_qr(client, clerk, window, case):
    """N-18: the service ends, the page shows a one-time rating QR (一次一评)."""
    client.force_login(clerk)
    assert client.get("/evaluations/visits/new/").status_code == 200
    r = client.post("/evaluations/visits/new/", {"window": window.pk, "case": case.number})
    body = r.content.decode()
    assert r.status_code == 201 and "<svg" in body and "/public/rate/visit/" in body
    visit = WindowVisit.objects.get()
    assert visit.case == case and visit.created_by == clerk
    r = client.post("/evaluations/visits/new/", {"window": window.pk, "case": "NOPE"})
    assert r.status_code == 400 and "未找到该办件" in r.content.decode()


def test_home_page_shows_the_panels(client, dept_admin, many):
    client.force_login(dept_admin)
    body = client.get("/").content.decode()
    assert "差评整改（按期限排序）" in body


def test_other_department_admin_cannot_act_on_a_ticket(client, many, other_department):
    rect = Rectification.objects.filter(evaluation__window__isnull=False).first()
    other = staff("department_admin", department=other_department).user
    client.force_login(other)
    assert client.get(f"/evaluations/rectifications/{rect.pk}/").status_code == 404
