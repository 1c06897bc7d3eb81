"""The one error type a rule refusal raises, mapped to one JSON shape (API.md)."""


class RuleViolation(Exception):
    """A refusal by a rule or a field check; `code` is the rule ID or a short snake_case name."""

    status = 422

    def __init__(
        self, code: str, message: str, field: str | None = None, status: int | None = None
    ):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = str(message)
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        from zwfw.core.basis import basis  # the table imports this module

        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        words = basis(self.code)
        if words:
            body["basis"] = words
        return body


class Forbidden(RuleViolation):
    status = 403

    def __init__(self, message: str = "您没有权限执行此操作", code: str = "forbidden"):
        super().__init__(code, message)


class NotFound(RuleViolation):
    status = 404

    def __init__(self, message: str = "未找到该记录", code: str = "not_found"):
        super().__init__(code, message)


class Conflict(RuleViolation):
    status = 409
