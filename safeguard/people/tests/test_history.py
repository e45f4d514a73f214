"""Issue 11, item 2: the person page's record history shows each event only to those the
policy of the app owning the record lets see it, and in plain words for everyone."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from safeguard.audit.models import ChangeEvent, ChangeVerb
from safeguard.people import history
from safeguard.people.models import Involvement, Person

pytestmark = pytest.mark.django_db


def _domain_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("safeguard.") and m._meta.app_label not in ("audit",)
    ]


def _internal_names(model) -> set[str]:
    """Names a reader must never see: ``app.model``, a joined model name ("casenote") and
    field names with underscores ("primary_need")."""
    names = {model._meta.label_lower}
    if model._meta.model_name not in str(model._meta.verbose_name).lower():
        names.add(model._meta.model_name)
    names |= {f.name for f in model._meta.concrete_fields if "_" in f.name}
    return names


def _events_for(person, models):
    """One event of each kind for each model, the change touching every field."""
    for model in models:
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        for verb in (ChangeVerb.CREATED, ChangeVerb.UPDATED, ChangeVerb.ENDED):
            ChangeEvent.objects.create(
                user=None,
                verb=verb,
                target_type=model._meta.label_lower,
                target_id="1",
                person_id=person.pk,
                before=dict.fromkeys(fields, "old") if verb == ChangeVerb.UPDATED else None,
                after=dict.fromkeys(fields, "new"),
            )


def _child_seen_by_police(world, n: int) -> Person:
    child = Person.objects.create(
        authority=world.authority, given_names="Walker", family_name=f"Child{n}"
    )
    Involvement.objects.create(
        person=child, agency=world.police, team=world.police_team, role="Police",
        start_date=world.child_sam.date_of_birth,
    )  # fmt: skip
    return child


def test_every_models_events_read_in_plain_words():
    for model in _domain_models():
        for verb in ChangeVerb.values:
            words = history.describe(model._meta.label_lower, verb)
            assert words[0].isupper() and "." not in words and "_" not in words, words
            assert not any(name in words for name in _internal_names(model)), (model, words)
            fields = [f.name for f in model._meta.concrete_fields]
            for label in history.field_labels(model._meta.label_lower, fields):
                assert "_" not in label, (model, label)
    assert history.describe("protection.section47enquiry", "created") == (
        "Section 47 enquiry started"
    )
    assert history.describe("casework.case", "ended") == "Case closed"
    assert history.describe("gone.model", "created") == "A record recorded"


def test_pages_with_events_of_every_model_name_no_internal_names(world, client):
    """Walk the person page, for every role, with events of every model of every app."""
    by_app: dict[str, list] = {}
    for model in _domain_models():
        by_app.setdefault(model._meta.app_label, []).append(model)
    readers = [world.sw_amy, world.sm_dan, world.analyst_eve, world.police_pat]
    for n, (app_label, models) in enumerate(sorted(by_app.items())):
        child = _child_seen_by_police(world, n)
        _events_for(child, models)
        forbidden = set().union(*(_internal_names(m) for m in models))
        for reader in readers:
            client.force_login(reader)
            response = client.get(reverse("people:detail", args=[child.pk]))
            assert response.status_code == 200, (app_label, reader)
            section = response.content.decode().split("Record history", 1)[1]
            section = section.split("</ul>", 1)[0]
            shown = [name for name in forbidden if re.search(rf"\b{re.escape(name)}\b", section)]
            assert not shown, (app_label, reader.username, shown)


def test_partners_see_identity_history_never_case_file_history(world, client):
    sam = world.child_sam
    _events_for(
        sam,
        [
            apps.get_model("protection", "section47enquiry"),
            apps.get_model("casework", "casenote"),
            apps.get_model("people", "residence"),
        ],
    )
    client.force_login(world.police_pat)
    page = client.get(reverse("people:detail", args=[sam.pk])).content.decode()
    assert "Address recorded" in page
    assert "Section 47" not in page and "section47" not in page
    assert "Case note" not in page and "casenote" not in page
    client.force_login(world.sw_amy)
    page = client.get(reverse("people:detail", args=[sam.pk])).content.decode()
    assert "Section 47 enquiry started" in page and "Case note recorded" in page
    assert "Address recorded" in page


def test_seal_history_is_for_the_authoritys_social_care_staff(world, client):
    from safeguard.people.tests.sealing import seal_sam

    sam = seal_sam(world)
    from safeguard.people import services

    services.person_unseal(by=world.tm_carol, person=sam, reason="No longer a relative of staff")
    assert history.visible_history(user=world.sw_amy, person=sam)[0].what == "Seal lifted"
    partner = [e.what for e in history.visible_history(user=world.police_pat, person=sam)]
    assert partner and not any("seal" in w.lower() for w in partner)


def test_an_app_that_registers_no_policy_shows_its_events_to_no_one(world):
    ChangeEvent.objects.create(
        verb=ChangeVerb.CREATED, target_type="nowhere.thing", target_id="1",
        person_id=world.child_sam.pk, after={},
    )  # fmt: skip
    seen = [e.what for e in history.visible_history(user=world.sm_dan, person=world.child_sam)]
    assert "A record recorded" not in seen


def test_the_history_asks_a_fixed_number_of_queries_whatever_the_events(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            history.visible_history(user=world.sw_amy, person=world.child_sam)
        return len(captured)

    models = [
        apps.get_model("casework", "casenote"),
        apps.get_model("protection", "section47enquiry"),
        apps.get_model("people", "residence"),
    ]
    _events_for(world.child_sam, models)
    few = queries()
    for _ in range(5):
        _events_for(world.child_sam, models)
    assert queries() == few
