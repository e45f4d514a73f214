"""Finding people: tolerant of misspellings and swapped names; duplicates flagged."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.people import selectors
from safeguard.people.models import Person

pytestmark = pytest.mark.django_db


def _names(people):
    return [p.full_name for p in people]


@pytest.mark.parametrize("query", ["Sam Smith", "Sam Smyth", "Smyth Sam", "smith, sam", "SAM SMITHE", "Sma Smith"])
def test_misspelled_and_swapped_names_find_sam_smith(world, query):
    found = selectors.person_search(user=world.sw_amy, name=query)
    assert found[0] == world.child_sam


def test_unrelated_names_are_not_found(world):
    assert selectors.person_search(user=world.sw_amy, name="Priya Okonkwo") == []


def test_search_by_date_of_birth_nhs_number_and_local_id(world):
    assert selectors.person_search(user=world.sw_amy, date_of_birth=date(2015, 3, 14)) == [world.child_sam]
    assert selectors.person_search(user=world.sw_amy, nhs_number="943 476 5919") == [world.child_sam]
    assert selectors.person_search(user=world.sw_amy, local_id="t000003") == [world.child_tom]


def test_search_finds_other_names(world):
    Person.objects.create(authority=world.authority, given_names="Kay", family_name="Brown",
                          date_of_birth=date(2011, 1, 1))
    kay = Person.objects.get(family_name="Brown")
    kay.other_names.create(kind="previous", given_names="Kay", family_name="Greenaway")
    assert selectors.person_search(user=world.sw_amy, name="Kay Greenway") == [kay]


def test_search_never_returns_what_the_user_may_not_see(world):
    assert _names(selectors.person_search(user=world.police_pat, name="Smith")) == ["Sam Smith"]
    assert selectors.person_search(user=world.other_sw, name="Smith") == []
    assert selectors.person_search(user=world.sw_amy, name="Olive Other") == []


def test_same_family_name_sound_and_date_of_birth_flags_a_possible_duplicate(world, client):
    twin = Person.objects.create(authority=world.authority, given_names="Sam", family_name="Smyth",
                                 date_of_birth=world.child_sam.date_of_birth)
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:search"), {"name": "Sam Smith"})
    rows = {row["person"].pk: row["duplicates"] for row in response.context["rows"]}
    assert rows[world.child_sam.pk] == [twin]
    assert rows[twin.pk] == [world.child_sam]
    # Sally Smith shares the family name but not the given name: not a match for "Sam".
    assert world.child_sally.pk not in rows
    assert "Possible duplicate" in response.content.decode()
    page = client.get(reverse("people:detail", args=[twin.pk]))
    assert page.context["duplicates"] == [world.child_sam]


def test_a_different_date_of_birth_is_not_a_duplicate(world):
    other = Person.objects.create(authority=world.authority, given_names="Sam", family_name="Smith",
                                  date_of_birth=date(2016, 3, 14))
    assert selectors.duplicate_groups([world.child_sam, other]) == {}


def test_search_form_requires_something_to_search_for(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:search"), {"name": ""})
    assert "Enter a name, a date of birth, an NHS number or a local child id" in response.content.decode()


def test_search_form_explains_a_bad_nhs_number(world, client):
    client.force_login(world.sw_amy)
    response = client.get(reverse("people:search"), {"nhs_number": "9434765918"})
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert response.context["rows"] == []


def test_a_long_shared_beginning_is_not_a_match_on_its_own(world):
    """Compound names that share a start ("Campion…") are told apart."""
    for family in ("Campionworth", "Campionthorpe", "Campiongate"):
        Person.objects.create(authority=world.authority, given_names="Amara", family_name=family,
                              date_of_birth=date(2012, 5, 25))
    found = selectors.person_search(user=world.sw_amy, name="Campionworte")
    assert [p.family_name for p in found] == ["Campionworth"]
    found = selectors.person_search(user=world.sw_amy, name="Amara Campionworte")
    assert found[0].family_name == "Campionworth"


def test_exact_spelling_ranks_above_a_sound_alike(world):
    Person.objects.create(authority=world.authority, given_names="Sam", family_name="Smyth",
                          date_of_birth=date(2015, 1, 1))
    found = selectors.person_search(user=world.sw_amy, name="Sam Smith")
    assert [p.full_name for p in found[:2]] == ["Sam Smith", "Sam Smyth"]


def test_a_name_is_looked_up_through_indexes_not_by_reading_everyone(world):
    """Each part of a name search (a phonetic key, a name's first letters in any case, on the
    record or its other names) is answered from an index on both databases: at a borough's
    size a scan of every person is what made search slow (issue 13)."""
    import re

    from django.db import connection, transaction

    from safeguard.people import names
    from safeguard.people.selectors.search import _name_candidates

    for query, fields in (("smi", ("given", "family")), ("Sam Smyth", ("family",))):
        tokens = names.name_tokens(query)
        prefixes = {t[: 3 if len(tokens) == 1 else 2] for t in tokens}
        candidates = _name_candidates(names.token_keys(query), prefixes, fields)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Tiny test tables are cheaper to scan; ask whether an index *can* answer.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_seqscan = off")
            plan = candidates.explain()
        scans = re.findall(r"(?:^|\n)[^\n]*(?:\bSCAN people_person\w*|Seq Scan on people_person\w*)",
                           plan)
        assert not scans, plan
    # And the rows found are the ones the name conditions find: one word on either name; two
    # words, one like the family name and one like the given name on the same name.
    found = {row["pk"] for row in _name_candidates({"SM0"}, {"smi"}, ("given", "family"))}
    assert {world.child_sam.pk, world.child_sally.pk, world.mother_mary.pk} <= found
    assert world.child_tom.pk not in found
    found = {row["pk"] for row in _name_candidates(names.token_keys("Sam Smith"), {"sa", "sm"},
                                                   ("family",))}  # fmt: skip
    assert {world.child_sam.pk, world.child_sally.pk} <= found
    assert not {world.mother_mary.pk, world.child_tom.pk} & found
