from django.db import migrations, models
import uuid


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_fill_service_oruk_id")]

    operations = [
        migrations.AlterField(
            model_name="service",
            name="oruk_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, verbose_name="Open Referral UK id"
            ),
        ),
        migrations.AddConstraint(
            model_name="service",
            constraint=models.UniqueConstraint(
                fields=("authority", "oruk_id"), name="directory_service_unique_oruk_id"
            ),
        ),
    ]
