"""Demand: contacts and referrals by ISO week and by source, the funnel from contact to plan,
drill-down (permissions, logging, sealed children left out), CSV and bad input.

The period is four ISO weeks, Monday 5 January to Sunday 1 February 2026:
W02 (5-11 Jan), W03 (12-18 Jan), W04 (19-25 Jan: nothing happens) and W05 (26 Jan-1 Feb).
"""

import csv
import io
from datetime import date

import pytest

from safeguard.assessments.models import Assessment
from safeguard.audit.models import AccessEvent
from safeguard.performance import demand
from safeguard.performance.indicators import Period, Scope
from safeguard.performance.tests import build
from safeguard.referrals.models import Contact, Referral

pytestmark = pytest.mark.django_db

PERIOD = Period(date(2026, 1, 5), date(2026, 2, 1))
Q = "?from=2026-01-05&to=2026-02-01"
URL = "/performance/demand/"
CHILDREN = "/performance/demand/children/"


def contact(world, kid, day, source, outcome="referral"):
    return Contact.objects.create(
        child=kid,
        authority=world.authority,
        contact_date=day,
        source=source,
        reason="Concern",
        outcome=outcome,
        decision_date=day,
    )


def referred(world, kid, c, day, *, source, worker=None, team=None):
    case = build.case(world, kid, referred=day, worker=worker, team=team)
    case.referral_source = source
    case.save()
    Referral.objects.create(
        case=case,
        contact=c,
        received_date=day,
        decision="assessment",
        decision_date=day,
        decided_by=world.tm_carol,
    )
    return case


@pytest.fixture
def data(world):
    return make_data(world)


def make_data(world):
    kids = {name: build.child(world) for name in ("one", "two", "three", "four", "five", "six")}
    # 1: a Sunday contact (W02) referred on the Monday (W03); assessed: child in need plan.
    c1 = contact(world, kids["one"], date(2026, 1, 11), "6")
    case1 = referred(world, kids["one"], c1, date(2026, 1, 12), source="6", worker=world.sw_amy)
    build.assessment(case1, start=date(2026, 1, 13), done=date(2026, 1, 20))
    Assessment.objects.filter(case=case1).update(outcome="cin_plan")
    # 2: Monday contact (W03); section 47, initial conference and a plan inside the period.
    c2 = contact(world, kids["two"], date(2026, 1, 12), "2A")
    case2 = referred(
        world,
        kids["two"],
        c2,
        date(2026, 1, 12),
        source="2A",
        worker=world.sw_ben,
        team=world.team_b,
    )
    build.s47(world, case2, start=date(2026, 1, 14), icpc=date(2026, 1, 28))
    build.plan(world, case2, start=date(2026, 1, 28))
    # 3: section 47 and conference in the period, but the plan starts the day after it ends;
    # an assessment authorised as a child in need plan, also after the period.
    c3 = contact(world, kids["three"], date(2026, 1, 13), "3A")
    case3 = referred(world, kids["three"], c3, date(2026, 1, 14), source="3A")
    build.s47(world, case3, start=date(2026, 1, 15), icpc=date(2026, 1, 30))
    build.plan(world, case3, start=date(2026, 2, 2))
    build.assessment(case3, start=date(2026, 1, 15), done=date(2026, 2, 5))
    Assessment.objects.filter(case=case3).update(outcome="cin_plan")
    # 4: a contact on the Sunday before the period, referred on its first Monday: the
    # referral is in the period, the contact (and so its funnel) is not.
    c4 = contact(world, kids["four"], date(2026, 1, 4), "6")
    case4 = referred(world, kids["four"], c4, date(2026, 1, 5), source="6")
    build.s47(world, case4, start=date(2026, 1, 6), icpc=date(2026, 1, 20))
    # 5: no further action (W05).
    contact(world, kids["five"], date(2026, 1, 26), "1A", outcome="nfa")
    # 6: a contact on the last day, referred the day after the period.
    c6 = contact(world, kids["six"], date(2026, 2, 1), "6")
    referred(world, kids["six"], c6, date(2026, 2, 2), source="6")
    return kids


def _client(client, user):
    client.force_login(user)
    return client


def test_iso_weeks_run_monday_to_sunday_and_a_week_with_none_shows_zero(world, data):
    rows = demand.by_week(PERIOD, Scope())
    assert [(r.label, r.contacts, r.referrals) for r in rows] == [
        ("2026-W02", 1, 1),  # the Sunday contact; the Monday referral of the earlier contact
        ("2026-W03", 2, 3),
        ("2026-W04", 0, 0),
        ("2026-W05", 2, 0),
    ]


