"""Issue 11 points 2–5 on the public case pages and the public API: limits answer 429, a
per-case limit on wrong phone_last4 guesses (then an SMS code), public withdrawal and online
applications prove the phone with a one-time SMS code, and an application never renames a
registered applicant (R-16, C-2.2; L-ACCEPT for the texts the applicant receives)."""

import datetime

import pytest
import time_machine

from tests.cases.factories import PHONE, org_applicant, receive
from zwfw.cases import services
from zwfw.cases.models import Applicant, Case
from zwfw.cases.services import public
from zwfw.cases.states import Action, CaseState, allowed
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.notifications.codes import latest_code_for_tests
from zwfw.notifications.models import Kind, OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db
LAST4 = PHONE[-4:]


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(clerk, item):
    return receive(clerk, item, on=D(2025, 9, 26))


def query(client, number, last4, **extra):
    return client.get("/public/cases/", {"number": number, "phone_last4": last4, **extra})


def lock(number, times=10):
    """Ten wrong guesses, spread over many addresses (the per-address limit does not help)."""
    for i in range(times):
        with pytest.raises(NotFound):
            public.public_lookup(number=number, phone_last4=f"{i:04d}")


def verification_codes(phone=PHONE):
    return [m for m in OutboxMessage.objects.filter(kind=Kind.VERIFICATION) if m.phone == phone]


# --- point 2: limited pages answer 429 ----------------------------------------------------------


def test_point2_progress_page_answers_429_past_the_address_limit(client, settings, case):
    """Issue 11 point 2: the page renders its Chinese message with HTTP 429 (was 200)."""
    settings.CASES_PUBLIC_QUERY_LIMIT = (3, 600)
    for _ in range(3):
        assert query(client, case.number, LAST4).status_code == 200
    r = query(client, case.number, LAST4)
    assert r.status_code == 429
    body = r.content.decode()
    assert "查询过于频繁，请稍后再试" in body and 'id="progress"' not in body
    # Another address still gets its own quota (REMOTE_ADDR is the client without proxies).
    r = client.get(
        "/public/cases/",
        {"number": case.number, "phone_last4": LAST4},
        REMOTE_ADDR="10.0.0.9",
    )
    assert r.status_code == 200


def test_point2_public_api_answers_429_past_the_address_limit(client, settings, case):
    settings.CASES_PUBLIC_QUERY_LIMIT = (2, 600)
    url = f"/api/v1/public/cases/{case.number}"
    for _ in range(2):
        assert client.get(url, {"phone_last4": LAST4}).status_code == 200
    r = client.get(url, {"phone_last4": LAST4})
    assert r.status_code == 429
    assert r.json() == {"code": "rate_limited", "message": "查询过于频繁，请稍后再试"}


# --- point 3: a per-case limit on wrong guesses ---------------------------------------------------


def test_point3_walking_all_10000_endings_never_shows_the_case(case):
    """Issue 11 point 3: 1,835 requests found a case's last four digits in 62 s. Every one of
    the 10,000 endings is tried (from any number of addresses): after the limit even the
    right digits answer only 'SMS code required'."""
    found, refused = [], 0
    for n in range(10_000):
        try:
            found.append(public.public_lookup(number=case.number, phone_last4=f"{n:04d}"))
        except public.SmsCodeRequired:
            refused += 1
        except NotFound:
            pass
    assert found == []
    assert refused == 10_000 - 10
    with pytest.raises(public.SmsCodeRequired) as exc:
        public.public_lookup(number=case.number, phone_last4=LAST4)
    assert exc.value.status == 429 and exc.value.code == "sms_code_required"


def test_point3_right_digits_within_the_limit_still_work(case):
    lock(case.number, times=9)
    assert public.public_lookup(number=case.number, phone_last4=LAST4) == case


def test_point3_wrong_guesses_count_through_the_page_and_survive_the_refusal(client, case):
    """The count is kept outside the request's transaction: ten refused page queries lock
    the case, and then the page answers 429 with a “获取验证码” button, no case data."""
    for i in range(10):
        assert query(client, case.number, f"{i:04d}").status_code == 404
    r = query(client, case.number, LAST4)
    body = r.content.decode()
    assert r.status_code == 429 and "查询错误次数过多" in body
    assert 'id="query-code"' in body and "获取验证码" in body
    assert 'id="progress"' not in body and case.item.name not in body


