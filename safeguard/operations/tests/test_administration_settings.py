"""The administration pages of decision 0074: the threshold of need (versioned, so that an
earlier decision keeps the words it was made under), local standards and the rule set (due
dates follow at once), retention rules, and adding a staff account. Each change writes a
change event shown in the administration history; bad input changes nothing; only the
authority's own system administrators may."""

import tomllib
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.accounts.models import Agency, AgencyKind, LocalAuthority, User
from safeguard.audit.models import ChangeEvent
from safeguard.core.workdays import add_working_days
from safeguard.privacy import retention
from safeguard.privacy.models import RetentionRule
from safeguard.referrals.models import Contact, ThresholdIndicator, ThresholdLevel
from safeguard.referrals.services import (
    DEFAULT_THRESHOLDS,
    contact_decide,
    contact_record,
    thresholds_load,
)
from safeguard.testing.journey import open_case
from safeguard.testing.queries import queries
from safeguard.timescales.models import DueEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = add_working_days(TODAY, -8)
OTHERS = ("sw_amy", "tm_carol", "sm_dan", "other_sw", "police_pat")


@pytest.fixture
def levels(world):
    with DEFAULT_THRESHOLDS.open("rb") as handle:
        data = tomllib.load(handle)
    loaded = thresholds_load(by=None, authority=world.authority, data=data)
    return {level.number: level for level in loaded}


def decided(world, level, indicator, child=None) -> Contact:
    contact = contact_record(
        by=world.sw_amy, child=child or world.child_sam, contact_date=DAY, source="2A",
        reason="Often hungry at school",
    )  # fmt: skip
    contact_decide(
        by=world.sw_amy, contact=contact, level=level, indicators=[indicator],
        rationale="Needs support", outcome=level.implied_outcome, decision_date=DAY,
    )  # fmt: skip
    return contact


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(queries([q["sql"] for q in captured.captured_queries]))


def events() -> int:
    return ChangeEvent.objects.count()


# --- The threshold of need -------------------------------------------------------------------


def test_a_changed_level_keeps_an_earlier_decision_in_its_words_and_a_new_one_gets_the_new(
    world, levels, client
):
    old = levels[2]
    old_words = old.name
    indicator = old.indicators.first()
    earlier = decided(world, old, indicator)

    client.force_login(world.admin_al)
    answer = client.post(
        "/administration/thresholds/2/change/",
        {"name": "Early help: extra support", "description": "Support from early help",
         "implied_outcome": "early_help"},
    )  # fmt: skip
    assert answer.status_code == 302 and answer.url == "/administration/thresholds/2/"
    assert "saved as a new version" in client.get(answer.url).content.decode()
    new = ThresholdLevel.objects.get(authority=world.authority, number=2, disabled_on=None)
    old.refresh_from_db()
    assert new.pk != old.pk and old.disabled_on == TODAY and old.name == old_words
    # Its indicators go with it: the same words, new rows; the old rows retired.
    assert list(new.indicators.values_list("text", flat=True)) == list(
        old.indicators.values_list("text", flat=True)
    )
    assert not old.indicators.filter(disabled_on=None).exists()

    # The earlier decision's page still shows the words it was made under.
    client.force_login(world.sw_amy)
    page = client.get(f"/contacts/{earlier.pk}/").content.decode()
    assert old_words in page and "Early help: extra support" not in page
    assert indicator.text in page

    # The front door offers the new version only, and a new decision takes it.
    later = contact_record(
        by=world.sw_amy, child=world.child_tom, contact_date=DAY, source="2A", reason="Worries"
    )
    form = client.get(f"/contacts/{later.pk}/decide/").content.decode()
    assert "Early help: extra support" in form and old.name not in form
    assert f'name="level" type="radio" value="{new.pk}"' in form
    assert f'name="level" type="radio" value="{old.pk}"' not in form
    assert f'type="checkbox" value="{indicator.pk}"' not in form
    new_indicator = new.indicators.get(text=indicator.text)
    client.post(
        f"/contacts/{later.pk}/decide/",
        {"level": new.pk, "indicators": [new_indicator.pk], "rationale": "Needs support",
         "outcome": "early_help", "manager": "", "manager_reason": "", "priority": "amber",
         "decision_date_day": DAY.day, "decision_date_month": DAY.month,
         "decision_date_year": DAY.year},
    )  # fmt: skip
    later.refresh_from_db()
    assert later.level == new and list(later.indicators.all()) == [new_indicator]
    earlier.refresh_from_db()
    assert earlier.level == old and list(earlier.indicators.all()) == [indicator]

    # The level's page shows both versions, the old one with the day it was retired; the
    # history names who changed it.
    client.force_login(world.admin_al)
    page = client.get("/administration/thresholds/2/").content.decode()
    assert old_words in page and f"Retired {TODAY:%-d %b %Y}" in page
    history = client.get("/administration/history/").content.decode()
    assert "Threshold level: Level 2: Early help: extra support" in history
    assert f"Name: {old_words} → –" not in history  # a new version is made, not overwritten
    assert "Disabled on: – → " in history and "disabled_on" not in history