def test_a_week_partly_in_the_period_counts_only_its_days_inside(world, data):
    # Wednesday 7 January to Tuesday 13 January: two part weeks.
    rows = demand.by_week(Period(date(2026, 1, 7), date(2026, 1, 13)), Scope())
    assert [(r.week, r.start, r.end) for r in rows] == [
        (date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 11)),
        (date(2026, 1, 12), date(2026, 1, 12), date(2026, 1, 13)),
    ]
    assert [(r.contacts, r.referrals) for r in rows] == [(1, 0), (2, 2)]


def test_default_period_is_the_last_13_complete_weeks():
    period = demand.default_period(date(2026, 11, 26))  # a Thursday
    assert period == Period(date(2026, 8, 24), date(2026, 11, 22))
    assert period.start.weekday() == 0 and period.end.weekday() == 6
    assert len(demand.weeks_in(period)) == 13
    # On a Monday, the week just ended is the last one.
    assert demand.default_period(date(2026, 11, 23)).end == date(2026, 11, 22)


def test_by_source_counts_and_shares(world, data):
    rows = {r.code: r for r in demand.by_source(PERIOD, Scope())}
    assert list(rows) == ["1A", "2A", "3A", "6"]  # census code order
    assert (rows["6"].contacts, rows["6"].contacts_share) == (2, 0.4)
    assert (rows["6"].referrals, rows["6"].referrals_share) == (2, 0.5)
    assert (rows["1A"].contacts, rows["1A"].referrals, rows["1A"].referrals_share) == (1, 0, 0.0)
    assert rows["2A"].label == "Schools"


def test_funnel_steps_and_their_edges(world, data):
    steps = {r.step.id: r for r in demand.funnel(PERIOD, Scope())}
    counts = {k: r.count for k, r in steps.items()}
    # Contact 4 (before the period) is left out; contact 6's referral came after the end;
    # contact 3's assessment and plan concluded after the end.
    assert counts == {
        "contacts": 5,
        "referral": 3,
        "assessment": 2,
        "cin_plan": 1,
        "s47": 2,
        "icpc": 2,
        "cp_plan": 1,
    }
    assert steps["referral"].rate == 0.6
    assert steps["assessment"].rate == 0.6667
    assert steps["cin_plan"].rate == 0.5
    assert steps["s47"].rate == 0.6667  # of the referrals
    assert steps["cp_plan"].rate == 0.5 and steps["cp_plan"].of_contacts == 0.2
    # A later period end takes in contact 6's referral and contact 3's plan.
    later = {
        r.step.id: r.count for r in demand.funnel(Period(PERIOD.start, date(2026, 2, 6)), Scope())
    }
    assert later["referral"] == 4 and later["cp_plan"] == 2 and later["cin_plan"] == 2


def test_a_conference_not_held_for_a_section_47_enquiry_is_not_the_icpc_step(world):
    kid = build.child(world)
    c = contact(world, kid, date(2026, 1, 6), "6")
    case = referred(world, kid, c, date(2026, 1, 6), source="6")
    build.plan(world, case, start=date(2026, 1, 20), icpc=date(2026, 1, 20))  # no s47
    counts = {r.step.id: r.count for r in demand.funnel(PERIOD, Scope())}
    assert counts["s47"] == 0 and counts["icpc"] == 0 and counts["cp_plan"] == 0


def test_team_scope_follows_the_dashboard_attribution(world, data):
    team_a = Scope(team_id=world.team_a.pk)
    rows = demand.by_week(PERIOD, team_a)
    # Only case 1 is Team A's: its contact (W02) and referral (W03).
    assert [(r.contacts, r.referrals) for r in rows] == [(1, 0), (0, 1), (0, 0), (0, 0)]
    counts = {r.step.id: r.count for r in demand.funnel(PERIOD, Scope(team_id=world.team_b.pk))}
    assert counts["contacts"] == 1 and counts["cp_plan"] == 1 and counts["assessment"] == 0


def test_other_authorities_records_are_not_counted(world, data, client):
    other = build.child(world)
    other.authority = world.other_authority
    other.save()
    Contact.objects.create(
        child=other,
        authority=world.other_authority,
        contact_date=date(2026, 1, 20),
        source="6",
        reason="x",
    )
    response = _client(client, world.analyst_eve).get(URL + Q)
    weeks = response.context["weeks"]
    assert [w.contacts for w in weeks] == [1, 2, 0, 2]


