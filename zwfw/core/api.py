"""API plumbing shared by every app: auth, error shape, pagination, idempotency."""

import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from zwfw.core.errors import RuleViolation
from zwfw.core.models import IdempotencyRecord


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        from zwfw.core.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


def error(api, request, status: int, code: str, message: str, field: str | None = None):
    body = {"code": code, "message": message}
    if field:
        body["field"] = field
    return api.create_response(request, body, status=status)


def _field_of(loc) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(RuleViolation)
    def rule_violation(request, exc: RuleViolation):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        first = exc.errors[0] if exc.errors else {}
        field = _field_of(first.get("loc", []))
        kind = first.get("type", "")
        if kind == "missing":
            message = f"缺少必填字段：{field}"
        elif "date" in kind:
            message = f"字段 {field} 须为 YYYY-MM-DD 格式的日期"
        else:
            message = f"字段 {field or ''} 的值不合法：{first.get('msg', '')}"
        return error(api, request, 422, "invalid", message, field)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return error(api, request, 401, "unauthorized", "未登录，或令牌无效、已过期")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error(api, request, 404, "not_found", "未找到该记录")

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error(api, request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(DjangoValidationError)
    def model_invalid(request, exc: DjangoValidationError):
        if hasattr(exc, "message_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            return error(
                api,
                request,
                422,
                "invalid",
                "；".join(messages),
                None if field == "__all__" else field,
            )
        return error(api, request, 422, "invalid", "；".join(exc.messages))

    @api.exception_handler(IntegrityError)
    def conflict(request, exc):
        return error(api, request, 409, "conflict", "数据与已有记录冲突（重复或被引用）")


def make_api(**kwargs) -> NinjaAPI:
    api = NinjaAPI(auth=[BearerAuth(), SessionAuth()], **kwargs)
    install_error_handlers(api)
    return api


class Page(Schema):
    count: int


def paginate(queryset, page: int = 1, page_size: int = 50) -> tuple[list, int]:
    if page < 1:
        raise RuleViolation("invalid", "page 须为正整数", field="page")
    if not 1 <= page_size <= 200:
        raise RuleViolation("invalid", "page_size 须在1到200之间", field="page_size")
    count = queryset.count()
    start = (page - 1) * page_size
    return list(queryset[start : start + page_size]), count


def idempotent(request, produce, status: int = 201):
    """Run `produce()` once per Idempotency-Key: a repeat returns the first answer.

    `produce` returns JSON-ready data; the endpoint returns this function's (status, data).
    """
    key = request.headers.get("Idempotency-Key")
    if not key:
        return status, produce()
    digest = hashlib.sha256(request.body or b"").hexdigest()
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        found = IdempotencyRecord.objects.filter(user=user, path=request.path, key=key).first()
        if found:
            if found.body_digest != digest:
                raise RuleViolation(
                    "idempotency_key_reused", "该 Idempotency-Key 已用于内容不同的请求", status=422
                )
            return found.status, found.response
        data = json.loads(json.dumps(produce(), default=str))
        IdempotencyRecord.objects.create(
            user=user, path=request.path, key=key, body_digest=digest, status=status, response=data
        )
        return status, data
