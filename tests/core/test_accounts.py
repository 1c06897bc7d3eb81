"""Accounts: argon2, lockout after 5 failures, idle expiry, password strength, API tokens."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD
from zwfw.core.models import ApiToken, AuditEvent
from zwfw.core.passwords import CharacterClassValidator

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(settings, clerk):
    settings.PASSWORD_HASHERS = django_settings.PASSWORD_HASHERS.__class__(
        ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    )
    clerk.set_password("Abcdef12!")
    assert identify_hasher(clerk.password).algorithm == "argon2"


def test_settings_put_argon2_first():
    from zwfw import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    "password,ok",
    [
        ("abcdefgh", False),
        ("abcdefg1", False),
        ("Abcdefg1", True),
        ("abcdef1!", True),
        ("ABCDEF1!", True),
    ],
)
def test_password_needs_three_character_classes(password, ok):
    validator = CharacterClassValidator()
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(Exception, match="三类"):
            validator.validate(password)


def test_token_issued_and_stored_hashed(api, clerk):
    api.login(clerk)
    token = api.headers["Authorization"].split()[1]
    stored = ApiToken.objects.get(user=clerk)
    assert stored.digest != token and len(stored.digest) == 64
    assert api.get("/departments").status_code == 200


def test_wrong_credentials_give_401_in_error_shape(client, clerk):
    r = client.post(
        "/api/v1/auth/token",
        {"username": clerk.username, "password": "nope"},
        content_type="application/json",
    )
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_credentials"


def test_expired_token_is_refused(api, clerk):
    api.login(clerk)
    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=13), tick=False
    ):
        r = api.get("/departments")
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


def test_no_token_is_401(client):
    r = client.get("/api/v1/departments")
    assert r.status_code == 401 and "message" in r.json()


def test_api_lockout_after_five_failures(client, clerk):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": clerk.username, "password": "bad"},
            content_type="application/json",
        )
    r = client.post(
        "/api/v1/auth/token",
        {"username": clerk.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 423
    assert r.json()["code"] == "account_locked"
    assert "锁定" in r.json()["message"]


def test_page_lockout_after_five_failures(client, clerk):
    for _ in range(5):
        client.post("/login/", {"username": clerk.username, "password": "bad"})
    r = client.post("/login/", {"username": clerk.username, "password": PASSWORD})
    assert r.status_code == 429
    assert "账号已锁定" in r.content.decode()


def test_login_page_is_chinese_and_wrong_password_explained(client, clerk):
    r = client.get("/login/")
    assert "用户登录" in r.content.decode()
    r = client.post("/login/", {"username": clerk.username, "password": "bad"})
    assert "账号或密码错误" in r.content.decode()


def test_idle_session_expires_after_30_minutes(client, clerk):
    assert django_settings.SESSION_COOKIE_AGE == 1800
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post("/login/", {"username": clerk.username, "password": PASSWORD})
        assert client.get("/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # activity pushes the expiry forward
    with time_machine.travel(start + datetime.timedelta(minutes=29 + 31), tick=False):
        assert client.get("/").status_code == 302


def test_home_page_lists_roles_in_chinese(client, clerk):
    client.force_login(clerk)
    body = client.get("/").content.decode()
    assert "窗口工作人员" in body and "今日待办" in body


@pytest.mark.parametrize("body", [{}, {"username": "x"}, {"password": "y"}])
def test_token_endpoint_bad_input_is_422(client, body):
    r = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "invalid"


def test_token_endpoint_malformed_json_is_4xx(client):
    r = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert 400 <= r.status_code < 500


def test_superuser_may_do_everything(api, superuser, center):
    r = api.login(superuser, "Root#2026pass").post(
        "/departments", {"code": "SU1", "name": "超管局"}
    )
    assert r.status_code == 201


# --- issue 11 point 13: accounts ------------------------------------------------------------


def _token_for(client, user, address="10.0.0.1"):
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR=address,
    )
    assert r.status_code == 200, r.content
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _fail(client, user, address):
    return client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "Wrong#pass1"},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_point13_deactivated_account_token_stops_at_once(client, clerk):
    headers = _token_for(client, clerk)
    assert client.get("/api/v1/departments", headers=headers).status_code == 200
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    r = client.get("/api/v1/departments", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_point13_revoke_ends_the_presented_token_only(client, clerk):
    headers = _token_for(client, clerk)
    other = _token_for(client, clerk)
    r = client.post("/api/v1/auth/token/revoke", headers=headers)
    assert r.status_code == 204
    assert client.get("/api/v1/departments", headers=headers).status_code == 401
    assert client.post("/api/v1/auth/token/revoke", headers=headers).status_code == 401
    assert client.get("/api/v1/departments", headers=other).status_code == 200
    assert AuditEvent.objects.filter(action="revoke_api_token", actor=clerk).count() == 1


def test_point13_revoke_needs_a_bearer_token(client, clerk):
    r = client.post("/api/v1/auth/token/revoke")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    client.force_login(clerk)  # a session is not a token: nothing to revoke
    assert client.post("/api/v1/auth/token/revoke").status_code == 401


def test_point13_revoke_is_documented_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/auth/token/revoke"]["post"]
    assert operation["summary"] == "注销接口令牌"
    assert "204" in operation["responses"]
    assert operation.get("security")


def test_point13_failures_by_name_alone_do_not_lock_a_colleague_out(client, clerk):
    """Lockout counts username AND address together: a colleague typing the name wrongly
    five times (and on, from a locked address) locks only that address."""
    for _ in range(5):
        assert _fail(client, clerk, "10.0.0.66").status_code in (401, 423)  # 423 at the 5th
    r = client.post(
        "/api/v1/auth/token",
        {"username": clerk.username, "password": PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.66",
    )
    assert r.status_code == 423 and r.json()["code"] == "account_locked"
    for _ in range(30):  # refused attempts from the locked address do not count further
        assert _fail(client, clerk, "10.0.0.66").status_code == 423
    headers = _token_for(client, clerk, "10.0.0.7")  # the owner, at her own desk
    assert client.get("/api/v1/departments", headers=headers).status_code == 200


def test_point13_page_lockout_is_per_address_too(client, clerk):
    for _ in range(5):
        client.post(
            "/login/", {"username": clerk.username, "password": "bad"}, REMOTE_ADDR="10.1.1.1"
        )
    r = client.post(
        "/login/", {"username": clerk.username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert r.status_code == 429 and "账号已锁定" in r.content.decode()
    r = client.post(
        "/login/", {"username": clerk.username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.2"
    )
    assert r.status_code == 302


def test_point13_username_ceiling_locks_the_account_and_ends_its_tokens(client, clerk):
    """20 failures from 20 addresses (under 5 each) lock the username everywhere, and the
    account's bearer tokens stop working at once."""
    headers = _token_for(client, clerk, "10.0.0.1")
    limit, window = django_settings.ZWFW_LOGIN_USERNAME_LIMIT
    assert limit == 20
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for n in range(limit - 1):
            _fail(client, clerk, f"10.2.0.{n + 1}")
        assert client.get("/api/v1/departments", headers=headers).status_code == 200
        _fail(client, clerk, "10.2.1.1")  # the 20th
        assert client.get("/api/v1/departments", headers=headers).status_code == 401
        r = client.post(
            "/api/v1/auth/token",
            {"username": clerk.username, "password": PASSWORD},
            content_type="application/json",
            REMOTE_ADDR="10.9.9.9",
        )
        assert r.status_code == 423 and "锁定" in r.json()["message"]
        r = client.post("/login/", {"username": clerk.username, "password": PASSWORD})
        assert r.status_code == 429 and "账号已锁定" in r.content.decode()
    event = AuditEvent.objects.get(action="lock_account")
    assert event.after["revoked_tokens"] == 1
    with time_machine.travel(start + datetime.timedelta(seconds=window + 1), tick=False):
        _token_for(client, clerk, "10.9.9.9")  # the lock ends with its window


