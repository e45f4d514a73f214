"""Save-time recheck: saving a record rechecks its child after the commit; checking never
makes a save fail."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safeguard.casework.models import Visit
from safeguard.quality import services
from safeguard.quality.models import QualityIssue
from safeguard.quality.tests import build

pytestmark = pytest.mark.django_db


def _rules(kid):
    return set(QualityIssue.objects.filter(person=kid).values_list("rule", flat=True))


def test_saving_a_bad_record_raises_an_issue_and_fixing_it_clears_it(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    # Each block is one committed transaction (a test runs in one transaction, so what is
    # saved outside a block is never committed, and its recheck never runs).
    with django_capture_on_commit_callbacks(execute=True):
        kid = build.child(world)
        c = build.case(world, kid, referred=today - timedelta(days=3), worker=world.sw_amy)
    assert "SG05" not in _rules(kid)
    with django_capture_on_commit_callbacks(execute=True):
        v = build.visit(world, c, today - timedelta(days=4))
    assert "SG05" in _rules(kid)
    with django_capture_on_commit_callbacks(execute=True):
        v.visit_date = today - timedelta(days=2)
        v.save()
    assert "SG05" not in _rules(kid)


def test_deleting_the_bad_record_clears_its_issue(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        kid = build.child(world)
        c = build.case(world, kid, referred=today - timedelta(days=3), worker=world.sw_amy)
        v = build.visit(world, c, today + timedelta(days=1))
    assert "SG07" in _rules(kid)
    with django_capture_on_commit_callbacks(execute=True):
        v.delete()
    assert "SG07" not in _rules(kid)


def test_many_saves_in_one_transaction_check_the_child_once(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        kid = build.child(world)
        c = build.case(world, kid, referred=today - timedelta(days=3), worker=world.sw_amy)
        build.visit(world, c, today)
        build.visit(world, c, today - timedelta(days=1))
    assert len([cb for cb in callbacks if getattr(cb, "person_id", None) == kid.pk]) == 1


def test_a_failing_check_never_makes_the_save_fail(
    world, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """Fault injection: the rules blow up; the save still stands and the failure is logged."""

    def broken(person, today):
        raise RuntimeError("rule bug")

    monkeypatch.setattr(services, "own_findings", broken)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        kid = build.child(world)
        c = build.case(world, kid, referred=today, worker=world.sw_amy)
        v = build.visit(world, c, today - timedelta(days=9))
    assert Visit.objects.filter(pk=v.pk).exists()
    assert "Data-quality check of person" in caplog.text


def test_a_record_full_of_errors_saves(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        kid = build.child(
            world,
            date_of_birth=date(2016, 5, 5),
            date_of_death=date(2016, 5, 4),
            la_child_id=None,
            ethnicity="ZZZZ",
        )
        c = build.case(world, kid, referred=today - timedelta(days=30))
        build.visit(world, c, today - timedelta(days=40))
    assert {"SG02", "SG04", "SG05", "SG08"} <= _rules(kid)


def test_authorising_an_assessment_clears_the_missing_primary_need_at_once(
    world, django_capture_on_commit_callbacks
):
    """Issue 11 item 14. Authorising writes the case's primary need with the conditional
    UPDATE of ``save_versioned``, which sends no ``post_save``: the recheck must still run
    in that transaction, so the 8610 error is gone on the very next page."""
    from safeguard.assessments.services import (
        assessment_authorise,
        assessment_record_seen,
        assessment_start,
        assessment_submit,
    )
    from safeguard.casework.models import Case

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        kid = build.child(world)
        c = build.case(world, kid, referred=today - timedelta(days=5), worker=world.sw_amy)
        # A case opened before the front door asked for the primary need.
        Case.objects.filter(pk=c.pk).update(primary_need="")
        c.refresh_from_db()
        a = assessment_start(
            by=world.sw_amy, case=c, kind="single", start_date=today - timedelta(days=4)
        )
        assessment_record_seen(
            by=world.sw_amy, assessment=a, child_seen_date=today, child_seen_alone=True
        )
        written = {
            "developmental_needs": "Often hungry.",
            "parenting_capacity": "Routines have broken down.",
            "family_environment": "Rent arrears.",
            "history": "Two school contacts.",
            "wishes_and_feelings": "“I'm hungry at school.”",
            "analysis": "Neglect of basic care.",
            "recommendation": "A child in need plan.",
        }
        assessment_submit(
            by=world.sw_amy,
            assessment=a,
            factors=["16A"],
            primary_need="N1",
            outcome="cin_plan",
            **written,
        )
    assert "CIN 8610" in _rules(kid)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_authorise(by=world.tm_carol, assessment=a, decision="agree", decided_on=today)
    assert Case.objects.get(pk=c.pk).primary_need == "N1"
    assert "CIN 8610" not in _rules(kid)


def test_every_service_write_rechecks_the_child(world, django_capture_on_commit_callbacks):
    """The hook is the change event every service writes, not one model's save: closing a
    case (a conditional UPDATE of the case and its allocation) rechecks the child too."""
    from safeguard.testing.decisions import close_case as case_close

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        kid = build.child(world)
        c = build.case(world, kid, referred=today - timedelta(days=20))
    # Open with nobody allocated for more than 5 days (SG02).
    assert "SG02" in _rules(kid)
    with django_capture_on_commit_callbacks(execute=True):
        case_close(by=world.sw_amy, case=c, closure_date=today, reason="RC7")
    assert "SG02" not in _rules(kid)


def test_a_new_case_from_the_front_door_shows_no_missing_primary_need(
    world, client, django_capture_on_commit_callbacks
):
    """Issue 11 item 14: a referral that goes on to an assessment records the working primary
    need, so the brand-new case shows no red 8610 error."""
    from safeguard.casework.models import Case

    client.force_login(world.sw_amy)
    today = timezone.localdate()
    data = {"source": "6", "decision": "assessment", "primary_need": "N4", "priority": "green"}
    for field in ("received_date", "decision_date"):
        data |= {f"{field}_day": today.day, f"{field}_month": today.month}
        data[f"{field}_year"] = today.year
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/{world.child_tom.pk}/referrals/new/", data)
    assert response.status_code == 302
    assert Case.objects.get(child=world.child_tom).primary_need == "N4"
    assert "CIN 8610" not in _rules(world.child_tom)
    assert "8610" not in client.get(response["Location"]).content.decode()
