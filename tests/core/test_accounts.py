"""Accounts: argon2, lockout after 5 failures, idle expiry, password strength, API tokens."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.hashers import identify_hasher

from tests.factories import PASSWORD
from zwfw.core.models import ApiToken
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
