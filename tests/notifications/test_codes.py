"""One-time SMS codes (issue 11 points 4–6): sent through the outbox, expire, limited tries."""

import pytest
import time_machine

from zwfw.core.errors import RuleViolation
from zwfw.notifications import codes
from zwfw.notifications.models import Kind, OutboxMessage

PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _db_store(settings, db):
    settings.REDIS_URL = ""


def test_code_goes_through_the_outbox_and_verifies_once():
    codes.send_code(phone=PHONE, purpose="withdraw", subject="C-1", label="撤回申请")
    message = OutboxMessage.objects.get(kind=Kind.VERIFICATION)
    assert message.phone == PHONE and "撤回申请" in message.text
    code = codes.latest_code_for_tests(PHONE)
    codes.verify_code(phone=PHONE, purpose="withdraw", subject="C-1", code=code)
    with pytest.raises(RuleViolation):  # used once
        codes.verify_code(phone=PHONE, purpose="withdraw", subject="C-1", code=code)


def test_code_is_bound_to_purpose_and_subject():
    codes.send_code(phone=PHONE, purpose="withdraw", subject="C-1", label="撤回申请")
    code = codes.latest_code_for_tests(PHONE)
    with pytest.raises(RuleViolation):
        codes.verify_code(phone=PHONE, purpose="withdraw", subject="C-2", code=code)
    with pytest.raises(RuleViolation):
        codes.verify_code(phone="13900139000", purpose="withdraw", subject="C-1", code=code)


def test_code_expires():
    with time_machine.travel("2026-10-08 10:00:00+08:00", tick=False):
        codes.send_code(phone=PHONE, purpose="apply", label="网上申请")
        code = codes.latest_code_for_tests(PHONE)
    with time_machine.travel("2026-10-08 10:11:00+08:00", tick=False), pytest.raises(RuleViolation):
        codes.verify_code(phone=PHONE, purpose="apply", code=code)


def test_wrong_tries_spend_the_code():
    codes.send_code(phone=PHONE, purpose="apply", label="网上申请")
    code = codes.latest_code_for_tests(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(RuleViolation) as exc:
            codes.verify_code(phone=PHONE, purpose="apply", code=wrong)
        assert exc.value.field == "sms_code"
    with pytest.raises(RuleViolation):  # the right code no longer works
        codes.verify_code(phone=PHONE, purpose="apply", code=code)


def test_sending_is_limited_per_phone():
    with time_machine.travel("2026-10-08 10:00:00+08:00", tick=False):
        codes.send_code(phone=PHONE, purpose="apply", label="网上申请")
        with pytest.raises(RuleViolation) as exc:
            codes.send_code(phone=PHONE, purpose="apply", label="网上申请")
        assert exc.value.status == 429
    assert OutboxMessage.objects.filter(kind=Kind.VERIFICATION).count() == 1
