"""PostgreSQL: the audit table is append-only; a trigger refuses UPDATE and DELETE.

TRUNCATE is not a row operation and is not blocked (test databases are flushed with it);
deleting the newest events that way is what the signed checkpoints (core.audit) detect."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zwfw_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计日志只允许追加，不能修改或删除（%）', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS zwfw_audit_append_only ON core_auditevent;
CREATE TRIGGER zwfw_audit_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION zwfw_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS zwfw_audit_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS zwfw_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_keyed_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
