"""Issue 11, item 12: performance analysts see the figures, the drill-down lists and the
census fields they check (dates, codes, who holds a case), never what is written on a
child's file: case notes, visit notes, decisions, reasons, plan summaries, the chronology
and its PDF, early help narrative."""

from datetime import date

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.casework import permissions as case_permissions
from safeguard.casework import services
from safeguard.earlyhelp import permissions as eh_permissions
from safeguard.earlyhelp.tests.matrix import sally_assessment, tom_taf
from safeguard.referrals.services import contact_record
from safeguard.testing.journey import open_case

pytestmark = pytest.mark.django_db

NARRATIVE = [
    "Mother disclosed the stepfather hits Sam",  # case note
    "Bruise seen on the left arm during the visit",  # visit notes
    "Escalate to a strategy discussion now",  # management decision
    "Risk is rising since the move",  # its rationale
    "Weekly sessions with the school nurse",  # plan summary
    "Police attended a domestic incident at the home",  # chronology
    "Neighbour heard shouting late at night",  # contact reason at the front door
]


@pytest.fixture
def file(world):
    case = open_case(world, received=date(2025, 1, 6))
    services.visit_record(
        by=world.sw_amy, case=case, kind="cin", visit_date=date(2025, 1, 8), child_seen=True,
        notes=NARRATIVE[1],
    )  # fmt: skip
    services.case_note_add(
        by=world.sw_amy, case=case, note_date=date(2025, 1, 9), subject="Disclosure",
        text=NARRATIVE[0],
    )  # fmt: skip
    services.decision_record(
        by=world.tm_carol, case=case, decision_date=date(2025, 1, 10), decision=NARRATIVE[2],
        rationale=NARRATIVE[3],
    )  # fmt: skip
    services.cin_plan_start(
        by=world.sw_amy, case=case, start_date=date(2025, 1, 13), summary=NARRATIVE[4]
    )
    services.chronology_entry_add(
        by=world.sw_amy, case=case, event_date=date(2025, 1, 14), what=NARRATIVE[5],
        source_agency="Police",
    )  # fmt: skip
    contact_record(
        by=world.sw_amy, child=world.child_tom, contact_date=date(2025, 2, 3), source="1A",
        reason=NARRATIVE[6],
    )  # fmt: skip
    return case


def _pages(world, case):
    return {
        "case": reverse("casework:case-detail", args=[case.pk]),
        "person": reverse("people:detail", args=[world.child_sam.pk]),
        "front door": reverse("referrals:front-door"),
    }


def test_the_policies_keep_narrative_from_analysts(world, file):
    eve, amy = world.analyst_eve, world.sw_amy
    assert case_permissions.can(eve, case_permissions.Action.VIEW, file)
    assert not case_permissions.can(eve, case_permissions.Action.READ_NARRATIVE, file)
    assert case_permissions.can(amy, case_permissions.Action.READ_NARRATIVE, file)
    sally = world.child_sally
    assert eh_permissions.can(eve, eh_permissions.Action.VIEW, sally)
    assert not eh_permissions.can(eve, eh_permissions.Action.READ_NARRATIVE, sally)
    assert eh_permissions.can(world.health_hana, eh_permissions.Action.READ_NARRATIVE, sally)


def test_analysts_see_census_fields_and_no_narrative(world, client, file):
    client.force_login(world.analyst_eve)
    for name, url in _pages(world, file).items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        shown = [text for text in NARRATIVE if text in page]
        assert not shown, (name, shown)
    page = client.get(_pages(world, file)["case"]).content.decode()
    # The census fields: dates, codes, who holds it.
    assert "6 January 2025" in page and 'id="visits"' in page and "8 Jan 2025" in page
    assert 'id="narrative-not-shown"' in page
    assert reverse("casework:chronology", args=[world.child_sam.pk]) not in page
    # What they did see was logged.
    assert AccessEvent.objects.filter(
        user=world.analyst_eve, person_id=world.child_sam.pk, route__contains=str(file.pk)
    ).exists()


def test_analysts_are_refused_the_chronology_and_its_pdf_before_any_read(world, client, file):
    client.force_login(world.analyst_eve)
    before = AccessEvent.objects.filter(user=world.analyst_eve).count()
    for name in ("casework:chronology", "casework:chronology-pdf"):
        response = client.get(reverse(name, args=[world.child_sam.pk]))
        assert response.status_code == 403, name
        assert NARRATIVE[5].encode() not in response.content
    assert AccessEvent.objects.filter(user=world.analyst_eve).count() == before


def test_early_help_narrative_is_withheld_from_analysts(world, client):
    eha, taf = sally_assessment(world), tom_taf(world)
    for user, sees in ((world.analyst_eve, False), (world.sw_amy, True)):
        client.force_login(user)
        page = client.get(reverse("earlyhelp:eha-detail", args=[eha.pk])).content.decode()
        assert ("Sleep and feeding worries" in page) is sees
        page = client.get(reverse("earlyhelp:taf-detail", args=[taf.pk])).content.decode()
        assert ("Weekly family support sessions" in page) is sees


def test_social_workers_still_read_all_of_it(world, client, file):
    client.force_login(world.sw_amy)
    pages = {name: client.get(url).content.decode() for name, url in _pages(world, file).items()}
    for text in (NARRATIVE[0], *NARRATIVE[2:5]):
        assert text in pages["case"], text
    assert NARRATIVE[6] in pages["front door"]
    chronology = client.get(reverse("casework:chronology", args=[world.child_sam.pk]))
    assert chronology.status_code == 200 and NARRATIVE[5] in chronology.content.decode()
