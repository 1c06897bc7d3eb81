"""The keyed hash-chained audit trail, with signed checkpoints kept outside the database.

Every state-changing service calls `record()` inside its own transaction. Each event's hash
is HMAC-SM3 over the previous event's hash and this event's content, keyed with a secret
that is not in the database (derived from ZWFW_DATA_KEY, or ZWFW_AUDIT_KEY when set). Someone
who can write to the database but lacks the key cannot rewrite an event and recompute the
later links: `verify()` finds the first event whose keyed hash does not hold.

What a keyed chain alone cannot show is that its newest events were removed. `checkpoint()`
appends a signed record of the head (id, hash, count, time) to a file outside the database
(and optionally sends it to a remote sink); `verify()` reads those checkpoints back and
reports events that a checkpoint saw but the database no longer holds.
"""

import datetime
import json
import logging
import os
import urllib.request
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zwfw.core import fastsql
from zwfw.core.context import client_ip
from zwfw.core.crypto import constant_time_equal, sm3
from zwfw.core.models import AuditEvent

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# Any constant: PostgreSQL serialises chain appends on this advisory lock.
_CHAIN_LOCK = 732_011
_LAST_HASH = "SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1"


# --- keys -------------------------------------------------------------------------------


def _master() -> str:
    return getattr(settings, "ZWFW_AUDIT_KEY", "") or settings.DATA_KEY


@cache
def _macs(master: str) -> tuple[hmac.HMAC, hmac.HMAC]:
    """Keyed HMAC-SM3 states for chain links and for checkpoint signatures, derived from the
    master secret like core.crypto derives its keys. Each use copies a state (no key setup
    per event on the hot path)."""
    link_key = bytes.fromhex(sm3(b"zwfw-audit-link|" + master.encode()))
    checkpoint_key = bytes.fromhex(sm3(b"zwfw-audit-checkpoint|" + master.encode()))
    return hmac.HMAC(link_key, hashes.SM3()), hmac.HMAC(checkpoint_key, hashes.SM3())


def _mac(which: int, data: bytes) -> str:
    mac = _macs(_master())[which].copy()
    mac.update(data)
    return mac.finalize().hex()


# --- the chain --------------------------------------------------------------------------


def _canonical(event) -> bytes:
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


def compute_hash(event) -> str:
    """The event's link: HMAC-SM3 (audit key) over the previous hash and the content."""
    return _mac(0, _canonical(event))


def plain_hash(event) -> str:
    """The unkeyed SM3 link of chains written before the key (core migration 0004)."""
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


def rechain(model, batch: int = 2000) -> tuple[int, int | None]:
    """Rewrite every link with the keyed hash, in id order (core migration 0004, and after a
    change of audit key). Returns the number of events and the first event at which the old
    chain did not hold (None when it held), so the upgrade does not launder earlier tampering
    silently: the caller records that in the trail."""
    old_prev = prev = GENESIS
    first_broken = None
    count = last_id = 0
    while rows := list(model.objects.filter(id__gt=last_id).order_by("id")[:batch]):
        for event in rows:
            if first_broken is None and (
                event.prev_hash != old_prev
                or event.hash not in (plain_hash(event), compute_hash(event))
            ):
                first_broken = event.id
            old_prev = event.hash
            event.prev_hash = prev
            event.hash = prev = compute_hash(event)
        model.objects.bulk_update(rows, ["prev_hash", "hash"])
        count += len(rows)
        last_id = rows[-1].id
    return count, first_broken


# --- checkpoints ------------------------------------------------------------------------


def checkpoint_path() -> Path:
    return Path(settings.ZWFW_AUDIT_CHECKPOINT_FILE)


