"""Login lockout (issue 11 point 13).

Two locks:
- axes counts failures per username AND client address together (AXES_LOCKOUT_PARAMETERS):
  5 failures lock that name from that address only, so nobody locks a colleague out by
  typing the colleague's name from their own machine;
- a higher ceiling per username from any addresses (ZWFW_LOGIN_USERNAME_LIMIT, counted in
  core.ratelimit's shared store) stops a spread-out guessing attack. Reaching it locks the
  account itself: its API tokens are revoked at once (they would otherwise outlive the lock).
"""

import json

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render

from zwfw.core import ratelimit
from zwfw.core.prepared import PreparedRead

LOCKED_MESSAGE = "连续登录失败次数过多，账号已被锁定30分钟。请稍后再试，或联系管理员解锁。"


def lockout_response(request, original_response=None, credentials=None):
    """Axes lockout: the API's error shape for the API, a Chinese page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "account_locked", "message": LOCKED_MESSAGE}, status=423)
    return render(request, "core/locked.html", {"message": LOCKED_MESSAGE}, status=429)


def username_of(request, credentials=None):
    """Axes reads form posts only; the API posts JSON, so read the username from either."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    if request.POST.get("username"):
        return request.POST["username"]
    if request.content_type == "application/json" and request.body:
        try:
            return json.loads(request.body).get("username")
        except (ValueError, AttributeError):
            return None
    return None


def _ceiling_key(username: str) -> str:
    return f"login-username:{username}"


def username_locked(username: str) -> bool:
    """True while the username has reached its ceiling of failures from any addresses."""
    limit, window = settings.ZWFW_LOGIN_USERNAME_LIMIT
    return ratelimit.exceeded(_ceiling_key(username), limit, window)


def unlock_username(username: str) -> None:
    """Lift the per-username ceiling (axes' own locks: `axes_reset_username`)."""
    ratelimit.clear(_ceiling_key(username), settings.ZWFW_LOGIN_USERNAME_LIMIT[1])


def _count_failure(username: str) -> None:
    limit, window = settings.ZWFW_LOGIN_USERNAME_LIMIT
    if ratelimit.record(_ceiling_key(username), window) == limit:
        _lock_account(username)


def _lock_account(username: str) -> None:
    """The ceiling was just reached: the account's bearer tokens end now."""
    from django.contrib.auth import get_user_model

    from zwfw.core import audit
    from zwfw.core.models import ApiToken

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return
    with transaction.atomic():
        revoked, _ = ApiToken.objects.filter(user=user).delete()
        audit.record(
            actor=None,
            action="lock_account",
            obj=user,
            object_repr=username,
            after={"reason": "登录失败次数达到上限", "revoked_tokens": revoked},
        )


def _user_by_pk(pk):
    from django.contrib.auth import get_user_model

    # With the person: every page shows the account's name (core/base.html).
    return get_user_model().objects.filter(pk=pk).select_related("person")


_USER = PreparedRead(settings.AUTH_USER_MODEL, _user_by_pk)


def _roles_with_user(pk):
    from zwfw.org.models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=pk).select_related(
        "user", "user__person", "center", "department"
    )


# The user's roles with the user and their person: one statement for what every page asks
# first (who is this, what may they do). An account without roles costs `_USER` after it.
_ROLES_WITH_USER = PreparedRead("org.RoleAssignment", _roles_with_user)


class CeilingModelBackend(ModelBackend):
    """Django's password check, refusing a username that reached its ceiling and counting
    each wrong password towards it. It runs after axes' backend, so an attempt that axes
    already refused (address lock) is not counted: a locked-out address cannot push a
    colleague's account to the ceiling by repeating itself."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if username_locked(username):
            if request is not None:
                request.axes_locked_out = True  # answered by core.lockout.lockout_response
            raise PermissionDenied(LOCKED_MESSAGE)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            _count_failure(username)
        return user

    def get_user(self, user_id):
        """The logged-in user of every page request with their person and roles, read with
        statements compiled once (core.prepared); otherwise as ModelBackend.get_user."""
        from zwfw.core.permissions import remember_assignments

        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        roles = _ROLES_WITH_USER(pk=pk)
        if roles:
            user = roles[0].user
            remember_assignments(user, roles)
        else:
            found = _USER(pk=pk)
            user = found[0] if found else None
            if user is not None:
                remember_assignments(user, [])
        return user if user is not None and self.user_can_authenticate(user) else None
