"""The keyed hash-chained audit trail, one chain per service center, with signed checkpoints
kept outside the database.

Every state-changing service calls `record()` inside its own transaction. Each event's hash
is HMAC-SM3 over the previous event's hash *in its chain* and this event's content (its chain
included), keyed with a secret that is not in the database (derived from ZWFW_DATA_KEY, or
ZWFW_AUDIT_KEY when set). Someone who can write to the database but lacks the key cannot
rewrite an event and recompute the later links: `verify()` finds, in every chain, the first
event whose keyed hash does not hold.

Why one chain per center (issue 17 point 3), and not unsealed events sealed later by a
background sealer: a single chain made every audited write of the platform queue behind one
lock held until commit. Centers are independent writers by nature (their cases, departments
and staff), and a center's auditors verify their own chain. Per-center chains keep every
guarantee at commit time, exactly as before: an event is linked and keyed when its
transaction commits, so there is no window in which a committed but unsealed event could be
altered or removed unseen, no second write of every row, no sealer to watch, and `verify()`
needs no notion of "not yet sealed". Writers of one center still queue behind each other,
which a center's volume allows; writers of different centers do not wait at all.

- The chain of an event is the center of its object (`center` of the object, of its
  department or of its case), else the acting user's center, else "platform"; `record(center=)`
  names it explicitly. All events of one transaction go to the chain of its first event, so a
  transaction holds one chain lock and two transactions never wait on each other's chain locks
  in opposite orders (no deadlock from the trail).
- PostgreSQL: appends to a chain are serialised on a per-chain advisory lock held until commit,
  taken together with the chain's head in one round trip (core migration 0007). SQLite: the
  database's single write lock (BEGIN IMMEDIATE) serialises them anyway.
- A case transition reads the head with its row lock (or intake with its case number:
  head_sql(), prime()), and every event keeps the new head in hand for the rest of its
  transaction: no round trip of its own for the head (issue 17 point 6). The chain lock is
  then held from the case row's lock to commit.

What a keyed chain alone cannot show is that its newest events were removed. `checkpoint()`
appends a signed record of every chain's head (id, hash, count) and the time to a file outside
the database (and optionally sends it to a remote sink); `verify()` reads those checkpoints back
and reports, per chain, events that a checkpoint saw but the database no longer holds.
Checkpoints written before the per-center chains (one global head) are still checked by id and
count. A change of the audit key needs `zwfw audit rechain` (rechain()).
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
from django.db import connection, connections, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.module_loading import import_string

from zwfw.core import fastsql
from zwfw.core.context import client_ip
from zwfw.core.crypto import constant_time_equal, sm3
from zwfw.core.models import AuditEvent

log = logging.getLogger(__name__)

GENESIS = "0" * 64
PLATFORM = "platform"
# Any constant: with the chain's hashtext() it keys the chain's advisory lock (migration 0007).
_CHAIN_LOCK = 732_011
_LAST_HASH = "SELECT hash FROM core_auditevent WHERE chain = %s ORDER BY id DESC LIMIT 1"


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


def _canonical(event, *, with_chain: bool = True) -> bytes:
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
    # The chain is part of what is signed: moving an event to another chain breaks its link.
    # (Links written before migration 0007, and the historical model of 0004, have none.)
    chain = getattr(event, "chain", None) if with_chain else None
    if chain is not None:
        content["chain"] = chain
    text = json.dumps(
        content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")
    )
    return event.prev_hash.encode() + b"|" + text.encode()


def compute_hash(event, *, with_chain: bool = True) -> str:
    """The event's link: HMAC-SM3 (audit key) over the previous hash and the content."""
    return _mac(0, _canonical(event, with_chain=with_chain))


def plain_hash(event, *, with_chain: bool = True) -> str:
    """The unkeyed SM3 link of chains written before the key (core migration 0004)."""
    return sm3(_canonical(event, with_chain=with_chain))


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


