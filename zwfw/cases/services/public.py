"""What a visitor without an account may do with cases (issue 11 points 3–5): query a case's
progress, prove its phone with a one-time SMS code, withdraw, apply online.

Not atomic on purpose: wrong phone_last4 guesses and wrong codes are counted in the shared
store (core.ratelimit, notifications.codes) before the refusal is raised, so the refusal
never rolls its own count back; the case's own writes are take_in / withdraw_case, each one
transaction.
"""

import datetime

from zwfw.cases import conf, selectors
from zwfw.cases.models import Case, Channel
from zwfw.cases.services.base import PhoneProof
from zwfw.cases.services.closing import WITHDRAW_PURPOSE, _reason, withdraw_case
from zwfw.cases.services.intake import (
    APPLY_PURPOSE,
    PUBLIC_CHANNELS,
    AgentData,
    ApplicantData,
    check_application,
    take_in,
)
from zwfw.cases.states import Action, CaseState, allowed
from zwfw.core import ratelimit
from zwfw.core.crypto import blind_index
from zwfw.core.errors import Conflict, NotFound, RuleViolation
from zwfw.core.validators import clean_phone
from zwfw.notifications import codes

QUERY_PURPOSE = "case_query"
NO_CASE_CODE = "验证码错误或已失效，请重新获取"


class SmsCodeRequired(RuleViolation):
    """The case had too many wrong guesses: it answers only with an SMS code (HTTP 429)."""

    status = 429

    def __init__(self):
        super().__init__(
            "sms_code_required",
            "该办件查询错误次数过多，请点击“获取验证码”，凭发送到办件预留手机号的短信验证码查询",
            field="sms_code",
        )


def _number(number: str) -> str:
    # A case number is printable text: NUL bytes and lone surrogates (which neither the
    # database nor the rate-limit key's digest accept) simply match no case.
    number = (number or "").encode("utf-8", "ignore").decode().replace("\x00", "")
    return number.strip()[:40]


def _guess_key(number: str) -> str:
    # Counted per number whatever the letter case it is typed in (numbers match either way).
    return f"cases:public-guess:{number.upper()}"


def find_case(number: str) -> Case | None:
    """The case of a number as typed (normalised), or None."""
    number = _number(number)
    return (
        Case.objects.filter(selectors.number_q(number))
        .select_related("item", "department", "center", "applicant")
        .first()
    )


def prove_phone(*, phone: str, purpose: str, subject: str = "", code: str) -> PhoneProof:
    """Spend the one-time code (notifications.codes: expiry, limited tries) and return the
    proof an anonymous write demands; raises RuleViolation `sms_code` otherwise."""
    codes.verify_code(phone=phone, purpose=purpose, subject=subject, code=code)
    return PhoneProof(clean_phone(phone), purpose, subject)


def limit_code_requests(ip: str | None) -> None:
    """SMS codes per client address (each phone is limited by notifications.codes too)."""
    limit, window = conf.public_code_limit()
    ratelimit.hit(
        f"cases:public-code:{ip or 'unknown'}",
        limit,
        window,
        message="获取验证码过于频繁，请稍后再试",
    )


def locked(number: str) -> bool:
    """True when the case number had too many wrong guesses in the window (point 3)."""
    limit, window = conf.public_guess_limit()
    return ratelimit.exceeded(_guess_key(_number(number)), limit, window)


def public_lookup(*, number: str, phone_last4: str, sms_code: str = "") -> Case:
    """The progress query's rule (issue 11 point 3): the case for its number and the last four
    digits of its phone. Wrong digits count against the case number (whoever asks, from any
    address); past CASES_PUBLIC_GUESS_LIMIT the case answers only with an SMS code sent to its
    phone, even to the right digits, so nobody walks the 10,000 endings."""
    number = _number(number)
    limit, window = conf.public_guess_limit()
    key = _guess_key(number)
    if ratelimit.exceeded(key, limit, window):
        if not (sms_code or "").strip():
            raise SmsCodeRequired()
        case = find_case(number)
        if case is None:  # the same answer as a wrong code: nothing to learn here
            raise RuleViolation(codes.CODE, NO_CASE_CODE, field="sms_code")
        # The code proves the phone: the digits are no longer a guess worth checking.
        prove_phone(phone=case.phone, purpose=QUERY_PURPOSE, subject=case.number, code=sms_code)
        return case
    try:
        return selectors.public_case(number, phone_last4)
    except NotFound:
        ratelimit.record(key, window)  # outside any transaction: the refusal keeps its count
        raise


