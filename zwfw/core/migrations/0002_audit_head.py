"""PostgreSQL: the audit chain's head in one round trip (core.audit.record)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zwfw_audit_head(lock_key bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- Appends are serialised on this lock until commit. The SELECT below runs after the lock
    -- is held and, in a VOLATILE function, with a fresh snapshot: it sees the head that the
    -- previous holder committed.
    PERFORM pg_advisory_xact_lock(lock_key);
    RETURN (SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1);
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS zwfw_audit_head(bigint);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
