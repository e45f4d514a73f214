"""``safeguard create-authority``: the authority with its defaults, once; refusals change
nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.models import ChangeEvent
from safeguard.privacy import retention
from safeguard.privacy.models import RetentionRule
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel
from safeguard.referrals.services import default_thresholds

pytestmark = pytest.mark.django_db


def _create(capsys, *args) -> str:
    call_command("create_authority", *args)
    return capsys.readouterr().out


def test_it_creates_the_authority_with_its_defaults(capsys):
    out = _create(capsys, "--la-code", "998", "--name", "Northby")
    la = LocalAuthority.objects.get(dfe_la_code="998")
    assert la.name == "Northby"
    assert la.rule_set == "wt2013" and la.cp_visit_interval_wd == 10  # the model's defaults
    wanted = default_thresholds()["levels"]
    levels = ThresholdLevel.objects.filter(authority=la, disabled_on__isnull=True)
    assert sorted(levels.values_list("number", flat=True)) == sorted(lv["number"] for lv in wanted)
    assert ThresholdIndicator.objects.filter(level__authority=la).count() == sum(
        len(lv["indicators"]) for lv in wanted
    )
    rules = {r.record_type: r.years for r in RetentionRule.objects.filter(authority=la)}
    assert rules == {t: rule.years for t, rule in retention.DEFAULT_RULES.items()}
    assert "Northby (998):" in out and "threshold of need: 4 levels" in out
    made = ChangeEvent.objects.get(target_type="accounts.localauthority")
    assert made.verb == "created" and made.user.username == "command-line"


def test_a_second_run_changes_nothing_and_says_so(capsys):
    _create(capsys, "--la-code", "998", "--name", "Northby")
    events = ChangeEvent.objects.count()
    out = _create(capsys, "--la-code", "998", "--name", "Northby")
    assert out.strip() == "Northby (998) already exists, nothing changed."
    assert ChangeEvent.objects.count() == events


def test_another_name_for_the_same_code_is_refused(capsys):
    _create(capsys, "--la-code", "998", "--name", "Northby")
    with pytest.raises(
        CommandError,
        match="The authority with DfE LA code 998 is Northby, not Southby: nothing changed",
    ):
        _create(capsys, "--la-code", "998", "--name", "Southby")
    assert list(LocalAuthority.objects.values_list("name", flat=True)) == ["Northby"]


def test_the_same_name_under_another_code_is_refused(capsys):
    _create(capsys, "--la-code", "998", "--name", "Northby")
    with pytest.raises(CommandError, match="Northby is already the authority with DfE LA code 998"):
        _create(capsys, "--la-code", "997", "--name", "Northby")
    assert LocalAuthority.objects.count() == 1


@pytest.mark.parametrize("code", ["99", "9999", "abc", " ", "99a"])
def test_a_bad_code_is_refused_with_the_rule(capsys, code):
    with pytest.raises(
        CommandError, match="is not a DfE LA code: The DfE LA code is three digits, like 999."
    ):
        _create(capsys, "--la-code", code, "--name", "Northby")
    assert not LocalAuthority.objects.exists()


def test_an_authority_keeps_its_own_threshold_and_gets_only_what_it_lacks(capsys):
    la = LocalAuthority.objects.create(name="Northby", dfe_la_code="998")
    ThresholdLevel.objects.create(authority=la, number=1, name="Universal", implied_outcome="nfa")
    out = _create(capsys, "--la-code", "998", "--name", "Northby")
    assert ThresholdLevel.objects.filter(authority=la).count() == 1  # its own, not replaced
    assert "the default retention rules: 6 types of record" in out
    assert "threshold" not in out
