"""Who is acting and from where, for the audit trail, without threading `request` everywhere."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
