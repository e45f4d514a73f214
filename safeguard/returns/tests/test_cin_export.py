"""``safeguard export-cin``: what a year's return holds (kpis.md §6), the XML it writes, the
report of failures per child, and the progress bar."""

import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.casework.models import Case, CINPlan
from safeguard.cli import command_argv, main
from safeguard.core.errors import ApplicationError
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    Section47Enquiry,
    Section47Outcome,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.returns.builders.cin import build_cin_return
from safeguard.returns.census import CensusYear
from safeguard.returns.progress import ProgressBar
from safeguard.returns.tests.oracle import describe, run_oracle, schema_for

D = date
YEAR = CensusYear(2025)


def case(child, **kw):
    values = {"referral_source": "2A", "primary_need": "N1"} | kw
    return Case.objects.create(child=child, authority=child.authority, **values)


def protection(world, c, *, strategy, start, icpc, plan_end=None, reviews=()):
    """A strategy discussion, section 47 and ICPC that starts a plan, with review conferences."""
    chair = world.tm_carol
    sd = StrategyDiscussion.objects.create(
        case=c, discussion_date=strategy, decision=StrategyDecision.SECTION_47, chaired_by=chair
    )
    s47 = Section47Enquiry.objects.create(
        case=c,
        strategy_discussion=sd,
        start_date=start,
        end_date=icpc,
        outcome=Section47Outcome.SUBSTANTIATED_ICPC,
    )
    plan = ChildProtectionPlan.objects.create(
        case=c,
        start_date=icpc,
        end_date=plan_end,
        end_reason="risk_reduced" if plan_end else "",
        initial_category="NEG",
        latest_category="EMO",
    )
    ChildProtectionConference.objects.create(
        case=c, kind=ConferenceKind.INITIAL, conference_date=icpc, section47=s47, plan=plan,
        decision=ConferenceDecision.PLAN, category="NEG", chaired_by=chair,
    )  # fmt: skip
    for day in reviews:
        ChildProtectionConference.objects.create(
            case=c, kind=ConferenceKind.REVIEW, conference_date=day, plan=plan,
            decision=ConferenceDecision.CONTINUE, category="EMO", chaired_by=chair,
        )  # fmt: skip
    return s47, plan


@pytest.fixture
def records(world):
    """Sam: an episode from the year before with a plan running into this year, and reviews
    on both sides of 31 March. Sally: an episode closed before the year began (not in the
    return). Tom: referred in April 2026 (after the reference date: not in the return)."""
    sam = case(world.child_sam, referral_date=D(2024, 11, 4))
    Assessment.objects.create(
        case=sam, kind=AssessmentKind.SINGLE, start_date=D(2024, 11, 5),
        completed_date=D(2024, 12, 2), factors=["3B"], primary_need="N1",
    )  # fmt: skip
    # An assessment authorised after 31 March is still open in this return.
    Assessment.objects.create(
        case=sam, kind=AssessmentKind.SINGLE, start_date=D(2026, 3, 2),
        completed_date=D(2026, 4, 20), factors=["4B"], primary_need="N1",
    )  # fmt: skip
    CINPlan.objects.create(case=sam, start_date=D(2024, 12, 5), end_date=D(2025, 1, 16))
    protection(
        world, sam, strategy=D(2024, 12, 20), start=D(2024, 12, 20), icpc=D(2025, 1, 16),
        plan_end=D(2026, 4, 30), reviews=[D(2025, 4, 14), D(2025, 10, 13), D(2026, 4, 30)],
    )  # fmt: skip
    sally = case(world.child_sally, referral_date=D(2024, 5, 1), closure_date=D(2025, 3, 31),
                 closure_reason="RC7")  # fmt: skip
    tom = case(world.child_tom, referral_date=D(2026, 4, 2))
    return sam, sally, tom


@pytest.mark.django_db
def test_the_return_holds_children_open_in_the_year_as_at_31_march(world, records):
    census = build_cin_return(authority=world.authority, year=YEAR)
    assert [c.la_child_id for c in census.children] == ["T000001"]
    (child,) = census.children
    (ep,) = child.episodes
    # Closed after the reference date: open in this return.
    assert ep.closure_date is None and ep.closure_reason == ""
    # The assessment finished before the year began is left out; the one authorised in
    # April shows as not yet authorised, without its factors.
    assert [(a.start_date, a.authorisation_date, a.factors) for a in ep.assessments] == [
        (D(2026, 3, 2), None, ())
    ]
    # The CIN plan ended before the year began.
    assert ep.cin_plans == ()
    # The section 47 started and held its conference before the year: left out.
    assert ep.section47s == ()
    (plan,) = ep.cp_plans
    assert plan.start_date == D(2025, 1, 16) and plan.end_date is None
    # Every review on or before 31 March, whatever year it fell in.
    assert plan.review_dates == (D(2025, 4, 14), D(2025, 10, 13))
    assert plan.previous_plans == 0 and plan.latest_category == "EMO"