def _center_of(obj, depth: int = 0):
    """The service center an object belongs to: itself, its `center`, or the center of its
    department or case (read from the loaded relation, else one query); None if none."""
    meta = obj._meta
    if meta.label == "org.ServiceCenter":
        return obj.pk
    center_id = getattr(obj, "center_id", None)
    if center_id is not None or depth > 1:
        return center_id
    for name in ("department", "case"):
        related_id = getattr(obj, f"{name}_id", None)
        if related_id is None:
            continue
        loaded = obj._state.fields_cache.get(name)
        if loaded is not None:
            return _center_of(loaded, depth + 1)
        related = meta.get_field(name).related_model
        if any(f.name == "center" for f in related._meta.concrete_fields):
            return (
                related._default_manager.filter(pk=related_id)
                .values_list("center_id", flat=True)
                .first()
            )
    return None


def chain_of(*, obj=None, actor=None, center=None) -> str:
    """The chain an event goes to: `center` when given (a center or its id), else the center
    of the object, else the acting user's center, else "platform"."""
    if center is not None:
        return str(getattr(center, "pk", center))
    center_id = _center_of(obj) if obj is not None else None
    if center_id is None and getattr(actor, "is_authenticated", False):
        person = getattr(actor, "person", None)
        department = person.department if person is not None and person.department_id else None
        center_id = department.center_id if department is not None else None
    return PLATFORM if center_id is None else str(center_id)


def _transaction() -> tuple | None:
    """What identifies the caller's transaction (None outside one): a decorator's Atomic is
    reused for every call, but the commit-hook list is replaced at every commit and rollback,
    and a block nested in a test case's wrapper has a savepoint of its own."""
    blocks = connection.atomic_blocks
    # The outermost block that is not a test case's own wrapper (record() is inside one).
    i = next((n for n, a in enumerate(blocks) if not a._from_testcase), None)
    if i is None:
        return None
    sid = connection.savepoint_ids[i - 1] if i > 0 else None
    return (blocks[i], sid, connection.run_on_commit)


def _same(a: tuple, b: tuple) -> bool:
    return all(x is y for x, y in zip(a, b, strict=True))


def _pinned_chain(chain: str, token: tuple | None = None) -> str:
    """All events of one transaction share the chain of its first event: one chain lock per
    transaction, never two taken in different orders by two transactions."""
    token = token or _transaction()
    if token is None:
        return chain
    pin = getattr(connection, "_zwfw_audit_pin", None)
    if pin is not None and _same(pin[0], token):
        return pin[1]
    connection._zwfw_audit_pin = (token, chain)
    return chain


# --- the head in hand -----------------------------------------------------------------
# Within a transaction that holds its chain's lock, the head is the last event it appended,
# or what a statement of its own read under the lock (cases.services.base.lock reads it with
# the case row: one round trip fewer per transition). record() then links to that head
# without reading it again. The head in hand is dropped when what it names may be gone: a
# savepoint open when it was taken has closed (rolled back, or released: not told apart), or
# core.fastsql dropped held writes (forget_head()).


def _savepoints() -> tuple:
    return tuple(s for s in connection.savepoint_ids if s is not None)


def _head_in_hand(token: tuple | None, chain: str) -> str | None:
    known = getattr(connection, "_zwfw_audit_head", None)
    if token is None or known is None:
        return None
    k_token, k_savepoints, k_chain, k_hash = known
    if k_chain != chain or not _same(k_token, token):
        return None
    if _savepoints()[: len(k_savepoints)] != k_savepoints:
        return None
    return k_hash


def _keep_head(token: tuple | None, chain: str, head: str) -> None:
    if token is not None:
        connection._zwfw_audit_head = (token, _savepoints(), chain, head)


def forget_head() -> None:
    """Held writes were dropped (core.fastsql.together left by an exception): the head in
    hand may name an event that was never written."""
    connection._zwfw_audit_head = None


def head_sql() -> str:
    """An SQL expression for a chain's head (one %s: the chain), to read with a statement of
    the caller's own inside its transaction. PostgreSQL: takes the chain's lock first
    (migration core 0007); the statement must evaluate it after its row locks (a CTE), so a
    transaction never holds the chain while it waits for a row. SQLite: the write lock is
    held since BEGIN IMMEDIATE."""
    if connection.vendor == "postgresql":
        return "zwfw_audit_chain_head(%s)"
    return f"({_LAST_HASH})"


def head_to_read(obj) -> str | None:
    """The chain whose head a statement locking `obj`'s row should read (head_sql()), to
    hand to prime(): its center's chain, when the transaction has no chain yet or that one
    without its head in hand; None when nothing is to be read."""
    token = _transaction()
    center_id = _center_of(obj) if token is not None else None
    if center_id is None:
        return None
    chain = str(center_id)
    pin = getattr(connection, "_zwfw_audit_pin", None)
    pinned = pin is not None and _same(pin[0], token)
    if pinned and (pin[1] != chain or _head_in_hand(token, chain) is not None):
        return None
    return chain


