"""Give each existing directory entry its own Open Referral UK id (one update per row, batched
by the small size of a directory; rerunnable: only empty ids are filled)."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    for pk in Service.objects.filter(oruk_id__isnull=True).values_list("pk", flat=True):
        Service.objects.filter(pk=pk).update(oruk_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_service_ended_reason_oruk_id")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