@pytest.mark.django_db
def test_section_47_target_and_icpc_in_the_year(world):
    c = case(world.child_tom, referral_date=D(2025, 6, 2))
    protection(world, c, strategy=D(2025, 6, 3), start=D(2025, 6, 4), icpc=D(2025, 6, 20))
    second = case(world.child_sally, referral_date=D(2026, 3, 20))
    protection(world, second, strategy=D(2026, 3, 23), start=D(2026, 3, 23), icpc=D(2026, 4, 9))
    census = build_cin_return(authority=world.authority, year=YEAR)
    by_id = {c.la_child_id: c for c in census.children}
    (s47,) = by_id["T000003"].episodes[0].section47s
    # 15 working days after the strategy discussion of 3 June 2025.
    assert (s47.icpc_target, s47.icpc_date, s47.icpc_not_required) == (
        D(2025, 6, 24),
        D(2025, 6, 20),
        False,
    )
    # Sally's enquiry is open on 31 March: its target (after 31 March) is left out, and so
    # are the April conference and the plan it started.
    (open_s47,) = by_id["T000002"].episodes[0].section47s
    assert (open_s47.icpc_target, open_s47.icpc_date, open_s47.icpc_not_required) == (
        None, None, False
    )  # fmt: skip
    assert by_id["T000002"].episodes[0].cp_plans == ()


@pytest.mark.django_db
def test_the_target_counts_from_the_last_strategy_discussion_held(world):
    # Item 19 of issue 11: the enquiry's strategy discussion on 3 June 2025 reconvened on
    # 10 June; the conference is due 15 working days after 10 June (1 July), not 24 June.
    c = case(world.child_tom, referral_date=D(2025, 6, 2))
    s47, _plan = protection(world, c, strategy=D(2025, 6, 3), start=D(2025, 6, 4),
                            icpc=D(2025, 6, 30))  # fmt: skip
    StrategyDiscussion.objects.create(
        case=c, discussion_date=D(2025, 6, 10), decision=StrategyDecision.SECTION_47,
        chaired_by=world.tm_carol,
    )  # fmt: skip
    census = build_cin_return(authority=world.authority, year=YEAR)
    (got,) = census.children[0].episodes[0].section47s
    assert got.icpc_target == D(2025, 7, 1)


@pytest.mark.django_db
def test_command_writes_xml_in_schema_order(world, records, tmp_path):
    out = tmp_path / "cin.xml"
    stdout = io.StringIO()
    call_command(
        "export_cin",
        year="2025-26",
        output=str(out),
        authority_code="991",
        stdout=stdout,
        stderr=io.StringIO(),
    )
    assert "Wrote" in stdout.getvalue() and "1 child," in stdout.getvalue()
    root = ET.parse(out).getroot()  # noqa: S314 (our own file)
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert root.findtext("Header/Source/LEA") == "991"
    details = root.find("Children/Child/CINdetails")
    assert [e.tag for e in details] == [
        "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "Assessments", "ReferralNFA",
        "ChildProtectionPlans",
    ]  # fmt: skip
    assert details.findtext("ReferralNFA") == "0"
    plan = details.find("ChildProtectionPlans")
    assert [e.tag for e in plan] == [
        "CPPstartDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP", "Reviews",
    ]  # fmt: skip
    assert [e.text for e in plan.find("Reviews")] == ["2025-04-14", "2025-10-13"]