def test_the_page_shows_chart_tables_and_definitions(world, data, client):
    response = _client(client, world.sm_dan).get(URL + Q)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg class="sg-chart" role="img"') == 2
    assert page.count("<rect ") == 8  # four weeks, two charts
    assert "2026-W04" in page and "19 Jan to 25 Jan 2026" in page
    assert "Schools" in page and "40.0%" in page
    row = page[page.index('id="step-cp_plan"') :]
    row = row[: row.index("</tr>")]
    assert ">1<" in row and "50.0%" in row and "of initial child protection conference" in row
    assert "the referral records the contact it came from" in page
    dashboard = _client(client, world.sm_dan).get("/performance/" + Q).content.decode()
    assert 'href="/performance/demand/"' in dashboard


def test_default_period_on_the_page(world, client):
    response = _client(client, world.analyst_eve).get(URL)
    choice = response.context["choice"]
    assert response.status_code == 200 and not choice.errors
    assert choice.end.weekday() == 6 and (choice.end - choice.start).days == 13 * 7 - 1
    assert len(response.context["weeks"]) == 13


@pytest.mark.parametrize(
    "query, message",
    [
        ("?from=2026-02-30&to=2026-03-01", "Enter the &#x27;from&#x27; date as YYYY-MM-DD"),
        ("?from=2026-01-01&to=soon", "Enter the &#x27;to&#x27; date as YYYY-MM-DD"),
        ("?from=2026-03-01&to=2026-01-01", "The end of the period must not be before its start"),
        ("?from=1900-01-01&to=1900-02-01", "The period must fall between 1970 and 2070"),
        ("?from=2020-01-01&to=2026-01-01", "Choose a period of at most 106 weeks"),
    ],
)
def test_bad_dates_give_a_message_and_the_default_period(world, client, query, message):
    response = _client(client, world.analyst_eve).get(URL + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["weeks"]) == 13


def test_bad_figures_and_scopes_are_not_found(world, data, client):
    c = _client(client, world.analyst_eve)
    for query in (
        "&table=funnel&key=nothing",
        "&table=weeks&series=contacts&key=someday",
        "&table=weeks&series=contacts&key=2026-03-02",  # not a week of the period
        "&table=weeks&series=letters&key=2026-01-05",
        "&table=other&series=contacts&key=6",
        "",
    ):
        assert c.get(CHILDREN + Q + query).status_code == 404, query
    assert c.get(URL + Q + "&format=csv&table=other").status_code == 404
    assert c.get(URL + "?team=abc").status_code == 404


def test_team_managers_see_their_own_teams_only(world, data, client):
    c = _client(client, world.tm_carol)
    assert c.get(f"{URL}{Q}&team={world.team_a.pk}").status_code == 200
    assert c.get(f"{URL}{Q}&team={world.team_b.pk}").status_code == 403
    assert (
        c.get(f"{CHILDREN}{Q}&team={world.team_b.pk}&table=funnel&key=contacts").status_code == 403
    )
    for user in (world.sw_amy, world.police_pat):
        assert _client(client, user).get(URL + Q).status_code == 403
        assert (
            _client(client, user).get(CHILDREN + Q + "&table=funnel&key=contacts").status_code
            == 403
        )


def test_drill_down_lists_the_children_behind_each_figure_and_logs_them(world, data, client):
    c = _client(client, world.analyst_eve)
    before = AccessEvent.objects.count()
    response = c.get(CHILDREN + Q + "&table=funnel&key=cp_plan")
    assert response.status_code == 200
    assert [p.pk for p in response.context["people"]] == [data["two"].pk]
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("at")
    assert event.person_id == data["two"].pk and event.purpose == "list"

    def kids(query):
        return {p.pk for p in c.get(CHILDREN + Q + query).context["people"]}

    assert kids("&table=weeks&series=contacts&key=2026-01-12") == {data["two"].pk, data["three"].pk}
    assert kids("&table=weeks&series=referrals&key=2026-01-05") == {data["four"].pk}
    assert kids("&table=sources&series=contacts&key=6") == {data["one"].pk, data["six"].pk}
    assert kids("&table=funnel&key=referral") == {data[k].pk for k in ("one", "two", "three")}
    assert kids("&table=funnel&key=contacts") == {
        data[k].pk for k in ("one", "two", "three", "five", "six")
    }
    # Every drill-down link on the page answers with as many children as its figure.
    page = c.get(URL + Q).content.decode()
    assert (
        page.count('href="/performance/demand/children/?') == 5 + 7 + 7
    )  # weeks, sources, funnel: every non-zero figure


