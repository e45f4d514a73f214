"""Retention: the rules at their edges, legal holds, the report page and the command."""

import csv
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.casework.models import Case
from safeguard.cli import command_argv
from safeguard.core.errors import ApplicationError
from safeguard.partners.tests.lookups import sam_looked_after
from safeguard.people.models import Person
from safeguard.privacy import retention
from safeguard.privacy.models import LegalHold, RecordType, RetentionRule, add_months, add_years
from safeguard.privacy.retention import DEFAULT_RULES, Facts, gather_facts, governing, outcomes
from safeguard.privacy.services import legal_hold_lift, legal_hold_place, record_mark_add
from safeguard.protection.models import ChildProtectionPlan


def test_add_months_counts_to_the_same_date_or_the_month_end():
    assert add_months(date(2025, 1, 15), 1) == date(2025, 2, 15)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_leap_day_birthdays():
    born = date(2008, 2, 29)
    assert add_years(born, 18) == date(2026, 2, 28)  # 2026 has no 29 February
    assert add_years(born, 16) == date(2024, 2, 29)
    assert add_years(born, 75) == date(2083, 2, 28)
    assert add_years(born, 76) == date(2084, 2, 29)


def _out(facts):
    return governing(outcomes(facts, dict(DEFAULT_RULES)))


def test_looked_after_child_is_kept_until_the_75th_birthday():
    o = _out(Facts(date_of_birth=date(2010, 6, 1), marks={RecordType.LOOKED_AFTER: None}))
    assert o.rule.record_type == RecordType.LOOKED_AFTER
    assert o.review_date == date(2085, 6, 1)


def test_looked_after_child_who_died_before_18_is_kept_15_years_after_death():
    facts = Facts(
        date_of_birth=date(2010, 6, 1),
        date_of_death=date(2028, 5, 31),  # the day before the 18th birthday
        marks={RecordType.LOOKED_AFTER: None},
    )
    assert _out(facts).review_date == date(2043, 5, 31)
    # On the 18th birthday itself the child is no longer under 18: the 75th birthday applies.
    facts.date_of_death = date(2028, 6, 1)
    assert _out(facts).review_date == date(2085, 6, 1)


def test_adoption_is_kept_100_years_from_the_order_and_the_latest_rule_wins():
    facts = Facts(
        date_of_birth=date(2010, 6, 1),
        marks={RecordType.ADOPTION: date(2012, 3, 1), RecordType.CARE_LEAVER: None},
    )
    found = outcomes(facts, dict(DEFAULT_RULES))
    assert {o.rule.record_type: o.review_date for o in found} == {
        RecordType.ADOPTION: date(2112, 3, 1),
        RecordType.CARE_LEAVER: date(2085, 6, 1),
    }
    assert governing(found).rule.record_type == RecordType.ADOPTION


def test_child_in_need_is_kept_three_years_after_the_18th_birthday_or_last_contact():
    facts = Facts(date_of_birth=date(2008, 2, 29), has_case=True, last_contact=date(2020, 1, 1))
    assert _out(facts).review_date == date(2029, 2, 28)  # 18th birthday 28 Feb 2026, + 3 years
    facts.last_contact = date(2027, 5, 5)  # worked with after 18
    assert _out(facts).review_date == date(2030, 5, 5)
    facts.has_open_case = True
    assert _out(facts).review_date is None


def test_child_protection_is_kept_35_years_after_the_last_contact():
    facts = Facts(
        date_of_birth=date(2000, 1, 1), has_case=True, child_protection=True,
        last_contact=date(2010, 4, 30),
    )  # fmt: skip
    o = _out(facts)
    assert o.rule.record_type == RecordType.CHILD_PROTECTION
    assert o.review_date == date(2045, 4, 30)


@pytest.fixture
def closed_cp_child(world):
    """Tom Jones: a child protection case closed on 30 April 2010; born 5 November 1992."""
    tom = world.child_tom
    Person.objects.filter(pk=tom.pk).update(date_of_birth=date(1992, 11, 5))
    case = Case.objects.create(
        child=tom, authority=tom.authority, referral_date=date(2009, 1, 10),
        referral_source="6", closure_date=date(2010, 4, 30), closure_reason="RC8",
    )  # fmt: skip
    ChildProtectionPlan.objects.create(
        case=case, start_date=date(2009, 2, 1), end_date=date(2010, 3, 1),
        initial_category="NEG", latest_category="NEG", end_reason="risk_reduced",
    )  # fmt: skip
    return tom


@pytest.mark.django_db
def test_report_includes_the_record_exactly_on_its_review_date(world, closed_cp_child):
    la = world.child_tom.authority_id
    before = retention.report(authority_id=la, as_at=date(2045, 4, 29))
    assert closed_cp_child not in [r.person for r in before.due]
    on = retention.report(authority_id=la, as_at=date(2045, 4, 30))
    row = next(r for r in on.due if r.person == closed_cp_child)
    assert row.outcome.rule.record_type == RecordType.CHILD_PROTECTION
    assert row.outcome.review_date == date(2045, 4, 30)