@pytest.mark.django_db
def test_hand_built_export_is_valid_against_the_xsd_and_the_validator(world, records, tmp_path):
    c = case(world.child_tom, referral_date=D(2025, 6, 2))
    protection(world, c, strategy=D(2025, 6, 3), start=D(2025, 6, 4), icpc=D(2025, 6, 20))
    out = tmp_path / "cin.xml"
    call_command("export_cin", year="2025-26", output=str(out), authority_code="991", stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    result = run_oracle(out, schema_for(2026))
    assert result["xsd_errors"] == []
    errors = [i for i in result["issues"] if i["level"] == "error"]
    assert not errors, describe(errors)


@pytest.mark.django_db
def test_errors_are_reported_per_child_and_no_file_is_written(world, records, tmp_path):
    world.child_sam.la_child_id = "T-1"
    world.child_sam.save()
    sam_case = Case.objects.get(child=world.child_sam)
    Assessment.objects.filter(case=sam_case, start_date=D(2024, 11, 5)).update(
        start_date=D(2025, 5, 1), completed_date=D(2025, 5, 2), factors=["21", "3B"]
    )
    out = tmp_path / "cin.xml"
    stderr = io.StringIO()
    with pytest.raises(CommandError, match=r"2 errors in the records of 1 child .*No file"):
        call_command("export_cin", year="2025-26", output=str(out), authority_code="991", stdout=io.StringIO(),
                     stderr=stderr)  # fmt: skip
    assert not out.exists()
    report = stderr.getvalue()
    assert f"Child T-1 (record {world.child_sam.pk}):" in report
    assert "rule 1580 (error): The LA child id has characters other than letters" in report
    assert "rule 8869 (error): Factor 21 ('no factors identified') is recorded with" in report


@pytest.mark.django_db
def test_bad_year_and_missing_folder_are_clear_errors(world, tmp_path):
    with pytest.raises(CommandError, match="like 2025-26"):
        call_command("export_cin", year="2025", output=str(tmp_path / "x.xml"))
    with pytest.raises(CommandError, match="No authority has the DfE LA code 123"):
        call_command("export_cin", year="2025-26", output=str(tmp_path / "x.xml"),
                     authority_code="123")  # fmt: skip
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_cin", year="2025-26", output=str(tmp_path / "no" / "x.xml"),
                     authority_code="991")  # fmt: skip
    # Two authorities in the test world: the code picks one.
    with pytest.raises(CommandError, match="--authority-code"):
        call_command("export_cin", year="2025-26", output=str(tmp_path / "x.xml"))


@pytest.mark.parametrize(
    ("text", "first"), [("2025-26", 2025), (" 2099-00 ", 2099), ("2000-01", 2000)]
)
def test_census_year_parses(text, first):
    year = CensusYear.parse(text)
    assert year.first_year == first
    assert year.start == D(first, 4, 1) and year.reference_date == D(first + 1, 3, 31)


@pytest.mark.parametrize("text", ["2025", "2025-27", "25-26", "2025/26", "", "1999-00"])
def test_census_year_rejects(text):
    with pytest.raises(ApplicationError):
        CensusYear.parse(text)


def test_hyphenated_command_names_reach_the_django_command():
    assert command_argv(["export-cin", "--year", "2025-26"]) == [
        "export_cin", "--year", "2025-26"
    ]  # fmt: skip
    assert command_argv(["migrate", "--run-syncdb"]) == ["migrate", "--run-syncdb"]
    assert command_argv(["--help"]) == ["--help"]


def test_safeguard_export_cin_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export-cin", "--help"])
    assert exit_info.value.code == 0
    assert "--year" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_draws_on_a_terminal_only():
    terminal = _Terminal()
    bar = ProgressBar("Reading", stream=terminal)
    bar(0, 4)
    bar(4, 4)
    bar.close()
    assert terminal.getvalue() == (
        "\rReading [" + "." * 30 + "] 0/4 (0%)\rReading [" + "#" * 30 + "] 4/4 (100%)\n"
    )
    pipe = io.StringIO()
    bar = ProgressBar("Reading", stream=pipe)
    bar(1, 2)
    bar.close()
    assert pipe.getvalue() == ""


@pytest.mark.django_db
def test_the_builder_reports_progress_by_batch(world, records, monkeypatch):
    import safeguard.returns.builders.cin as builder

    case(world.child_tom, referral_date=D(2025, 6, 2))
    monkeypatch.setattr(builder, "BATCH_SIZE", 1)
    calls = []
    build_cin_return(
        authority=world.authority, year=YEAR, progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(0, 2), (1, 2), (2, 2)]


@pytest.mark.django_db
def test_a_failure_of_the_whole_return_is_reported_first(world, records, tmp_path):
    # A plan with no initial conference in the year (say, recorded from a transfer-in).
    c = case(world.child_tom, referral_date=D(2025, 6, 2))
    ChildProtectionPlan.objects.create(
        case=c, start_date=D(2025, 6, 20), initial_category="PHY", latest_category="PHY"
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 error in the return \(listed above\)"):
        call_command("export_cin", year="2025-26", output=str(tmp_path / "x.xml"),
                     authority_code="991", stdout=io.StringIO(), stderr=stderr)  # fmt: skip
    lines = stderr.getvalue().splitlines()
    assert lines[:2] == [
        "The return as a whole:",
        "  rule 2883 (error): More child protection plans start in the year than initial "
        "conferences are recorded in it: record each plan's initial conference on its section 47 "
        "enquiry.",
    ]
