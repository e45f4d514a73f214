"""Loading an authority's threshold of need: the packaged default, replacing it without
deleting what decided contacts refer to, its change history, and the command."""

import copy
import tomllib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from safeguard.audit.models import ChangeEvent
from safeguard.core.errors import ApplicationError
from safeguard.referrals.management.commands.load_thresholds import DEFAULT_FILE
from safeguard.referrals.models import ContactOutcome, ThresholdIndicator, ThresholdLevel
from safeguard.referrals.selectors import threshold_levels
from safeguard.referrals.services import contact_decide, contact_record, thresholds_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def default():
    with DEFAULT_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_default_is_a_four_level_continuum_with_realistic_indicators(default):
    levels = default["levels"]
    assert [level["number"] for level in levels] == [1, 2, 3, 4]
    assert [level["implied_outcome"] for level in levels] == ["advice", "early_help", "referral", "referral"]
    for level in levels:
        assert 5 <= len(level["indicators"]) <= 8
        assert level["name"] and level["description"]


def test_loading_creates_levels_and_indicators_with_change_events(world, default):
    levels = thresholds_load(by=world.sm_dan, authority=world.authority, data=default)
    assert [(lv.number, lv.implied_outcome) for lv in levels] == [(1, "advice"), (2, "early_help"), (3, "referral"), (4, "referral")]
    indicators = sum(len(lv["indicators"]) for lv in default["levels"])
    assert ThresholdIndicator.objects.count() == indicators
    created = ChangeEvent.objects.filter(verb="created", target_type__startswith="referrals.")
    assert created.filter(target_type="referrals.thresholdlevel").count() == 4
    assert created.filter(target_type="referrals.thresholdindicator").count() == indicators
    assert set(created.values_list("user", flat=True)) == {world.sm_dan.pk}


def test_loading_the_same_data_again_changes_nothing(world, default):
    thresholds_load(by=None, authority=world.authority, data=default)
    events = ChangeEvent.objects.count()
    thresholds_load(by=None, authority=world.authority, data=default)
    assert ChangeEvent.objects.count() == events
    assert ThresholdLevel.objects.count() == 4


