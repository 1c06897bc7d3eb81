"""Seed the vague phrases refused in guides (R-14); administrators may add more."""

from django.db import migrations

# A copy, not an import of zwfw.catalog.vague: a migration must not change when code does.
DEFAULTS = [
    "其他材料",
    "其它材料",
    "有关部门",
    "相关部门",
    "等材料",
    "相关材料",
    "有关材料",
    "其他条件",
    "其它条件",
    "其他相关",
    "其他有关",
    "等相关",
    "等证明",
    "等文件",
    "等资料",
    "相关资料",
    "其他资料",
    "其他证明",
]


def seed(apps, schema_editor):
    VaguePhrase = apps.get_model("catalog", "VaguePhrase")
    existing = set(VaguePhrase.objects.values_list("phrase", flat=True))
    VaguePhrase.objects.bulk_create(
        [VaguePhrase(phrase=p) for p in DEFAULTS if p not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
