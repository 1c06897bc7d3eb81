"""The SMS outbox: queue_sms, sending after commit through the configured sender, the page."""

import pytest

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.notifications import selectors, services
from zwfw.notifications.models import OutboxMessage
from zwfw.notifications.senders import SendError

pytestmark = pytest.mark.django_db


class RefusingSender:
    def send(self, message):
        raise SendError("网关拒绝")


def test_queue_sms_sends_after_commit_with_default_sender(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.queue_sms(
            phone="13912345678", text="您的办件已受理", kind="acceptance", ref="QL-1"
        )
        assert OutboxMessage.objects.get(pk=message.pk).status == "queued"
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None
    assert message.sender.endswith("OutboxOnlySender")


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.queue_sms(phone="13912345678", text="x", kind="other")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not OutboxMessage.objects.exists()


def test_pluggable_sender_failures_are_kept_and_retried(settings):
    import time_machine

    settings.NOTIFICATION_SENDER = "tests.notifications.test_outbox.RefusingSender"
    message = services.queue_sms(phone="13912345678", text="内容", kind="decision")
    with time_machine.travel("2026-10-08 10:00:00+08:00", tick=False) as traveller:
        for _ in range(services.MAX_ATTEMPTS):
            services.send_pending()
            traveller.shift(4000)  # past the longest backoff
    message.refresh_from_db()
    assert message.status == "failed" and message.error == "网关拒绝"
    assert message.attempts == services.MAX_ATTEMPTS


def test_bad_input_is_refused():
    with pytest.raises(RuleViolation):
        services.queue_sms(phone="123", text="x")
    with pytest.raises(RuleViolation):
        services.queue_sms(phone="13912345678", text="")
    with pytest.raises(RuleViolation):
        services.queue_sms(phone="13912345678", text="x", kind="spam")


def test_phone_is_encrypted_at_rest():
    from django.db import connection

    services.queue_sms(phone="13912345678", text="x")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM notifications_outboxmessage")
        assert "13912345678" not in cursor.fetchone()[0]


def test_outbox_page_is_scoped_masked_and_counted(
    client, dept_admin, department, other_department, clerk, django_assert_max_num_queries
):
    for _ in range(5):
        services.queue_sms(phone="13912345678", text="本部门短信", department=department)
    services.queue_sms(phone="13800000000", text="其他部门短信", department=other_department)
    client.force_login(dept_admin)
    client.get("/notifications/")
    with django_assert_max_num_queries(10):
        r = client.get("/notifications/")
    body = r.content.decode()
    assert body.count("139****5678") == 5 and "其他部门短信" not in body
    assert "13912345678" not in body
    client.force_login(clerk)
    assert client.get("/notifications/").status_code == 403
    with pytest.raises(Forbidden):
        selectors.visible_messages(clerk)


def test_center_admin_sees_all_departments_of_the_center(
    center_admin, department, other_department
):
    """Point 9: a scoped center admin reads its departments' messages, not platform-wide ones
    (no department); those are for a global role."""
    services.queue_sms(phone="13912345678", text="a", department=department)
    services.queue_sms(phone="13912345678", text="b", department=other_department)
    services.queue_sms(phone="13912345678", text="c")
    assert selectors.visible_messages(center_admin).count() == 2