def test_indicators_are_added_reworded_and_retired_and_decisions_keep_theirs(world, levels, client):
    level = levels[3]
    indicator = level.indicators.first()
    earlier = decided(world, level, indicator)
    client.force_login(world.admin_al)

    answer = client.post(
        f"/administration/thresholds/indicators/{indicator.pk}/",
        {"action": "reword", "text": "  Persistent   neglect of basic care "},
    )
    assert answer.status_code == 302
    indicator.refresh_from_db()
    assert indicator.disabled_on == TODAY
    reworded = level.indicators.get(disabled_on=None, text="Persistent neglect of basic care")
    earlier.refresh_from_db()
    assert list(earlier.indicators.all()) == [indicator]  # the old words

    client.post("/administration/thresholds/3/indicators/new/", {"text": "Young carer"})
    assert level.indicators.filter(disabled_on=None, text="Young carer").exists()
    client.post(f"/administration/thresholds/indicators/{reworded.pk}/", {"action": "retire"})
    reworded.refresh_from_db()
    assert reworded.disabled_on == TODAY
    # A retired indicator is not found any more; the front door no longer offers it.
    assert client.get(f"/administration/thresholds/indicators/{reworded.pk}/").status_code == 404
    client.force_login(world.sw_amy)
    later = contact_record(
        by=world.sw_amy, child=world.child_tom, contact_date=DAY, source="2A", reason="Worries"
    )
    form = client.get(f"/contacts/{later.pk}/decide/").content.decode()
    assert "Young carer" in form and "Persistent neglect of basic care" not in form
    kinds = set(
        ChangeEvent.objects.filter(
            target_type="referrals.thresholdindicator", user=world.admin_al
        ).values_list("verb", flat=True)
    )
    assert kinds == {"created", "ended"}


def test_a_levels_last_indicator_cannot_be_retired(world, client):
    level = ThresholdLevel.objects.create(
        authority=world.authority, number=1, name="Universal", implied_outcome="advice"
    )
    only = ThresholdIndicator.objects.create(level=level, text="Needs met by universal services")
    client.force_login(world.admin_al)
    before = events()
    answer = client.post(f"/administration/thresholds/indicators/{only.pk}/", {"action": "retire"})
    assert answer.status_code == 200
    assert "the level&#x27;s last indicator" in answer.content.decode()
    assert "govuk-error-summary" in answer.content.decode()
    only.refresh_from_db()
    assert only.disabled_on is None and events() == before


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/administration/thresholds/new/",
         {"number": "3", "name": "Again", "implied_outcome": "referral", "indicators": "x"},
         "There is already a level 3"),
        ("/administration/thresholds/new/",
         {"number": "0", "name": "Zero", "implied_outcome": "advice", "indicators": "x"},
         "from 1 to 20"),
        ("/administration/thresholds/new/",
         {"number": "three", "name": "Three", "implied_outcome": "advice", "indicators": "x"},
         "whole number"),
        ("/administration/thresholds/new/",
         {"number": "5", "name": "Five", "implied_outcome": "advice", "indicators": " \n "},
         "Enter at least one indicator"),
        ("/administration/thresholds/new/",
         {"number": "5", "name": "Five", "implied_outcome": "maybe", "indicators": "x"},
         "Select a valid choice"),
        ("/administration/thresholds/3/change/",
         {"name": "", "implied_outcome": "referral"}, "Enter the level&#x27;s name"),
        ("/administration/thresholds/3/change/",
         {"name": "x" * 101, "implied_outcome": "referral"}, "100"),
        ("/administration/thresholds/3/indicators/new/", {"text": ""}, "Enter the indicator"),
    ],
)  # fmt: skip
def test_bad_threshold_input_is_refused_with_a_message_and_changes_nothing(
    world, levels, client, url, data, message
):
    client.force_login(world.admin_al)
    rows, before = ThresholdLevel.objects.count(), events()
    indicators = ThresholdIndicator.objects.count()
    answer = client.post(url, data)
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page and message in page
    assert ThresholdLevel.objects.count() == rows and events() == before
    assert ThresholdIndicator.objects.count() == indicators


