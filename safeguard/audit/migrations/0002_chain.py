"""Hash chains over the audit tables: a sequence and a hash on every row (see chain.py).

Rows written before this migration are chained in their id order.
"""

import django.utils.timezone
from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from safeguard.audit.chain import GENESIS, row_hash

    for name in ("AccessEvent", "ChangeEvent"):
        model = apps.get_model("audit", name)
        previous = GENESIS
        for sequence, row in enumerate(model.objects.order_by("id").iterator(), start=1):
            row.sequence = sequence
            row.hash = previous = row_hash(previous, row)
            model.objects.filter(pk=row.pk).update(sequence=sequence, hash=row.hash)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accessevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name="changeevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="changeevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="changeevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
