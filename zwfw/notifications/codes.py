"""One-time SMS codes: proof that whoever acts holds a phone (anonymous withdrawals, online
applications, bad reviews from a QR code …).

    send_code(phone=…, purpose="withdraw", subject=case.number, label="撤回申请")
    verify_code(phone=…, purpose="withdraw", subject=case.number, code=form_value)

Sending is limited per phone (and callers limit per address); a code expires after
ZWFW_SMS_CODE_SECONDS, allows ZWFW_SMS_CODE_ATTEMPTS wrong tries and is used once.
Call both outside the use case's transaction: a wrong try must stay counted when the
refusal is raised.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zwfw.core import ratelimit
from zwfw.core.crypto import blind_index, constant_time_equal, sm3
from zwfw.core.errors import RuleViolation
from zwfw.core.validators import clean_phone
from zwfw.notifications.models import Kind, PhoneCode

CODE = "sms_code"


def _seconds() -> int:
    return getattr(settings, "ZWFW_SMS_CODE_SECONDS", 600)


def _attempts() -> int:
    return getattr(settings, "ZWFW_SMS_CODE_ATTEMPTS", 5)


def _digest(phone_index: str, purpose: str, subject: str, code: str) -> str:
    material = f"{settings.SECRET_KEY}|{phone_index}|{purpose}|{subject}|{code}"
    return sm3(material.encode())


def send_code(*, phone: str, purpose: str, subject: str = "", label: str) -> PhoneCode:
    """Text a fresh code to `phone`; earlier unused codes for the same purpose end."""
    phone = clean_phone(phone)
    per_minute, per_hour = getattr(settings, "ZWFW_SMS_CODE_PHONE_LIMIT", (1, 5))
    key = f"sms-code:{blind_index(phone)}"
    ratelimit.hit(f"{key}:m", per_minute, 60, message="验证码发送过于频繁，请1分钟后再试")
    ratelimit.hit(f"{key}:h", per_hour, 3600, message="该手机号本小时获取验证码次数已达上限")
    code = f"{secrets.randbelow(10**6):06d}"
    index = blind_index(phone)
    now = timezone.now()
    from zwfw.notifications.services import queue_sms

    with transaction.atomic():
        PhoneCode.objects.filter(
            phone_index=index, purpose=purpose, subject=subject, used_at__isnull=True
        ).update(used_at=now)
        row = PhoneCode.objects.create(
            phone_index=index,
            purpose=purpose,
            subject=subject,
            code_digest=_digest(index, purpose, subject, code),
            expires_at=now + timedelta(seconds=_seconds()),
        )
        queue_sms(
            phone=phone,
            text=(
                f"【{settings.SITE_NAME}】验证码{code}，用于{label}，"
                f"{_seconds() // 60}分钟内有效。请勿告诉他人。"
            ),
            kind=Kind.VERIFICATION,
            ref=subject,
        )
    return row


def verify_code(*, phone: str, purpose: str, subject: str = "", code: str) -> None:
    """Consume the code or raise RuleViolation `sms_code` (field `sms_code`)."""
    try:
        phone = clean_phone(phone)
    except RuleViolation:
        raise RuleViolation(CODE, "验证码错误或已失效，请重新获取", field="sms_code")
    index = blind_index(phone)
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_index=index, purpose=purpose, subject=subject, used_at__isnull=True)
            .order_by("-id")
            .first()
        )
        ok = False
        if row is not None and row.expires_at > now and row.attempts < _attempts():
            ok = constant_time_equal(row.code_digest, _digest(index, purpose, subject, code))
            if ok:
                row.used_at = now
            else:
                row.attempts += 1
                if row.attempts >= _attempts():
                    row.used_at = now  # spent: a new code must be asked for
            row.save(update_fields=["attempts", "used_at"])
    if not ok:
        raise RuleViolation(CODE, "验证码错误或已失效，请重新获取", field="sms_code")


def latest_code_for_tests(phone: str) -> str:
    """The last code texted to `phone`, read from the outbox (tests and the demo only)."""
    import re

    from zwfw.notifications.models import OutboxMessage

    for message in OutboxMessage.objects.filter(kind=Kind.VERIFICATION).order_by("-id")[:50]:
        if message.phone == clean_phone(phone):
            return re.search(r"验证码(\d{6})", message.text).group(1)
    raise LookupError("no code sent to this phone")
