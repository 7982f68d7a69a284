"""The keyed digest of each existing case's reporter phone, so a data subject's request finds it.

Rows only: the column is added by 0002 (on PostgreSQL a migration that changes rows must not
also change the schema).
"""

from django.db import migrations

BATCH = 1000


def fill(apps, schema_editor):
    from content_types.units.models import phone_digest

    Case = apps.get_model("cases", "Case")
    rows = Case.objects.only("pk", "reporter_phone").order_by("pk")
    batch = []
    for case in rows.iterator(chunk_size=BATCH):
        if case.reporter_phone:
            case.reporter_phone_digest = phone_digest(case.reporter_phone)
            batch.append(case)
        if len(batch) >= BATCH:
            Case.objects.bulk_update(batch, ["reporter_phone_digest"])
            batch = []
    Case.objects.bulk_update(batch, ["reporter_phone_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_case_reporter_phone_digest"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
