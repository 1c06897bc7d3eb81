"""Writes of the outbox. The interface other apps call is `queue_sms` (keep it small)."""

from django.db import transaction
from django.utils import timezone

from zwfw.core import fastsql
from zwfw.core.errors import RuleViolation
from zwfw.core.validators import clean_phone
from zwfw.notifications.models import Kind, OutboxMessage, Status
from zwfw.notifications.senders import SendError, current_sender, sender_path

MAX_TEXT = 500
MAX_ATTEMPTS = 5


def queue_sms(
    *, phone: str, text: str, kind: str = Kind.OTHER, ref: str = "", department=None
) -> OutboxMessage:
    """Put an SMS in the outbox, in the caller's transaction; it is sent after commit, so a
    rolled-back action never texts anyone."""
    phone = clean_phone(phone)
    text = (text or "").strip()
    if not text:
        raise RuleViolation("invalid", "短信内容不能为空", field="text")
    if len(text) > MAX_TEXT:
        raise RuleViolation("invalid", f"短信内容最多{MAX_TEXT}字", field="text")
    if kind not in Kind.values:
        raise RuleViolation("invalid", "未知的短信类型", field="kind")
    message = fastsql.insert(
        OutboxMessage(phone=phone, text=text, kind=kind, ref=ref[:100], department=department)
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from zwfw.notifications import tasks

    tasks.send_message(message_id)


def send_message(*, message_id: int) -> OutboxMessage | None:
    """Hand one queued message to the configured sender and record the outcome."""
    # batched: BEGIN travels with the row lock and the result's UPDATE with the commit's
    # wait (PostgreSQL pipeline mode; no effect on SQLite).
    with transaction.atomic(), fastsql.batched():
        message = fastsql.load(OutboxMessage, message_id, lock=True)
        if message is None or message.status != Status.QUEUED:
            return None  # already sent by another worker
        message.attempts += 1
        message.sender = sender_path()[:200]
        try:
            current_sender().send(message)
        except SendError as exc:
            message.error = str(exc)[:300]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = Status.FAILED
        else:
            message.status = Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
        fastsql.update(message, ["attempts", "sender", "status", "sent_at", "error"])
        return message


def send_pending(limit: int = 500) -> int:
    """Retry what is still queued (a worker was down, the gateway refused)."""
    ids = list(
        OutboxMessage.objects.filter(status=Status.QUEUED)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        message = send_message(message_id=message_id)
        sent += bool(message and message.status == Status.SENT)
    return sent
