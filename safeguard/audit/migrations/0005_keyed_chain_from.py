"""The audit chains become keyed (HMAC under ``SAFEGUARD_AUDIT_KEY``) from the next row on.

Rows already written keep their plain SHA-256 hashes: rehashing them would take minutes on a
large database and would make the old hashes, which may have been noted elsewhere, useless.
Instead the first keyed sequence of each chain is recorded, keyed, in the checkpoint file
outside the database (``checkpoints.py``), with the current heads as a first checkpoint; the
first keyed row then seals every plain row before it. On an empty database nothing is written:
every row will be keyed. See docs/decisions/0006.
"""

from django.db import migrations


def record_keyed_from(apps, schema_editor):
    from safeguard.audit import checkpoints

    alias = schema_editor.connection.alias
    keyed_from, heads = {}, {}
    for name, table in (("AccessEvent", "audit_accessevent"), ("ChangeEvent", "audit_changeevent")):
        model = apps.get_model("audit", name)
        last = (
            model.objects.using(alias).order_by("-sequence").values_list("sequence", "hash").first()
        )
        if last is not None:
            keyed_from[table] = (last[0] + 1, "")
            heads[table] = last
    if keyed_from:
        checkpoints.append("keyed-from", keyed_from, "migration audit 0005")
        checkpoints.append("checkpoint", heads, "migration audit 0005")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_append_only"),
    ]

    operations = [
        migrations.RunPython(record_keyed_from, migrations.RunPython.noop, elidable=False),
    ]
