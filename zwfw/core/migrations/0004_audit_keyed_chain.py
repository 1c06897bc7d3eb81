"""Re-chain the audit trail with the keyed link (HMAC-SM3, core.audit).

Runs before 0005 makes the table append-only on PostgreSQL. If the old unkeyed chain did not
hold, the re-chain would hide that, so it is recorded as an event at the head of the new
chain (the id of the first event where the old chain broke)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from zwfw.core import audit

    model = apps.get_model("core", "AuditEvent")
    count, first_broken = audit.rechain(model)
    if not count:
        return  # a fresh database: nothing to re-chain, nothing to record
    last = model.objects.order_by("-id").first()
    event = model(
        created_at=timezone.now(),
        actor_name="系统",
        action="audit_rechain",
        object_type="core.AuditEvent",
        after={"events": count, "old_chain_broken_at": first_broken},
        prev_hash=last.hash,
    )
    event.hash = audit.compute_hash(event)
    event.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_ratecounter")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