def test_point3_sms_code_unlocks_the_page_without_showing_the_phone(client, case):
    lock(case.number)
    r = client.post("/public/cases/code/", {"number": case.number})
    body = r.content.decode()
    assert r.status_code == 200 and "验证码已发送至办件预留的手机号" in body
    assert PHONE not in body and "139****5678" not in body and LAST4 not in body
    [message] = verification_codes()
    assert message.ref == case.number and "办件进度查询" in message.text
    code = latest_code_for_tests(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    r = query(client, case.number, LAST4, sms_code=wrong)
    assert r.status_code == 422 and 'id="progress"' not in r.content.decode()
    r = query(client, case.number, LAST4, sms_code=code)
    assert r.status_code == 200 and 'id="progress"' in r.content.decode()
    r = query(client, case.number, LAST4, sms_code=code)  # used once
    assert r.status_code == 422


def test_point3_code_request_answers_the_same_for_any_number(client, case):
    """No oracle: an unknown number, or a case that needs no code, gets the same answer and
    nobody is texted."""
    for number in ("QL-NOPE-1", case.number):
        r = client.post("/public/cases/code/", {"number": number})
        assert r.status_code == 200 and "如该办件需要验证码" in r.content.decode()
    assert verification_codes() == []


def test_point3_api_answers_sms_code_required_then_accepts_the_code(client, case):
    url = f"/api/v1/public/cases/{case.number}"
    for i in range(10):
        assert client.get(url, {"phone_last4": f"{i:04d}"}).status_code == 404
    r = client.get(url, {"phone_last4": LAST4})
    assert r.status_code == 429 and r.json()["code"] == "sms_code_required"
    assert r.json()["field"] == "sms_code"
    r = client.post(f"{url}/code", {"purpose": "query"}, content_type="application/json")
    assert r.status_code == 202 and PHONE not in r.content.decode()
    code = latest_code_for_tests(PHONE)
    r = client.get(url, {"phone_last4": LAST4, "sms_code": code})
    assert r.status_code == 200 and r.json()["number"] == case.number


def test_point3_limit_is_a_setting(settings, case):
    settings.CASES_PUBLIC_GUESS_LIMIT = (3, 86400)
    lock(case.number, times=3)
    with pytest.raises(public.SmsCodeRequired):
        public.public_lookup(number=case.number, phone_last4=LAST4)


def test_point3_the_lock_lasts_its_window(_day, case):
    lock(case.number)
    _day.shift(datetime.timedelta(days=1, minutes=1))
    assert public.public_lookup(number=case.number, phone_last4=LAST4) == case


# --- point 4: public withdrawal proves the phone -----------------------------------------------------


def test_point4_last_four_digits_alone_no_longer_withdraw(client, case):
    """Issue 11 point 4 (the attack): whoever guessed the digits withdrew someone else's
    application with the token of the query. Now the withdrawal needs the SMS code."""
    token = query(client, case.number, LAST4).context["token"]
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "不办了"})
    assert r.status_code == 422
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "不办了", "sms_code": "123456"})
    assert r.status_code == 422 and "验证码错误或已失效" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == "received"
    with pytest.raises(Forbidden):  # nor through the service without a proof
        services.withdraw_case(case=case, by=None, reason="不办了")
    assert Case.objects.get(pk=case.pk).status == "received"


def test_point4_withdrawal_with_the_code_texted_to_the_case_phone(client, case):
    token = query(client, case.number, LAST4).context["token"]
    page = client.get(f"/public/cases/withdraw/{token}/").content.decode()
    assert "获取验证码" in page and PHONE not in page
    r = client.post(f"/public/cases/withdraw/{token}/code/")
    assert r.status_code == 200 and PHONE not in r.content.decode()
    [message] = verification_codes()
    assert message.ref == case.number and "撤回申请" in message.text
    code = latest_code_for_tests(PHONE)
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "不再办理", "sms_code": code})
    assert r.status_code == 200 and "已撤回" in r.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert case.status == "withdrawn" and case.closed_reason == "不再办理"
    assert case.events.get(action="withdraw").actor is None
    assert OutboxMessage.objects.filter(kind=Kind.WITHDRAWAL, ref=case.number).exists()


def test_point4_code_has_attempt_limit_and_expiry(_day, client, case):
    token = query(client, case.number, LAST4).context["token"]
    client.post(f"/public/cases/withdraw/{token}/code/")
    code = latest_code_for_tests(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "x", "sms_code": wrong})
        assert r.status_code == 422
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "x", "sms_code": code})
    assert r.status_code == 422  # spent by the wrong tries
    _day.shift(datetime.timedelta(minutes=2))  # the per-phone limit allows 1 a minute
    client.post(f"/public/cases/withdraw/{token}/code/")
    code = latest_code_for_tests(PHONE)
    _day.shift(datetime.timedelta(minutes=11))  # the code expired (10 minutes)
    token = query(client, case.number, LAST4).context["token"]
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "x", "sms_code": code})
    assert r.status_code == 422 and Case.objects.get(pk=case.pk).status == "received"


