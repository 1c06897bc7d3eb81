import ipaddress
import time
from functools import cache

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from zwfw.core.context import client_ip


@cache
def _trusted(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spec if s.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _trusted(tuple(settings.TRUSTED_PROXIES)))


def request_ip(request) -> str | None:
    """The client's address: the socket peer, unless that peer is a proxy named in
    TRUSTED_PROXIES; then the right-most X-Forwarded-For hop that is not a trusted proxy.

    A client can put anything in X-Forwarded-For, so only hops that trusted proxies appended
    (read from the right) count; per-address limits and the audit trail rely on this."""
    remote = request.META.get("REMOTE_ADDR") or None
    if not remote or not _is_trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a garbled hop: fall back to the proxy itself
    return hops[0] if hops else remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


class RuleViolationMiddleware:
    """A refusal raised in a page view becomes a Chinese error page with its status, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from zwfw.core.errors import RuleViolation

        if isinstance(exception, RuleViolation) and not request.path.startswith("/api/"):
            return render(request, "core/error.html", {"error": exception}, status=exception.status)
        return None


# Session key holding when the session's expiry was last pushed forward (epoch seconds).
TOUCHED = "_touched"


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's SessionMiddleware, but the idle timeout (SESSION_SAVE_EVERY_REQUEST) pushes a
    session's expiry forward at most once per SESSION_REFRESH_SECONDS (60) instead of on
    every request.

    With Django's own, every request carrying a session cookie (pages, the API through a
    browser, even /healthz and static files) loads the session and writes it back in its own
    transaction: GET requests wrote. Here a request that never read the session saves
    nothing, and one that did saves only when the last push is a minute old, so a session
    still ends SESSION_COOKIE_AGE after its last activity, give or take that minute."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None:
            return response
        empty = session.is_empty()
        if settings.SESSION_COOKIE_NAME in request.COOKIES and empty:
            response.delete_cookie(
                settings.SESSION_COOKIE_NAME,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            patch_vary_headers(response, ("Cookie",))
            return response
        if settings.SESSION_SAVE_EVERY_REQUEST and session.accessed and not empty:
            now = int(time.time())
            last = session.get(TOUCHED)
            every = getattr(settings, "SESSION_REFRESH_SECONDS", 60)
            if session.modified or not isinstance(last, int) or not 0 <= now - last < every:
                session[TOUCHED] = now  # marks it modified: saved below
        if session.accessed:
            patch_vary_headers(response, ("Cookie",))
        if not session.modified or empty or response.status_code >= 500:
            return response
        if session.get_expire_at_browser_close():
            max_age, expires = None, None
        else:
            max_age = session.get_expiry_age()
            expires = http_date(time.time() + max_age)
        try:
            session.save()
        except UpdateError:
            raise SessionInterrupted(
                "The request's session was deleted before the request completed."
            ) from None
        response.set_cookie(
            settings.SESSION_COOKIE_NAME,
            session.session_key,
            max_age=max_age,
            expires=expires,
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
            secure=settings.SESSION_COOKIE_SECURE or None,
            httponly=settings.SESSION_COOKIE_HTTPONLY or None,
            samesite=settings.SESSION_COOKIE_SAMESITE,
        )
        patch_vary_headers(response, ("Cookie",))
        return response
