"""The data-quality panel on the person and case pages, the lists (mine, team, summary) with
their permissions and CSV. The dashboard's error counts are tested in performance/tests/test_data_quality.py."""

import csv
import io
from datetime import date

import pytest

from safeguard.audit.models import AccessEvent
from safeguard.people.tests.sealing import seal
from safeguard.quality.services import check_children
from safeguard.quality.tests import build

pytestmark = pytest.mark.django_db

TODAY = date(2025, 10, 1)


@pytest.fixture
def bad(world):
    """A child of Amy's (team A) with a visit before the referral; one of Ben's (team B) too."""
    kid = build.child(world, family_name="Errorful")
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, date(2025, 6, 1))
    other = build.child(world, family_name="Benson")
    oc = build.case(world, other, referred=date(2025, 6, 2), worker=world.sw_ben, team=world.team_b)
    build.visit(world, oc, date(2025, 5, 1))
    check_children([kid.pk, other.pk], today=TODAY)
    return kid, c, other


def _as(client, user):
    client.force_login(user)
    return client


def test_the_case_and_person_pages_show_the_records_errors(world, bad, client):
    kid, c, _ = bad
    page = _as(client, world.sw_amy).get(f"/cases/{c.pk}/").content.decode()
    assert 'id="data-quality"' in page and "SG05" in page and "1 error" in page
    page = client.get(f"/people/{kid.pk}/").content.decode()
    assert 'id="data-quality"' in page and "SG05" in page


def test_a_clean_record_says_so(world, client):
    kid = build.child(world)
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    check_children([kid.pk], today=TODAY)
    page = _as(client, world.sw_amy).get(f"/cases/{c.pk}/").content.decode()
    assert "No data errors." in page


def test_a_query_is_shown_apart_from_the_errors(world, client):
    """A DfE census query (to confirm) is listed under its own heading, not counted as an
    error: the child with only a query has "No data errors."."""
    from safeguard.assessments.models import Assessment

    kid = build.child(world, upn=None)  # of school age with no pupil number: 8770Q
    c = build.case(world, kid, referred=date(2025, 6, 2), worker=world.sw_amy)
    # Open since June: on 1 October more than 45 working days (8670Q, on the case).
    Assessment.objects.create(case=c, kind="single", start_date=date(2025, 6, 3))
    check_children([kid.pk], today=TODAY)
    for url, rule, count in (
        (f"/people/{kid.pk}/", "CIN 8770Q", "2 queries"),
        (f"/cases/{c.pk}/", "CIN 8670Q", "1 query"),
    ):
        page = _as(client, world.sw_amy).get(url).content.decode()
        panel = page.split('id="data-quality"')[1].split("</div>")[0]
        assert "No data errors." in panel and "govuk-tag--red" not in panel
        queries = panel[panel.index('id="data-quality-queries"') :]
        assert rule in queries[: queries.index("</ul>")]
        assert f"{count}</strong> to confirm" in panel


def test_partners_do_not_see_the_panel(world, client):
    # The police officer is involved with Sam Smith (child_sam) and may open his page.
    sam = world.child_sam
    c = build.case(world, sam, referred=date(2025, 6, 2), worker=world.sw_amy)
    build.visit(world, c, date(2025, 6, 1))
    check_children([sam.pk], today=TODAY)
    response = _as(client, world.police_pat).get(f"/people/{sam.pk}/")
    assert response.status_code == 200
    assert 'id="data-quality"' not in response.content.decode()


def test_my_data_errors_lists_only_mine_and_logs_access(world, bad, client):
    kid, _, other = bad
    before = AccessEvent.objects.filter(person_id=kid.pk).count()
    page = _as(client, world.sw_amy).get("/data-quality/mine/").content.decode()
    assert "Errorful" in page and "Benson" not in page
    assert AccessEvent.objects.filter(person_id=kid.pk).count() == before + 1
    page = _as(client, world.sw_ben).get("/data-quality/mine/").content.decode()
    assert "Benson" in page and "Errorful" not in page


