"""One audit chain per service center (issue 17 point 3, core.audit).

Adds `AuditEvent.chain`, the per-chain head function on PostgreSQL (a per-chain advisory lock
and the chain's head in one round trip; it replaces 0002's global one), assigns every existing
event to the chain of its object's center (else its actor's center, else "platform") and
re-chains the trail with the key, chain by chain. The old single chain is checked on the way;
where it did not hold is recorded in an `audit_rechain` event at the head of the platform chain.
"""

from django.db import connection, migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION zwfw_audit_chain_head(chain_key text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- Appends to one chain are serialised on this lock until commit; other chains do not
    -- wait. The SELECT runs after the lock is held and, in a VOLATILE function, with a fresh
    -- snapshot: it sees the head that the chain's previous writer committed.
    PERFORM pg_advisory_xact_lock(732011, hashtext(chain_key));
    RETURN (SELECT hash FROM core_auditevent WHERE chain = chain_key ORDER BY id DESC LIMIT 1);
END
$$;
DROP FUNCTION IF EXISTS zwfw_audit_head(bigint);
"""
DROP = """
DROP FUNCTION IF EXISTS zwfw_audit_chain_head(text);
CREATE OR REPLACE FUNCTION zwfw_audit_head(lock_key bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN (SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1);
END
$$;
"""
PLATFORM = "platform"


def _center_map(apps, label: str, ids: list[str]) -> dict[str, int]:
    """{object id: center id} for objects of one model: itself a center, or with a center,
    a department or a case."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return {}
    names = {f.name for f in model._meta.concrete_fields}
    if model._meta.label == "org.ServiceCenter":
        path = "pk"
    elif "center" in names:
        path = "center_id"
    elif "department" in names:
        path = "department__center_id"
    elif "case" in names:
        path = "case__center_id"
    else:
        return {}
    pk = model._meta.pk
    keys = []
    for value in ids:
        try:
            keys.append(pk.to_python(value))
        except Exception:  # noqa: BLE001 - an id that is not this model's: no center
            continue
    found = model._default_manager.filter(pk__in=keys).values_list("pk", path)
    return {str(k): c for k, c in found if c is not None}


def assigner(apps):
    Person = apps.get_model("org", "Person")

    def assign(rows):
        by_label: dict[str, list[str]] = {}
        for event in rows:
            if event.object_type and event.object_id:
                by_label.setdefault(event.object_type, []).append(event.object_id)
        centers = {label: _center_map(apps, label, ids) for label, ids in by_label.items()}
        actors = {e.actor_id for e in rows if e.actor_id}
        of_actor = dict(
            Person.objects.filter(user_id__in=actors).values_list(
                "user_id", "department__center_id"
            )
        )
        for event in rows:
            center = centers.get(event.object_type, {}).get(event.object_id)
            if center is None:
                center = of_actor.get(event.actor_id)
            event.chain = PLATFORM if center is None else str(center)

    return assign


def forwards(apps, schema_editor):
    from zwfw.core import audit

    db = schema_editor.connection if schema_editor is not None else connection
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute(CREATE)
    model = apps.get_model("core", "AuditEvent")
    audit.rechain_trail(model, old_global=True, assign=assigner(apps), using=db.alias)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_export_jobs"), ("org", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="platform", max_length=32, verbose_name="审计链"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["chain", "id"], name="core_audit_chain_id"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
