"""CaseOpenCount becomes CaseCount: it counts every case (closed ones under their status
alone), so a case list's count is a sum over the rollup (zwfw.cases.rollups.visible_count)."""

from django.db import migrations

CLOSED = "('refused', 'completed', 'withdrawn', 'terminated')"  # states.CLOSED_STATES


def count_closed(apps, schema_editor):
    table = apps.get_model("cases", "CaseCount")._meta.db_table
    schema_editor.execute(
        f"INSERT INTO {table} (center_id, department_id, status, due_date, alert_level, n) "
        f"SELECT center_id, department_id, status, NULL, '', count(*) FROM cases_case "
        f"WHERE status IN {CLOSED} GROUP BY center_id, department_id, status"
    )


def uncount_closed(apps, schema_editor):
    table = apps.get_model("cases", "CaseCount")._meta.db_table
    schema_editor.execute(f"DELETE FROM {table} WHERE status IN {CLOSED}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_fewer_case_indexes"),
    ]

    operations = [
        migrations.RenameModel("CaseOpenCount", "CaseCount"),
        migrations.RenameIndex(
            model_name="casecount", new_name="case_count_dept", old_name="case_open_count_dept"
        ),
        migrations.RunPython(count_closed, uncount_closed),
    ]
