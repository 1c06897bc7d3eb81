from django.db import migrations, models


def serve_own_department(apps, schema_editor):
    """A department window serves its own department (the list the API shows)."""
    Window = apps.get_model("org", "Window")
    for window in Window.objects.exclude(department=None):
        window.departments.add(window.department_id)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_post_assignment"),
    ]

    operations = [
        migrations.AddField(
            model_name="window",
            name="departments",
            field=models.ManyToManyField(
                blank=True,
                related_name="served_by_windows",
                to="org.department",
                verbose_name="服务部门",
            ),
        ),
        migrations.RunPython(serve_own_department, migrations.RunPython.noop),
    ]
