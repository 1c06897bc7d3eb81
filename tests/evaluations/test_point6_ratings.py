"""Issue 11 point 6 (N-18, L-EVAL, R-16): nobody rates their own service or a case of their own
department through an applicant channel; a bad review opens a rectification ticket only when
its rater's phone is confirmed (else it is kept, counted and marked unverified); flood limits
per window and per staff member, counted outside the rating's transaction."""

import datetime
import re

import pytest
import time_machine
from django.test import Client

from tests.factories import CenterFactory, staff
from zwfw.core.errors import Forbidden
from zwfw.evaluations import links, services, statistics, tokens
from zwfw.evaluations.models import Evaluation, Rectification
from zwfw.notifications.codes import latest_code_for_tests

D = datetime.date
pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 10, 9, 10, 0)


def form_token(body: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', body).group(1)


def path_of(url: str) -> str:
    return url.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]


def submit(client, url, data, *, code_phone=None, ip="198.51.100.7", wait=5):
    """Open a public rating page as a person would and submit it; with `code_phone`, first
    press "获取验证码" and send the code the outbox holds. Returns the last response."""
    with time_machine.travel(START, tick=False) as traveller:
        page = client.get(url, REMOTE_ADDR=ip)
        assert page.status_code == 200, page.content.decode()[:300]
        body = page.content.decode()
        extra = {}
        if code_phone is not None:
            sent = client.post(
                url,
                {"form_token": form_token(body), "action": "send_code", **data},
                REMOTE_ADDR=ip,
            )
            assert sent.status_code == 200, sent.content.decode()
            body = sent.content.decode()
            extra = {"sms_code": latest_code_for_tests(code_phone)}
        traveller.shift(datetime.timedelta(seconds=wait))
        return client.post(url, {"form_token": form_token(body), **data, **extra}, REMOTE_ADDR=ip)


# --- (a) no self-rating ----------------------------------------------------------------------


def test_point6_n18_clerk_cannot_rate_herself_three_times_through_the_api(api, clerk):
    """N-18 (reproduces "a clerk rated herself 非常满意 three times"): she ends a service at no
    window (the visit names herself) and rates it through the API: 403 with a Chinese
    message, three times, and nothing is stored."""
    api.login(clerk)
    for _ in range(3):
        r = api.post("/evaluations/visits", {})
        assert r.status_code == 201
        r = api.post(f"/evaluations/visits/{r.json()['token']}/evaluation", {"level": 5})
        assert r.status_code == 403 and r.json()["code"] == "N-18"
        assert "本人或本部门" in r.json()["message"]
    assert not Evaluation.objects.exists()


def test_point6_n18_staff_cannot_rate_a_case_of_their_own_department(api, case, clerk, dept_admin):
    """N-18: the clerk who took the case in, and her department's administrator, are refused
    (403) when they post its rating; nothing is stored."""
    for user in (clerk, dept_admin):
        api.login(user)
        r = api.post(f"/cases/{case.number}/evaluation", {"level": 5, "channel": "mobile"})
        assert r.status_code == 403 and r.json()["code"] == "N-18", r.content
    with pytest.raises(Forbidden):
        services.rate_case(case=case, level=5, channel="mobile", by=dept_admin)
    assert not Evaluation.objects.exists()


def test_point6_n18_logged_in_clerk_on_her_own_qr_sheet_sees_the_refusal(client, clerk, window):
    """N-18 on the pages: a logged-in clerk opening her own QR sheet (or her window's) and
    giving 非常满意 is refused with the message (403); an anonymous visitor is not."""
    client.force_login(clerk)
    for url in (links.staff_url(clerk.person.pk), links.window_url(window.pk)):
        r = submit(client, path_of(url), {"level": "5"})
        assert (
            r.status_code == 403 and "不能通过评价渠道评价本人或本部门的服务" in r.content.decode()
        )
    assert not Evaluation.objects.exists()
    client.logout()
    assert (
        submit(client, path_of(links.staff_url(clerk.person.pk)), {"level": "5"}).status_code == 201
    )


def test_point6_n18_public_case_link_refuses_the_clerk_who_took_it_in(client, case, clerk):
    client.force_login(clerk)
    r = submit(client, links.case_path(case.number, "sms"), {"level": "5"})
    assert r.status_code == 403 and "本人或本部门" in r.content.decode()
    assert not Evaluation.objects.exists()


def test_point6_integrator_rating_counts_as_confirmed(api, case, integrator):
    """API.md: an integrator account posting a rating its own platform collected counts as
    confirmed: its 非常不满意 opens the ticket; the API shows `verified`."""
    api.login(integrator)
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 1, "channel": "mobile"})
    assert r.status_code == 201 and r.json()["verified"] is True and r.json()["rectification"]
    assert Rectification.objects.get().evaluation_id == r.json()["id"]


