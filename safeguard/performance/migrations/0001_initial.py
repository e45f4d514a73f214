from django.db import migrations, models


def fill(apps, schema_editor):
    from safeguard.performance.calendar import fill_calendar

    fill_calendar(apps.get_model("performance", "CalendarDay"))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("working_index", models.IntegerField()),
                ("is_working_day", models.BooleanField()),
                ("minus_12_months", models.DateField()),
                ("plus_1_month", models.DateField()),
                ("plus_3_months", models.DateField()),
                ("plus_6_months", models.DateField()),
                ("plus_24_months", models.DateField()),
            ],
            options={"ordering": ["day"]},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