def test_an_unchanged_level_or_a_repeated_indicator_is_refused(world, levels, client):
    client.force_login(world.admin_al)
    level = levels[4]
    before = events()
    same = client.post(
        "/administration/thresholds/4/change/",
        {"name": level.name, "description": level.description,
         "implied_outcome": level.implied_outcome},
    )  # fmt: skip
    assert "Nothing was changed" in same.content.decode()
    first = level.indicators.first()
    repeat = client.post("/administration/thresholds/4/indicators/new/", {"text": first.text})
    assert "already has that indicator" in repeat.content.decode()
    assert events() == before


def test_an_administrator_adds_a_level_and_finds_only_their_authoritys(world, client):
    client.force_login(world.admin_al)
    answer = client.post(
        "/administration/thresholds/new/",
        {"number": "5", "name": "Looked after", "description": "In care",
         "implied_outcome": "referral", "indicators": "Parent unable to care\n\nAbandoned\n"},
    )  # fmt: skip
    assert answer.status_code == 302 and answer.url == "/administration/thresholds/5/"
    level = ThresholdLevel.objects.get(authority=world.authority, number=5)
    assert list(level.indicators.values_list("text", flat=True)) == [
        "Parent unable to care",
        "Abandoned",
    ]
    assert (
        ChangeEvent.objects.get(
            target_type="referrals.thresholdlevel", target_id=str(level.pk)
        ).user
        == world.admin_al
    )
    assert "Level 5: Looked after" in client.get("/administration/thresholds/").content.decode()
    # Another authority's level, or none, is not found; nor is it listed.
    theirs = ThresholdLevel.objects.create(
        authority=world.other_authority, number=7, name="Theirs", implied_outcome="advice"
    )
    other = ThresholdIndicator.objects.create(level=theirs, text="Their indicator")
    for url in ("/administration/thresholds/7/", "/administration/thresholds/7/change/",
                "/administration/thresholds/9/",
                f"/administration/thresholds/indicators/{other.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404
    assert "Theirs" not in client.get("/administration/thresholds/").content.decode()


def test_threshold_changes_are_refused_to_everyone_else(world, levels, client):
    indicator = levels[3].indicators.first()
    before = events()
    for name in OTHERS:
        client.force_login(getattr(world, name))
        for url, data in (
            ("/administration/thresholds/3/change/", {"name": "X", "implied_outcome": "advice"}),
            ("/administration/thresholds/new/", {"number": "6", "name": "X",
                                                 "implied_outcome": "advice", "indicators": "x"}),
            (f"/administration/thresholds/indicators/{indicator.pk}/", {"action": "retire"}),
        ):  # fmt: skip
            assert client.post(url, data).status_code == 403
    # Another authority's administrator would not find this authority's levels: the pages
    # read the administrator's own authority only.
    assert events() == before


def test_the_threshold_pages_make_a_fixed_number_of_queries(world, levels, client):
    client.force_login(world.admin_al)
    kept = levels[3].indicators.last()
    urls = (
        "/administration/thresholds/",
        "/administration/thresholds/3/",
        "/administration/thresholds/new/",
        "/administration/thresholds/3/change/",
        "/administration/thresholds/3/indicators/new/",
    )
    few = {url: count(client, url) for url in urls}
    indicator_page = count(client, f"/administration/thresholds/indicators/{kept.pk}/")
    for n in range(4):
        client.post(
            "/administration/thresholds/3/change/",
            {"name": f"Child in need, version {n}", "implied_outcome": "referral"},
        )
        client.post("/administration/thresholds/3/indicators/new/", {"text": f"Worry {n}"})
        client.post(
            "/administration/thresholds/new/",
            {"number": str(6 + n), "name": f"Level {n}", "implied_outcome": "advice",
             "indicators": "a\nb\nc"},
        )  # fmt: skip
    assert ThresholdLevel.objects.filter(number=3).count() == 5
    assert {url: count(client, url) for url in urls} == few
    # The same words under the level's newest version.
    kept = ThresholdIndicator.objects.get(level__number=3, disabled_on=None, text=kept.text)
    assert count(client, f"/administration/thresholds/indicators/{kept.pk}/") == indicator_page


# --- Local standards and the rule set --------------------------------------------------------


def standards_data(authority: LocalAuthority, **changes) -> dict:
    from safeguard.timescales.services import STANDARDS

    data = {name: getattr(authority, name) for name in ("rule_set", *STANDARDS)}
    return data | changes


def see_the_child(case) -> date:
    return DueEntry.objects.get(case=case, rule_id="referral_child_seen").due_date


def test_changing_referral_seen_moves_an_open_cases_see_the_child_date(world, client):
    case = open_case(world, received=DAY)
    assert see_the_child(case) == add_working_days(DAY, world.authority.referral_seen_wd)
    client.force_login(world.admin_al)
    answer = client.post(
        "/administration/standards/", standards_data(world.authority, referral_seen_wd=12)
    )
    assert answer.status_code == 302 and answer.url == "/administration/standards/"
    world.authority.refresh_from_db()
    assert world.authority.referral_seen_wd == 12
    assert see_the_child(case) == add_working_days(DAY, 12)
    event = ChangeEvent.objects.get(target_type="accounts.localauthority", user=world.admin_al)
    assert (event.before["referral_seen_wd"], event.after["referral_seen_wd"]) == (5, 12)
    history = client.get("/administration/history/").content.decode()
    assert "Authority settings: Testshire Borough" in history
    # As the form calls the field, not by its internal name.
    assert "Referrals: working days from the decision to seeing the child: 5 → 12" in history
    assert "referral_seen_wd" not in history


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"referral_seen_wd": "0"}, "from 1 to 20"),
        ({"referral_seen_wd": "21"}, "from 1 to 20"),
        ({"referral_seen_wd": "five"}, "from 1 to 20"),
        ({"referral_seen_wd": "2.5"}, "from 1 to 20"),
        ({"referral_seen_wd": ""}, "Enter referrals: working days"),
        ({"cin_plan_review_months": "13"}, "from 1 to 12"),
        ({"rule_set": "wt2099"}, "Select a valid choice"),
    ],
)
def test_bad_standards_are_refused_with_a_message_and_nothing_is_saved(
    world, client, changes, message
):
    case = open_case(world, received=DAY)
    due = see_the_child(case)
    client.force_login(world.admin_al)
    # A valid change beside the bad one is not saved either.
    data = standards_data(world.authority, cin_visit_interval_wd=30, **changes)
    answer = client.post("/administration/standards/", data)
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page and message in page
    world.authority.refresh_from_db()
    assert world.authority.cin_visit_interval_wd == 20 and world.authority.referral_seen_wd == 5
    assert see_the_child(case) == due
    assert not ChangeEvent.objects.filter(target_type="accounts.localauthority").exists()


