"""Issue 11 point 17: the SMS gateway is called outside any database transaction (claim in
one short transaction, send, record in another); any exception from the sender is a failed
attempt, retried with exponential backoff up to a maximum, then FAILED."""

import datetime

import pytest
import time_machine
from django.db import connection, connections

from zwfw.notifications import services
from zwfw.notifications.models import OutboxMessage, Status

PHONE = "13912345678"
START = datetime.datetime(2026, 10, 8, 10, 0, tzinfo=datetime.UTC)
seen = {}


class WatchingSender:
    """Records what the gateway call saw: an open transaction, and whether another
    connection could lock the row meanwhile (PostgreSQL)."""

    def send(self, message):
        seen["in_atomic_block"] = connection.in_atomic_block
        if connection.vendor == "postgresql":
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "SELECT id FROM notifications_outboxmessage WHERE id = %s "
                        "FOR UPDATE NOWAIT",
                        [message.pk],
                    )
                    seen["row_free"] = cursor.fetchone() is not None
            finally:
                other.close()


class BrokenSender:
    def send(self, message):
        raise RuntimeError("connection reset by gateway")


class SlowFailingSender:
    def send(self, message):
        raise TimeoutError()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_point17_gateway_is_called_with_no_transaction_open(settings):
    settings.NOTIFICATION_SENDER = "tests.notifications.test_point17_sending.WatchingSender"
    seen.clear()
    message = services.queue_sms(phone=PHONE, text="您的办件已受理", kind="acceptance")
    # Outside the test's transaction, queue_sms's on_commit already sent it (HUEY immediate).
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
    assert seen["in_atomic_block"] is False
    if connection.vendor == "postgresql":
        assert seen["row_free"] is True  # no row lock held while the gateway answers


@pytest.mark.django_db
def test_point17_any_exception_is_a_failed_attempt_with_backoff(settings):
    settings.NOTIFICATION_SENDER = "tests.notifications.test_point17_sending.BrokenSender"
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    settings.NOTIFICATION_RETRY_SECONDS = 60
    with time_machine.travel(START, tick=False) as traveller:
        message = services.queue_sms(phone=PHONE, text="内容", kind="decision")
        services.send_message(message_id=message.pk)  # no RuntimeError escapes
        message.refresh_from_db()
        assert message.status == Status.QUEUED and message.attempts == 1
        assert message.error == "connection reset by gateway"
        assert message.next_attempt_at == START + datetime.timedelta(seconds=60)
        # Not due yet: the periodic retry leaves it alone.
        services.send_pending()
        assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
        waits = []
        for _ in range(3):
            traveller.move_to(OutboxMessage.objects.get(pk=message.pk).next_attempt_at)
            before = datetime.datetime.now(datetime.UTC)
            services.send_pending()
            message.refresh_from_db()
            if message.next_attempt_at:
                waits.append((message.next_attempt_at - before).total_seconds())
        assert waits == [120, 240]  # 60, 120, 240 …: exponential
        assert message.status == Status.FAILED and message.attempts == 4
        assert message.next_attempt_at is None
        traveller.shift(datetime.timedelta(days=1))
        services.send_pending()
        assert OutboxMessage.objects.get(pk=message.pk).attempts == 4  # given up


@pytest.mark.django_db
def test_point17_an_exception_without_text_is_recorded_by_its_type(settings):
    settings.NOTIFICATION_SENDER = "tests.notifications.test_point17_sending.SlowFailingSender"
    message = services.queue_sms(phone=PHONE, text="内容")
    services.send_message(message_id=message.pk)
    message.refresh_from_db()
    assert message.error == "TimeoutError" and message.status == Status.QUEUED


@pytest.mark.django_db
def test_point17_a_claimed_message_is_not_sent_twice(settings):
    """The claim leases the row (next_attempt_at): a second worker skips it while the first
    one talks to the gateway; a worker that died is taken over after the lease."""
    settings.NOTIFICATION_SENDER = "tests.notifications.test_point17_sending.BrokenSender"
    with time_machine.travel(START, tick=False) as traveller:
        message = services.queue_sms(phone=PHONE, text="内容")
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=0, next_attempt_at=None)
        claimed = services._claim(message.pk)
        assert claimed is not None and claimed.attempts == 1
        assert services.send_message(message_id=message.pk) is None
        traveller.shift(datetime.timedelta(seconds=301))
        assert services.send_message(message_id=message.pk).attempts == 2
        # The first worker's late outcome does not overwrite the second attempt's.
        services._record(claimed, None)
        assert OutboxMessage.objects.get(pk=message.pk).status == Status.QUEUED
