"""The public rating pages (no login): a GET never records, nothing is pre-selected, robots
and repeats are refused, and the rater's data stay confidential (N-18, R-16, L-EVAL)."""

import datetime
import io
import re

import pytest
import time_machine
from django.db import connection

from zwfw.evaluations import links, services
from zwfw.evaluations.models import Evaluation, Rectification

D = datetime.date
pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 10, 9, 10, 0)


def form_token(body: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', body).group(1)


def path_of(url: str) -> str:
    return url.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]


def open_and_submit(client, url, data, *, wait=5):
    """Open the page, wait like a person, submit; returns the POST response."""
    with time_machine.travel(START, tick=False) as traveller:
        page = client.get(url)
        assert page.status_code == 200
        traveller.shift(datetime.timedelta(seconds=wait))
        return client.post(url, {"form_token": form_token(page.content.decode()), **data})


def test_r16_sms_link_shows_a_form_without_recording_or_preselecting(client, case):
    """R-16 / ARCHITECTURE Lessons: the GET of a link never records a rating; no level is
    pre-selected (ratings are voluntary)."""
    url = links.case_path(case.number, "sms")
    r = client.get(url)
    body = r.content.decode()
    assert r.status_code == 200 and "非常不满意" in body and case.number in body
    radios = re.findall(r'<input type="radio"[^>]*>', body)
    assert len(radios) == 5 and not any("checked" in tag for tag in radios)
    assert not Evaluation.objects.exists()


def test_n18_case_link_rates_once(client, case):
    """N-18: the link records one online rating (channel from the link); after that the page
    only thanks."""
    url = links.case_path(case.number, "sms")
    r = open_and_submit(client, url, {"level": "4", "tags": ["efficient"], "comment": "很快"})
    assert r.status_code == 201 and "感谢您的评价" in r.content.decode()
    e = Evaluation.objects.get()
    assert (e.channel, e.level, e.comment) == ("sms", 4, "很快")
    r = client.get(url)
    assert "该办件已评价" in r.content.decode()
    web = links.case_path(case.number, "web")
    assert "该办件已评价" in client.get(web).content.decode()


def test_robot_defences_refuse_and_write_nothing(client, case):
    """A filled honeypot, a foreign or forged form token: 400, nothing saved. (A quick form is
    no robot's sign: issue 16 point 6, tests/cases/test_public_progress_page.py.)"""
    url = links.case_path(case.number, "qr")
    r = open_and_submit(client, url, {"level": "1", "website": "http://spam"})
    assert r.status_code == 400 and "提交失败" in r.content.decode()
    other = links.case_path("QL-20260101-99999", "qr")
    with time_machine.travel(START, tick=False) as traveller:
        token = form_token(client.get(url).content.decode())
        traveller.shift(datetime.timedelta(seconds=5))
        assert client.post(other, {"form_token": token, "level": "5"}).status_code == 404
        r = client.post(url, {"form_token": token + "x", "level": "5"})
    assert r.status_code == 400 and "表单无效" in r.content.decode()
    r = open_and_submit(client, url, {"level": ""})
    assert r.status_code == 400 and "请选择评价等级" in r.content.decode()
    assert not Evaluation.objects.exists()


def test_form_expires(client, case, settings):
    settings.ZWFW_EVAL_FORM_MAX_AGE = 60
    r = open_and_submit(client, links.case_path(case.number, "qr"), {"level": "5"}, wait=120)
    assert r.status_code == 400 and "请刷新" in r.content.decode()


def test_rate_limit_per_address(client, window, settings):
    settings.ZWFW_EVAL_PUBLIC_LIMIT = (2, 600)
    url = path_of(links.window_url(window.pk))
    for _ in range(2):
        assert open_and_submit(client, url, {"level": "5"}).status_code == 201
    r = open_and_submit(client, url, {"level": "5"})
    assert r.status_code == 429 and "过于频繁" in r.content.decode()
    assert Evaluation.objects.count() == 2


def test_n18_window_sheet_replay_is_refused(client, window):
    """N-18: a window's QR page issues a one-time form: the same form twice counts once."""
    url = path_of(links.window_url(window.pk))
    with time_machine.travel(START, tick=False) as traveller:
        token = form_token(client.get(url).content.decode())
        traveller.shift(datetime.timedelta(seconds=5))
        assert client.post(url, {"form_token": token, "level": "5"}).status_code == 201
        r = client.post(url, {"form_token": token, "level": "1"})
    assert r.status_code == 409 and "请勿重复提交" in r.content.decode()
    assert Evaluation.objects.count() == 1