@pytest.mark.django_db
def test_an_authority_can_change_a_rule(world, closed_cp_child):
    RetentionRule.objects.create(
        authority_id=closed_cp_child.authority_id, record_type=RecordType.CHILD_PROTECTION, years=25
    )
    rep = retention.report(authority_id=closed_cp_child.authority_id, as_at=date(2035, 4, 30))
    assert [r.person for r in rep.due] == [closed_cp_child]
    assert rep.rules[RecordType.CHILD_PROTECTION].years == 25


@pytest.mark.django_db
def test_a_legal_hold_moves_the_record_aside_until_lifted(world, closed_cp_child):
    la, day = closed_cp_child.authority_id, date(2046, 1, 1)
    hold = legal_hold_place(
        by=world.sm_dan, person=closed_cp_child, reason="Inquiry", placed_on=date(2015, 3, 1)
    )
    rep = retention.report(authority_id=la, as_at=day)
    assert [r.person for r in rep.due] == []
    assert [r.person for r in rep.held] == [closed_cp_child]
    legal_hold_lift(by=world.sm_dan, hold=hold, reason="Inquiry ended", lifted_on=date(2023, 7, 1))
    rep = retention.report(authority_id=la, as_at=day)
    assert [r.person for r in rep.due] == [closed_cp_child]
    assert rep.held == []
    # The hold's history is kept: placed and lifted, by whom and why.
    hold.refresh_from_db()
    assert (hold.lifted_on, hold.lifted_by, hold.lift_reason) == (
        date(2023, 7, 1), world.sm_dan, "Inquiry ended",
    )  # fmt: skip
    verbs = ChangeEvent.objects.filter(target_type="privacy.legalhold").values_list(
        "verb", flat=True
    )
    assert sorted(verbs) == ["created", "ended"]
    # As at a date while it was in force, it is still held.
    assert [r.person for r in retention.report(authority_id=la, as_at=date(2023, 6, 30)).held] == []


@pytest.mark.django_db
def test_hold_rules(world):
    with pytest.raises(ApplicationError):
        legal_hold_place(
            by=world.sm_dan, person=world.child_sam, reason="  ", placed_on=date(2025, 1, 1)
        )
    hold = legal_hold_place(
        by=world.sm_dan, person=world.child_sam, reason="R", placed_on=date(2025, 1, 1)
    )
    with pytest.raises(ApplicationError):
        legal_hold_lift(by=world.sm_dan, hold=hold, reason="x", lifted_on=date(2024, 12, 31))
    with pytest.raises(ApplicationError):
        legal_hold_lift(by=world.sm_dan, hold=hold, reason="", lifted_on=date(2025, 2, 1))
    legal_hold_lift(by=world.sm_dan, hold=hold, reason="x", lifted_on=date(2025, 2, 1))
    with pytest.raises(ApplicationError):
        legal_hold_lift(by=world.sm_dan, hold=hold, reason="again", lifted_on=date(2025, 2, 2))
    assert LegalHold.objects.count() == 1


@pytest.mark.django_db
def test_adoption_mark_needs_its_order_date(world):
    with pytest.raises(ApplicationError):
        record_mark_add(by=world.sm_dan, person=world.child_sam, record_type=RecordType.ADOPTION)
    record_mark_add(
        by=world.sm_dan, person=world.child_sam, record_type=RecordType.ADOPTION,
        order_date=date(2016, 1, 1),
    )  # fmt: skip
    found, deciding = retention.person_outcomes(world.child_sam)
    assert deciding.review_date == date(2116, 1, 1)


@pytest.mark.django_db
def test_report_page_and_csv(world, client, closed_cp_child):
    client.force_login(world.sm_dan)
    url = reverse("privacy:retention-report") + "?as_at_day=1&as_at_month=1&as_at_year=2046"
    response = client.get(url)
    assert response.status_code == 200
    assert "Tom Jones" in response.content.decode()
    assert AccessEvent.objects.filter(person_id=closed_cp_child.pk, user=world.sm_dan).exists()
    response = client.get(
        reverse("privacy:retention-report-csv") + "?as_at_day=1&as_at_month=1&as_at_year=2046"
    )
    rows = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
    assert rows[0] == retention.REPORT_HEADER
    assert (
        rows[1][1] == "Tom Jones"
        and rows[1][3] == "Child protection"
        and rows[1][5] == "2045-04-30"
    )
    response = client.get(
        reverse("privacy:retention-report") + "?as_at_day=31&as_at_month=2&as_at_year=2026"
    )
    assert response.status_code == 200 and "must be a real date" in response.content.decode()


