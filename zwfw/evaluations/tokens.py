"""Tokens of the public rating pages. No queries.

- Case links (SMS, QR on the receipt, progress page): the case number and channel, signed.
  One rating per case online (N-18) makes a link worthless once used.
- Sheet keys (printed QR per window / staff member): the target, signed, without expiry.
- Visit tokens (a service that just ended): random, only their digest is stored.
- Form tokens: every rating page issues a fresh signed form (target, nonce, time), so a
  submission proves the page was opened recently and not too recently (robots), and a
  sheet's nonce becomes the visit's one-time token (a replay is refused).
"""

import hashlib
import secrets
import time

from django.core import signing

from zwfw.core.errors import NotFound, RuleViolation
from zwfw.evaluations import conf

CASE_SALT = "evaluations.case-link"
SHEET_SALT = "evaluations.sheet"
FORM_SALT = "evaluations.form"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def case_link_token(number: str, channel: str) -> str:
    return signing.Signer(salt=CASE_SALT).sign(f"{number}|{channel}")


def read_case_link(token: str) -> tuple[str, str]:
    try:
        value = signing.Signer(salt=CASE_SALT).unsign(token)
    except signing.BadSignature:
        raise NotFound("评价链接无效，请核对后重试")
    number, _sep, channel = value.rpartition("|")
    return number, channel


def sheet_key(kind: str, pk: int) -> str:
    """kind "w" (window) or "p" (staff member)."""
    return signing.Signer(salt=SHEET_SALT).sign(f"{kind}{pk}")


def read_sheet_key(key: str, kind: str) -> int:
    try:
        value = signing.Signer(salt=SHEET_SALT).unsign(key)
    except signing.BadSignature:
        raise NotFound("二维码无效，请扫描窗口张贴的评价二维码")
    if not value.startswith(kind) or not value[1:].isdigit():
        raise NotFound("二维码无效，请扫描窗口张贴的评价二维码")
    return int(value[1:])


def issue_form(target: str) -> str:
    """A fresh form token for a rating page about `target` (e.g. "w12", "c:<number>")."""
    return signing.dumps({"t": target, "n": new_secret(), "at": int(time.time())}, salt=FORM_SALT)


def check_form(token: str, target: str) -> str:
    """The nonce of a form submitted for `target`; refuses stale and foreign forms. A quick
    honest rating is never refused for its speed (issue 16 point 6): robots are kept out by
    the hidden "website" field, the one-use nonce and the per-address and per-target limits."""
    try:
        data = signing.loads(token or "", salt=FORM_SALT, max_age=conf.form_max_age())
    except signing.SignatureExpired:
        raise RuleViolation("form_expired", "页面停留时间过长，请刷新后重新评价", status=400)
    except signing.BadSignature:
        raise RuleViolation("form_invalid", "评价表单无效，请刷新页面后重新评价", status=400)
    if data.get("t") != target:
        raise RuleViolation("form_invalid", "评价表单无效，请刷新页面后重新评价", status=400)
    return str(data["n"])
