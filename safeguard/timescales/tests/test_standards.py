"""Changing the rule set or a local standard changes every due date at once."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.audit.models import ChangeEvent
from safeguard.casework import services as casework
from safeguard.testing.journey import open_case
from safeguard.timescales.engine import case_timescales

pytestmark = pytest.mark.django_db


def _cin_visit_due(case, on):
    return next(i.due_date for i in case_timescales(case, on=on) if i.rule.id == "cin_visit")


def test_a_new_local_standard_moves_the_due_date_and_is_audited(world):
    case = open_case(world, received=date(2025, 3, 3))
    casework.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 3, 3))
    assert _cin_visit_due(case, date(2025, 3, 4)) == date(2025, 3, 31)  # 20 working days
    out = StringIO()
    call_command("timescale_standards", authority_code="991", cin_visit_interval_wd=10, stdout=out)
    case.refresh_from_db()
    assert _cin_visit_due(case, date(2025, 3, 4)) == date(2025, 3, 17)
    assert "cin_visit_interval_wd: 10" in out.getvalue()
    event = ChangeEvent.objects.get(target_type="accounts.localauthority")
    assert (event.before["cin_visit_interval_wd"], event.after["cin_visit_interval_wd"]) == (20, 10)


def test_the_rule_set_can_be_changed_and_bad_values_are_refused(world):
    call_command("timescale_standards", authority_code="991", rule_set="wt2010", stdout=StringIO())
    world.authority.refresh_from_db()
    assert world.authority.rule_set == "wt2010"
    with pytest.raises(CommandError, match="from 1 to 40"):
        call_command("timescale_standards", authority_code="991", cp_visit_interval_wd=0, stdout=StringIO())
    with pytest.raises(CommandError, match="Name the authority"):
        call_command("timescale_standards", stdout=StringIO())
    world.authority.refresh_from_db()
    assert world.authority.cp_visit_interval_wd == 10


def test_the_red_contact_standard_is_set_in_hours_and_audited(world):
    """Issue 13, item 2: the front door's red contact standard is a local standard too."""
    out = StringIO()
    call_command("timescale_standards", authority_code="991", red_contact_decision_hours=12, stdout=out)
    world.authority.refresh_from_db()
    assert world.authority.red_contact_decision_hours == 12
    assert "red_contact_decision_hours: 12" in out.getvalue()
    event = ChangeEvent.objects.get(target_type="accounts.localauthority")
    assert (event.before["red_contact_decision_hours"], event.after["red_contact_decision_hours"]) == (24, 12)
    with pytest.raises(CommandError, match="from 1 to 72"):
        call_command("timescale_standards", authority_code="991", red_contact_decision_hours=0, stdout=StringIO())