def prime(chain: str, head: str | None) -> None:
    """The head of `chain` as read (head_sql()) under its lock in this transaction: its
    events go to that chain, and the next one links to `head` without reading it again."""
    token = _transaction()
    _pinned_chain(chain, token)
    _keep_head(token, chain, head or GENESIS)


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
    center=None,
) -> AuditEvent:
    """Append one event to its center's chain (`chain_of`), in the caller's transaction."""
    name, roles, department = describe_actor(actor)
    chain = chain_of(obj=obj, actor=actor, center=center)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    # An event held by core.fastsql.together() in this block is the chain's head: send it
    # first (two events of one block must not share a predecessor, nor go out as one
    # statement, where PostgreSQL does not promise the order of their ids).
    fastsql.flush(AuditEvent)
    # savepoint=False: inside a service's transaction (the usual case) this adds no SAVEPOINT
    # round trips; alone it opens one, which the advisory lock needs.
    with transaction.atomic(savepoint=False):
        token = _transaction()
        chain = _pinned_chain(chain, token)
        last = _head_in_hand(token, chain)
        if last is None:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # Lock the chain and read its head in one round trip (migration core 0007).
                    cursor.execute("SELECT zwfw_audit_chain_head(%s)", [chain])
                else:
                    # SQLite: the write lock is held since BEGIN IMMEDIATE.
                    cursor.execute(_LAST_HASH, [chain])
                row = cursor.fetchone()
            last = (row and row[0]) or GENESIS
        event = AuditEvent(
            chain=chain,
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
            prev_hash=last,
        )
        event.hash = compute_hash(event)
        fastsql.insert(event, read_key=False)
        _keep_head(token, chain, event.hash)
    return event


def _old_links(event, has_chain: bool) -> set[str]:
    """Every link an event may carry from before a re-chain: plain SM3 (before migration
    0004) or keyed, with its chain in the content or without (before migration 0007)."""
    forms = (True, False) if has_chain else (False,)
    return {f(event, with_chain=c) for f in (plain_hash, compute_hash) for c in forms}


def rechain(
    model, batch: int = 2000, *, old_global: bool = False, assign=None
) -> tuple[int, int | None]:
    """Rewrite every link with the keyed hash, chain by chain in id order (core migrations
    0004 and 0007, and `zwfw audit rechain` after a change of audit key). `assign(rows)`, when
    given, sets each event's chain first (migration 0007). Returns the number of events and
    the first event at which the old chain (one global chain when `old_global`, else one per
    chain) did not hold (None when it held), so the rewrite does not launder earlier tampering
    silently: the caller records that in the trail."""
    has_chain = any(f.name == "chain" for f in model._meta.concrete_fields)
    old_global = old_global or not has_chain
    old_prev: dict[str, str] = {}
    new_prev: dict[str, str] = {}
    first_broken = None
    count = last_id = 0
    fields = ["chain", "prev_hash", "hash"] if has_chain else ["prev_hash", "hash"]
    while rows := list(model.objects.filter(id__gt=last_id).order_by("id")[:batch]):
        old_chains = [PLATFORM if old_global else e.chain for e in rows]
        if assign is not None:
            assign(rows)
        for event, old_chain in zip(rows, old_chains, strict=True):
            if first_broken is None and (
                event.prev_hash != old_prev.get(old_chain, GENESIS)
                or event.hash not in _old_links(event, has_chain)
            ):
                first_broken = event.id
            old_prev[old_chain] = event.hash
            chain = event.chain if has_chain else PLATFORM
            event.prev_hash = new_prev.get(chain, GENESIS)
            event.hash = new_prev[chain] = compute_hash(event)
        model.objects.bulk_update(rows, fields)
        count += len(rows)
        last_id = rows[-1].id
    return count, first_broken


