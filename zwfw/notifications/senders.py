"""Pluggable SMS senders. `settings.NOTIFICATION_SENDER` names the class; a gateway adapter
implements `send(message)` and raises `SendError` when the gateway refuses. It is called with
no database transaction open; any exception it raises counts as one failed attempt, retried
with backoff (notifications.services.send_message)."""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SendError(Exception):
    """The gateway did not take the message (text kept for the outbox row)."""


class Sender(Protocol):
    def send(self, message) -> None: ...


class OutboxOnlySender:
    """The default: the outbox row is the record; nothing leaves the machine. Government
    intranets without an SMS gateway read the outbox page instead."""

    def send(self, message) -> None:
        return None


class ConsoleSender:
    """For trying the platform (`make run`): each SMS is printed to the server's terminal with
    the phone masked, so a visitor of the demo can read the one-time codes sent to them (the
    outbox page never shows codes)."""

    def send(self, message) -> None:
        print(f"[短信] {message.masked_phone}：{message.text}", flush=True)


def current_sender() -> Sender:
    return import_string(settings.NOTIFICATION_SENDER)()


def sender_path() -> str:
    return settings.NOTIFICATION_SENDER
