"""Evaluator devices (评价器) at windows: registered by the center, token shown once and kept
as a digest, stopped when lost or replaced."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import Conflict
from zwfw.core.permissions import Role, require_role
from zwfw.evaluations import tokens
from zwfw.evaluations.models import EvaluatorDevice
from zwfw.evaluations.services.base import required_text


@transaction.atomic
def register_device(*, by, window, name: str) -> tuple[EvaluatorDevice, str]:
    """The center registers an evaluator device for a window; the token is shown once and
    kept only as a digest."""
    require_role(by, Role.CENTER_ADMIN, center=window.center)
    name = required_text(name, "name", "设备名称")[:100]
    token = tokens.new_secret()
    device = EvaluatorDevice.objects.create(
        center=window.center,
        window=window,
        name=name,
        token_digest=tokens.digest(token),
        registered_by=by,
        registered_at=timezone.now(),
    )
    audit.record(
        actor=by, action="register_device", obj=device, after={"window": window.pk, "name": name}
    )
    return device, token


@transaction.atomic
def deactivate_device(*, by, device: EvaluatorDevice) -> EvaluatorDevice:
    """Stop a lost or replaced device; its ratings stay."""
    require_role(by, Role.CENTER_ADMIN, center=device.center)
    if not device.active:
        raise Conflict("invalid_transition", "该评价器已停用")
    device.active = False
    device.save(update_fields=["active"])
    audit.record(actor=by, action="deactivate_device", obj=device, after={"active": False})
    return device


def device_seen(device: EvaluatorDevice) -> None:
    """Note when a device last called (for the device list; not a state change to audit)."""
    now = timezone.now()
    if device.last_used_at is None or now - device.last_used_at > timedelta(minutes=5):
        EvaluatorDevice.objects.filter(pk=device.pk).update(last_used_at=now)
        device.last_used_at = now