def open_verify_and_submit(client, url, data, *, phone="13912340000"):
    """Open the page, ask for the SMS code ("获取验证码"), read it from the outbox, submit
    with it (issue 11 point 6: a QR page's bad review is verified by an SMS code)."""
    from zwfw.notifications.codes import latest_code_for_tests

    with time_machine.travel(START, tick=False) as traveller:
        page = client.get(url)
        sent = client.post(
            url,
            {
                "form_token": form_token(page.content.decode()),
                "action": "send_code",
                "rater_phone": phone,
                **data,
            },
        )
        assert sent.status_code == 200 and "验证码已发送至" in sent.content.decode()
        traveller.shift(datetime.timedelta(seconds=5))
        return client.post(
            url,
            {
                "form_token": form_token(sent.content.decode()),
                "rater_phone": phone,
                "sms_code": latest_code_for_tests(phone),
                **data,
            },
        )


def test_l_eval_bad_review_from_window_sheet_keeps_the_phone_confidential(client, window):
    """L-EVAL: 非常不满意 with a comment and a verified phone opens a ticket; the thanks page
    tells the call-back date; the phone is stored encrypted."""
    url = path_of(links.window_url(window.pk))
    r = open_verify_and_submit(
        client, url, {"level": "1", "comment": "态度很差", "tags": ["attitude"]}
    )
    body = r.content.decode()
    assert r.status_code == 201 and "2026年10月10日前回访核实" in body  # Sat 10-10 is a workday
    rect = Rectification.objects.get()
    assert rect.department == window.department and rect.evaluation.rater_phone == "13912340000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT rater_phone FROM evaluations_evaluation")
        assert "13912340000" not in cursor.fetchone()[0]
    r = open_and_submit(client, url, {"level": "2", "rater_phone": "12345"})
    assert r.status_code == 422 and "电话号码格式不正确" in r.content.decode()


def test_staff_sheet_and_bad_keys(client, clerk):
    url = path_of(links.staff_url(clerk.person.pk))
    assert clerk.person.name in client.get(url).content.decode()
    assert open_and_submit(client, url, {"level": "5"}).status_code == 201
    assert Evaluation.objects.get().staff == clerk.person
    assert client.get("/public/rate/staff/p1:forged/").status_code == 404
    assert client.get("/public/rate/window/nothing/").status_code == 404
    assert client.get("/public/rate/case/QL-1|sms:bad/").status_code == 404


def test_n18_visit_link_is_one_time_and_expires(client, clerk, window, settings):
    """N-18: a visit's link rates once; an expired link says so (410)."""
    _visit, token = services.start_visit(by=clerk, window=window)
    url = path_of(links.visit_url(token))
    assert open_and_submit(client, url, {"level": "5"}).status_code == 201
    assert "本次服务已评价" in client.get(url).content.decode()
    settings.ZWFW_EVAL_VISIT_TOKEN_HOURS = 1
    with time_machine.travel(datetime.datetime(2026, 10, 9, 8, 0), tick=False):
        _visit, late = services.start_visit(by=clerk, window=window)
    with time_machine.travel(START, tick=False):
        r = client.get(path_of(links.visit_url(late)))
    assert r.status_code == 410 and "已过期" in r.content.decode()
    assert client.get("/public/rate/visit/unknown/").status_code == 404


def test_r16_progress_page_offers_rating_of_a_completed_case(client, case):
    """R-16: the public progress page of a completed case links to its rating page."""
    r = client.get("/public/cases/", {"number": case.number, "phone_last4": case.phone[-4:]})
    body = r.content.decode()
    assert 'id="rate-link"' in body and links.case_path(case.number, "web") in body


def test_r16_acceptance_receipt_carries_the_rating_qr(case):
    """R-16: the 受理通知书 prints the case's rating QR code."""
    from pypdf import PdfReader

    from zwfw.cases import documents

    _name, content = documents.acceptance_pdf(case)
    reader = PdfReader(io.BytesIO(content))
    assert "扫码对本次服务作出评价" in "".join(p.extract_text() for p in reader.pages)
    assert any(page.images for page in reader.pages)
