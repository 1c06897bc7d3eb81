"""Public downloads of a case's documents (收件回执, 行政许可决定书): only through the signed,
short-lived token of a progress query that passed its checks (public_views._case_by_token)."""

from zwfw.cases import documents
from zwfw.cases.public_views import _case_by_token
from zwfw.cases.views import _pdf
from zwfw.core.errors import NotFound


def document(request, token, kind):
    case = _case_by_token(token)
    if kind == "receipt":
        return _pdf(*documents.intake_receipt_pdf(case, request))
    if kind == "decision":
        return _pdf(*documents.decision_pdf(case))
    raise NotFound("未找到该文书")