def rechain_trail(model=AuditEvent, *, old_global: bool = False, assign=None, using=None) -> int:
    """Re-chain the whole trail with the current key and record that as an event at the head
    of the platform chain (what was re-chained, and where the old links first failed).
    Writers wait meanwhile (PostgreSQL: table lock; the append-only trigger is lifted for the
    rewrite only). Returns the number of events re-chained."""
    db = connections[using or "default"]
    pg = db.vendor == "postgresql"
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        if pg:
            cursor.execute("LOCK TABLE core_auditevent IN EXCLUSIVE MODE")
            # ALTER TABLE refuses while deferred foreign-key checks of this table are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        count, first_broken = rechain(model, old_global=old_global, assign=assign)
        if pg:
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys again
        if not count:
            return 0  # a fresh database: nothing to re-chain, nothing to record
        last = model.objects.filter(chain=PLATFORM).order_by("-id").first()
        event = model(
            chain=PLATFORM,
            created_at=timezone.now(),
            actor_name="系统",
            action="audit_rechain",
            object_type="core.AuditEvent",
            after={"events": count, "old_chain_broken_at": first_broken},
            prev_hash=last.hash if last else GENESIS,
        )
        event.hash = compute_hash(event)
        event.save()
    return count


# --- checkpoints ------------------------------------------------------------------------


def checkpoint_path() -> Path:
    return Path(settings.ZWFW_AUDIT_CHECKPOINT_FILE)


