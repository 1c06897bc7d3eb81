"""Cases decided before decision documents existed get theirs: numbered in the order of their
decision dates, in the same per-center, per-year sequence (issue 12 point 6)."""

from django.conf import settings
from django.db import migrations

DEFAULT_FORMAT = "{center}许决〔{year}〕{seq:05d}号"


def number_earlier_decisions(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    DecisionDocument = apps.get_model("cases", "DecisionDocument")
    Counter = apps.get_model("cases", "DecisionNumberCounter")
    number_format = getattr(settings, "CASES_DECISION_NUMBER_FORMAT", DEFAULT_FORMAT)
    pending = (
        Case.objects.filter(result__in=["approve", "deny"], decided_on__isnull=False)
        .filter(decision_document__isnull=True)
        .select_related("center")
        .order_by("decided_on", "id")
    )
    for case in pending.iterator():
        year = case.decided_on.year
        counter, _ = Counter.objects.get_or_create(center_id=case.center_id, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        DecisionDocument.objects.create(
            case=case,
            kind=case.result,
            center_id=case.center_id,
            year=year,
            seq=counter.last,
            number=number_format.format(center=case.center.code, year=year, seq=counter.last),
            issued_on=case.decided_on,
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_documents_inquiries")]

    operations = [
        migrations.RunPython(number_earlier_decisions, migrations.RunPython.noop),
    ]
