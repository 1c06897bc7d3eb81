"""Writes of the outbox. The interface other apps call is `queue_sms` (keep it small)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils import timezone

from zwfw.core import fastsql
from zwfw.core.errors import RuleViolation
from zwfw.core.validators import clean_phone
from zwfw.notifications.models import Kind, OutboxMessage, Status
from zwfw.notifications.senders import SendError, current_sender, sender_path

MAX_TEXT = 500
MAX_ATTEMPTS = 5  # default of NOTIFICATION_MAX_ATTEMPTS
logger = logging.getLogger(__name__)


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


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", MAX_ATTEMPTS))


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the `attempts`-th failure: base, 2×base, 4×base … capped."""
    base = int(getattr(settings, "NOTIFICATION_RETRY_SECONDS", 60))
    cap = int(getattr(settings, "NOTIFICATION_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def _claim_seconds() -> int:
    return int(getattr(settings, "NOTIFICATION_CLAIM_SECONDS", 300))


_SQL: dict = {}


def _sql(kind: str) -> str:
    """The claim and the outcome as one conditional UPDATE each, their SQL built once per
    backend (no queryset compiled for every message)."""
    connection = connections[DEFAULT_DB_ALIAS]
    key = (kind, connection.vendor)
    sql = _SQL.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        meta = OutboxMessage._meta
        if kind == "claim":
            # PostgreSQL: the lease need not wait for its own disk flush (set_config local to
            # this statement's transaction). A database crash before the outcome is recorded
            # loses the outcome anyway (its flushed commit flushes the claim with it) and the
            # message goes out again either way; other workers see the claim at once. One
            # disk flush per message, as for the outcome alone.
            unflushed = (
                " AND set_config('synchronous_commit', 'off', true) = 'off'"
                if connection.vendor == "postgresql"
                else ""
            )
            sql = (
                f"UPDATE {qn(meta.db_table)} SET attempts = attempts + 1, sender = %s, "
                "next_attempt_at = %s WHERE id = %s AND status = %s "
                f"AND (next_attempt_at IS NULL OR next_attempt_at <= %s){unflushed} "
                f"RETURNING {', '.join(qn(f.column) for f in meta.concrete_fields)}"
            )
        else:
            sql = (
                f"UPDATE {qn(meta.db_table)} SET status = %s, sent_at = %s, error = %s, "
                "next_attempt_at = %s WHERE id = %s AND status = %s AND attempts = %s"
            )
        _SQL[key] = sql
    return sql


def _when(value, connection):
    return connection.ops.adapt_datetimefield_value(value)


def _claim(message_id: int) -> OutboxMessage | None:
    """Take a due queued message and lease it (next_attempt_at) so no other worker sends it
    meanwhile; the attempt counts from here, so a worker that dies while the gateway answers
    still spends one. One conditional UPDATE, committed on its own: its row lock makes a
    second worker's claim wait and then find the lease (or a sent message) in the row, so a
    message is never claimed twice; no transaction stays open while the gateway is called."""
    now = timezone.now()
    connection = connections[DEFAULT_DB_ALIAS]
    params = [
        sender_path()[:200],
        _when(now + timedelta(seconds=_claim_seconds()), connection),
        message_id,
        Status.QUEUED,
        _when(now, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql("claim"), params)
        row = cursor.fetchone()
    # None: already sent or given up, leased by another worker, or waiting for its backoff.
    return None if row is None else fastsql.instance(OutboxMessage, row)


def _record(message: OutboxMessage, error: Exception | None) -> None:
    """The outcome of the claimed attempt, in one statement of its own."""
    now = timezone.now()
    if error is None:
        message.status = Status.SENT
        message.sent_at = now
        message.error = ""
        message.next_attempt_at = None
    else:
        text = str(error) or type(error).__name__
        message.error = text[:300]
        if message.attempts >= max_attempts():
            message.status = Status.FAILED
            message.next_attempt_at = None
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
    connection = connections[DEFAULT_DB_ALIAS]
    # Only the attempt this worker claimed: a lease that ran out and was claimed again by
    # another worker is theirs to record.
    params = [
        message.status,
        _when(message.sent_at, connection),
        message.error,
        _when(message.next_attempt_at, connection),
        message.pk,
        Status.QUEUED,
        message.attempts,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql("record"), params)


def send_message(*, message_id: int) -> OutboxMessage | None:
    """Hand one queued message to the configured sender and record the outcome.

    The gateway is called with no transaction open and no row lock held (a slow gateway must
    not hold the outbox row or a connection's transaction): claim, send, record. Any
    exception from the sender is a failed attempt, retried with exponential backoff until
    NOTIFICATION_MAX_ATTEMPTS, then the message is FAILED."""
    message = _claim(message_id)
    if message is None:
        return None
    try:
        current_sender().send(message)
    except Exception as exc:  # noqa: BLE001 - any gateway failure is one failed attempt
        if not isinstance(exc, SendError):
            logger.warning("SMS sender raised %s for message %s", type(exc).__name__, message.pk)
        _record(message, exc)
    else:
        _record(message, None)
    return message


def send_pending(limit: int = 500) -> int:
    """Retry what is still queued (a worker was down, the gateway refused)."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(status=Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        message = send_message(message_id=message_id)
        sent += bool(message and message.status == Status.SENT)
    return sent