def test_drill_down_leaves_out_sealed_children(world, data, client):
    from safeguard.people.tests.sealing import seal

    seal(world, data["two"], world.sw_ben)
    response = _client(client, world.analyst_eve).get(CHILDREN + Q + "&table=funnel&key=s47")
    page = response.content.decode()
    assert [p.pk for p in response.context["people"]] == [data["three"].pk]
    assert data["two"].given_names not in page
    assert "1 child you may not see is left out" in page
    # The figure itself still counts the sealed child.
    assert {r.step.id: r.count for r in demand.funnel(PERIOD, Scope())}["s47"] == 2


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_table_downloads_as_csv(world, data, client):
    c = _client(client, world.analyst_eve)
    weeks = _csv_rows(c.get(URL + Q + "&format=csv&table=weeks"))
    assert weeks[0] == ["iso week", "from", "to", "contacts", "referrals"]
    assert weeks[3] == ["2026-W04", "2026-01-19", "2026-01-25", "0", "0"]
    sources = _csv_rows(c.get(URL + Q + "&format=csv&table=sources"))
    assert sources[0][:3] == ["source code", "source", "contacts"]
    assert ["6", "Police", "2", "0.4", "2", "0.5"] in sources
    funnel = _csv_rows(c.get(URL + Q + "&format=csv&table=funnel"))
    assert funnel[0][0] == "step" and len(funnel) == 1 + len(demand.STEPS)
    assert funnel[7][0] == "Child protection plan" and funnel[7][2:] == [
        "1",
        "Initial child protection conference",
        "0.5",
        "0.2",
    ]


def test_each_drill_down_gives_the_dates_and_codes_that_put_each_child_in_it(world, data, client):
    """Contacts' figures give each child's contacts (date, source, outcome, decided);
    referrals' figures each child's referrals (date, source): the records behind the figure."""
    c = _client(client, world.analyst_eve)
    rows = _csv_rows(c.get(CHILDREN + Q + "&table=funnel&key=cp_plan&format=csv"))
    assert rows[1][4:] == ["2026-01-12", "2A", "referral", "2026-01-12"]
    rows = _csv_rows(
        c.get(CHILDREN + Q + "&table=weeks&series=referrals&key=2026-01-05&format=csv")
    )
    header = rows[0]
    assert header[4:6] == ["referral date", "referral source"]
    assert len(rows) == 2 and rows[1][1] == data["four"].given_names
    assert rows[1][4] == str(data["four"].cases.get().referral_date)
    page = c.get(CHILDREN + Q + "&table=funnel&key=cp_plan").content.decode()
    assert ">Contact date</th>" in page and "12 Jan 2026" in page


def test_csv_is_safe_from_formula_injection(world, data, client):
    kid = data["two"]
    kid.family_name = "=HYPERLINK(1)"
    kid.save()
    Contact.objects.create(
        child=kid,
        authority=world.authority,
        contact_date=date(2026, 1, 20),
        source="=1",
        reason="x",
    )
    c = _client(client, world.analyst_eve)
    rows = _csv_rows(c.get(CHILDREN + Q + "&table=funnel&key=cp_plan&format=csv"))
    assert rows[0] == ["family name", "given names", "date of birth", "local child id",
                       "contact date", "contact source", "contact outcome", "decided"]  # fmt: skip
    assert rows[1][0] == "'=HYPERLINK(1)"
    sources = _csv_rows(c.get(URL + Q + "&format=csv&table=sources"))
    assert ["'=1", "Not a census source code", "1", "0.1667", "0", "0.0"] in sources


def test_both_charts_share_a_whole_number_scale(world, data, client):
    charts = _client(client, world.analyst_eve).get(URL + Q).context["charts"]
    (_, _, contacts), (_, _, referrals) = charts
    assert [label for _, label in contacts.gridlines] == ["0", "1", "2", "3", "4"]
    assert contacts.gridlines == referrals.gridlines
    # Week W03: two contacts and three referrals, on the same axis.
    assert referrals.bars[1].height == contacts.bars[1].height * 3 / 2
