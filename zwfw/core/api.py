"""API plumbing shared by every app: auth, error shape, pagination, idempotency."""

import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from zwfw.core.errors import RuleViolation
from zwfw.core.inputguard import OUT_OF_RANGE, check_idempotency_key
from zwfw.core.models import IdempotencyRecord

# Pages far past any list's end: larger values only make the database's OFFSET overflow.
MAX_PAGE = 1_000_000


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        from zwfw.core.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class LoggedInSessionAuth(SessionAuth):
    """The browser session, CSRF-checked — but only when there is a logged-in session.

    ninja's SessionAuth checks CSRF before it looks at the user, so an anonymous write with
    no credentials at all got "CSRF check Failed" (403) instead of 401. Without a session
    there is nothing a forged request could ride on: answer 401. A logged-in session user
    still needs the CSRF token."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class UnsupportedMediaType(Exception):
    pass


class JsonOnlyParser(Parser):
    """JSON bodies only: a form or text body sent to a JSON operation answers 415, not a
    parse error. A body without a Content-Type is read as JSON (lenient to old clients)."""

    def parse_body(self, request):
        content_type = request.content_type or ""
        if (
            content_type
            and content_type != "application/json"
            and not content_type.endswith("+json")
        ):
            raise UnsupportedMediaType(content_type)
        return json.loads(request.body)


# ninja's own English messages, as the API answers them.
_HTTP_ERRORS = {
    "CSRF check Failed": (
        "csrf_failed",
        "CSRF 校验失败：请刷新页面后重试；程序调用请使用令牌（Authorization: Bearer）",
    ),
}


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    basis: str | None = None  # the rule's legal basis in words, when `code` is a rule ID


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
        if kind == "missing" and field is None:
            message = "请求体不能为空，须为 JSON 对象"
        elif kind == "missing":
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
        if isinstance(exc.__cause__, UnsupportedMediaType):
            message = "请求体须为 JSON（Content-Type: application/json）"
            return error(api, request, 415, "unsupported_media_type", message)
        if exc.status_code == 400 and exc.__cause__ is not None:
            return error(api, request, 400, "invalid_json", "请求体不是合法的 JSON")
        code, message = _HTTP_ERRORS.get(str(exc), ("http_error", str(exc)))
        return error(api, request, exc.status_code, code, message)

    @api.exception_handler(OverflowError)
    def overflow(request, exc):
        # SQLite takes integers up to 64 bits: a larger id or page is out of range.
        return error(api, request, 422, "invalid", OUT_OF_RANGE)

    @api.exception_handler(DataError)
    def data_error(request, exc):
        # PostgreSQL's data exceptions (bigint overflow, a value too long) are bad input.
        return error(api, request, 422, "invalid", OUT_OF_RANGE)

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
    api = NinjaAPI(auth=[BearerAuth(), LoggedInSessionAuth()], parser=JsonOnlyParser(), **kwargs)
    install_error_handlers(api)
    return api


class Page(Schema):
    count: int


def paginate(queryset, page: int = 1, page_size: int = 50) -> tuple[list, int]:
    if not 1 <= page <= MAX_PAGE:
        raise RuleViolation("invalid", f"page 须为1到{MAX_PAGE}之间的整数", field="page")
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
    check_idempotency_key(key)  # the middleware checked it too; this keeps the model safe
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
