import ipaddress
from functools import cache

from django.conf import settings

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
