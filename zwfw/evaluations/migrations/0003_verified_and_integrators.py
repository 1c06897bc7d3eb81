"""Issue 11 point 6: `Evaluation.verified` and integrator accounts.

Ratings stored before this migration were taken under the old rules: those whose rater is
known (the case's SMS link or progress page, an evaluator device) and
every bad review that already opened a ticket are marked verified; the rest are not."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_known_raters(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Evaluation.objects.filter(
        models.Q(channel__in=["sms", "web", "device"]) | models.Q(rectification__isnull=False)
    ).update(verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_national_star_levels"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="verified",
            field=models.BooleanField(default=False, verbose_name="评价人已核验"),
        ),
        migrations.RunPython(mark_known_raters, migrations.RunPython.noop),
        migrations.CreateModel(
            name="IntegratorAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="对接平台")),
                ("active", models.BooleanField(default=True, verbose_name="在用")),
                ("registered_at", models.DateTimeField(verbose_name="登记时间")),
                (
                    "center",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.servicecenter",
                        verbose_name="中心（空为全部）",
                    ),
                ),
                (
                    "registered_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="登记人",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rating_integrator",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="对接账号",
                    ),
                ),
            ],
            options={
                "verbose_name": "好差评对接账号",
                "verbose_name_plural": "好差评对接账号",
            },
        ),
    ]