def test_point4_a_missing_reason_does_not_spend_the_code(client, case):
    token = query(client, case.number, LAST4).context["token"]
    client.post(f"/public/cases/withdraw/{token}/code/")
    code = latest_code_for_tests(PHONE)
    assert client.post(f"/public/cases/withdraw/{token}/", {"sms_code": code}).status_code == 422
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "撤回", "sms_code": code})
    assert r.status_code == 200 and Case.objects.get(pk=case.pk).status == "withdrawn"


@pytest.mark.parametrize("status", [s.value for s in CaseState])
def test_point4_withdrawable_is_asked_of_the_state_table(client, case, status):
    """ "A rule lives once": the page offers withdrawal exactly where states.allowed does
    (the old private list left out cases referred to the committee)."""
    Case.objects.filter(pk=case.pk).update(status=status)
    body = query(client, case.number, LAST4).content.decode()
    assert ('id="withdraw-link"' in body) == allowed(CaseState(status), Action.WITHDRAW)


def test_point4_api_withdrawal_needs_the_code(client, case):
    url = f"/api/v1/public/cases/{case.number}"
    r = client.post(
        f"{url}/withdraw",
        {"reason": "不办了", "sms_code": "000000"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "sms_code"
    r = client.post(
        f"{url}/code",
        {"purpose": "withdraw", "phone_last4": "0000"},
        content_type="application/json",
    )
    assert r.status_code == 404 and verification_codes() == []  # a wrong guess, counted
    r = client.post(
        f"{url}/code",
        {"purpose": "withdraw", "phone_last4": LAST4},
        content_type="application/json",
    )
    assert r.status_code == 202
    code = latest_code_for_tests(PHONE)
    r = client.post(
        f"{url}/withdraw", {"reason": "不办了", "sms_code": code}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"


# --- point 5: anonymous online applications ------------------------------------------------------

APPLY_PHONE = "13911112222"


def application(item, seq=9, **over):
    data = {
        "kind": "organisation",
        "name": "青岚示范保安服务有限公司",
        "credit_code": org_applicant(seq=seq).credit_code,
        "phone": APPLY_PHONE,
        "material_0": "electronic",
        "material_1": "electronic",
    }
    data.update(over)
    return data


def texts_to(phone):
    return [m for m in OutboxMessage.objects.order_by("id") if m.phone == phone]


def test_point5_nothing_is_texted_to_an_unconfirmed_phone(client, item):
    """Issue 11 point 5 (no SMS pumping): without the code no case is taken in and no
    receipt or acceptance SMS goes to the phone typed into the form."""
    url = f"/public/cases/apply/{item.code}/"
    r = client.post(url, application(item))
    assert r.status_code == 422 and "验证码" in r.content.decode()
    r = client.post(url, application(item, sms_code="123456"))
    assert r.status_code == 422
    assert not Case.objects.exists() and texts_to(APPLY_PHONE) == []
    with pytest.raises(Forbidden):  # the service refuses an unproven anonymous intake
        services.take_in(
            by=None,
            item=item,
            applicant=org_applicant(seq=9),
            phone=APPLY_PHONE,
            channel="online",
            materials={"申请书": "electronic"},
        )
    assert not Case.objects.exists() and texts_to(APPLY_PHONE) == []


def test_point5_confirmed_phone_then_the_application_and_its_receipt(client, item):
    url = f"/public/cases/apply/{item.code}/"
    r = client.post(url, {**application(item), "send_code": "1"})
    assert r.status_code == 200 and "验证码已发送" in r.content.decode()
    assert [m.kind for m in texts_to(APPLY_PHONE)] == [Kind.VERIFICATION]
    code = latest_code_for_tests(APPLY_PHONE)
    # A typo elsewhere does not spend the code.
    r = client.post(url, application(item, sms_code=code, credit_code="91371000MA0000000X"))
    assert r.status_code == 422 and not Case.objects.exists()
    r = client.post(url, application(item, sms_code=code))
    assert r.status_code == 200
    case = Case.objects.get()
    assert case.channel == "online" and case.phone == APPLY_PHONE
    kinds = [m.kind for m in texts_to(APPLY_PHONE)]
    assert kinds == [Kind.VERIFICATION, Kind.ACCEPTANCE]


def test_point5_application_limits_per_address_and_per_phone(_day, client, settings, item):
    settings.CASES_PUBLIC_APPLY_LIMIT = (2, 3600)
    url = f"/public/cases/apply/{item.code}/"
    for _ in range(2):
        assert client.post(url, application(item, sms_code="1")).status_code == 422
    r = client.post(url, application(item, sms_code="1"))
    assert r.status_code == 429 and "提交申请过于频繁" in r.content.decode()

    settings.CASES_PUBLIC_APPLY_LIMIT = (100, 3600)
    settings.CASES_PUBLIC_APPLY_PHONE_LIMIT = (1, 86400)
    phone = "13911113333"
    client.post(url, {**application(item, phone=phone), "send_code": "1"})
    code = latest_code_for_tests(phone)
    assert client.post(url, application(item, phone=phone, sms_code=code)).status_code == 200
    _day.shift(datetime.timedelta(minutes=2))
    r = client.post(
        url, application(item, seq=10, phone=phone, sms_code=code), REMOTE_ADDR="10.0.0.7"
    )
    assert r.status_code == 429 and "该手机号今日提交申请次数已达上限" in r.content.decode()
    assert Case.objects.count() == 1


def test_point5_code_requests_are_limited_per_address(client, settings, item):
    settings.CASES_PUBLIC_CODE_LIMIT = (2, 3600)
    url = f"/public/cases/apply/{item.code}/"
    for phone in ("13900000001", "13900000002"):
        assert client.post(url, {"phone": phone, "send_code": "1"}).status_code == 200
    r = client.post(url, {"phone": "13900000003", "send_code": "1"})
    assert r.status_code == 429 and "获取验证码过于频繁" in r.content.decode()
    assert OutboxMessage.objects.filter(kind=Kind.VERIFICATION).count() == 2


def apply_anonymously(item, name, seq):
    from zwfw.notifications import codes

    codes.send_code(phone=APPLY_PHONE, purpose="apply", subject=item.code, label="网上申请")
    return public.apply_online(
        item=item,
        applicant=org_applicant(name=name, seq=seq),
        phone=APPLY_PHONE,
        materials={"申请书": "electronic"},
        sms_code=latest_code_for_tests(APPLY_PHONE),
        ip="10.1.1.1",
    )


def test_point5_anonymous_application_never_renames_the_company(client, api, clerk, item):
    """Issue 11 point 5 (the attack): one anonymous form renamed a company in all its cases,
    ledgers and PDFs with no audit event. Now the registered name stays; the name given is
    kept on that case and flagged for staff (page and API)."""
    first = receive(clerk, item, applicant=org_applicant(name="青岚示范保安服务有限公司", seq=31))
    audit_before = AuditEvent.objects.count()
    case = apply_anonymously(item, "青岚冒名顶替有限公司", seq=31)
    assert case.applicant_id == first.applicant_id
    assert Applicant.objects.get(pk=first.applicant_id).name == "青岚示范保安服务有限公司"
    assert case.applicant_name_given == "青岚冒名顶替有限公司" and case.name_mismatch
    assert not Case.objects.get(pk=first.pk).name_mismatch
    assert not AuditEvent.objects.filter(action="rename_applicant").exists()
    assert AuditEvent.objects.count() == audit_before + 1  # receive_case only
    client.force_login(clerk)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert 'id="name-mismatch"' in body and "青岚冒名顶替有限公司" in body
    ledger = client.get(f"/cases/ledgers/applicants/{first.applicant_id}/").content.decode()
    assert "青岚示范保安服务有限公司" in ledger
    data = api.login(clerk).get(f"/cases/{case.number}").json()
    assert data["name_mismatch"] is True
    assert data["applicant_name_given"] == "青岚冒名顶替有限公司"
    assert data["applicant"] == "青岚示范保安服务有限公司"
    assert api.get(f"/cases/{first.number}").json()["name_mismatch"] is False


def test_point5_window_intake_does_not_rename_either(clerk, item):
    """Staff intake keeps the registered name too: a rename goes through the audited
    service."""
    first = receive(clerk, item, applicant=org_applicant(name="甲公司", seq=41))
    second = receive(clerk, item, applicant=org_applicant(name="乙公司", seq=41))
    assert Applicant.objects.get(pk=first.applicant_id).name == "甲公司"
    assert second.name_mismatch and second.applicant_name_given == "乙公司"
    event = AuditEvent.objects.filter(action="receive_case", object_id=str(second.pk)).get()
    assert event.after.get("name_mismatch") is True


def test_point5_rename_is_a_staff_action_with_an_audit_event(client, clerk, dept_admin, item):
    receive(clerk, item, applicant=org_applicant(name="青岚旧名有限公司", seq=51))
    case = apply_anonymously(item, "青岚新名有限公司", seq=51)
    # Window staff see the flag but may not rename (every department's ledger follows).
    client.force_login(clerk)
    assert 'id="form-rename-applicant"' not in client.get(f"/cases/{case.number}/").content.decode()
    r = client.post(
        f"/cases/{case.number}/applicant/rename/", {"name": "青岚新名有限公司", "reason": "x"}
    )
    assert r.status_code == 403
    with pytest.raises(Forbidden):
        services.rename_applicant(applicant=case.applicant, name="任意", by=clerk, reason="x")
    client.force_login(dept_admin)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert 'id="form-rename-applicant"' in body and 'value="青岚新名有限公司"' in body
    r = client.post(f"/cases/{case.number}/applicant/rename/", {"name": "青岚新名有限公司"})
    assert r.status_code == 422  # a reason is required
    r = client.post(
        f"/cases/{case.number}/applicant/rename/",
        {"name": "青岚新名有限公司", "reason": "营业执照已变更名称"},
    )
    assert r.status_code == 302
    applicant = Applicant.objects.get(pk=case.applicant_id)
    assert applicant.name == "青岚新名有限公司"
    event = AuditEvent.objects.get(action="rename_applicant")
    assert event.before == {"name": "青岚旧名有限公司"}
    assert event.after == {"name": "青岚新名有限公司", "reason": "营业执照已变更名称"}
    assert not Case.objects.get(pk=case.pk).name_mismatch


def test_point5_rename_through_the_api(api, clerk, dept_admin, outsider, item):
    receive(clerk, item, applicant=org_applicant(name="丙公司", seq=61))
    case = apply_anonymously(item, "丙公司（更名）", seq=61)
    url = f"/cases/{case.number}/rename-applicant"
    r = api.login(clerk).post(url, {"name": "丙公司（更名）", "reason": "执照变更"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = api.login(outsider).post(url, {"name": "丙公司（更名）", "reason": "执照变更"})
    assert r.status_code in (403, 404)
    r = api.login(dept_admin).post(url, {"name": "丙公司（更名）", "reason": ""})
    assert r.status_code == 422 and r.json()["field"] == "reason"
    r = api.post(url, {"name": "丙公司（更名）", "reason": "执照变更"})
    assert r.status_code == 200 and r.json()["name_mismatch"] is False
    assert Applicant.objects.get(pk=case.applicant_id).name == "丙公司（更名）"
    assert AuditEvent.objects.filter(action="rename_applicant").count() == 1


def test_point5_take_in_refuses_a_proof_for_another_phone(item):
    proof = services.PhoneProof("13900009999", "apply", item.code)
    with pytest.raises(Forbidden):
        receive(None, item, channel="online", proof=proof)
    with pytest.raises(RuleViolation):
        public.apply_online(
            item=item,
            applicant=org_applicant(seq=71),
            phone=APPLY_PHONE,
            materials={},
            sms_code="",
            ip=None,
            channel="window",
        )


def test_point3_a_locked_case_tells_nothing_about_the_digits(client, case):
    """Once locked, the digits are not checked before the code: right and wrong endings get
    the same answer, so a wrong code cannot be used to keep guessing."""
    lock(case.number)
    answers = set()
    for last4 in ("0000", LAST4, "9999"):
        for extra in ({}, {"sms_code": "123456"}):
            r = query(client, case.number, last4, **extra)
            answers.add((r.status_code, r.context["error"]))
    assert answers == {
        (429, public.SmsCodeRequired().message),
        (422, "验证码错误或已失效，请重新获取"),
    }
    r = client.get(
        f"/api/v1/public/cases/{case.number}", {"phone_last4": LAST4, "sms_code": "123456"}
    )
    assert r.status_code == 422 and r.json()["code"] == "sms_code"


def test_point3_api_code_request_for_an_unknown_number_texts_nobody(client):
    r = client.post(
        "/api/v1/public/cases/QL-NOPE-1/code", {"purpose": "query"}, content_type="application/json"
    )
    assert r.status_code == 202 and not OutboxMessage.objects.exists()


def test_point3_odd_characters_in_a_number_match_no_case(case):
    """A NUL byte or a lone surrogate in the number is simply no case (never a 500)."""
    for number in (case.number + "\x00", "\ud800" + case.number, "\x00"):
        with pytest.raises(NotFound):
            public.public_lookup(number=number, phone_last4="0000")
    assert public.find_case("\x00" + case.number) == case
