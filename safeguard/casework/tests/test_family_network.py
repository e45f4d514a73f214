"""The family network (issue 16 item 6, decision 0048): parental responsibility and alert
flags on adults shown with the child; household changes on each child's chronology; the
genogram and household view. Here, not in people's tests, because they read the case page
and the chronology (casework) too."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.casework.models import ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.core.errors import ApplicationError
from safeguard.people import services
from safeguard.people.models import AdultAlert, Person, Relationship
from safeguard.people.tests.sealing import seal
from safeguard.testing.queries import queries

pytestmark = pytest.mark.django_db


def raise_alert(world, person=None, kind="risk_to_children", details="Convicted of offences against children"):
    today = timezone.localdate()
    return services.alert_raise(
        by=world.sw_amy, person=person or world.mother_mary, kind=kind, details=details,
        source="Police disclosure (Clare's Law)", raised_on=today,
        review_date=today + timedelta(days=90),
    )


def page(client, name, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_parental_responsibility_and_alerts_are_shown_with_the_child(world, client):
    Relationship.objects.filter(person=world.mother_mary, other=world.child_sam).update(
        parental_responsibility=True
    )
    raise_alert(world, kind="violence_to_staff", details="Threatened a worker with a knife")
    client.force_login(world.sw_amy)
    child_page = page(client, "people:detail", person_id=world.child_sam.pk)
    relationships = child_page.split('Relationships</h2>', 1)[1].split("</ul>", 1)[0]
    mary_line = next(line for line in relationships.split("<li>") if "Mary Smith" in line)
    assert "Parental responsibility" in mary_line
    assert "Alert: Violence or threats towards staff" in mary_line
    household = child_page.split("<h2 class=\"govuk-heading-m\">Household</h2>", 1)[1].split("</ul>", 1)[0]
    assert "Mary Smith" in household and "Alert: Violence" in household

    case = sam_case(world)
    case_page = page(client, "casework:case-detail", case_id=case.pk)
    alerts = case_page.split('id="adult-alerts"', 1)[1].split("</ul>", 1)[0]
    assert "Mary Smith" in alerts and "Threatened a worker with a knife" in alerts
    assert "Police disclosure" in alerts and "review by" in alerts
    visit_page = page(client, "casework:visit-new", case_id=case.pk)
    assert 'id="adult-alerts"' in visit_page and "Violence or threats towards staff" in visit_page

    # Partners see the child's identity, never the alerts.
    client.force_login(world.police_pat)
    partner_page = page(client, "people:detail", person_id=world.child_sam.pk)
    assert "Alert:" not in partner_page and "Violence" not in partner_page


def test_an_ended_alert_is_kept_but_no_longer_shown_with_the_child(world, client):
    alert = raise_alert(world)
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("people:alert-end", kwargs={"alert_id": alert.pk}),
        {"ended_on_day": str(timezone.localdate().day), "ended_on_month": str(timezone.localdate().month),
         "ended_on_year": str(timezone.localdate().year), "end_reason": "Conviction was spent and reviewed"},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.ended_on == timezone.localdate() and alert.updated_by == world.sw_amy
    assert "Alert:" not in page(client, "people:detail", person_id=world.child_sam.pk)
    mary = page(client, "people:detail", person_id=world.mother_mary.pk)
    assert "Ended" in mary and "Conviction was spent" in mary


def test_alert_rules(world):
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="adults only"):
        raise_alert(world, person=world.child_sally)
    with pytest.raises(ApplicationError, match="within a year"):
        services.alert_raise(
            by=world.sw_amy, person=world.mother_mary, kind="other", details="x", source="y",
            raised_on=today, review_date=today + timedelta(days=400),
        )
    with pytest.raises(ApplicationError, match="before the date raised"):
        services.alert_raise(
            by=world.sw_amy, person=world.mother_mary, kind="other", details="x", source="y",
            raised_on=today, review_date=today - timedelta(days=1),
        )
    assert not AdultAlert.objects.exists()


def test_household_changes_become_chronology_events_on_each_child(world):
    case = sam_case(world)
    partner = Person.objects.create(
        authority=world.authority, given_names="Gary", family_name="Brown", date_of_birth=date(1985, 5, 5)
    )
    moved_in = date(2025, 3, 1)
    services.residence_add(
        by=world.sw_amy, person=partner, line_1="1 Test Street", town="Testshire",
        postcode="TE1 1ST", start_date=moved_in,
    )
    for child in (world.child_sam, world.child_sally):
        entry = ChronologyEntry.objects.get(child=child, what__startswith="Gary Brown joined")
        assert entry.event_date == moved_in and "1 Test Street" in entry.what
    assert ChronologyEntry.objects.get(child=world.child_sam, what__startswith="Gary Brown joined").case == case
    # Gary leaves (moves elsewhere): each child's chronology says so.
    services.residence_add(
        by=world.sw_amy, person=partner, line_1="9 Far Away", town="Elsewhere",
        postcode="EL1 1SE", start_date=date(2025, 6, 1),
    )
    assert ChronologyEntry.objects.filter(what__startswith="Gary Brown left the household").count() == 2
    # A child's own move is an address change on their chronology.
    services.residence_add(
        by=world.sw_amy, person=world.child_sally, line_1="2 New Road", town="Testshire",
        postcode="TE1 2ND", start_date=date(2025, 7, 1),
    )
    assert ChronologyEntry.objects.filter(child=world.child_sally, what__startswith="Moved to 2 New Road").exists()
    assert ChronologyEntry.objects.filter(child=world.child_sam, what__startswith="Sally Smith left the household").exists()


def test_a_sealed_adult_is_not_named_on_another_childs_chronology(world):
    partner = Person.objects.create(
        authority=world.authority, given_names="Gary", family_name="Brown", date_of_birth=date(1985, 5, 5)
    )
    seal(world, partner, world.sw_amy)
    services.residence_add(
        by=world.sw_amy, person=partner, line_1="1 Test Street", town="Testshire",
        postcode="TE1 1ST", start_date=date(2025, 3, 1),
    )
    entries = list(ChronologyEntry.objects.filter(child=world.child_sam, event_date=date(2025, 3, 1)))
    # Read as Fay would (the seal keeps her out) and as anything that forgets to ask.
    assert entries and all("Gary" not in e.shown_what and "restricted record" in e.shown_what for e in entries)
    assert all(e.names_id == partner.pk for e in entries)


def family_network(world):
    """Sam's wider family: a grandparent, a step-parent with an alert, an aunt, a visiting adult."""
    def adult(given, family, sex, born):
        return Person.objects.create(
            authority=world.authority, given_names=given, family_name=family, sex=sex, date_of_birth=born
        )
    grandma = adult("Joan", "Smith", "F", date(1960, 2, 2))
    stepdad = adult("Gary", "Brown", "M", date(1985, 5, 5))
    aunt = adult("Lisa", "Smith", "F", date(1992, 8, 8))
    visitor = adult("Kim", "Taylor", "U", date(1988, 3, 3))
    for person, kind, pr in (
        (grandma, "grandparent", False), (stepdad, "step_parent", True),
        (aunt, "wider_family", False), (visitor, "visiting_adult", False),
    ):
        services.relationship_add(
            by=world.sw_amy, person=person, other=world.child_sam, kind=kind, parental_responsibility=pr
        )
    services.residence_add(
        by=world.sw_amy, person=stepdad, line_1="1 Test Street", town="Testshire",
        postcode="TE1 1ST", start_date=date(2025, 3, 1),
    )
    raise_alert(world, person=stepdad)
    return [grandma, stepdad, aunt, visitor]


