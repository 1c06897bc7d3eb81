"""core.fastsql writes and reads rows exactly as the ORM does (both backends)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from zwfw.core import fastsql
from zwfw.core.models import AuditEvent
from zwfw.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _message(department=None, ref="R1"):
    return OutboxMessage(
        phone="13912345678", text="您的办件已受理", kind="other", ref=ref, department=department
    )


def test_insert_matches_the_orm_with_encryption_defaults_and_auto_now(department):
    before = timezone.now()
    msg = fastsql.insert(_message(department))
    assert msg.pk and not msg._state.adding
    again = OutboxMessage.objects.get(pk=msg.pk)
    assert again.phone == "13912345678"  # decrypted by the field
    assert again.status == "queued" and again.attempts == 0
    assert again.department_id == department.pk
    assert again.created_at >= before  # auto_now_add applied
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM notifications_outboxmessage WHERE id = %s", [msg.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored  # encrypted at rest (SEC)


def test_update_writes_only_named_fields(department):
    msg = fastsql.insert(_message(department))
    msg.status, msg.sent_at, msg.text = "sent", timezone.now(), "不应写入"
    assert fastsql.update(msg, ["status", "sent_at"]) == 1
    again = OutboxMessage.objects.get(pk=msg.pk)
    assert again.status == "sent" and again.sent_at is not None
    assert again.text == "您的办件已受理"


def test_fetch_load_and_select_convert_like_a_queryset(department):
    first = fastsql.insert(_message(department))
    second = fastsql.insert(_message(None, ref="R2"))
    loaded = fastsql.load(OutboxMessage, first.pk, lock=True)
    orm = OutboxMessage.objects.get(pk=first.pk)
    for field in OutboxMessage._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(orm, field.attname), field.name
    assert fastsql.fetch(OutboxMessage, 10**9) is None
    rows = fastsql.select(OutboxMessage, {"kind": "other"}, order_by=("-id",))
    assert [r.pk for r in rows] == [second.pk, first.pk]
    later = fastsql.first(
        OutboxMessage, {"created_at__gte": first.created_at, "ref": "R2"}, order_by=("id",)
    )
    assert later.pk == second.pk


def test_json_and_dates_round_trip():
    event = AuditEvent(
        created_at=timezone.now(),
        actor_name="测试",
        action="x",
        before={"on": "2026-10-01", "n": 1},
        after={"list": [1, 2], "text": "中文"},
        prev_hash="0" * 64,
        hash="1" * 64,
    )
    fastsql.insert(event)
    again = AuditEvent.objects.get(pk=event.pk)
    assert again.after == {"list": [1, 2], "text": "中文"} and again.before["n"] == 1


def test_insert_many_sets_keys_in_order(department):
    msgs = fastsql.insert_many([_message(department, ref=f"M{i}") for i in range(3)])
    assert [OutboxMessage.objects.get(pk=m.pk).ref for m in msgs] == ["M0", "M1", "M2"]


def test_date_lookup_on_a_real_date(department):
    msg = fastsql.insert(_message(department))
    today = timezone.localdate(msg.created_at)
    found = fastsql.select(
        OutboxMessage, {"created_at__lt": msg.created_at + datetime.timedelta(seconds=1)}
    )
    assert msg.pk in {m.pk for m in found} and today