def test_replacing_disables_what_is_left_out_and_keeps_decided_contacts_whole(world, default):
    first = {lv.number: lv for lv in thresholds_load(by=None, authority=world.authority, data=default)}
    kept_indicator = first[4].indicators.first()
    dropped_indicator = first[4].indicators.last()
    contact = contact_record(by=world.sw_amy, child=world.child_sam, contact_date=date(2025, 6, 2), source="6", reason="Police")
    contact_decide(by=world.sw_amy, contact=contact, level=first[4], indicators=[dropped_indicator], rationale="r", outcome="referral", decision_date=date(2025, 6, 2))

    new = copy.deepcopy(default)
    new["levels"] = [lv for lv in new["levels"] if lv["number"] != 1]
    level_4 = next(lv for lv in new["levels"] if lv["number"] == 4)
    level_4["name"] = "Child protection"
    level_4["indicators"] = [kept_indicator.text, "A new indicator written by the authority"]
    levels = thresholds_load(by=world.tm_carol, authority=world.authority, data=new)

    today = timezone.localdate()
    assert [lv.number for lv in levels] == [2, 3, 4]
    assert [lv.number for lv in threshold_levels(world.authority)] == [2, 3, 4]
    assert ThresholdLevel.objects.get(number=1).disabled_on == today
    dropped_indicator.refresh_from_db()
    kept_indicator.refresh_from_db()
    assert (dropped_indicator.disabled_on, kept_indicator.disabled_on) == (today, today)
    # A renamed level is a new version; the old one is retired with its indicators.
    old, level = ThresholdLevel.objects.filter(number=4).order_by("pk")
    assert (old.pk, old.name, old.disabled_on) == (first[4].pk, "Specialist: child protection", today)
    assert (level.name, level.disabled_on) == ("Child protection", None)
    assert not old.indicators.filter(disabled_on__isnull=True).exists()
    assert list(level.indicators.values_list("text", flat=True)) == [kept_indicator.text, "A new indicator written by the authority"]
    # The contact still names what it was decided against, in the words of then.
    contact.refresh_from_db()
    assert contact.level == old and list(contact.indicators.all()) == [dropped_indicator]
    assert contact.level.name == "Specialist: child protection"
    created = ChangeEvent.objects.get(target_type="referrals.thresholdlevel", target_id=str(level.pk), verb="created")
    assert (created.after["name"], created.user) == ("Child protection", world.tm_carol)
    assert ChangeEvent.objects.filter(target_type="referrals.thresholdlevel", verb="ended").count() == 2

    # Loading the default again brings level 1 back as it was, and level 4's old words as a
    # third version; nothing is copied twice.
    thresholds_load(by=None, authority=world.authority, data=default)
    assert ThresholdLevel.objects.get(number=1).disabled_on is None
    assert ThresholdLevel.objects.filter(disabled_on__isnull=True).count() == 4
    assert ThresholdLevel.objects.filter(number=4).count() == 3
    events = ChangeEvent.objects.count()
    thresholds_load(by=None, authority=world.authority, data=default)
    assert ChangeEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "no levels"),
        ({"levels": [{"number": 0, "name": "x", "implied_outcome": "advice", "indicators": ["a"]}]}, "number of 1 or more"),
        ({"levels": [{"number": 1, "name": "", "implied_outcome": "advice", "indicators": ["a"]}]}, "needs a name"),
        ({"levels": [{"number": 1, "name": "x", "implied_outcome": "maybe", "indicators": ["a"]}]}, "implied outcome must be one of"),
        ({"levels": [{"number": 1, "name": "x", "implied_outcome": "advice", "indicators": []}]}, "needs a list of indicators"),
        ({"levels": [{"number": 1, "name": "x", "implied_outcome": "advice", "indicators": ["a", "a"]}]}, "repeats an indicator"),
        ({"levels": [{"number": 1, "name": "x", "implied_outcome": "advice", "indicators": ["a"]}] * 2}, "appears twice"),
    ],
)
def test_bad_thresholds_are_refused_and_store_nothing(world, data, message):
    events = ChangeEvent.objects.count()
    with pytest.raises(ApplicationError, match=message):
        thresholds_load(by=None, authority=world.authority, data=data)
    assert ThresholdLevel.objects.count() == 0
    assert ChangeEvent.objects.count() == events


def test_only_managers_change_the_thresholds(world, default):
    with pytest.raises(PermissionDenied):
        thresholds_load(by=world.sw_amy, authority=world.authority, data=default)
    with pytest.raises(PermissionDenied):
        thresholds_load(by=world.other_sw, authority=world.authority, data=default)
    assert ThresholdLevel.objects.count() == 0


def test_command_loads_the_default_for_the_authority(world, capsys):
    call_command("load_thresholds", "--authority-code", "991")
    assert "Testshire Borough: 4 levels and 28 indicators" in capsys.readouterr().out
    assert ThresholdLevel.objects.filter(authority=world.authority).count() == 4
    assert ThresholdLevel.objects.filter(authority=world.other_authority).count() == 0
    assert set(ThresholdLevel.objects.values_list("implied_outcome", flat=True)) <= set(ContactOutcome.values)


def test_command_loads_a_given_file(world, tmp_path):
    path = tmp_path / "ours.toml"
    path.write_text('[[levels]]\nnumber = 1\nname = "All"\nimplied_outcome = "nfa"\nindicators = ["Any worry"]\n', encoding="utf-8")
    call_command("load_thresholds", str(path), "--authority-code", "992")
    assert list(ThresholdLevel.objects.values_list("authority__dfe_la_code", "name")) == [("992", "All")]


def test_command_refuses_what_it_cannot_load(world, tmp_path):
    with pytest.raises(CommandError, match="several authorities"):
        call_command("load_thresholds")
    with pytest.raises(CommandError, match="No authority has the DfE LA code 123"):
        call_command("load_thresholds", "--authority-code", "123")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[levels]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid TOML"):
        call_command("load_thresholds", str(bad), "--authority-code", "991")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_thresholds", str(tmp_path / "missing.toml"), "--authority-code", "991")
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="no levels"):
        call_command("load_thresholds", str(empty), "--authority-code", "991")
    assert ThresholdLevel.objects.count() == 0