def test_point13_unlock_lifts_the_username_ceiling(client, clerk):
    from zwfw.core import lockout

    for n in range(20):
        _fail(client, clerk, f"10.3.0.{n + 1}")
    assert lockout.username_locked(clerk.username)
    lockout.unlock_username(clerk.username)
    _token_for(client, clerk, "10.9.9.8")


def test_point13_password_similar_to_username_is_refused(clerk):
    clerk.username = "zhangsan"
    with pytest.raises(ValidationError) as similar:
        validate_password("Zhangsan1!", clerk)
    assert any("相似" in m or "用户名" in m for m in similar.value.messages)
    with pytest.raises(ValidationError, match="不能包含用户名"):
        validate_password("zhangsan@Work2026", clerk)  # similarity ratio alone lets it pass
    with pytest.raises(ValidationError, match="不能包含用户名"):
        validate_password("Nasgnahz#2026", clerk)
    validate_password("Qiu#Lan2026x", clerk)


@pytest.mark.parametrize("password", ["a", "abcdefgh", "password", "12345678", "Zhangsan1!"])
def test_point13_every_password_message_is_chinese(clerk, password):
    """LANGUAGE_CODE zh-hans: Django's own catalogue left the minimum length message in
    English; every refusal and help text now reads in Chinese."""
    clerk.username = "zhangsan"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, clerk)
    for message in refused.value.messages:
        assert re.search(r"[\u4e00-\u9fff]", message), message
        assert not re.search(r"[A-Za-z]{4,}", message), message
    for text in password_validators_help_texts():
        assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z]{4,}", text)


def test_point13_unlock_command_lifts_address_lock_and_ceiling(client, clerk):
    from django.core.management import call_command

    for n in range(20):
        _fail(client, clerk, f"10.4.0.{n % 4 + 1}")  # 5 from each of 4 addresses
    assert _fail(client, clerk, "10.4.0.1").status_code == 423
    call_command("unlock", clerk.username)
    _token_for(client, clerk, "10.4.0.1")


def test_the_token_read_brings_the_user_s_current_roles(client, clerk):
    """One statement reads the token, its user and the user's roles (core.services): a role
    ended is gone at the next request, and an account without roles still authenticates
    (and still expires)."""
    from zwfw.core import services
    from zwfw.core.permissions import roles_of
    from zwfw.org.models import RoleAssignment

    plain, _token = services._store_token(clerk)
    user = services.user_for_token(plain)
    assert user == clerk and roles_of(user) == {"window_staff"}
    RoleAssignment.objects.filter(user=clerk).delete()
    user = services.user_for_token(plain)
    assert user == clerk and roles_of(user) == set()
    ApiToken.objects.filter(user=clerk).update(
        expires_at=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(seconds=1)
    )
    assert services.user_for_token(plain) is None
    assert services.user_for_token("no such token") is None