def test_standards_are_refused_to_everyone_else(world, client):
    for name in OTHERS:
        client.force_login(getattr(world, name))
        answer = client.post(
            "/administration/standards/", standards_data(world.authority, referral_seen_wd=9)
        )
        assert answer.status_code == 403
    world.authority.refresh_from_db()
    assert world.authority.referral_seen_wd == 5


# --- Retention rules -----------------------------------------------------------------------------


def test_an_administrator_changes_a_retention_period_and_the_history_shows_it(world, client):
    client.force_login(world.admin_al)
    page = client.get("/administration/retention/").content.decode()
    assert "35 years after the last contact or closure" in page
    answer = client.post("/administration/retention/child_protection/", {"years": "40"})
    assert answer.status_code == 302 and answer.url == "/administration/retention/"
    assert retention.rules_for(world.authority.pk)["child_protection"].years == 40
    assert (
        "40 years after the last contact"
        in client.get("/administration/retention/").content.decode()
    )
    rule = RetentionRule.objects.get(authority=world.authority, record_type="child_protection")
    event = ChangeEvent.objects.get(target_type="privacy.retentionrule", target_id=str(rule.pk))
    assert event.user == world.admin_al and event.after["years"] == 40
    answer = client.post(
        "/administration/retention/looked_after/", {"years": "80", "years_after_death": "20"}
    )
    assert answer.status_code == 302
    looked_after = retention.rules_for(world.authority.pk)["looked_after"]
    assert (looked_after.years, looked_after.years_after_death) == (80, 20)
    # Saving the same again writes nothing.
    before = events()
    client.post("/administration/retention/child_protection/", {"years": "40"})
    assert events() == before
    history = client.get("/administration/history/").content.decode()
    assert "Retention rule: Child protection: 40 years" in history