def test_the_genogram_draws_every_relation_and_the_table_lists_them(world, client):
    relatives = family_network(world)
    client.force_login(world.sw_amy)
    html = page(client, "people:family", person_id=world.child_sam.pk)
    svg = html.split('<svg class="sg-genogram"', 1)[1].split("</svg>", 1)[0]
    table = html.split('id="family-table"', 1)[1].split("</table>", 1)[0]
    expected = [world.mother_mary, world.child_sally, *relatives]
    for person in expected:
        assert f'data-person="{person.pk}"' in svg, person
        assert f'data-person="{person.pk}"' in table, person
    rows = table.split('<tr class="govuk-table__row" data-person="')[1:]
    assert len(rows) == len(Relationship.objects.filter(other=world.child_sam)) + 1  # + Sally
    gary = next(r for r in rows if r.startswith(str(relatives[1].pk)))
    assert "Step-parent" in gary and gary.count(">Yes<") == 2 and "Risk to children" in gary
    assert "Grandparents" in svg and "Wider family and other adults" in svg
    assert "Risk to children" in svg  # the alert marked on the drawing

    # A partner involved with Sam sees the relationships of people they may see, no alerts.
    client.force_login(world.police_pat)
    partner = page(client, "people:family", person_id=world.child_sam.pk)
    assert "Risk to children" not in partner


def test_the_genogram_page_makes_a_fixed_number_of_queries(world, client):
    client.force_login(world.sw_amy)
    url = reverse("people:family", kwargs={"person_id": world.child_sam.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        assert client.get(url).status_code == 200
    family_network(world)
    for i in range(6):
        cousin = Person.objects.create(
            authority=world.authority, given_names=f"Cousin{i}", family_name="Smith", date_of_birth=date(2010, 1, 1 + i)
        )
        services.relationship_add(by=world.sw_amy, person=cousin, other=world.child_sam, kind="wider_family")
        raise_alert(world, person=Person.objects.create(
            authority=world.authority, given_names=f"Adult{i}", family_name="Smith", date_of_birth=date(1970, 1, 1 + i)
        ))
    with CaptureQueriesContext(connection) as long:
        assert client.get(url).status_code == 200
    assert len(queries(long_sql := [q["sql"] for q in long.captured_queries])) == len(
        queries([q["sql"] for q in short.captured_queries])
    )
    assert len(queries(long_sql)) <= 20, "\n".join(queries(long_sql))
