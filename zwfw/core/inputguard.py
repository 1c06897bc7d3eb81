"""The gate every request passes before a view sees it (issue 11 point 11).

One place for what no view should have to think about:

* NUL and lone surrogates in the path, the query, a header, a form field, an uploaded
  file's name or anywhere in a JSON body are refused with 422 "含有非法字符" (PostgreSQL cannot store NUL;
  no encoder writes a lone surrogate: both used to end in a 500, even anonymously).
* Every other string in a form or JSON body is cleaned (zwfw.core.textclean.clean_text):
  control characters and invisible format characters are removed before any form, schema
  or service reads them, so stored text is clean whichever page or API wrote it.
* Bodies over the limit answer 413, `Idempotency-Key` over 200 characters 422, and values
  the database cannot hold (an id past 64 bits, a PostgreSQL data exception) 422 — always
  in the {code, message, field} shape on /api/ and as a Chinese error page elsewhere.

Passwords are checked but never rewritten (the user typed them; they are only hashed).
"""

import io
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError

from zwfw.core import textclean
from zwfw.core.errors import RuleViolation

IDEMPOTENCY_KEY_MAX = 200
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
OUT_OF_RANGE = "数值超出允许范围，或数据格式不为数据库所接受"


class BadInput(RuleViolation):
    """A refusal raised before any view ran."""


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _skip(name) -> bool:
    return isinstance(name, str) and "password" in name


def check_idempotency_key(key: str | None) -> None:
    if key is None:
        return
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise BadInput(
            "invalid",
            f"Idempotency-Key 最多{IDEMPOTENCY_KEY_MAX}个字符",
            field="Idempotency-Key",
        )
    if textclean.has_refused(key) or not key.isprintable():
        raise BadInput("invalid", "Idempotency-Key " + textclean.MESSAGE, field="Idempotency-Key")


def _refuse(field: str | None) -> BadInput:
    label = f"字段 {field} " if field else ""
    return BadInput("invalid", label + textclean.MESSAGE, field=field or None)


def _upload_limit() -> int:
    from zwfw.documents.xlsx import MAX_UPLOAD_BYTES

    return MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _check_length(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadInput("invalid", "请求头 Content-Length 不正确", status=400) from None
    multipart = request.content_type == "multipart/form-data"
    limit = _upload_limit() if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise _too_big(limit)


def _too_big(limit: int | None) -> BadInput:
    size = f"（上限 {limit // (1024 * 1024)}MB）" if limit else ""
    return BadInput("payload_too_large", f"请求内容过大{size}，请分批提交", status=413)


def _guard_headers(request) -> None:
    """NUL in a header (User-Agent, a cookie): django-axes stores the User-Agent of a failed
    login, and on PostgreSQL the NUL made that write fail, so the failure went uncounted."""
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            raise _refuse(key[5:].replace("_", "-").title())


def _guard_query(request) -> None:
    if textclean.has_refused(request.path):
        raise _refuse("path")
    for key, values in request.GET.lists():
        if textclean.has_refused(key) or any(textclean.has_refused(v) for v in values):
            raise _refuse(textclean.clean_text(key))


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _guard_json(request) -> None:
    body = request.body
    if not body:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return  # the API's parser answers 400 in Chinese; pages take no JSON
    except RecursionError:
        raise _too_deep() from None
    try:
        field = textclean.find_refused(data)
        cleaned = textclean.clean_data(data, keep=_skip)
    except RecursionError:
        raise _too_deep() from None
    if field is not None:
        raise _refuse(textclean.clean_text(field))
    if cleaned != data:
        raw = json.dumps(cleaned, ensure_ascii=False).encode()
        request._body = raw
        request._stream = io.BytesIO(raw)


def _too_deep() -> BadInput:
    return BadInput("invalid_json", "请求体 JSON 嵌套层级过深", status=400)


def _guard_form(request) -> None:
    post = request.POST  # parses now: limits below answer in our shape
    for key, values in post.lists():
        if textclean.has_refused(key) or any(textclean.has_refused(v) for v in values):
            raise _refuse(textclean.clean_text(key))
    for key, files in request.FILES.lists():
        for upload in files:
            if textclean.has_refused(upload.name or ""):
                raise _refuse(textclean.clean_text(key))
            upload.name = textclean.clean_text(upload.name or "")
    cleaned = post.copy()
    changed = False
    for key, values in post.lists():
        if _skip(key):
            continue
        new = [textclean.clean_text(v) for v in values]
        if new != values:
            cleaned.setlist(key, new)
            changed = True
    if changed:
        cleaned._mutable = False
        request._post = cleaned


def _guard_body(request) -> None:
    if request.method not in BODY_METHODS:
        return
    _check_length(request)
    content_type = request.content_type or ""
    try:
        if _is_json(content_type):
            _guard_json(request)
        elif request.method == "POST" and content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            _guard_form(request)
    except RequestDataTooBig:
        raise _too_big(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise BadInput("payload_too_large", "表单字段或文件过多，请分批提交", status=413) from None
    except MultiPartParserError:
        raise BadInput("invalid", "表单内容无法解析，请重新提交", status=400) from None


def guard(request) -> None:
    """Raise BadInput for a request no view should see; clean its body in place."""
    _guard_headers(request)
    _guard_query(request)
    if is_api(request):
        check_idempotency_key(request.headers.get("Idempotency-Key"))
    _guard_body(request)


def answer(request, exc: RuleViolation):
    if is_api(request):
        return JsonResponse(
            exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False}
        )
    from django.shortcuts import render

    return render(request, "core/error.html", {"error": exc}, status=exc.status)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            guard(request)
        except BadInput as exc:
            return answer(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Values the database refuses (an id past 64 bits on SQLite, a PostgreSQL data
        exception such as bigint overflow) are bad input, not a server error."""
        if isinstance(exception, OverflowError | DataError):
            return answer(request, BadInput("invalid", OUT_OF_RANGE))
        return None
