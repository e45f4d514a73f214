"""A page's access events are appended to the audit chain once (decision 0061).

The person page logs three groups (the person, the relatives it shows, possible duplicates);
the case page two (the child, the adults with alerts); search one or two (the results, the
restricted matches). Each group used to be its own append to the hash chain: a read of the
chain's tail and an insert. Now the page's reads run in one transaction and its events are
written together when they are done, still in that transaction, so that a failed write
means the page is not shown and nothing of it is kept.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.audit import chain
from safeguard.audit.models import AccessEvent
from safeguard.audit.services import one_access_append, record_access
from safeguard.casework import services as casework
from safeguard.people.models import Person
from safeguard.people.services import alert_raise

pytestmark = pytest.mark.django_db


def _tail_reads(sqls: list[str]) -> list[str]:
    table = AccessEvent._meta.db_table
    return [s for s in sqls if s.startswith("SELECT") and table in s and "ORDER BY" in s
            and "sequence" in s and "DESC" in s]  # fmt: skip


def _inserts(sqls: list[str]) -> list[str]:
    return [s for s in sqls if s.startswith("INSERT") and AccessEvent._meta.db_table in s]


def _read(client, user, url):
    client.force_login(user)
    client.get(url)  # the session may be renewed on the first request after signing in
    before = AccessEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sqls = [q["sql"] for q in captured.captured_queries]
    return response, sqls, list(AccessEvent.objects.order_by("sequence")[before:])


@pytest.fixture
def duplicate_of_sam(world):
    # Same family name and date of birth: shown on Sam's page as a possible duplicate.
    return Person.objects.create(
        authority=world.authority, given_names="Samuel", family_name="Smith",
        date_of_birth=world.child_sam.date_of_birth,
    )  # fmt: skip


def test_person_page_appends_all_its_groups_at_once(world, client, duplicate_of_sam):
    sam = world.child_sam
    url = reverse("people:detail", kwargs={"person_id": sam.pk})
    response, sqls, events = _read(client, world.sw_amy, url)
    assert response.status_code == 200
    logged = {e.person_id for e in events}
    # The person, the relatives shown (mother and sister), and the possible duplicate.
    assert {sam.pk, world.mother_mary.pk, world.child_sally.pk, duplicate_of_sam.pk} <= logged
    assert {e.purpose for e in events} >= {"view", "search"}
    assert len(_tail_reads(sqls)) == 1, "\n".join(_tail_reads(sqls))
    assert len(_inserts(sqls)) == 1
    # One run of the chain, unbroken.
    sequences = [e.sequence for e in events]
    assert sequences == list(range(sequences[0], sequences[0] + len(events)))
    assert chain.verify(AccessEvent).ok


def test_case_page_appends_once(world, client):
    case = casework.case_open(by=world.sw_amy, child=world.child_sam,
                              referral_date=date(2024, 2, 5), referral_source="6")  # fmt: skip
    # An alert on Sam's mother: the page shows her too, a second group it logs.
    today = timezone.localdate()
    alert_raise(
        by=world.sw_amy, person=world.mother_mary, kind="risk_to_children",
        details="Convicted of offences against children", source="Police disclosure",
        raised_on=today, review_date=today + timedelta(days=90),
    )  # fmt: skip
    url = reverse("casework:case-detail", kwargs={"case_id": case.pk})
    response, sqls, events = _read(client, world.sw_amy, url)
    assert response.status_code == 200
    assert {world.child_sam.pk, world.mother_mary.pk} <= {e.person_id for e in events}
    assert len(_tail_reads(sqls)) == 1
    assert len(_inserts(sqls)) == 1


def test_a_failed_append_shows_nothing_and_keeps_nothing(world, client, monkeypatch,
                                                         duplicate_of_sam):  # fmt: skip
    url = reverse("people:detail", kwargs={"person_id": world.child_sam.pk})
    client.force_login(world.sw_amy)
    client.get(reverse("work:home"))
    before = AccessEvent.objects.count()

    def full_disk(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(chain, "chain_rows", full_disk)
    response = client.get(url)
    assert response.status_code == 503
    assert b"Sam" not in response.content
    assert AccessEvent.objects.count() == before


def test_outside_a_page_each_call_appends_at_once(world):
    before = AccessEvent.objects.count()
    record_access(by=world.sw_amy, person_ids=[world.child_sam.pk], purpose="view", route="x")
    assert AccessEvent.objects.count() == before + 1


def test_a_block_inside_another_joins_it_and_an_error_keeps_nothing(world):
    before = AccessEvent.objects.count()
    with one_access_append():
        record_access(by=world.sw_amy, person_ids=[world.child_sam.pk], purpose="view", route="a")
        with one_access_append():
            record_access(by=world.sw_amy, person_ids=[world.mother_mary.pk], purpose="view",
                          route="b")  # fmt: skip
        # Nothing is written until the outer block ends.
        assert AccessEvent.objects.count() == before
    assert AccessEvent.objects.count() == before + 2

    with pytest.raises(RuntimeError), one_access_append():
        record_access(by=world.sw_amy, person_ids=[world.child_sam.pk], purpose="view", route="c")
        raise RuntimeError("the page failed")
    assert AccessEvent.objects.count() == before + 2
