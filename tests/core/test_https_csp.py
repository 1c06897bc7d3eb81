"""Issue 11 point 15: HTTPS deployment switches and the Content-Security-Policy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> str:
    return response["Content-Security-Policy"]


@pytest.mark.django_db
def test_point15_csp_header_on_pages(client):
    policy = _policy(client.get("/login/"))
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.django_db
def test_point15_inline_chart_script_runs_by_nonce(client, superuser):
    client.force_login(superuser)
    response = client.get("/evaluations/statistics/")
    assert response.status_code == 200
    nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _policy(response)


def test_point15_every_inline_script_carries_the_nonce_and_handlers_are_allowed():
    """An inline <script> without the nonce, or an inline handler the policy does not list
    by hash, would silently stop working under the CSP."""
    allowed = set(django_settings.CSP_INLINE_HANDLERS)
    for template in (ROOT / "zwfw").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" in tag or "application/json" in tag:
                continue
            assert 'nonce="{{ request.csp_nonce }}"' in tag, f"{template}: {tag}"
        for handler in re.findall(r'\son[a-z]+="([^"]*)"', text):
            assert handler in allowed, f"{template}: {handler}"


@pytest.mark.django_db
def test_point15_swagger_page_needs_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or "application/json" in tag, tag


@pytest.mark.django_db
def test_point15_https_redirect_and_hsts_behind_a_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ZWFW_", "DJANGO_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, *code.split()]
        if code.startswith("manage.py")
        else [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "ZWFW_HTTPS": "1",
    "ALLOWED_HOSTS": "zwfw.example.gov.cn",
    "SECRET_KEY": "k" * 10 + "Zr8#pQ2vLx9!mN4tWb7eYc1uHs6oJd3fGa5iKl0" + "x" * 10,
    "TRUSTED_PROXIES": "10.0.0.1",
}


def test_point15_check_deploy_reports_nothing_with_production_values(tmp_path):
    result = _run(
        "manage.py check --deploy --fail-level WARNING",
        ZWFW_VAR_DIR=str(tmp_path),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_point15_https_switch_turns_on_every_setting(tmp_path):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'zwfw.settings'; "
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    on = _run(code, ZWFW_VAR_DIR=str(tmp_path), **PRODUCTION)
    assert on.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ], on.stderr
    off = _run(code.replace(", s.SECURE_PROXY_SSL_HEADER", ""), ZWFW_VAR_DIR=str(tmp_path))
    assert off.stdout.split() == ["False", "False", "False", "0", "False", "False"], off.stderr
