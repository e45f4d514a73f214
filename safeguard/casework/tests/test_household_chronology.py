"""Household changes on the chronology (decision 0048), and the seal asked when they are read
(decision 0067): a person who joins or leaves a household is named on the other children's
chronologies, except to a reader that person's seal keeps out, whenever the seal was placed."""

import re

import pytest
from django.urls import reverse

from safeguard.casework.models import ChronologyEntry
from safeguard.casework.services import HOUSEHOLD_SOURCE
from safeguard.people import services as people
from safeguard.people.tests.sealing import colleague, seal

pytestmark = pytest.mark.django_db

JOINED = "Sally Smith joined the household at 1 Test Street"
HIDDEN = "Someone with a restricted record joined the household at 1 Test Street"


def _pdf_text(content: bytes) -> str:
    return " ".join(m.decode("latin-1") for m in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", content))


def _pages(client, child) -> dict[str, str]:
    """The pages that show a child's chronology entries, as text."""
    return {
        "chronology": client.get(reverse("casework:chronology", args=[child.pk])).content.decode(),
        "family": client.get(reverse("casework:family-children", args=[child.pk])).content.decode(),
    }


def test_a_move_is_on_the_mover_and_on_each_child_living_there(world):
    """The world moves Mary, then Sam, then Sally into 1 Test Street (``build_world``)."""
    sam = {e.what: e for e in ChronologyEntry.objects.filter(child=world.child_sam, source_type=HOUSEHOLD_SOURCE)}
    sally = {e.what for e in ChronologyEntry.objects.filter(child=world.child_sally, source_type=HOUSEHOLD_SOURCE)}
    assert set(sam) == {"Moved to 1 Test Street, Testshire, TE1 1ST", JOINED + ", Testshire, TE1 1ST"}
    assert sally == {"Moved to 1 Test Street, Testshire, TE1 1ST"}
    joined = sam[JOINED + ", Testshire, TE1 1ST"]
    assert joined.names_id == world.child_sally.pk
    assert joined.what_restricted == HIDDEN + ", Testshire, TE1 1ST"


def test_a_seal_placed_after_the_move_withholds_the_name_from_those_it_keeps_out(world, client, settings):
    settings.SAFEGUARD_PDF_COMPRESSION = False
    fay = colleague(world)
    seal(world, world.child_sally, world.sw_amy)

    client.force_login(fay)
    for page, body in _pages(client, world.child_sam).items():
        assert "Sally" not in body, page
    assert HIDDEN in _pages(client, world.child_sam)["chronology"]
    pdf = _pdf_text(client.get(reverse("casework:chronology-pdf", args=[world.child_sam.pk])).content)
    assert "Sally" not in pdf and "Someone with a restricted record" in pdf
    entry = ChronologyEntry.objects.get(child=world.child_sam, names=world.child_sally)
    annotate = client.get(reverse("casework:chronology-annotate", args=[entry.pk])).content.decode()
    assert "Sally" not in annotate and HIDDEN in annotate

    # Named on the seal, Amy reads the name; so does Fay once the seal is lifted.
    client.force_login(world.sw_amy)
    assert JOINED in _pages(client, world.child_sam)["chronology"]
    people.person_unseal(by=world.tm_carol, person=world.child_sally, reason="No longer needed")
    client.force_login(fay)
    for page, body in _pages(client, world.child_sam).items():
        assert JOINED in body, page


def test_an_entry_read_without_asking_withholds_the_name(world):
    """``shown_what`` fails closed: an entry read without ``names_hidden`` hides the name."""
    entry = ChronologyEntry.objects.get(child=world.child_sam, names=world.child_sally)
    assert entry.shown_what.startswith(HIDDEN)
    own = ChronologyEntry.objects.get(child=world.child_sally, source_type=HOUSEHOLD_SOURCE)
    assert own.shown_what == own.what


def test_entries_written_before_are_matched_to_their_mover(world):
    """The migration that added ``names`` finds the mover of an entry written without it, by
    its ``source_id``, and restores a name that was blanked when it was written."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("safeguard.casework.migrations.0015_chronology_entry_names")
    entry = ChronologyEntry.objects.get(child=world.child_sam, names=world.child_sally)
    ChronologyEntry.objects.filter(pk=entry.pk).update(names=None, what=entry.what_restricted, what_restricted="")
    migration.name_the_movers(apps, None)
    entry.refresh_from_db()
    assert (entry.names_id, entry.what) == (world.child_sally.pk, JOINED + ", Testshire, TE1 1ST")
    assert entry.what_restricted == HIDDEN + ", Testshire, TE1 1ST"
    own = ChronologyEntry.objects.get(child=world.child_sally, source_type=HOUSEHOLD_SOURCE)
    assert own.names_id is None