def test_point6_integrator_of_another_center_is_refused(api, case, center_admin):
    from django.contrib.auth import get_user_model

    other = CenterFactory()
    boss = staff("center_admin", center=other).user
    user = get_user_model().objects.create_user("pingtai2", password="Zwfw#2026pass")
    services.register_integrator(by=boss, user=user, name="外市平台", center=other)
    api.login(user)
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 1, "channel": "mobile"})
    assert r.status_code == 403 and not Evaluation.objects.exists()


def test_point6_register_integrator_through_the_api(api, center_admin, center, clerk):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("shengpingtai", password="Zwfw#2026pass")
    api.login(center_admin)
    r = api.post(
        "/evaluations/integrators",
        {"username": "shengpingtai", "name": "省好差评系统", "center": center.code},
    )
    assert r.status_code == 201 and r.json()["center"] == center.code
    # A staff member's account cannot be made an integrator (it would rate its own unit).
    r = api.post("/evaluations/integrators", {"username": clerk.username, "name": "x"})
    assert r.status_code in (403, 409)
    api.login(clerk)
    r = api.post("/evaluations/integrators", {"username": "shengpingtai", "name": "x"})
    assert r.status_code == 403


def test_point6_staff_of_another_department_records_unverified(api, case, center_admin):
    """A center administrator (another department) may record a rating a channel received,
    but that is no proof of the rater's phone: a bad one is kept unverified, no ticket."""
    api.login(center_admin)
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 2, "channel": "mobile"})
    assert r.status_code == 201 and r.json()["verified"] is False
    assert r.json()["rectification"] is None and not Rectification.objects.exists()


# --- (b) verified raters ---------------------------------------------------------------------


def test_point6_l_eval_unverified_qr_bad_review_is_kept_counted_and_opens_no_ticket(
    client, window, dept_admin, center_admin
):
    """L-EVAL: a QR sheet's 非常不满意 without an SMS code is stored, counted as bad and as
    unverified, shown so on the staff pages and in the API, and opens no ticket."""
    url = path_of(links.window_url(window.pk))
    r = submit(client, url, {"level": "1", "comment": "态度差", "rater_phone": "13912340000"})
    assert r.status_code == 201 and 'id="unverified-note"' in r.content.decode()
    e = Evaluation.objects.get()
    assert (e.good, e.verified) == (False, False) and not Rectification.objects.exists()
    with time_machine.travel(START, tick=False):
        rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    assert (rep.total.bad, rep.total.unverified, rep.total.tickets) == (1, 1, 0)
    client.force_login(dept_admin)
    assert "未核验" in client.get("/evaluations/").content.decode()
    assert 'id="evaluation-verified"' in client.get(f"/evaluations/{e.pk}/").content.decode()
    api = Client()
    api.force_login(dept_admin)
    body = api.get(f"/api/v1/evaluations/{e.pk}").json()
    assert body["verified"] is False and body["rectification"] is None


def test_point6_l_eval_qr_bad_review_with_sms_code_opens_the_ticket(client, clerk):
    """L-EVAL: the rater picks 不满意 on a staff member's QR sheet, asks for a code
    (send_code, purpose "rating"), types it: verified, ticket opened."""
    url = path_of(links.staff_url(clerk.person.pk))
    data = {"level": "2", "tags": ["attitude"], "rater_phone": "13912340001"}
    r = submit(client, url, data, code_phone="13912340001")
    assert r.status_code == 201
    e = Evaluation.objects.get()
    assert e.verified and e.rectification.department == clerk.person.department


def test_point6_wrong_sms_code_is_refused_and_nothing_stored(client, window):
    url = path_of(links.window_url(window.pk))
    with time_machine.travel(START, tick=False) as traveller:
        page = client.get(url)
        sent = client.post(
            url,
            {
                "form_token": form_token(page.content.decode()),
                "action": "send_code",
                "rater_phone": "13912340002",
                "level": "1",
            },
        )
        assert "139****0002" in sent.content.decode()
        traveller.shift(datetime.timedelta(seconds=5))
        good = latest_code_for_tests("13912340002")
        wrong = f"{(int(good) + 1) % 1000000:06d}"
        r = client.post(
            url,
            {
                "form_token": form_token(sent.content.decode()),
                "level": "1",
                "rater_phone": "13912340002",
                "sms_code": wrong,
            },
        )
    assert r.status_code == 422 and "验证码错误或已失效" in r.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("channel", ["sms", "web"])
def test_point6_case_links_bound_to_the_case_phone_are_confirmed(client, case, channel):
    """The SMS link (texted to the case's phone) and the progress page's link (after the
    phone check) confirm the rater: their bad review opens the ticket without a code."""
    r = submit(client, links.case_path(case.number, channel), {"level": "1"})
    assert r.status_code == 201 and 'id="verify-phone"' not in r.content.decode()
    assert Evaluation.objects.get().verified and Rectification.objects.count() == 1