@pytest.mark.django_db
def test_person_retention_pages(world, client, closed_cp_child):
    client.force_login(world.sm_dan)
    url = reverse("privacy:hold-place", kwargs={"person_id": closed_cp_child.pk})
    response = client.post(
        url, {"reason": "", "placed_on_day": "1", "placed_on_month": "1", "placed_on_year": "2020"}
    )
    assert (
        response.status_code == 200
        and "Enter why the record must be kept" in response.content.decode()
    )
    response = client.post(
        url,
        {
            "reason": "Inquiry",
            "placed_on_day": "1",
            "placed_on_month": "1",
            "placed_on_year": "2020",
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    page = client.get(reverse("privacy:person-retention", kwargs={"person_id": closed_cp_child.pk}))
    assert "In force" in page.content.decode() and "2045" in page.content.decode()
    lift = reverse(
        "privacy:hold-lift", kwargs={"person_id": closed_cp_child.pk, "hold_id": hold.pk}
    )
    response = client.post(
        lift,
        {
            "lift_reason": "Ended",
            "lifted_on_day": "2",
            "lifted_on_month": "1",
            "lifted_on_year": "2020",
        },
    )
    assert response.status_code == 302
    assert client.get(lift).status_code == 404  # a lifted hold cannot be lifted again


@pytest.mark.django_db
def test_retention_report_command(world, closed_cp_child, tmp_path, capsys):
    legal_hold_place(
        by=world.sm_dan, person=world.child_sam, reason="Inquiry", placed_on=date(2020, 1, 1)
    )
    sam_case = Case.objects.create(
        child=world.child_sam, authority=world.child_sam.authority, referral_date=date(2020, 1, 1),
        referral_source="6", closure_date=date(2020, 2, 1), closure_reason="RC8",
    )  # fmt: skip
    assert sam_case.pk
    out = tmp_path / "review.csv"
    call_command(
        "retention_report", "--as-at", "2046-01-01", "--csv", str(out), "--authority-code", "991"
    )
    text = capsys.readouterr().out
    assert "Due for review: 1" in text and "Tom Jones" in text
    assert "Under a legal hold (not for review): 1" in text and "Sam Smith" in text
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert [r[1] for r in rows[1:]] == ["Tom Jones", "Sam Smith"]
    assert "Inquiry" in rows[2][7]
    # The command's reads are logged, as the command-line account.
    assert AccessEvent.objects.filter(
        person_id=closed_cp_child.pk, route="command retention-report"
    ).exists()


@pytest.mark.django_db
def test_retention_report_command_through_the_safeguard_cli(world, closed_cp_child, capsys):
    from django.core.management import ManagementUtility

    # ``safeguard retention-report`` finds the command by its hyphenated name. (Running it
    # through ``run_from_argv`` would close the test's database connection.)
    command = ManagementUtility(["safeguard"]).fetch_command(command_argv(["retention-report"])[0])
    assert command.__module__ == "safeguard.privacy.management.commands.retention_report"
    call_command(
        "retention_report", "--as-at", "2046-01-01", "--authority-code", "991", "--by", "dan"
    )
    assert "Tom Jones" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("retention_report", "--as-at", "31/12/2046", "--authority-code", "991")
    with pytest.raises(CommandError):
        call_command("retention_report", "--by", "amy")


@pytest.mark.django_db
def test_retention_rules_command_changes_a_local_rule_with_history(world, capsys):
    call_command("retention_rules", "--set", "child_protection=25", "--authority-code", "991")
    out = capsys.readouterr().out
    assert "child_protection: 25 years after the last contact or closure" in out
    assert "looked_after: until the 75th birthday; 15 years after death" in out
    assert retention.rules_for(world.authority.pk)[RecordType.CHILD_PROTECTION].years == 25
    assert ChangeEvent.objects.filter(target_type="privacy.retentionrule").count() == 1
    for bad in ("child_protection=0", "nonsense=5", "child_protection=x"):
        with pytest.raises(CommandError):
            call_command("retention_rules", "--set", bad, "--authority-code", "991")
    assert retention.rules_for(world.authority.pk)[RecordType.CHILD_PROTECTION].years == 25


@pytest.mark.django_db
def test_a_looked_after_child_with_a_leap_day_birthday_is_due_on_28_february(world):
    person = world.outsider  # another authority's child: the report is per authority
    Person.objects.filter(pk=person.pk).update(date_of_birth=date(2004, 2, 29))
    record_mark_add(by=world.sm_dan, person=person, record_type=RecordType.LOOKED_AFTER)
    la = person.authority_id
    assert retention.report(authority_id=la, as_at=date(2079, 2, 27)).due == []
    due = retention.report(authority_id=la, as_at=date(2079, 2, 28)).due
    assert [(r.person, r.outcome.review_date) for r in due] == [(person, date(2079, 2, 28))]
    # The authority's own report does not list another authority's people.
    assert retention.report(authority_id=world.authority.pk, as_at=date(2079, 3, 1)).due == []


@pytest.mark.django_db
def test_a_period_of_care_marks_the_child_as_looked_after(world):
    """A child with a period of care on a case (decision 0076) is kept as a looked-after child,
    with no mark made by hand; a child without one is not."""
    sam_looked_after(world, start=date(2025, 3, 3), end=date(2025, 5, 5))
    facts = gather_facts(Person.objects.filter(pk__in=[world.child_sam.pk, world.child_tom.pk]))
    assert RecordType.LOOKED_AFTER in facts[world.child_sam.pk].marks
    assert RecordType.LOOKED_AFTER not in facts[world.child_tom.pk].marks