@pytest.mark.parametrize(
    ("record_type", "data", "message"),
    [
        ("child_protection", {"years": "0"}, "between 1 and 150 years"),
        ("child_protection", {"years": "151"}, "between 1 and 150 years"),
        ("child_protection", {"years": "forever"}, "whole number"),
        ("child_protection", {"years": ""}, "Enter the number of years"),
        ("looked_after", {"years": "75", "years_after_death": "-1"}, "between 1 and 150"),
    ],
)
def test_bad_retention_periods_are_refused_and_change_nothing(
    world, client, record_type, data, message
):
    client.force_login(world.admin_al)
    before = events()
    answer = client.post(f"/administration/retention/{record_type}/", data)
    page = answer.content.decode()
    assert answer.status_code == 200 and "govuk-error-summary" in page and message in page
    assert not RetentionRule.objects.filter(authority=world.authority).exists()
    assert events() == before
    assert client.get("/administration/retention/no_such_type/").status_code == 404


def test_retention_rules_are_refused_to_everyone_else(world, client):
    for name in OTHERS:
        client.force_login(getattr(world, name))
        answer = client.post("/administration/retention/child_protection/", {"years": "1"})
        assert answer.status_code == 403
    assert not RetentionRule.objects.exists()


def test_the_settings_pages_and_the_history_make_a_fixed_number_of_queries(world, client):
    from safeguard.accounts import services as accounts

    client.force_login(world.admin_al)
    # One change of each kind the history names (one query each for their names) to start.
    accounts.agency_create(
        by=world.admin_al, authority=world.authority, name="Northby Youth Service", kind="voluntary"
    )
    accounts.team_update(world.team_b, by=world.admin_al, manager=world.tm_carol)
    accounts.end_sessions(world.sw_ben, by=world.admin_al, reason="test")
    client.post("/administration/thresholds/new/", {
        "number": "1", "name": "Universal", "implied_outcome": "advice", "indicators": "a\nb"})  # fmt: skip
    client.post("/administration/retention/documents/", {"years": "4"})
    client.post("/administration/standards/", standards_data(world.authority, referral_seen_wd=6))
    world.authority.refresh_from_db()
    urls = (
        "/administration/standards/",
        "/administration/retention/",
        "/administration/retention/looked_after/",
        "/administration/history/",
        "/administration/staff/new/",
    )
    few = {url: count(client, url) for url in urls}
    for n in range(3):
        client.post("/administration/retention/child_protection/", {"years": str(30 + n)})
        client.post(
            "/administration/standards/", standards_data(world.authority, referral_seen_wd=7 + n)
        )
        world.authority.refresh_from_db()
        client.post("/administration/thresholds/1/indicators/new/", {"text": f"Worry {n}"})
        client.post("/administration/retention/looked_after/", {"years": str(70 + n)})
        Agency.objects.create(
            authority=world.authority, name=f"Northby School {n}", kind=AgencyKind.EDUCATION
        )
    assert ChangeEvent.objects.filter(target_type="accounts.localauthority").count() == 4
    assert {url: count(client, url) for url in urls} == few


# --- Adding a staff account ----------------------------------------------------------------------


def test_an_administrator_adds_an_account_and_bad_input_adds_nothing(world, client):
    client.force_login(world.admin_al)
    data = {
        "username": "jo.new", "first_name": "Jo", "last_name": "Newton",
        "email": "jo.newton@example.org", "job_title": "Social worker",
        "agency": world.csc.pk, "role": "social_worker",
    }  # fmt: skip
    answer = client.post("/administration/staff/new/", data)
    made = User.objects.get(username="jo.new")
    assert answer.status_code == 302 and answer.url == f"/administration/staff/{made.pk}/"
    assert (made.agency, made.role, made.has_usable_password()) == (
        world.csc,
        "social_worker",
        False,
    )
    event = ChangeEvent.objects.get(target_type="accounts.user", target_id=str(made.pk))
    assert event.user == world.admin_al and event.verb == "created"
    assert f"Account: {made}" in client.get("/administration/history/").content.decode()

    other = Agency.objects.create(
        authority=world.other_authority, name="Elsewhere", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    accounts, before = User.objects.count(), events()
    for changes, message in (
        ({}, "There is already an account called jo.new"),
        ({"username": "jo new"}, "letters, digits"),
        ({"username": "jo2", "email": "not-an-email"}, "Enter an email address"),
        ({"username": "jo2", "agency": other.pk}, "Choose one of the authority"),
        ({"username": "jo2", "role": "emperor"}, "Select a valid choice"),
        ({"username": "jo2", "first_name": ""}, "Enter the given name"),
    ):
        refused = client.post("/administration/staff/new/", data | changes)
        page = refused.content.decode()
        assert refused.status_code == 200 and "govuk-error-summary" in page and message in page
    assert User.objects.count() == accounts and events() == before

    client.force_login(world.sm_dan)
    assert client.post("/administration/staff/new/", data | {"username": "x"}).status_code == 403
    assert User.objects.count() == accounts