def _signed_text(record_: dict) -> bytes:
    body = {k: v for k, v in record_.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign_checkpoint(record_: dict) -> str:
    return _mac(1, _signed_text(record_))


def make_checkpoint() -> dict:
    """The chain's head as the database holds it now, signed with the audit key."""
    head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    head_id, head_hash = (head["id"], head["hash"]) if head else (0, GENESIS)
    # Appends are serialised and ids grow in commit order, so counting up to the head is
    # consistent even while new events arrive.
    count = AuditEvent.objects.filter(id__lte=head_id).count()
    at = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
    record_ = {"v": 1, "head_id": head_id, "head_hash": head_hash, "count": count, "at": at}
    record_["sig"] = sign_checkpoint(record_)
    return record_


def checkpoint() -> tuple[dict, bool]:
    """Append a signed checkpoint to the file (fsynced) and send it to the sink if one is
    configured. Returns the checkpoint and whether the sink (if any) accepted it."""
    record_ = make_checkpoint()
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record_, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return record_, _send_to_sink(record_)


def _send_to_sink(record_: dict) -> bool:
    sink = getattr(settings, "ZWFW_AUDIT_CHECKPOINT_SINK", "")
    if not sink:
        return True
    try:
        if sink.startswith(("http://", "https://")):
            request = urllib.request.Request(
                sink,
                data=json.dumps(record_).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
        else:
            import_string(sink)(record_)
    except Exception:  # the file copy is written; a sink outage must not stop the schedule
        log.exception("audit checkpoint: remote sink %s failed", sink)
        return False
    return True


def read_checkpoints() -> tuple[list[dict], list[str]]:
    """Valid checkpoints in file order, and a Chinese problem for every line that is not a
    well-formed checkpoint signed with the audit key."""
    path = checkpoint_path()
    if not path.exists():
        return [], []
    good, problems = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            valid = constant_time_equal(str(item.get("sig", "")), sign_checkpoint(item))
            item["head_id"], item["count"] = int(item["head_id"]), int(item["count"])
        except (ValueError, TypeError, KeyError, AttributeError):
            valid = False
        if valid:
            good.append(item)
        else:
            problems.append(f"检查点文件第 {n} 行签名无效（检查点被篡改、伪造或密钥不符）")
    return good, problems


# --- verification -----------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    # Every problem found, chain and checkpoints, in Chinese.
    problems: list[str] = field(default_factory=list)
    checkpoints: int = 0
    last_checkpoint: dict | None = None


def _walk(batch: int, pending: list[dict], problems: list[str]):
    """Walk the chain in id order, checking each link and each checkpoint's head on the way.
    Returns (events checked, first broken id, reason, last id seen)."""
    prev = GENESIS
    checked = last_id = 0
    while rows := list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch]):
        for event in rows:
            if event.prev_hash != prev:
                return checked, event.id, "与前一条记录的链接断开（前一条记录被删除或篡改）", None
            if not constant_time_equal(compute_hash(event), event.hash):
                return checked, event.id, "记录内容与其哈希值不符（记录被篡改）", None
            while pending and pending[0]["head_id"] <= event.id:
                _check_head(pending.pop(0), event, checked + 1, problems)
            prev = event.hash
            checked += 1
            last_id = event.id
    return checked, None, "", last_id


def _check_head(cp: dict, event, count: int, problems: list[str]) -> None:
    at = cp.get("at", "")
    if cp["head_id"] != event.id:
        problems.append(f"检查点（{at}）记录的第 {cp['head_id']} 号记录已不存在（记录被删除）")
    elif cp["head_hash"] != event.hash:
        problems.append(f"第 {event.id} 号记录的哈希与检查点（{at}）不符（记录被改写）")
    elif cp["count"] != count:
        problems.append(
            f"检查点（{at}）时共有 {cp['count']} 条记录，现截至第 {event.id} 号仅 {count} 条"
            "（记录被删除）"
        )


def verify(batch: int = 2000) -> VerifyResult:
    """Check every keyed link, every checkpoint signature, and that every event a checkpoint
    saw is still there unchanged."""
    checkpoints, problems = read_checkpoints()
    pending = sorted((cp for cp in checkpoints if cp["head_id"] > 0), key=lambda c: c["head_id"])
    checked, broken_id, reason, last_id = _walk(batch, pending, problems)
    if broken_id is not None:
        problems.insert(0, f"哈希链在第 {broken_id} 号记录处断开：{reason}")
    elif pending:
        # The walk ended before these heads: the newest events were removed.
        cp = pending[-1]
        problems.append(
            f"检查点（{cp.get('at', '')}）记录的最新记录为第 {cp['head_id']} 号、共 "
            f"{cp['count']} 条，数据库现仅到第 {last_id} 号、共 {checked} 条"
            "（检查点之后最新的记录被删除）"
        )
    latest = max(checkpoints, key=lambda c: (c["head_id"], c.get("at", "")), default=None)
    return VerifyResult(
        ok=not problems,
        checked=checked,
        broken_id=broken_id,
        reason=reason,
        problems=problems,
        checkpoints=len(checkpoints),
        last_checkpoint=latest,
    )
