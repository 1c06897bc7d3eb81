"""Issue 11 point 7: `level` counts the national 好差评 stars (API.md).

Before: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意.
After:  5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.

Stored ratings are turned with new = 6 − old (1↔5, 2↔4, 3 stays 3), which is its own inverse,
so the migration runs backwards with the same step. The `good` column does not change (a
rating that was good stays good); only the check constraint tying `good` to `level` is
replaced, dropped before the update and added after it. Audit events keep the numbers they
were written with (the chain is immutable); those older than this migration use the old scale.
"""

from django.db import migrations, models
from django.db.models import F


def turn_levels(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Evaluation.objects.update(level=6 - F("level"))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="evaluation", name="eval_good_matches_level"),
        migrations.RunPython(turn_levels, turn_levels),
        migrations.AlterField(
            model_name="evaluation",
            name="level",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "非常不满意"),
                    (2, "不满意"),
                    (3, "基本满意"),
                    (4, "满意"),
                    (5, "非常满意"),
                ],
                verbose_name="评价等级",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluation",
            constraint=models.CheckConstraint(
                condition=models.Q(("good", True), ("level__gt", 2))
                | models.Q(("good", False), ("level__lte", 2)),
                name="eval_good_matches_stars",
            ),
        ),
    ]
