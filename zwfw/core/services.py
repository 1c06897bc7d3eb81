"""Writes of the core app: API tokens."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.crypto import token_digest
from zwfw.core.errors import RuleViolation
from zwfw.core.lockout import LOCKED_MESSAGE
from zwfw.core.models import ApiToken
from zwfw.core.permissions import remember_assignments
from zwfw.core.prepared import PreparedRead


def issue_api_token(*, request, username: str, password: str) -> tuple[str, ApiToken]:
    """Exchange a username and password for a bearer token (stored as a digest).

    Authentication runs outside the token's transaction: the failed-login record that
    locks an account after 5 failures must survive the refusal.
    """
    user = authenticate(request=request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        # Axes answers the lockout itself (core.lockout); raising keeps the shape for tests.
        raise RuleViolation("account_locked", LOCKED_MESSAGE, status=423)
    if user is None or not user.is_active:
        raise RuleViolation("invalid_credentials", "用户名或密码错误", status=401)
    return _store_token(user)


@transaction.atomic
def _store_token(user) -> tuple[str, ApiToken]:
    plain = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(plain),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
    )
    audit.record(
        actor=user, action="issue_api_token", obj=token, after={"expires_at": token.expires_at}
    )
    return plain, token


@transaction.atomic
def revoke_api_token(*, user, plain: str) -> None:
    """End the presented bearer token now (POST /api/v1/auth/token/revoke)."""
    token = ApiToken.objects.filter(user=user, digest=token_digest(plain)).first()
    if token is None:
        raise RuleViolation("unauthorized", "未登录，或令牌无效、已过期", status=401)
    audit.record(
        actor=user, action="revoke_api_token", obj=token, before={"expires_at": token.expires_at}
    )
    token.delete()


# Every API request reads its token: compiled once (core.prepared). The expiry is compared
# here, so the statement binds only the digest.
_TOKEN = PreparedRead(
    ApiToken,
    lambda digest: ApiToken.objects.select_related("user").filter(digest=digest).order_by()[:1],
)


def _roles_by_token(digest):
    from zwfw.org.models import RoleAssignment

    return (
        RoleAssignment.objects.filter(user__api_tokens__digest=digest)
        .select_related("user", "center", "department")
        .annotate(token_expires_at=F("user__api_tokens__expires_at"))
    )


# ... and then its user's roles: one statement for both (the digest is unique, so one row per
# role, each with the user and the token's expiry). An account without roles costs the
# token's own read after it.
_ROLES_BY_TOKEN = PreparedRead("org.RoleAssignment", _roles_by_token)


def user_for_token(plain: str):
    """The token's user, or None: expired, revoked (deleted), or the account deactivated.
    An account that reaches the login ceiling loses its tokens then (core.lockout). The
    user comes with its roles read (core.permissions)."""
    digest = token_digest(plain)
    roles = _ROLES_BY_TOKEN(digest=digest)
    if roles:
        user, expires_at = roles[0].user, roles[0].token_expires_at
        remember_assignments(user, roles)
    else:
        found = _TOKEN(digest=digest)
        if not found:
            return None
        user, expires_at = found[0].user, found[0].expires_at
        remember_assignments(user, [])
    if expires_at <= timezone.now() or not user.is_active:
        return None
    return user
