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


@transaction.atomic
def register_integrator(*, by, user, name: str, center=None):
    """A center administrator marks `user` as the account of a platform that collects
    ratings itself (API.md: its ratings count as confirmed). A center-wide integrator needs a
    center administrator of that center; an all-centers one needs a global administrator.
    The account must not belong to a staff member (staff never rate their own units)."""
    from zwfw.evaluations.models import IntegratorAccount
    from zwfw.org.models import Person

    if center is not None:
        require_role(by, Role.CENTER_ADMIN, center=center)
    else:
        require_role(by, Role.CENTER_ADMIN)
    name = required_text(name, "name", "对接平台名称")[:100]
    if Person.objects.filter(user_id=user.pk).exists():
        raise Conflict("invalid", "工作人员的账号不能登记为好差评对接账号")
    integrator, _created = IntegratorAccount.objects.update_or_create(
        user=user,
        defaults={
            "name": name,
            "center": center,
            "active": True,
            "registered_by": by,
            "registered_at": timezone.now(),
        },
    )
    audit.record(
        actor=by,
        action="register_integrator",
        obj=integrator,
        after={"user": user.username, "name": name, "center": center.pk if center else None},
    )
    return integrator
