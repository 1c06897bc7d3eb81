"""The hash-chained audit trail.

Every state-changing service calls `record()` inside its own transaction. Each event's hash
is SM3 over the previous event's hash and this event's content, so altering or deleting a
row breaks the chain from that point on; `verify()` finds the first broken link.
"""

import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from zwfw.core import fastsql
from zwfw.core.context import client_ip
from zwfw.core.crypto import sm3
from zwfw.core.models import AuditEvent

GENESIS = "0" * 64
# Any constant: PostgreSQL serialises chain appends on this advisory lock.
_CHAIN_LOCK = 732_011
_LAST_HASH = "SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1"


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "actor_department": event.actor_department,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
    }
    text = json.dumps(
        content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")
    )
    return event.prev_hash.encode() + b"|" + text.encode()


def compute_hash(event: AuditEvent) -> str:
    return sm3(_canonical(event))


_PLAIN = (str, int, float, bool, type(None))


def _jsonable(value):
    """The value as JSON will store it (dates become strings), so the hash is computed over
    what is saved. Flat dicts of plain values, the usual case, are taken as they are."""
    if value is None:
        return None
    if isinstance(value, dict) and all(
        isinstance(k, str) and type(v) in _PLAIN for k, v in value.items()
    ):
        return dict(value)
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def describe_actor(user) -> tuple[str, str, str]:
    """Name, roles and department of the acting user, copied into the event."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "匿名", "", ""
    person = getattr(user, "person", None)
    name = person.name if person else (user.get_full_name() or user.get_username())
    roles = ",".join(sorted({a.role for a in user.role_assignments.all()}))
    if user.is_superuser:
        roles = ",".join(filter(None, ["superuser", roles]))
    department = person.department.name if person and person.department_id else ""
    return name, roles, department


def record(
    *,
    actor,
    action: str,
    obj=None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    name, roles, department = describe_actor(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    # savepoint=False: inside a service's transaction (the usual case) this adds no SAVEPOINT
    # round trips; alone it opens one, which the advisory lock needs.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lock and read the head in one round trip (migration core 0002).
            cursor.execute("SELECT zwfw_audit_head(%s)", [_CHAIN_LOCK])
        else:
            cursor.execute(_LAST_HASH)  # SQLite: the write lock is held since BEGIN IMMEDIATE
        last = cursor.fetchone()
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_name=name,
            actor_role=roles[:200],
            actor_department=department[:200],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            before=_jsonable(before),
            after=_jsonable(after),
            ip=client_ip.get() or "",
            prev_hash=(last and last[0]) or GENESIS,
        )
        event.hash = compute_hash(event)
        # The key is not read back: inside fastsql.batched() the append waits for nothing.
        fastsql.insert(event, read_key=False)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(batch: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first event whose hash or link does not hold."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return VerifyResult(ok=True, checked=checked)
        for event in rows:
            if event.prev_hash != prev:
                return VerifyResult(
                    False, checked, event.id, "与前一条记录的链接断开（前一条记录被删除或篡改）"
                )
            if compute_hash(event) != event.hash:
                return VerifyResult(
                    False, checked, event.id, "记录内容与其哈希值不符（记录被篡改）"
                )
            prev = event.hash
            checked += 1
            last_id = event.id
