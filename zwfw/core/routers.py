"""Read replica routing (issue 17 point 5): list pages, dashboards and exports read from the
`replica` database alias (DATABASE_REPLICA_URL); everything else reads from `default`.

The design is "replica only for explicitly marked reads, and never after the client's own
write":

- A read goes to the replica only inside a replica scope: a GET/HEAD of a view named in
  `REPLICA_VIEWS` (or whose function has `replica_reads = True`), opened by
  `ReplicaMiddleware`, or a `with replica_reads():` block (the background export job).
  Outside a scope, reads use `default` — detail pages, forms, services, the hand-built SQL.
- Never inside a transaction on `default`: a service's reads inside its atomic block see its
  own writes and hold their locks there.
- Never right after the client's own write: every non-GET request pins its client to
  `default` for ZWFW_REPLICA_PIN_SECONDS — a cookie for browsers (the redirect after a POST
  shows the row just written, even if the replica lags), a cache key per bearer token for
  API clients (shared by every app node when REDIS_URL is set).
- Some tables are always read from `default` (PRIMARY_APPS / PRIMARY_MODELS): sessions,
  login lockouts, users, API tokens, rate counters, idempotency records, export jobs — read
  to decide a write or an access — and the tables behind process-wide caches (the working
  day calendar, content types), which a lagging replica must not fill.
- Writes always go to `default`; migrations run only on `default`.

Without DATABASE_REPLICA_URL the router is not installed and the middleware passes through.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "zwfw_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Lists, dashboards and exports: pages that read many rows and decide nothing. Matched on the
# URL's view name (ninja names a path by its first operation: GET /api/v1/cases, the case
# list, shares the name "api:create_case" with the POST; only GET/HEAD are ever routed).
REPLICA_VIEWS = frozenset(
    {
        "home",  # each role's dashboard
        "audit",  # audit event list and its export
        "cases:list",
        "cases:summary",
        "cases:ledgers",
        "cases:inquiry_stats",
        "catalog:items",
        "catalog:export",
        "evaluations:index",
        "evaluations:statistics",
        "grants:grants",
        "grants:roster",
        "notifications:outbox",
        "org:people",
        "supervision:hotline",
        "supervision:hotline_summary",
        "api:create_case",  # GET /api/v1/cases (list); the POST is never routed
    }
)

PRIMARY_APPS = frozenset({"sessions", "axes", "workdays", "contenttypes"})
PRIMARY_MODELS = frozenset(
    {
        "auth.user",
        "core.apitoken",
        "core.ratecounter",
        "core.idempotencyrecord",
        "core.exportjob",
    }
)


@dataclass
class _Scope:
    wanted: bool = False  # this request or block may read from the replica
    pinned: bool = False  # the client wrote, or wrote within the pin window
    request: object = None  # a GET whose pin is not looked up yet (looked up when wanted)

    def pin_known(self) -> bool:
        """Looks the request's pin up once, on the first wish to read from the replica."""
        if self.request is not None:
            self.pinned = _pinned(self.request)
            self.request = None
        return self.pinned


_scope: ContextVar[_Scope | None] = ContextVar("zwfw_replica_scope", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _in_write_transaction() -> bool:
    """An atomic block is open on `default` (the test case's own wrapping block excepted, so
    tests see the routing production sees)."""
    primary = connections[DEFAULT_DB_ALIAS]
    if not primary.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in primary.atomic_blocks)


def reading_replica() -> bool:
    """Whether a read here (of a table not kept on the primary) goes to the replica."""
    scope = _scope.get()
    return (
        scope is not None
        and scope.wanted
        and not scope.pinned
        and replica_configured()
        and not _in_write_transaction()
    )


def alias_for_read() -> str:
    """The alias for hand-built SQL reads (`connections[alias]`), by the same rule."""
    return REPLICA if reading_replica() else DEFAULT_DB_ALIAS


@contextmanager
def replica_reads():
    """Reads in the block may use the replica (unless the request is pinned to default)."""
    current = _scope.get()
    if current is not None and current.pin_known():
        yield
        return
    token = _scope.set(_Scope(wanted=True))
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def primary_reads():
    """Reads in the block use `default` whatever the surrounding scope."""
    token = _scope.set(_Scope(pinned=True))
    try:
        yield
    finally:
        _scope.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed only when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        meta = model._meta
        if meta.app_label in PRIMARY_APPS or meta.label_lower in PRIMARY_MODELS:
            return DEFAULT_DB_ALIAS
        return REPLICA if reading_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # One database seen twice: a row read from the replica may point at one from default.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --- the request scope --------------------------------------------------------------------


def pin_seconds() -> int:
    return int(getattr(settings, "ZWFW_REPLICA_PIN_SECONDS", 15))


def _bearer_key(request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return "zwfw:primary:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]


def _pinned(request) -> bool:
    if request.COOKIES.get(PIN_COOKIE):
        return True
    key = _bearer_key(request)
    if key is None:
        return False
    from django.core.cache import cache

    return bool(cache.get(key))


def _pin(request, response) -> None:
    seconds = pin_seconds()
    if seconds <= 0:
        return
    response.set_cookie(
        PIN_COOKIE,
        "1",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _bearer_key(request)
    if key is not None:
        from django.core.cache import cache

        cache.set(key, 1, seconds)


class ReplicaMiddleware:
    """Opens the replica scope for GET/HEAD of the views in REPLICA_VIEWS when the client is
    not pinned, and pins the client to `default` after any other method."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        token = _scope.set(_Scope(pinned=not safe, request=request if safe else None))
        try:
            response = self.get_response(request)
        finally:
            _scope.reset(token)
        if not safe:
            _pin(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        scope = _scope.get()
        if scope is None or scope.pinned or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        marked = getattr(view_func, "replica_reads", False) or (
            match is not None and match.view_name in REPLICA_VIEWS
        )
        if marked and not scope.pin_known():
            scope.wanted = True
        return None


def replica_view(view):
    """Marks a view as a list, dashboard or export whose GET may read from the replica."""
    view.replica_reads = True
    return view