def _signed_text(record_: dict) -> bytes:
    body = {k: v for k, v in record_.items() if k != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign_checkpoint(record_: dict) -> str:
    return _mac(1, _signed_text(record_))


def make_checkpoint() -> dict:
    """Every chain's head as the database holds it now (id, hash, number of events), signed
    with the audit key."""
    # One statement, one snapshot: a chain's appends are serialised and its ids grow in
    # commit order, so each chain's head and count agree even while new events arrive.
    heads = list(
        AuditEvent.objects.order_by()
        .values("chain")
        .annotate(head_id=Max("id"), count=Count("id"))
        .values_list("chain", "head_id", "count")
    )
    hashes = dict(
        AuditEvent.objects.filter(id__in=[h for _c, h, _n in heads]).values_list("id", "hash")
    )
    chains = {
        chain: {"head_id": head_id, "head_hash": hashes[head_id], "count": count}
        for chain, head_id, count in heads
    }
    at = timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")
    record_ = {"v": 2, "chains": chains, "at": at}
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


def _parse_checkpoint(item: dict) -> None:
    """Check the shape of a signed record (raises ValueError, TypeError, KeyError …)."""
    if item.get("v", 1) == 1:  # one global head, before the per-center chains (0007)
        item["head_id"], item["count"] = int(item["head_id"]), int(item["count"])
        return
    for head in item["chains"].values():
        head["head_id"], head["count"] = int(head["head_id"]), int(head["count"])
        str(head["head_hash"])


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
            _parse_checkpoint(item)
        except (ValueError, TypeError, KeyError, AttributeError):
            valid = False
        if valid:
            good.append(item)
        else:
            problems.append(f"检查点文件第 {n} 行签名无效（检查点被篡改、伪造或密钥不符）")
    return good, problems


# --- verification -----------------------------------------------------------------------


@dataclass
class ChainResult:
    """One chain's verification: events checked, its head, where it broke (if it did)."""

    chain: str
    label: str = ""
    checked: int = 0
    head_id: int = 0
    broken_id: int | None = None
    reason: str = ""
    prev: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_id is None


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    # The first (lowest) event at which a chain broke, and why.
    broken_id: int | None = None
    reason: str = ""
    # Every problem found, chains and checkpoints, in Chinese.
    problems: list[str] = field(default_factory=list)
    checkpoints: int = 0
    last_checkpoint: dict | None = None
    # Per chain, in chain order ("platform" first, then centers by id).
    chains: list[ChainResult] = field(default_factory=list)


_CUT = "与前一条记录的链接断开（前一条记录被删除或篡改）"
_ALTERED = "记录内容与其哈希值不符（记录被篡改）"


def _walk(batch: int, only: set[str] | None, pending: dict[str, list], problems: list[str]):
    """Walk every chain in id order in one pass, checking each link and each checkpoint's head
    of that chain on the way. Returns {chain: ChainResult}."""
    chains: dict[str, ChainResult] = {}
    qs = AuditEvent.objects.order_by("id")
    if only is not None:
        qs = qs.filter(chain__in=only)
    last_id = 0
    while rows := list(qs.filter(id__gt=last_id)[:batch]):
        for event in rows:
            last_id = event.id
            r = chains.get(event.chain)
            if r is None:
                r = chains[event.chain] = ChainResult(event.chain)
            if r.broken_id is not None:
                continue  # this chain is reported where it broke; the others go on
            if event.prev_hash != r.prev:
                r.broken_id, r.reason = event.id, _CUT
                continue
            if not constant_time_equal(compute_hash(event), event.hash):
                r.broken_id, r.reason = event.id, _ALTERED
                continue
            heads = pending.get(event.chain)
            while heads and heads[0]["head_id"] <= event.id:
                _check_head(heads.pop(0), event, r.checked + 1, problems)
            r.prev = event.hash
            r.checked += 1
            r.head_id = event.id
    return chains


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


def _check_global(cp: dict, problems: list[str]) -> None:
    """A checkpoint from before the per-center chains: its head event must still exist and
    the trail must still hold as many events up to it (ids grew in commit order then). Its
    hash is not compared: migration 0007 re-chained every link, the links are checked above."""
    at = cp.get("at", "")
    if not AuditEvent.objects.filter(id=cp["head_id"]).exists():
        problems.append(f"检查点（{at}）记录的第 {cp['head_id']} 号记录已不存在（记录被删除）")
        return
    count = AuditEvent.objects.filter(id__lte=cp["head_id"]).count()
    if count != cp["count"]:
        problems.append(
            f"检查点（{at}）时共有 {cp['count']} 条记录，现截至第 {cp['head_id']} 号仅 {count} 条"
            "（记录被删除）"
        )


def chain_label(chain: str, names: dict | None = None) -> str:
    if chain == PLATFORM:
        return "平台"
    return (names or {}).get(chain) or f"中心 {chain}"


def _center_names(chains) -> dict[str, str]:
    from zwfw.org.models import ServiceCenter

    ids = [int(c) for c in chains if c.isdigit()]
    return {
        str(pk): name
        for pk, name in ServiceCenter.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def verify(batch: int = 2000, chains: list[str] | None = None) -> VerifyResult:
    """Check every keyed link of every chain (or only of `chains`), every checkpoint
    signature, and that every event a checkpoint saw is still there unchanged."""
    only = {str(c) for c in chains} if chains else None
    checkpoints, problems = read_checkpoints()
    pending: dict[str, list] = {}
    for cp in checkpoints:
        for chain, head in cp.get("chains", {}).items():
            if head["head_id"] > 0 and (only is None or chain in only):
                pending.setdefault(chain, []).append({**head, "at": cp.get("at", "")})
    for heads in pending.values():
        heads.sort(key=lambda h: h["head_id"])
    walked = _walk(batch, only, pending, problems)
    names = _center_names(set(walked) | set(pending))
    for chain, heads in pending.items():
        r = walked.get(chain) or ChainResult(chain)
        if heads and r.ok:
            # The walk of this chain ended before these heads: its newest events were removed.
            cp = heads[-1]
            problems.append(
                f"{chain_label(chain, names)}审计链：检查点（{cp['at']}）记录的最新记录为第 "
                f"{cp['head_id']} 号、共 {cp['count']} 条，数据库现仅到第 {r.head_id} 号、共 "
                f"{r.checked} 条（检查点之后最新的记录被删除）"
            )
    if only is None:
        for cp in checkpoints:
            if cp.get("v", 1) == 1 and cp["head_id"] > 0:
                _check_global(cp, problems)
    results = sorted(walked.values(), key=lambda r: (r.chain != PLATFORM, len(r.chain), r.chain))
    broken = sorted((r for r in results if not r.ok), key=lambda r: r.broken_id)
    for r in reversed(broken):
        r.label = chain_label(r.chain, names)
        problems.insert(0, f"哈希链在第 {r.broken_id} 号记录处断开（{r.label}审计链）：{r.reason}")
    for r in results:
        r.label = chain_label(r.chain, names)
    latest = max(checkpoints, key=lambda c: c.get("at", ""), default=None)
    return VerifyResult(
        ok=not problems,
        checked=sum(r.checked for r in results),
        broken_id=broken[0].broken_id if broken else None,
        reason=broken[0].reason if broken else "",
        problems=problems,
        checkpoints=len(checkpoints),
        last_checkpoint=latest,
        chains=results,
    )
