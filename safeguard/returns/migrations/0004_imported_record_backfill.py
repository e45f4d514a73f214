"""Records made by census imports before ``ImportedRecord`` existed: those the
``census-import-<LA>`` account created. The import's own when that account also made their
last change; otherwise changed elsewhere since (version 0, never the import's again)."""

from django.db import migrations

# (app label, model name, how to reach the child's id)
MODELS = (
    ("people", "person", "id"),
    ("casework", "case", "child_id"),
    ("casework", "cinplan", "case__child_id"),
    ("assessments", "assessment", "case__child_id"),
    ("protection", "strategydiscussion", "case__child_id"),
    ("protection", "section47enquiry", "case__child_id"),
    ("protection", "childprotectionplan", "case__child_id"),
    ("protection", "childprotectionconference", "case__child_id"),
)
BATCH = 2000


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    ImportedRecord = apps.get_model("returns", "ImportedRecord")
    accounts = list(
        User.objects.filter(username__startswith="census-import-").values_list("pk", flat=True)
    )
    if not accounts:
        return
    for app_label, model_name, child in MODELS:
        model = apps.get_model(app_label, model_name)
        rows = model.objects.filter(created_by_id__in=accounts).values_list(
            "pk", child, "version", "updated_at", "updated_by_id"
        )
        batch = []
        for pk, person_id, version, updated_at, updated_by in rows.iterator(chunk_size=BATCH):
            own = updated_by in accounts
            batch.append(
                ImportedRecord(
                    person_id=person_id,
                    model=f"{app_label}.{model_name}",
                    object_id=pk,
                    version=version if own else 0,
                    updated_at=updated_at if own else None,
                )
            )
            if len(batch) >= BATCH:
                ImportedRecord.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        ImportedRecord.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0003_imported_record"),
        ("people", "0005_person_former_upn_and_upn_unknown"),
        ("casework", "0003_performance_indexes"),
        ("assessments", "0003_performance_indexes"),
        ("protection", "0002_performance_indexes"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
