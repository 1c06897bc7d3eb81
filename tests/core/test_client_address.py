"""Issue 11 point 1: X-Forwarded-For counts only from trusted proxies (right-most untrusted)."""

import pytest
from django.test import RequestFactory

from zwfw.core.middleware import request_ip

rf = RequestFactory()


def _req(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **meta)


def test_point1_untrusted_peer_cannot_set_its_own_address(settings):
    settings.TRUSTED_PROXIES = []
    assert request_ip(_req("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_point1_trusted_proxy_gives_right_most_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client forged "1.2.3.4"; the proxy appended the real peer 198.51.100.7.
    assert request_ip(_req("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # Two trusted proxies in a row.
    assert request_ip(_req("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "garbage", "1.2.3.4, not-an-ip"])
def test_point1_garbled_header_falls_back_to_the_proxy(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    got = request_ip(_req("10.0.0.2", forwarded))
    assert got == "10.0.0.2"


def test_point1_audit_trail_records_the_real_address(settings, client, db):
    from zwfw.core.models import AuditEvent

    settings.TRUSTED_PROXIES = []
    client.post(
        "/api/v1/auth/token",
        {"username": "nobody", "password": "x"},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
        REMOTE_ADDR="203.0.113.5",
    )
    assert not AuditEvent.objects.filter(ip="6.6.6.6").exists()
