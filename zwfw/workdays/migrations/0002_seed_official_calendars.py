"""Seed the official calendars of every year chinese-calendar covers (2004–2026)."""

from django.db import migrations


def seed(apps, schema_editor):
    from zwfw.workdays.seed import seed_missing

    seed_missing(
        apps.get_model("workdays", "CalendarYear"),
        apps.get_model("workdays", "Holiday"),
        apps.get_model("workdays", "AdjustedWorkday"),
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
