"""Issue 19 item 6: the figures for a preventative strategy, each on hand-built cases with its
exact numbers, the children behind each with the dates and codes that put them there, CSV,
and a fixed number of queries whatever the data."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguard.audit.models import AccessEvent
from safeguard.casework.models import Case
from safeguard.core.errors import ApplicationError
from safeguard.directory.models import Service, ServiceReferral
from safeguard.earlyhelp.models import EarlyHelpAssessment, TeamAroundFamily
from safeguard.people.models import Address, Residence
from safeguard.performance import early_help
from safeguard.performance.early_help import Line
from safeguard.performance.indicators import Period
from safeguard.performance.services import child_population_set
from safeguard.referrals.models import Contact

pytestmark = pytest.mark.django_db

PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))
QUERY = "?from=2025-04-01&to=2026-03-31"


def eha(world, child, start, completed=None, outcome="", agency="Testshire Schools", case=None):
    return EarlyHelpAssessment.objects.create(
        child=child, authority=world.authority, start_date=start, completed_date=completed,
        outcome=outcome, organisation_other="Somewhere", lead_name="Lee Lead", lead_agency=agency,
        stepped_down_from=case, consent_given=True, consent_date=start,
    )  # fmt: skip


def case(world, child, referred, closed=None, team=None):
    return Case.objects.create(
        child=child, authority=world.authority, referral_date=referred, referral_source="6",
        closure_date=closed, closure_reason="RC9" if closed else "", team=team or world.team_a,
    )  # fmt: skip


def lines(figure_id, world):
    figure = early_help.FIGURES_BY_ID[figure_id]
    context = {"population": early_help.population(world.authority.pk)}
    return figure.lines(figure.entries(world.authority.pk, PERIOD), context)


def test_assessments_started_and_completed_by_lead_agency(world):
    eha(
        world,
        world.child_sam,
        date(2025, 4, 1),
        date(2025, 6, 1),
        "nfa",
        agency="Testshire Schools",
    )
    eha(
        world, world.child_tom, date(2025, 3, 31), date(2025, 4, 1), "taf", agency="Health visiting"
    )
    eha(world, world.child_sally, date(2026, 4, 1), agency="Health visiting")  # after the period
    eha(world, world.outsider, date(2026, 3, 31), agency="")  # the last day, no agency recorded
    assert lines("assessments", world) == [
        Line("Health visiting", (0, 1)),
        Line("Not recorded", (1, 0)),
        Line("Testshire Schools", (1, 1)),
    ]


def test_step_ups_and_step_downs_by_team(world):
    sam_case = case(world, world.child_sam, date(2025, 1, 6), date(2025, 5, 1), team=world.team_a)
    tom_case = case(world, world.child_tom, date(2025, 1, 6), date(2025, 5, 1), team=world.team_b)
    eha(world, world.child_sam, date(2025, 5, 2), case=sam_case)  # step-down, team A
    eha(world, world.child_tom, date(2025, 5, 2), date(2025, 8, 1), "step_up", case=tom_case)
    case(world, world.child_tom, date(2025, 8, 4), team=world.team_a)  # tom referred again
    TeamAroundFamily.objects.create(
        child=world.child_sally, authority=world.authority, start_date=date(2025, 6, 1),
        end_date=date(2025, 9, 1), end_reason="stepped_up", lead_name="Lee", lead_agency="School",
    )  # fmt: skip
    assert world.team_a.name < world.team_b.name < "Not yet referred"
    assert lines("steps", world) == [
        Line(world.team_a.name, (1, 1)),
        Line(world.team_b.name, (1, 0)),
        Line("Not yet referred", (0, 1)),
    ]


def test_stepped_down_children_referred_again_within_12_months(world):
    for child, again in (
        (world.child_sam, date(2026, 5, 1)),  # 12 months to the day: counted
        (world.child_tom, date(2026, 5, 2)),  # a day later: not counted
        (world.child_sally, None),  # never referred again
    ):
        first = case(world, child, date(2025, 1, 6), date(2025, 4, 30))
        eha(world, child, date(2025, 5, 1), case=first)
        if again:
            case(world, child, again)
    [line] = lines("rereferred", world)
    assert (line.counts, line.extra) == ((3, 1), "33.3%")


def test_contacts_per_10000_children_by_postcode_district(world):
    from safeguard.referrals.services import contact_record

    def live(child, postcode, start, end=None):
        address = Address.objects.create(
            authority=world.authority, line_1="1 High St", town="Testtown", postcode=postcode
        )
        Residence.objects.create(person=child, address=address, start_date=start, end_date=end)

    live(world.child_sam, "TS1 4AB", date(2020, 1, 1), date(2025, 9, 1))
    live(world.child_sam, "ts2 9zz", date(2025, 9, 1))  # moved: later contacts count in TS2
    live(world.child_tom, "TS1 7QT", date(2020, 1, 1))
    for child, day in ((world.child_sam, date(2025, 5, 1)), (world.child_sam, date(2025, 10, 1)),
                       (world.child_tom, date(2025, 6, 1)), (world.child_sally, date(2025, 7, 1))):  # fmt: skip
        contact_record(
            by=world.sw_amy, child=child, contact_date=day, source="2A", reason="Worried"
        )
    child_population_set(
        by=None, authority=world.authority, district="ts1", children=4000, year=2024
    )
    assert Contact.objects.count() == 4
    sally = Residence.objects.filter(person=world.child_sally).values_list("address__postcode", flat=True).first()
    assert early_help.district(sally) not in ("TS1", "TS2")
    assert sorted(lines("contacts", world), key=lambda line: line.label) == sorted(
        [
            Line(early_help.district(sally), (1,), "no population recorded"),
            Line("TS1", (2,), "5.0 (of 4,000 children)"),
            Line("TS2", (1,), "no population recorded"),
        ],
        key=lambda line: line.label,
    )


def test_the_child_population_is_a_postcode_district_and_a_whole_number(world):
    for district, children, message in (
        ("TS1 4AB", 10, "is not a postcode district"),
        ("TS1", -1, "whole number, 0 or more"),
    ):
        with pytest.raises(ApplicationError, match=message):
            child_population_set(
                by=None, authority=world.authority, district=district, children=children, year=2024
            )
    row = child_population_set(
        by=None, authority=world.authority, district="TS1", children=10, year=2024
    )
    again = child_population_set(
        by=None, authority=world.authority, district="ts1", children=12, year=2025
    )
    assert (again.pk, again.children, again.year) == (row.pk, 12, 2025)


def make_service(world, kind):
    return Service.objects.create(
        authority=world.authority, name=f"A {kind} service", organisation="Testshire", kind=kind,
        description="Help", how_to_refer="Email", last_checked=date(2025, 1, 1),
    )  # fmt: skip


def refer(world, service, child, sent, status="sent", ended=None, outcome=""):
    return ServiceReferral.objects.create(
        service=service, child=child, authority=world.authority, reason="Support", sent_on=sent,
        sent_by=world.sw_amy, status=status, decided_on=sent if status != "sent" else None,
        started_on=sent if ended else None, ended_on=ended, outcome=outcome,
    )  # fmt: skip


def test_service_referrals_by_status_and_by_outcome_per_kind(world):
    parenting, housing = make_service(world, "parenting"), make_service(world, "housing")
    refer(world, parenting, world.child_sam, date(2025, 5, 1))
    refer(world, parenting, world.child_tom, date(2025, 5, 1), "declined")
    refer(
        world,
        parenting,
        world.child_sally,
        date(2025, 5, 1),
        "ended",
        date(2025, 9, 1),
        "needs_met",
    )
    refer(world, housing, world.child_sam, date(2025, 3, 1), "ended", date(2025, 6, 1), "not_met")
    statuses = ("Sent", "Accepted", "Declined", "Started", "Ended", "Withdrawn")
    assert early_help.FIGURES_BY_ID["service-referrals"].columns == statuses
    assert lines("service-referrals", world) == [Line("Parenting support", (1, 0, 1, 0, 1, 0))]
    outcomes = early_help.FIGURES_BY_ID["service-outcomes"].columns
    by_outcome = {
        line.label: dict(zip(outcomes, line.counts, strict=True))
        for line in lines("service-outcomes", world)
    }
    assert {k: {c: n for c, n in v.items() if n} for k, v in by_outcome.items()} == {
        "Housing": {"Needs not met": 1},
        "Parenting support": {"Needs met": 1},
    }


def test_the_page_the_children_behind_a_figure_and_csv(world, client):
    sam_case = case(world, world.child_sam, date(2025, 1, 6), date(2025, 5, 1))
    eha(world, world.child_sam, date(2025, 5, 2), case=sam_case)
    client.force_login(world.tm_carol)
    page = client.get(reverse("performance:early-help") + QUERY).content.decode()
    assert "Step-ups and step-downs, by team" in page
    assert "A step-down is an early help assessment started in the period" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("performance:early-help") + QUERY + "&format=csv"
                ).content.decode()
            )
        )
    )
    assert [
        "Step-ups and step-downs, by team",
        world.team_a.name,
        "Step-downs",
        "1",
        "2025-04-01",
        "2026-03-31",
    ] in rows
    before = AccessEvent.objects.filter(person_id=world.child_sam.pk).count()
    url = reverse("performance:early-help-children", args=["steps"]) + QUERY
    drill = client.get(url)
    assert [(e.child, e.day, e.column) for e in drill.context["rows"]] == [
        (world.child_sam, date(2025, 5, 2), "Step-downs")
    ]
    assert (
        "stepped down from Team A" in drill.content.decode()
        or world.team_a.name in drill.content.decode()
    )
    assert AccessEvent.objects.filter(person_id=world.child_sam.pk).count() == before + 1
    download = list(csv.reader(io.StringIO(client.get(url + "&format=csv").content.decode())))
    assert download[1][0] == world.child_sam.family_name and download[1][4] == "2025-05-02"
    assert (
        client.get(reverse("performance:early-help-children", args=["nothing"]) + QUERY).status_code
        == 404
    )


def test_the_page_makes_a_fixed_number_of_queries(world, client):
    client.force_login(world.tm_carol)
    url = reverse("performance:early-help") + QUERY

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    first = case(world, world.child_sam, date(2025, 1, 6), date(2025, 5, 1))
    eha(world, world.child_sam, date(2025, 5, 2), case=first)
    one = count()
    for child in (world.child_tom, world.child_sally, world.outsider):
        earlier = case(world, child, date(2025, 1, 6), date(2025, 5, 1))
        eha(world, child, date(2025, 5, 2), date(2025, 7, 1), "step_up", case=earlier)
        case(world, child, date(2025, 7, 7))
    assert count() == one


def test_the_command_sets_the_population_of_every_district_or_none(world):
    from django.core.management import CommandError, call_command

    from safeguard.performance.models import ChildPopulation

    code = world.authority.dfe_la_code
    out = io.StringIO()
    call_command(
        "set_child_population",
        "--la-code",
        code,
        "--year",
        "2024",
        "TS1=4000",
        "ts2=3100",
        stdout=out,
    )
    assert "TS2: 3100 children (2024)" in out.getvalue()
    with pytest.raises(CommandError, match="not a postcode district"):
        call_command(
            "set_child_population", "--la-code", code, "--year", "2025", "TS1=5000", "TS1 4AB=3"
        )
    assert dict(ChildPopulation.objects.values_list("district", "children")) == {
        "TS1": 4000,
        "TS2": 3100,
    }
    with pytest.raises(CommandError, match="DISTRICT=CHILDREN"):
        call_command("set_child_population", "--la-code", code, "--year", "2025", "TS1")


def test_a_bad_period_or_page_is_a_message_not_a_500(world, client):
    client.force_login(world.analyst_eve)
    response = client.get(reverse("performance:early-help"), {"from": "yesterday"})
    assert response.status_code == 200
    assert "Enter the &#x27;from&#x27; date as YYYY-MM-DD" in response.content.decode()
    url = reverse("performance:early-help-children", args=["contacts"])
    assert client.get(url, {"page": "many"}).status_code == 200
