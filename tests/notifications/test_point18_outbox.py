"""Issue 11 point 18: the outbox page with a message of no department (a 500 before)."""

import pytest

from zwfw.notifications import services
from zwfw.notifications.models import Kind

pytestmark = pytest.mark.django_db


def test_point18_outbox_shows_platform_wide_messages(client, platform_admin, department):
    """Point 18: a message without a department renders (as 全平台) for a global admin; a ref
    that names no case is plain text, and an SMS code's text is not shown."""
    services.queue_sms(phone="13912345678", text="平台维护通知", ref="NOT-A-CASE")
    services.queue_sms(phone="13912345678", text="您的验证码是 654321", kind=Kind.VERIFICATION)
    services.queue_sms(phone="13912345678", text="部门短信", department=department)
    client.force_login(platform_admin)
    r = client.get("/notifications/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "平台维护通知" in body and "全平台" in body
    assert "/cases/NOT-A-CASE/" not in body
    assert "654321" not in body


def test_point18_outbox_menu_entry_follows_the_permission(client, platform_admin, clerk):
    """Point 18: the menu offers the outbox to those who may read it, and to nobody else."""
    client.force_login(platform_admin)
    assert 'href="/notifications/"' in client.get("/").content.decode()
    client.force_login(clerk)
    assert 'href="/notifications/"' not in client.get("/").content.decode()
    assert client.get("/notifications/").status_code == 403
