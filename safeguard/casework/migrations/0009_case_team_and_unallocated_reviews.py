"""Cases get a responsible team (issue 14), filled for existing cases: the team of their
latest allocation, else the first social care team (by name) of whoever opened the case; and
managers' reviews of unallocated cases."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_teams(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    Allocation = apps.get_model("casework", "Allocation")
    Membership = apps.get_model("accounts", "User").teams.through
    latest = Allocation.objects.filter(case=OuterRef("pk")).order_by("-start_date", "-created_at")
    Case.objects.filter(team__isnull=True).update(team=Subquery(latest.values("team_id")[:1]))
    opener = Membership.objects.filter(
        user_id=OuterRef("created_by_id"), team__agency__kind="csc"
    ).order_by("team__name", "team_id")
    Case.objects.filter(team__isnull=True, created_by__isnull=False).update(
        team=Subquery(opener.values("team_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_team_structure_and_caseloads"),
        ("casework", "0008_allocation_reason"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.team",
                verbose_name="responsible team",
            ),
        ),
        migrations.CreateModel(
            name="UnallocatedReview",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("review_date", models.DateField()),
                ("decision", models.TextField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="unallocated_reviews",
                        to="casework.case",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-review_date", "-created_at"],
                "verbose_name": "review of an unallocated case",
                "indexes": [
                    models.Index(fields=["case", "review_date"], name="unallocated_review_case")
                ],
            },
        ),
        migrations.RunPython(fill_teams, migrations.RunPython.noop),
    ]