def test_my_data_errors_as_csv(world, bad, client):
    response = _as(client, world.sw_amy).get("/data-quality/mine/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rule", "severity", "family name"]
    assert [r[0] for r in rows[1:]] == ["SG05"] and rows[1][2] == "Errorful"


def test_the_team_list_for_the_team_manager(world, bad, client):
    c = _as(client, world.tm_carol)
    page = c.get("/data-quality/team/").content.decode()  # Carol's own team: team A
    assert "Team A" in page or world.team_a.name in page
    assert "Errorful" in page and "Benson" not in page
    page = c.get(f"/data-quality/team/?team={world.team_b.pk}").content.decode()
    assert "Benson" in page and "Errorful" not in page
    assert c.get("/data-quality/team/?team=x").status_code == 404
    assert c.get("/data-quality/team/?team=999999").status_code == 404
    rows = list(csv.reader(io.StringIO(
        c.get(f"/data-quality/team/?team={world.team_b.pk}&format=csv").content.decode("utf-8-sig")
    )))  # fmt: skip
    assert len(rows) == 2 and rows[1][2] == "Benson"
    # Social workers have their own list, not the team's.
    assert _as(client, world.sw_amy).get("/data-quality/team/").status_code == 403


def test_the_summary_by_rule_and_team(world, bad, client):
    c = _as(client, world.analyst_eve)
    page = c.get("/data-quality/").content.decode()
    assert 'id="total-errors">2 errors' in page
    by_rule = page[page.index('id="by-rule"') :]
    assert "SG05" in by_rule and "Step dated before the referral" in by_rule
    rows = list(csv.reader(io.StringIO(c.get("/data-quality/?format=csv").content.decode("utf-8-sig"))))
    assert rows == [["rule", "errors", "children"], ["SG05", "2", "2"]]
    rows = list(csv.reader(io.StringIO(
        c.get("/data-quality/?format=csv&table=teams").content.decode("utf-8-sig")
    )))  # fmt: skip
    assert sorted(r[1:] for r in rows[1:]) == [["1", "1"], ["1", "1"]]
    assert _as(client, world.sw_amy).get("/data-quality/").status_code == 403


def test_a_sealed_childs_errors_are_counted_not_named(world, bad, client):
    kid, _, _ = bad
    seal(world, kid, world.sw_ben)  # Amy is not named
    page = _as(client, world.sw_amy).get("/data-quality/mine/").content.decode()
    assert "Errorful" not in page
    assert "1 error on restricted records is not shown" in page
    rows = list(csv.reader(io.StringIO(
        client.get("/data-quality/mine/?format=csv").content.decode("utf-8-sig")
    )))  # fmt: skip
    assert rows[1:] == []


# --- The dashboard: children with errors behind each figure, "Validated" when none ---------



def test_the_home_page_links_to_the_lists(world, client):
    page = _as(client, world.sw_amy).get("/").content.decode()
    assert 'href="/data-quality/mine/"' in page and 'href="/data-quality/"' not in page
    page = _as(client, world.tm_carol).get("/").content.decode()
    assert 'href="/data-quality/"' in page



def test_the_policy_answers_can_and_visible_to(world, bad):
    from safeguard.quality.permissions import Action, can, visible_to

    kid, _, other = bad
    assert can(world.sw_amy, Action.SEE_OWN) and can(world.sw_amy, Action.SEE_PANEL, kid)
    assert not can(world.sw_amy, Action.SEE_TEAM, world.team_a)
    assert not can(world.sw_amy, Action.SEE_SUMMARY)
    assert can(world.tm_carol, Action.SEE_TEAM, world.team_b) and can(world.analyst_eve, Action.SEE_SUMMARY)
    assert not can(world.other_sw, Action.SEE_PANEL, kid)
    assert not can(world.police_pat, Action.SEE_PANEL, kid)
    assert {i.person_id for i in visible_to(world.sw_amy)} == {kid.pk, other.pk}
    assert not visible_to(world.other_sw).exists() and not visible_to(world.police_pat).exists()