def send_query_code(*, number: str, ip: str | None) -> None:
    """Text a query code to the phone of a case that needs one. The answer is the same whether
    the number exists or needs a code (no oracle); the phone is never shown."""
    limit_code_requests(ip)
    number = _number(number)
    if not locked(number):
        return
    case = find_case(number)
    if case is not None:
        codes.send_code(
            phone=case.phone, purpose=QUERY_PURPOSE, subject=case.number, label="办件进度查询"
        )


def _withdrawable(case: Case) -> None:
    if not allowed(CaseState(case.status), Action.WITHDRAW):
        raise Conflict(
            "invalid_transition",
            f"办件当前状态为“{CaseState(case.status).label}”，不能撤回",
        )


def send_withdraw_code(*, case: Case, ip: str | None) -> None:
    """Text a withdrawal code to the case's phone (the caller has passed public_lookup)."""
    _withdrawable(case)
    limit_code_requests(ip)
    codes.send_code(
        phone=case.phone, purpose=WITHDRAW_PURPOSE, subject=case.number, label="撤回申请"
    )


def withdraw_by_applicant(
    *, case: Case, sms_code: str, reason: str, on: datetime.date | None = None
) -> Case:
    """Public withdrawal (issue 11 point 4): only with the one-time code texted to the case's
    phone; knowing the number and the last four digits is not enough."""
    _reason(reason)  # a missing reason must not spend the code
    _withdrawable(case)
    proof = prove_phone(
        phone=case.phone, purpose=WITHDRAW_PURPOSE, subject=case.number, code=sms_code
    )
    return withdraw_case(case=case, by=None, reason=reason, on=on, proof=proof)


def send_apply_code(*, item, phone: str, ip: str | None) -> None:
    """Step 1 of an online application: a code to the applicant's phone (point 5)."""
    from zwfw.catalog.channel_selectors import require_channel_open

    require_channel_open(item, Channel.ONLINE)  # no code for a way that is closed
    phone = clean_phone(phone, field="phone")
    limit_code_requests(ip)
    codes.send_code(phone=phone, purpose=APPLY_PURPOSE, subject=item.code, label="网上申请")


def apply_online(
    *,
    item,
    applicant: ApplicantData,
    phone: str,
    materials: dict[str, str],
    sms_code: str,
    ip: str | None,
    agent: AgentData | None = None,
    channel: str = Channel.ONLINE,
    on: datetime.date | None = None,
) -> Case:
    """Step 2: the application with the code. Limited per address and per phone; the code is
    spent only once everything else checked out (a typo in an ID number keeps it)."""
    if channel not in PUBLIC_CHANNELS:
        raise RuleViolation("invalid", "窗口收件须由工作人员登录办理", field="channel")
    limit, window = conf.public_apply_limit()
    ratelimit.hit(
        f"cases:public-apply:{ip or 'unknown'}",
        limit,
        window,
        message="提交申请过于频繁，请稍后再试",
    )
    phone = clean_phone(phone, field="phone")
    check_application(
        item=item,
        applicant=applicant,
        phone=phone,
        channel=channel,
        materials=materials,
        agent=agent,
        on=on,
    )
    limit, window = conf.public_apply_phone_limit()
    ratelimit.hit(
        f"cases:public-apply-phone:{blind_index(phone)}",
        limit,
        window,
        message="该手机号今日提交申请次数已达上限",
    )
    proof = prove_phone(phone=phone, purpose=APPLY_PURPOSE, subject=item.code, code=sms_code)
    return take_in(
        by=None,
        item=item,
        applicant=applicant,
        phone=phone,
        channel=channel,
        materials=materials,
        agent=agent,
        on=on,
        proof=proof,
    )
