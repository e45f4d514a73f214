"""``safeguard check-quality``: the bulk check over the database."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from safeguard.casework.models import Visit
from safeguard.quality.models import QualityIssue
from safeguard.quality.tests import build

pytestmark = pytest.mark.django_db


def test_check_quality_finds_and_clears_errors(world):
    today = timezone.localdate()
    good, bad = build.child(world), build.child(world)
    build.case(world, good, referred=today - timedelta(days=10), worker=world.sw_amy)
    c = build.case(world, bad, referred=today - timedelta(days=10), worker=world.sw_ben,
                   team=world.team_b)  # fmt: skip
    # Made without signals (as an import would): only the bulk check finds it.
    Visit.objects.bulk_create(
        [Visit(case=c, kind="cp", visit_date=today - timedelta(days=11), worker=world.sw_ben,
               child_seen=True)]  # fmt: skip
    )
    assert not QualityIssue.objects.exists()
    out = StringIO()
    call_command("check_quality", authority_code=world.authority.dfe_la_code, stdout=out)
    issue = QualityIssue.objects.get(rule="SG05")
    assert issue.person == bad and issue.worker == world.sw_ben and issue.team == world.team_b
    assert not QualityIssue.objects.filter(person=good).exists()
    assert f"({world.authority.dfe_la_code}):" in out.getvalue()
    assert "1 errors on 1 children; 0 queries on 0 children" in out.getvalue()

    Visit.objects.filter(case=c).update(visit_date=today - timedelta(days=1))
    call_command("check_quality", stdout=StringIO())
    assert not QualityIssue.objects.filter(rule="SG05").exists()


def test_check_quality_drops_issues_of_children_with_no_case_any_more(world):
    kid = build.child(world)
    QualityIssue.objects.create(
        authority=world.authority, person=kid, rule="SG04", severity="error", message="x",
        record_type="people.person", record_id=kid.pk, first_seen=timezone.now(),
        last_checked=timezone.now(),
    )  # fmt: skip
    call_command("check_quality", authority_code=world.authority.dfe_la_code, stdout=StringIO())
    assert not QualityIssue.objects.filter(person=kid).exists()


def test_check_quality_unknown_authority(world):
    with pytest.raises(CommandError, match="No authority has the DfE LA code 999"):
        call_command("check_quality", authority_code="999", stdout=StringIO())


def test_check_quality_the_command_line_name(world):
    from safeguard.cli import command_argv

    assert command_argv(["check-quality", "--authority-code", "1"])[0] == "check_quality"
    assert date.today()  # the console name maps to this command


def test_check_quality_counts_queries_apart(world):
    kid = build.child(world, upn=None)  # of school age with no pupil number: query 8770Q
    build.case(world, kid, referred=timezone.localdate() - timedelta(days=10), worker=world.sw_amy)
    out = StringIO()
    call_command("check_quality", authority_code=world.authority.dfe_la_code, stdout=out)
    assert "0 errors on 0 children; 1 queries on 1 children" in out.getvalue()
