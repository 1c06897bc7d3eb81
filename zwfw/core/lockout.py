from django.http import JsonResponse
from django.shortcuts import render

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
        import json

        try:
            return json.loads(request.body).get("username")
        except (ValueError, AttributeError):
            return None
    return None