def test_point6_receipt_qr_bad_review_needs_a_code_to_the_case_phone(client, case, complete):
    """The receipt's QR code is not bound to the phone: without a code its bad review is
    unverified; with a code texted to the case's phone it opens the ticket."""
    url = links.case_path(case.number, "qr")
    page = client.get(url).content.decode()
    assert 'id="verify-phone"' in page and case.phone[:3] + "****" in page
    assert submit(client, url, {"level": "2"}).status_code == 201
    assert not Evaluation.objects.get().verified and not Rectification.objects.exists()
    other = complete(received_on=D(2026, 9, 29), phone="13700001111")
    r = submit(client, links.case_path(other.number, "qr"), {"level": "2"}, code_phone=other.phone)
    assert r.status_code == 201
    assert Evaluation.objects.get(case=other).verified and Rectification.objects.count() == 1


def test_point6_visit_link_bad_review_with_code(client, clerk, window):
    _visit, token = services.start_visit(by=clerk, window=window)
    url = path_of(links.visit_url(token))
    data = {"level": "1", "rater_phone": "13912340003"}
    assert submit(client, url, data, code_phone="13912340003").status_code == 201
    assert Rectification.objects.count() == 1


# --- (c) flood limits ------------------------------------------------------------------------


def test_point6_flood_of_25_bad_reviews_against_one_staff_member(client, clerk, settings):
    """Reproduces "25 posts opened 25 tickets against one person": 25 bad reviews through
    the staff member's QR sheet, each from its own address and with its own verified phone.
    At most ZWFW_EVAL_BAD_LIMIT (3 an hour) are stored and ticketed; the rest answer 429 in
    Chinese."""
    assert settings.ZWFW_EVAL_BAD_LIMIT == (3, 3600)
    url = path_of(links.staff_url(clerk.person.pk))
    statuses = []
    for i in range(25):
        phone = f"1391234{i:04d}"
        data = {"level": "1", "comment": "差", "rater_phone": phone}
        r = submit(client, url, data, code_phone=phone, ip=f"203.0.113.{i + 1}")
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert "差评过多" in r.content.decode()
    assert statuses.count(201) == 3 and statuses.count(429) == 22
    assert Evaluation.objects.count() == 3 and Rectification.objects.count() == 3


def test_point6_flood_limit_per_window_counts_every_public_rating(client, window, settings):
    """Ratings per window per hour (ZWFW_EVAL_TARGET_LIMIT), good ones too."""
    settings.ZWFW_EVAL_TARGET_LIMIT = (2, 3600)
    url = path_of(links.window_url(window.pk))
    got = [submit(client, url, {"level": "5"}, ip=f"203.0.113.{i}").status_code for i in (1, 2, 3)]
    assert got == [201, 201, 429] and Evaluation.objects.count() == 2


def test_point6_refused_posts_stay_counted(client, clerk, settings):
    """The limit is counted before (outside) the rating's transaction: posts the service
    refuses and rolls back (here a malformed phone, 422) still use up the quota."""
    settings.ZWFW_EVAL_BAD_LIMIT = (2, 3600)
    url = path_of(links.staff_url(clerk.person.pk))
    bad_phone = {"level": "1", "rater_phone": "12345"}
    got = [submit(client, url, bad_phone, ip=f"203.0.113.{i}").status_code for i in (1, 2)]
    assert got == [422, 422]
    r = submit(client, url, {"level": "1"}, ip="203.0.113.99")
    assert r.status_code == 429 and not Evaluation.objects.exists()


def test_point6_staff_self_ratings_use_up_no_quota(client, clerk, settings):
    """N-18 is checked before counting: a clerk's refused attempts at rating herself cannot
    exhaust the bad-review quota and so silence real complaints about her."""
    settings.ZWFW_EVAL_BAD_LIMIT = (2, 3600)
    url = path_of(links.staff_url(clerk.person.pk))
    client.force_login(clerk)
    assert [submit(client, url, {"level": "1"}).status_code for _ in range(3)] == [403] * 3
    client.logout()
    assert submit(client, url, {"level": "1"}, ip="203.0.113.99").status_code == 201


def test_point6_anonymous_bad_flood_does_not_block_verified_complaints(client, clerk, settings):
    """Unverified bad reviews (no ticket) and verified ones are counted apart: a burst of
    anonymous 非常不满意 cannot stop a real rater with a confirmed phone."""
    url = path_of(links.staff_url(clerk.person.pk))
    got = [submit(client, url, {"level": "1"}, ip=f"203.0.113.{i}").status_code for i in range(5)]
    assert got == [201, 201, 201, 429, 429]
    data = {"level": "2", "rater_phone": "13912349999"}
    r = submit(client, url, data, code_phone="13912349999", ip="203.0.113.50")
    assert r.status_code == 201 and Rectification.objects.count() == 1


def test_point6_services_alone_never_open_a_ticket_for_an_unverified_sheet_rating(window):
    """The rule is in the service: rate_at_sheet without phone_confirmed stores an unverified
    bad review and opens no ticket."""
    e = services.rate_at_sheet(
        nonce=tokens.new_secret(), window=window, level=1, rater_phone="13912340009"
    )
    assert not e.verified and not Rectification.objects.exists()
