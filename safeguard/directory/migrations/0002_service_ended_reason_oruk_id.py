"""Why a service ended, and its Open Referral UK id (decision 0079): added empty, filled with a
new id for each existing entry (0003), then required and unique in the authority (0004)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="service",
            name="ended_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="why it ended"),
        ),
        migrations.AddField(
            model_name="service",
            name="oruk_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="Open Referral UK id"),
        ),
    ]
