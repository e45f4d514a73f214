"""Household entries name the person who moved (``names``), with the words shown instead to a
reader that person's seal keeps out (decision 0067). Entries written before are matched to
their residence by their ``source_id`` (a hash of the residence, the change and the child)."""

from hashlib import sha256

import django.db.models.deletion
from django.db import migrations, models


RESTRICTED = "Someone with a restricted record"
VERBS = (" joined the household at ", " left the household at ")


def name_the_movers(apps, schema_editor):
    Entry = apps.get_model("casework", "ChronologyEntry")
    Residence = apps.get_model("people", "Residence")
    for entry in Entry.objects.filter(
        source_type="people.household", names__isnull=True
    ).iterator():
        verb = next((v for v in VERBS if v in entry.what), None)
        if verb is None:  # the child's own move: names nobody else
            continue
        addresses = Residence.objects.filter(person_id=entry.child_id).values("address_id")
        for residence in Residence.objects.filter(address_id__in=addresses).select_related(
            "person"
        ):
            change = "joined" if verb == VERBS[0] else "left"
            key = sha256(f"{residence.pk}:{change}:{entry.child_id}".encode()).hexdigest()[:40]
            if key != entry.source_id:
                continue
            mover = residence.person
            _, _, place = entry.what.partition(verb)
            name = " ".join(p for p in (mover.given_names, mover.family_name) if p)
            entry.names_id = mover.pk
            entry.what = f"{name}{verb}{place}"[:500]
            entry.what_restricted = f"{RESTRICTED}{verb}{place}"[:500]
            entry.save(update_fields=["names", "what", "what_restricted"])
            break


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0014_unallocated_covering_indexes"),
        ("people", "0009_name_prefix_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="chronologyentry",
            name="names",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="chronologyentry",
            name="what_restricted",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.RunPython(name_the_movers, migrations.RunPython.noop),
    ]
