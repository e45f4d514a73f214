"""``safeguard export-annex-a``: Ofsted's Annex A lists 1 to 7 for the six months before a date.

The period here ends on 30 September 2026, so it starts on 30 March 2026: a record on 30 March
is in, one on 29 March is out, one on 30 September is in and one on 1 October is out.
"""

import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from safeguard.assessments.models import Assessment, AssessmentKind, AssessmentOutcome
from safeguard.audit.models import AccessEvent
from safeguard.casework.models import Case, CINPlan, DirectWork, Visit
from safeguard.casework.services import case_allocate
from safeguard.cli import command_argv, main
from safeguard.core.errors import ApplicationError
from safeguard.earlyhelp.models import EarlyHelpAssessment
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceDecision,
    ConferenceKind,
    EmergencyProtection,
    Section47Enquiry,
    Section47Outcome,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.referrals.models import Contact
from safeguard.returns.builders import annex_a as builder
from safeguard.returns.builders.annex_a import AnnexAPeriod, build_annex_a
from safeguard.returns.writers.annex_a import formula_safe
from safeguard.testing.journey import open_case

D = date
AS_OF = D(2026, 9, 30)
START = D(2026, 3, 30)
PERIOD = AnnexAPeriod(AS_OF)
DAY = timedelta(days=1)

# Ofsted's workbook "Annex A - Child level data, Lists 1 - 11" (Guidance "Update: August 2019"):
# its sheet names, titles, headings, Codes_used lists and Guidance text, extracted word for word
# (fixtures/extract_annex_a_template.py; provenance and licence in the file's "source").
TEMPLATE = json.loads(
    (Path(__file__).parent / "fixtures" / "annex_a_template.json").read_text(encoding="utf-8")
)
SHEETS = [f"List_{n}" for n in range(1, 8)]  # lists 8 to 11: no looked-after children here
HEADERS = {name: TEMPLATE["lists"][name]["headings"] for name in SHEETS}
TITLES = {name: TEMPLATE["lists"][name]["title"] for name in SHEETS}
GUIDANCE = {title.split(":")[0]: fields for title, fields in TEMPLATE["guidance"].items()}
CODES = TEMPLATE["codes"]
# Codes the DfE added to the CIN census after August 2019 (decision 0011), in the template's
# style; every other value written must be one of the template's own codes.
ADDED_SINCE_2019 = {
    "Contact / Referral Source": ["p1) 5D: LA services"],
    "Reason for Closure": ["RC9 - Case closed after assessment, referred to early help"],
}
# A few headings are worded a little differently on the Codes_used sheet.
CODES_FOR = {
    "Contact Source": "Contact / Referral Source",
    "Referral Source": "Contact / Referral Source",
    "Initial Category of Abuse": "Initial/Latest Category of Abuse",
    "Latest Category of Abuse": "Initial/Latest Category of Abuse",
    HEADERS["List_4"][9]: "Was the child assessed as being in need at assessment?",
    HEADERS["List_5"][9]: HEADERS["List_5"][9] + "?",
}


def codes_for(heading):
    """The template's codes for a column, or None for a column that takes no code."""
    key = CODES_FOR.get(heading, heading)
    return CODES[key] + ADDED_SINCE_2019.get(key, []) if key in CODES else None


def guidance_codes(list_name, heading):
    """The codes the Guidance sheet lists under "Please use codes" for a field."""
    text = GUIDANCE[list_name.replace("_", " ")][heading]
    block = text.split("Please use codes", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines()[1:] if line.strip()]


AGE = "Age of Child (Years)"
CASE_STATUS = "Case status"
REFERRAL_DATE = "Date of referral"
REQUIRES_SUPPORT = HEADERS["List_4"][9]
EPO = HEADERS["List_7"][13]
PREVIOUS_PLANS = "Number of Previous Child Protection Plans"


def annex(world, as_of=AS_OF):
    return build_annex_a(authority=world.authority, period=AnnexAPeriod(as_of))


def records(world, number, as_of=AS_OF):
    return annex(world, as_of).lists[number - 1].records()


def kid(world, code, **kw):
    values = {"family_name": "Edge", "date_of_birth": D(2016, 1, 1), "sex": "F"} | kw
    return Person.objects.create(authority=world.authority, la_child_id=code, **values)


def case(child, referral, closure=None, **kw):
    return Case.objects.create(
        child=child, authority=child.authority, referral_date=referral, referral_source="2A",
        closure_date=closure, closure_reason="RC7" if closure else "", **kw,
    )  # fmt: skip


def strategy_and_s47(world, c, start, end=None, outcome="", protection=EmergencyProtection.NEITHER):
    sd = StrategyDiscussion.objects.create(
        case=c, discussion_date=start, decision=StrategyDecision.SECTION_47,
        chaired_by=world.tm_carol, emergency_protection=protection,
    )  # fmt: skip
    return Section47Enquiry.objects.create(
        case=c, strategy_discussion=sd, start_date=start, end_date=end, outcome=outcome
    )


def icpc(world, c, s47, day, *, plan=None, decision=ConferenceDecision.PLAN):
    return ChildProtectionConference.objects.create(
        case=c, kind=ConferenceKind.INITIAL, conference_date=day, section47=s47, plan=plan,
        decision=decision, category="NEG" if plan else "", chaired_by=world.tm_carol,
    )  # fmt: skip


# --- The period ------------------------------------------------------------------------------


def test_the_period_is_the_six_months_to_the_as_of_date_inclusive():
    assert PERIOD.start == START
    assert START in PERIOD and AS_OF in PERIOD
    assert START - DAY not in PERIOD and AS_OF + DAY not in PERIOD
    # Six months before 31 August is the end of February.
    assert AnnexAPeriod(D(2026, 8, 31)).start == D(2026, 2, 28)
    today = D(2026, 11, 26)
    assert AnnexAPeriod.parse(" 2026-09-30 ", today=today) == PERIOD


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30/09/2026", "YYYY-MM-DD"),
        ("2026-02-30", "YYYY-MM-DD"),
        ("", "YYYY-MM-DD"),
        ("2026-11-27", "after today"),
        ("1999-12-31", "out of range"),
    ],
)
def test_a_bad_as_of_date_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ApplicationError, match=message):
        AnnexAPeriod.parse(text, today=D(2026, 11, 26))


# --- The layout ------------------------------------------------------------------------------


def test_the_fixture_is_ofsteds_august_2019_template():
    assert TEMPLATE["source"]["guidance_sheet_says"] == "Update: August 2019"
    assert TEMPLATE["sheets"][4:] == [f"List_{n}" for n in range(1, 12)]
    assert TITLES["List_1"] == "List 1: Contacts"


@pytest.mark.django_db
def test_every_list_has_the_template_title_and_headings_in_order(world):
    built = annex(world)
    assert [a.sheet_name for a in built.lists] == SHEETS
    for annex_list in built.lists:
        assert annex_list.heading == TITLES[annex_list.sheet_name]
        assert annex_list.headers == HEADERS[annex_list.sheet_name]
        # The Guidance sheet describes every heading of the list, and no other.
        guided = GUIDANCE[f"List {annex_list.number}"]
        assert set(annex_list.headers) == set(guided) - {""}


def test_every_code_written_is_one_of_the_templates():
    """The builder's code tables against Codes_used, in the template's order: what the
    template lists is written as it is spelled there ("s) NOBT"); only the DfE's later codes
    are added, and only where decision 0011 says so."""
    assert list(builder.GENDER.values()) == CODES["Gender"][:3]  # "d) Neither" is not recorded
    assert list(builder.ETHNICITY.values()) == CODES["Ethnicity"]
    assert builder.ETHNICITY["NOBT"] == "s) NOBT" and builder.ETHNICITY["REFU"] == "s) REFU"
    template_sources = [v for k, v in builder.SOURCE.items() if k != "5D"]
    assert template_sources == CODES["Contact / Referral Source"]
    assert [builder.SOURCE["5D"]] == ADDED_SINCE_2019["Contact / Referral Source"]
    assert list(builder.PRIMARY_NEED.values()) == CODES["Primary Need Code"]
    template_reasons = [v for k, v in builder.CLOSURE_REASON.items() if k != "RC9"]
    assert template_reasons == CODES["Reason for Closure"]
    assert [builder.CLOSURE_REASON["RC9"]] == ADDED_SINCE_2019["Reason for Closure"]
    assert list(builder.CATEGORY_OF_ABUSE.values()) == codes_for("Initial Category of Abuse")
    assert CODES[CASE_STATUS] == [
        builder.STATUS_LOOKED_AFTER,
        builder.STATUS_CP_PLAN,
        builder.STATUS_CIN_PLAN,
        builder.STATUS_OPEN_ASSESSMENT,
        builder.STATUS_CLOSED,
    ]
    assert codes_for("Was the Child Seen Alone?") == [builder.YES, builder.NO, builder.UNKNOWN]
    # The Guidance sheet lists the same codes for the same fields.
    assert guidance_codes("List_1", "Ethnicity") == CODES["Ethnicity"]
    assert guidance_codes("List_6", CASE_STATUS) == CODES[CASE_STATUS]
    assert guidance_codes("List_7", EPO) == [builder.YES, builder.NO]


# --- Which records each list holds: the edges of the period -----------------------------------


def _contact(world, child, start, end):
    Contact.objects.create(
        child=child, authority=world.authority, contact_date=start, source="6", reason="Worry"
    )


def _early_help(world, child, start, end):
    EarlyHelpAssessment.objects.create(
        child=child, authority=world.authority, start_date=start, completed_date=end,
        outcome="nfa" if end else "", organisation_other="Oakfield Primary",
        lead_name="Lee", lead_agency="School", consent_given=True, consent_date=start,
    )  # fmt: skip


def _referral(world, child, start, end):
    case(child, start)


def _assessment(world, child, start, end):
    Assessment.objects.create(
        case=case(child, start), kind=AssessmentKind.SINGLE, start_date=start,
        completed_date=end, outcome=AssessmentOutcome.NO_FURTHER_ACTION if end else "",
    )  # fmt: skip


def _section47(world, child, start, end):
    strategy_and_s47(world, case(child, start), start)


def _episode(world, child, start, end):
    # Past its referral (an assessment), so not "only the subject of a referral".
    Assessment.objects.create(
        case=case(child, start, end), kind=AssessmentKind.SINGLE, start_date=start,
        completed_date=end, outcome=AssessmentOutcome.CIN_PLAN if end else "",
    )  # fmt: skip


def _plan(world, child, start, end):
    ChildProtectionPlan.objects.create(
        case=case(child, start), start_date=start, end_date=end,
        end_reason="risk_reduced" if end else "", initial_category="PHY", latest_category="PHY",
    )  # fmt: skip


LONG_AGO = START - timedelta(days=400)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "make", "lasts"),
    [
        (1, _contact, False),
        (2, _early_help, True),
        (3, _referral, False),
        (4, _assessment, True),
        (5, _section47, False),
        (6, _episode, True),
        (7, _plan, True),
    ],
)
def test_the_edges_of_the_period(world, number, make, lasts):
    if lasts:
        # Open on any day of the period: ended on its first day (in) or the day before (out),
        # started on the as-of date (in) or the day after (out).
        make(world, kid(world, "IN1"), LONG_AGO, START)
        make(world, kid(world, "OUT1"), LONG_AGO, START - DAY)
    else:
        # Dated in the period: its first day (in), the day before it (out).
        make(world, kid(world, "IN1"), START, None)
        make(world, kid(world, "OUT1"), START - DAY, None)
    make(world, kid(world, "IN2"), AS_OF, None)
    make(world, kid(world, "OUT2"), AS_OF + DAY, None)
    listed = [r["Child Unique ID"] for r in records(world, number)]
    assert sorted(listed) == ["IN1", "IN2"]


@pytest.mark.django_db
def test_a_section_47_from_before_the_period_is_listed_for_its_icpc_in_it(world):
    child = kid(world, "S1")
    c = case(child, START - 10 * DAY)
    s47 = strategy_and_s47(world, c, START - 5 * DAY, START, Section47Outcome.SUBSTANTIATED_ICPC)
    icpc(world, c, s47, START, decision=ConferenceDecision.NO_PLAN)
    (row,) = records(world, 5)
    assert (row["Child Unique ID"], row["Date of Initial Child Protection Conference"]) == (
        "S1",
        START,
    )
    assert row["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == (
        "b) No"
    )


# --- One child's journey through every list, column by column -------------------------------


@pytest.fixture
def sam(world):
    """Sam Smith (T000001): a contact, an early help assessment, an earlier referral with a
    section 47 that found nothing, then a referral in the period, an assessment, a section 47,
    an ICPC and a plan with a review and statutory visits."""
    child = world.child_sam
    child.ethnicity, child.disabilities = "WBRI", ["LD"]
    child.save()
    Contact.objects.create(
        child=child, authority=world.authority, contact_date=D(2026, 4, 1), source="6",
        reason="Police report",
    )  # fmt: skip
    EarlyHelpAssessment.objects.create(
        child=child, authority=world.authority, start_date=D(2025, 12, 1),
        completed_date=D(2026, 4, 10), outcome="step_up", organisation=world.education,
        lead_name="Sid Singh", lead_agency="Testshire Schools",
        consent_given=True, consent_date=D(2025, 12, 1),
    )  # fmt: skip
    earlier = open_case(world, received=D(2025, 11, 3))
    strategy_and_s47(
        world, earlier, D(2025, 11, 5), D(2025, 11, 20), Section47Outcome.NOT_SUBSTANTIATED_CIN
    )
    Case.objects.filter(pk=earlier.pk).update(closure_date=D(2026, 1, 15), closure_reason="RC7")

    c = open_case(world, received=D(2026, 4, 20))
    Case.objects.filter(pk=c.pk).update(primary_need="N1")
    case_allocate(
        by=world.tm_carol, case=c, worker=world.sw_amy, team=world.team_a,
        start_date=D(2026, 4, 20),
        reason="Test",
    )  # fmt: skip
    Assessment.objects.create(
        case=c, kind=AssessmentKind.SINGLE, start_date=D(2026, 4, 21),
        child_seen_date=D(2026, 4, 23), completed_date=D(2026, 5, 29),
        outcome=AssessmentOutcome.STRATEGY_DISCUSSION, primary_need="N1",
    )  # fmt: skip
    s47 = strategy_and_s47(
        world, c, D(2026, 5, 29), D(2026, 6, 12), Section47Outcome.SUBSTANTIATED_ICPC,
        protection=EmergencyProtection.POLICE,
    )  # fmt: skip
    plan = ChildProtectionPlan.objects.create(
        case=c, start_date=D(2026, 6, 12), initial_category="NEG", latest_category="EMO",
        previous_plans_elsewhere=1,
    )  # fmt: skip
    icpc(world, c, s47, D(2026, 6, 12), plan=plan)
    ChildProtectionConference.objects.create(
        case=c, kind=ConferenceKind.REVIEW, conference_date=D(2026, 9, 10), plan=plan,
        decision=ConferenceDecision.CONTINUE, category="EMO", chaired_by=world.tm_carol,
    )  # fmt: skip
    for day, alone in ((D(2026, 9, 20), True), (D(2026, 8, 20), False), (D(2026, 10, 5), False)):
        Visit.objects.create(
            case=c, kind="cp", visit_date=day, worker=world.sw_amy, child_seen=True,
            child_seen_alone=alone,
        )  # fmt: skip
    return c


SAM = {
    "Child Unique ID": "T000001",
    "Gender": "a) Male",
    "Ethnicity": "a) WBRI",
    "Date of Birth": D(2015, 3, 14),
    AGE: 11,
}
ALLOCATED_TO_AMY = {"Allocated Team": "Child Protection Team A", "Allocated Worker": "Amy Adeyemi"}


@pytest.mark.django_db
def test_the_value_of_every_column_for_a_known_child(world, sam):
    built = annex(world)
    rows = {a.sheet_name: a.records() for a in built.lists}
    assert rows["List_1"] == [
        SAM | {"Date of Contact": D(2026, 4, 1), "Contact Source": "q) 6: Police"}
    ]
    assert rows["List_2"] == [
        SAM
        | {
            "Assessment start date": D(2025, 12, 1),
            "Assessment completion date": D(2026, 4, 10),
            "Organisation completing assessment": "Testshire Schools",
        }
    ]
    assert rows["List_3"] == [
        SAM
        | {
            REFERRAL_DATE: D(2026, 4, 20),
            "Referral Source": "q) 6: Police",
            "Referral NFA?": "b) No",
            # The referral of 3 November 2025 is within the 12 months before this one.
            "Number of Referrals in Last 12 Months": 1,
        }
        | ALLOCATED_TO_AMY
    ]
    disabled = {"Does the Child have a Disability": "a) Yes"}
    assert rows["List_4"] == [
        SAM
        | disabled
        | {
            "Continuous Assessment Start Date": D(2026, 4, 21),
            "Child Seen During Continuous Assessment": "a) Yes",
            "Continuous Assessment Date of Authorisation": D(2026, 5, 29),
            REQUIRES_SUPPORT: "a) Yes",
        }
        | ALLOCATED_TO_AMY
    ]
    assert rows["List_5"] == [
        SAM
        | disabled
        | {
            "Strategy discussion initiating Section 47 Enquiry Start Date": D(2026, 5, 29),
            "Was an Initial Child Protection Conference deemed unnecessary?": "b) No",
            "Date of Initial Child Protection Conference": D(2026, 6, 12),
            "Did the Initial Child Protection Conference Result in a Child Protection Plan": (
                "a) Yes"
            ),
            "Number of Section 47 Enquiries in the last 12 months": 1,
            "Number of ICPCs in the last 12 months": 0,
        }
        | ALLOCATED_TO_AMY
    ]
    assert rows["List_6"] == [
        SAM
        | disabled
        | {
            "CIN Start Date": D(2026, 4, 20),
            "Primary Need Code": "N1 - Abuse or neglect",
            # The visit of 5 October is after the as-of date.
            "Date Child Was Last Seen": D(2026, 9, 20),
            "CIN Closure Date": None,
            "Reason for Closure": "",
            CASE_STATUS: "b) Child Protection plan",
        }
        | ALLOCATED_TO_AMY
    ]
    (plan_row,) = rows["List_7"]
    assert (
        plan_row
        == SAM
        | disabled
        | {
            "Child Protection Plan Start Date": D(2026, 6, 12),
            "Initial Category of Abuse": "a) Neglect",
            "Latest Category of Abuse": "d) Emotional abuse",
            "Date of the Last Statutory Visit": D(2026, 9, 20),
            "Was the Child Seen Alone?": "a) Yes",
            "Date of latest review conference": D(2026, 9, 10),
            "Child Protection Plan End Date": None,
            # In police protection when the strategy discussion of 29 May was held.
            EPO: "a) Yes",
            # The plan recorded as held in another authority is not counted (the Guidance).
            PREVIOUS_PLANS: 0,
        }
        | ALLOCATED_TO_AMY
    )


@pytest.mark.django_db
def test_everything_is_as_at_the_as_of_date(world, sam):
    """The same child exported to 31 May 2026: later steps have not happened yet."""
    built = annex(world, D(2026, 5, 31))
    (assessment,) = built.lists[3].records()
    assert assessment["Continuous Assessment Date of Authorisation"] == D(2026, 5, 29)
    (s47,) = built.lists[4].records()
    # Started 29 May, its conference on 12 June: open, so not yet decided.
    assert s47["Was an Initial Child Protection Conference deemed unnecessary?"] == ""
    assert s47["Date of Initial Child Protection Conference"] is None
    assert built.lists[6].rows == ()
    # The period now starts on 30 November 2025: the earlier episode (closed 15 January) was
    # open in it too, but the template wants one row per child, for the most recent episode.
    (episode,) = built.lists[5].records()
    assert (episode["CIN Start Date"], episode["CIN Closure Date"]) == (D(2026, 4, 20), None)
    # The section 47 started on 29 May is open: an open assessment.
    assert episode[CASE_STATUS] == "d) Open assessment"
    assert episode["Date Child Was Last Seen"] == D(2026, 4, 23)
    assert episode[AGE] == 11


@pytest.mark.django_db
def test_direct_work_with_the_child_is_a_sighting_as_the_days_since_seen_count_it(world, sam):
    """A session of direct work is done with the child, so the child was seen: "Date Child Was
    Last Seen" counts it, as the days since seen do (``timescales.selectors.SIGHTINGS``), and
    still not after the as-of date."""
    from safeguard.timescales.selectors import last_seen

    for day in (D(2026, 9, 27), D(2026, 10, 10)):
        DirectWork.objects.create(
            case=sam, work_date=day, worker=world.sw_amy, where="School",
            purpose="Wishes and feelings", child_views="I like my school",
        )  # fmt: skip
    (episode,) = records(world, 6)
    assert episode["Date Child Was Last Seen"] == D(2026, 9, 27)
    # The days since seen read the same sightings: the latest is the direct work of 10 October
    # (after the as-of date and the visit of 5 October, so not in the return), by its worker.
    seen = last_seen(sam)
    assert (seen.day, seen.by) == (D(2026, 10, 10), world.sw_amy)


@pytest.mark.django_db
def test_unborn_children_and_unknown_values(world):
    born_later = kid(world, "U2", date_of_birth=D(2026, 10, 10), sex="M")
    for child in (world.unborn, born_later):
        Contact.objects.create(
            child=child, authority=world.authority, contact_date=D(2026, 6, 1), source="5D",
            reason="Pre-birth",
        )  # fmt: skip
    rows = {r["Child Unique ID"]: r for r in records(world, 1)}
    # No local child id: the Safeguard record id, so the row can still be traced.
    unborn = rows[str(world.unborn.pk)]
    # The Guidance: "If a child is unborn, enter their age as '-1'", and the expected date of
    # birth if there is one.
    assert "'-1'" in GUIDANCE["List 1"][AGE]
    assert (unborn["Date of Birth"], unborn[AGE]) == (D(2030, 1, 1), -1)
    # Born after the as-of date, with no expected date kept: unborn on it, date blank.
    assert (rows["U2"]["Date of Birth"], rows["U2"][AGE]) == (None, -1)
    for row in (unborn, rows["U2"]):
        assert row["Gender"] == "c) Not stated/recorded"
        assert row["Ethnicity"] == "s) NOBT"
        assert row["Contact Source"] == "p1) 5D: LA services"


@pytest.mark.django_db
def test_case_status_allocation_and_disability_values(world):
    cin = kid(world, "C1", disabilities=["NONE"])
    c = case(cin, D(2026, 4, 1))
    CINPlan.objects.create(case=c, start_date=D(2026, 5, 1))
    case_allocate(by=world.tm_carol, case=c, worker=world.sw_amy, team=world.team_a,
                  start_date=D(2026, 4, 1), reason="Test")  # fmt: skip
    # Reallocated after the as-of date: still Amy's on it.
    case_allocate(by=world.tm_carol, case=c, worker=world.sw_ben, team=world.team_b,
                  start_date=D(2026, 10, 2), reason="Test")  # fmt: skip
    waiting = kid(world, "C2")
    # Open, its assessment finished with a plan to come, and nobody allocated.
    Assessment.objects.create(
        case=case(waiting, D(2026, 9, 1)), kind=AssessmentKind.SINGLE, start_date=D(2026, 9, 1),
        completed_date=D(2026, 9, 20), outcome=AssessmentOutcome.CIN_PLAN,
    )  # fmt: skip
    closed = kid(world, "C3")
    shut = case(closed, D(2026, 4, 1), D(2026, 6, 30))
    CINPlan.objects.create(case=shut, start_date=D(2026, 4, 20), end_date=D(2026, 6, 30))
    # The worker who held it when it closed.
    case_allocate(by=world.tm_carol, case=shut, worker=world.sw_ben, team=world.team_b,
                  start_date=D(2026, 4, 2), reason="Test")  # fmt: skip
    rows = {r["Child Unique ID"]: r for r in records(world, 6)}
    assert (rows["C1"][CASE_STATUS], rows["C1"]["Does the Child have a Disability"]) == (
        "c) Child in need plan",
        "b) No",
    )
    assert (rows["C1"]["Allocated Team"], rows["C1"]["Allocated Worker"]) == (
        "Child Protection Team A",
        "Amy Adeyemi",
    )
    # Case status is never blank: still being assessed for a service until the plan starts.
    assert rows["C2"][CASE_STATUS] == "d) Open assessment"
    assert rows["C2"]["Allocated Worker"] == ""
    assert rows["C2"]["Does the Child have a Disability"] == "c) Unknown"
    assert rows["C3"][CASE_STATUS] == "e) Closed episode"
    assert rows["C3"]["Reason for Closure"] == (
        "RC7 - Services ceased for any other reason, including child no longer in need"
    )
    assert rows["C3"]["Allocated Worker"] == "Ben Bailey"


@pytest.mark.django_db
def test_an_enquiry_that_ended_without_a_conference_was_deemed_unnecessary(world):
    child = kid(world, "N1")
    strategy_and_s47(
        world, case(child, D(2026, 5, 1)), D(2026, 5, 2), D(2026, 5, 20),
        Section47Outcome.SUBSTANTIATED_NO_ICPC,
    )  # fmt: skip
    (row,) = records(world, 5)
    assert row["Was an Initial Child Protection Conference deemed unnecessary?"] == "a) Yes"
    assert row["Date of Initial Child Protection Conference"] is None
    assert (
        row["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == ""
    )


# --- The template's rules, from its Guidance -------------------------------------------------


def _cin_episode(child, referral, closure=None, reason="RC7"):
    c = case(child, referral, closure)
    if closure:
        Case.objects.filter(pk=c.pk).update(closure_reason=reason)
    Assessment.objects.create(
        case=c, kind=AssessmentKind.SINGLE, start_date=referral, completed_date=referral + DAY,
        outcome=AssessmentOutcome.CIN_PLAN,
    )  # fmt: skip
    CINPlan.objects.create(case=c, start_date=referral + DAY, end_date=closure)
    return c


@pytest.mark.django_db
def test_lists_6_and_7_have_one_row_per_child_for_the_most_recent(world):
    assert "single entry covering their most recent episode" in GUIDANCE["List 6"][""]
    assert "single entry showing their most recent child protection plan" in GUIDANCE["List 7"][""]
    child = kid(world, "R1")
    first = _cin_episode(child, D(2026, 4, 1), D(2026, 5, 1))
    second = _cin_episode(child, D(2026, 6, 1))
    for c, start, end in ((first, D(2026, 4, 2), D(2026, 5, 1)), (second, D(2026, 6, 2), None)):
        ChildProtectionPlan.objects.create(
            case=c, start_date=start, end_date=end, end_reason="risk_reduced" if end else "",
            initial_category="NEG", latest_category="NEG",
        )  # fmt: skip
    (episode,) = records(world, 6)
    assert (episode["CIN Start Date"], episode[CASE_STATUS]) == (
        D(2026, 6, 1),
        "b) Child Protection plan",
    )
    (plan,) = records(world, 7)
    assert (plan["Child Protection Plan Start Date"], plan[PREVIOUS_PLANS]) == (D(2026, 6, 2), 1)


@pytest.mark.django_db
def test_list_6_leaves_out_children_only_referred(world):
    """The Guidance: list 6 "does not include ... children who are only the subject of a
    referral"; its FAQ: children whose episode closed RC8 "aren't needed in list 6"."""
    assert "children who are only the subject of a referral" in GUIDANCE["List 6"][""]
    (rc8,) = (f for f in TEMPLATE["faq"] if f["list"] == "List 6" and "RC8" in f["question"])
    assert "aren't needed in list 6" in rc8["response"]
    nfa = kid(world, "X1")
    case(nfa, D(2026, 5, 1), D(2026, 5, 1), referral_nfa=True)
    undecided = kid(world, "X2")
    case(undecided, D(2026, 9, 28))  # referral not yet decided on the as-of date
    assessed_nfa = kid(world, "X3")
    _cin_episode(assessed_nfa, D(2026, 5, 1), D(2026, 5, 10), reason="RC8")
    served = kid(world, "K1")
    _cin_episode(served, D(2026, 5, 1), D(2026, 7, 1))
    # A child whose latest episode was only a referral keeps the row of the one before.
    case(served, D(2026, 8, 1), D(2026, 8, 1), referral_nfa=True)
    (row,) = records(world, 6)
    assert (row["Child Unique ID"], row["CIN Start Date"]) == ("K1", D(2026, 5, 1))
    # They are all still referrals in list 3.
    assert len(records(world, 3)) == 5


@pytest.mark.django_db
def test_counts_in_the_last_12_months_are_back_from_the_childs_latest(world):
    """The Guidance: "the number in this column will be the same in each row for that
    child", counted back from the LATEST referral, or section 47 enquiry."""
    assert "LATEST referral" in GUIDANCE["List 3"]["Number of Referrals in Last 12 Months"]
    child = kid(world, "L1")
    one, two = case(child, D(2026, 4, 10)), case(child, D(2026, 8, 1))
    s47 = strategy_and_s47(world, one, D(2026, 4, 11), D(2026, 4, 25),
                           Section47Outcome.SUBSTANTIATED_ICPC)  # fmt: skip
    icpc(world, one, s47, D(2026, 4, 25), decision=ConferenceDecision.NO_PLAN)
    strategy_and_s47(world, two, D(2026, 8, 2))
    referrals = records(world, 3)
    assert [r["Number of Referrals in Last 12 Months"] for r in referrals] == [1, 1]
    enquiries = records(world, 5)
    assert [r["Number of Section 47 Enquiries in the last 12 months"] for r in enquiries] == [1, 1]
    assert [r["Number of ICPCs in the last 12 months"] for r in enquiries] == [1, 1]


@pytest.mark.django_db
def test_allocated_team_and_worker_are_the_referrals_and_the_completing_workers(world):
    guided = GUIDANCE["List 4"]["Allocated Worker"]
    assert guided == "Please provide the name of the Social Worker that completed this assessment."
    child = kid(world, "W1")
    c = case(child, D(2026, 4, 1))
    case_allocate(by=world.tm_carol, case=c, worker=world.sw_amy, team=world.team_a,
                  start_date=D(2026, 4, 1), reason="Test")  # fmt: skip
    Assessment.objects.create(
        case=c, kind=AssessmentKind.SINGLE, start_date=D(2026, 4, 2),
        completed_date=D(2026, 5, 10), outcome=AssessmentOutcome.STRATEGY_DISCUSSION,
    )  # fmt: skip
    strategy_and_s47(
        world, c, D(2026, 5, 11), D(2026, 5, 25), Section47Outcome.NOT_SUBSTANTIATED_CIN
    )
    CINPlan.objects.create(case=c, start_date=D(2026, 5, 26))
    case_allocate(by=world.tm_carol, case=c, worker=world.sw_ben, team=world.team_b,
                  start_date=D(2026, 6, 1), reason="Test")  # fmt: skip
    amy = ("Child Protection Team A", "Amy Adeyemi")
    ben = ("Child Protection Team B", "Ben Bailey")
    for number, who in ((3, amy), (4, amy), (5, amy), (6, ben)):
        (row,) = records(world, number)
        assert (row["Allocated Team"], row["Allocated Worker"]) == who, number


@pytest.mark.django_db
def test_an_enquiry_about_a_child_already_on_a_plan_is_not_deemed_unnecessary(world):
    heading = "Was an Initial Child Protection Conference deemed unnecessary?"
    assert "already subject to a child protection plan" in GUIDANCE["List 5"][heading]
    child = kid(world, "P1")
    c = case(child, D(2026, 1, 5))
    ChildProtectionPlan.objects.create(
        case=c, start_date=D(2026, 2, 1), initial_category="NEG", latest_category="NEG"
    )
    strategy_and_s47(
        world, c, D(2026, 5, 2), D(2026, 5, 20), Section47Outcome.SUBSTANTIATED_NO_ICPC
    )
    (row,) = records(world, 5)
    assert row[heading] == "b) No"


@pytest.mark.django_db
def test_previous_plans_count_only_this_authoritys_and_emergency_protection(world):
    guided = GUIDANCE["List 7"][PREVIOUS_PLANS]
    assert "other local authorities should not be counted" in guided
    child = kid(world, "E1")
    c = case(child, D(2025, 1, 5))
    ChildProtectionPlan.objects.create(
        case=c, start_date=D(2025, 2, 1), end_date=D(2025, 8, 1), end_reason="risk_reduced",
        initial_category="NEG", latest_category="NEG",
    )  # fmt: skip
    # Police protection before the period does not count; one in it does.
    strategy_and_s47(world, c, D(2025, 1, 10), protection=EmergencyProtection.BOTH)
    later = case(child, D(2026, 5, 1))
    ChildProtectionPlan.objects.create(
        case=later, start_date=D(2026, 6, 1), initial_category="PHY", latest_category="PHY",
        previous_plans_elsewhere=2,
    )  # fmt: skip
    (row,) = records(world, 7)
    assert (row[PREVIOUS_PLANS], row[EPO]) == (1, "b) No")
    discussion = strategy_and_s47(world, later, D(2026, 5, 2)).strategy_discussion
    (row,) = records(world, 7)
    assert row[EPO] == "b) No"
    StrategyDiscussion.objects.filter(pk=discussion.pk).update(emergency_protection="")
    (row,) = records(world, 7)
    assert row[EPO] == ""  # not recorded: blank, not guessed
    StrategyDiscussion.objects.filter(pk=discussion.pk).update(
        emergency_protection=EmergencyProtection.EPO
    )
    (row,) = records(world, 7)
    assert row[EPO] == "a) Yes"


# --- The workbook ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Oakfield = good", "Oakfield = good"),
        ("bell\x07", "bell"),
    ],
)
def test_formula_safe(value, safe):
    assert formula_safe(value) == safe


def export(tmp_path, as_of="2026-09-30", name="annex-a.xlsx", authority_code="991"):
    out = tmp_path / name
    stdout = io.StringIO()
    call_command(
        "export_annex_a", as_of=as_of, output=str(out), authority_code=authority_code,
        stdout=stdout,
    )  # fmt: skip
    return out, stdout.getvalue()


@pytest.mark.django_db
def test_the_workbook_has_real_dates_a_frozen_bold_header_and_safe_cells(world, sam, tmp_path):
    EarlyHelpAssessment.objects.create(
        child=world.child_tom, authority=world.authority, start_date=D(2026, 7, 1),
        organisation_other="=HYPERLINK(\"http://evil.example\",\"click\")",
        lead_name="Val", lead_agency="Family Action",
        consent_given=True, consent_date=D(2026, 7, 1),
    )  # fmt: skip
    out, said = export(tmp_path)
    assert (
        f"Wrote {out}: Annex A for Testshire Borough (991), 30 March 2026 to 30 September" in said
    )
    assert "list 2 2," in said and "list 7 1." in said
    book = load_workbook(out)
    # Laid out as the template: its sheet names, its title in row 1, its headings in row 2.
    assert book.sheetnames == SHEETS
    for name, headers in HEADERS.items():
        sheet = book[name]
        assert sheet["A1"].value == TITLES[name]
        assert [c.value for c in sheet[2]] == headers
        assert all(c.font.b for c in sheet[2])
        assert sheet.freeze_panes == "A3"
        assert all(sheet.column_dimensions[c.column_letter].width >= 10 for c in sheet[2])
    contact = list(book["List_1"][3])
    assert [c.value for c in contact] == [
        "T000001", "a) Male", "a) WBRI", datetime(2015, 3, 14), 11, datetime(2026, 4, 1),
        "q) 6: Police",
    ]  # fmt: skip
    assert contact[3].number_format == "dd/mm/yyyy" and contact[3].is_date
    assert contact[5].number_format == "dd/mm/yyyy"
    plan = [c.value for c in book["List_7"][3]]
    assert plan[13] == "a) Yes"
    assert book["List_7"].auto_filter.ref == "A2:Q3"
    early_help = {r[0].value: r for r in book["List_2"].iter_rows(min_row=3)}
    evil = early_help["T000003"][7]
    assert evil.value == '\'=HYPERLINK("http://evil.example","click")'
    assert evil.data_type == "s"


@pytest.mark.django_db
def test_the_export_writes_no_access_events(world, sam, tmp_path):
    before = AccessEvent.objects.count()
    export(tmp_path)
    assert AccessEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("as_of", "name", "message"),
    [
        ("30/09/2026", "a.xlsx", "YYYY-MM-DD"),
        ("2026-09-31", "a.xlsx", "YYYY-MM-DD"),
        ("2999-01-01", "a.xlsx", "after today"),
        ("2026-09-30", "a.csv", r"must be an \.xlsx file"),
        ("2026-09-30", "missing/a.xlsx", "does not exist"),
    ],
)
def test_bad_input_is_a_clear_message_and_writes_nothing(world, tmp_path, as_of, name, message):
    with pytest.raises(CommandError, match=message):
        export(tmp_path, as_of=as_of, name=name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_an_output_path_that_cannot_be_written_is_a_clear_message(world, tmp_path):
    (tmp_path / "taken.xlsx").mkdir()
    with pytest.raises(CommandError, match="is a folder"):
        export(tmp_path, name="taken.xlsx")
    # /proc takes no new files, even from root.
    with pytest.raises(CommandError, match=r"Could not write /proc/annex-a\.xlsx.*No file"):
        call_command("export_annex_a", as_of="2026-09-30", output="/proc/annex-a.xlsx",
                     authority_code="991", stdout=io.StringIO())  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["taken.xlsx"]
    with pytest.raises(CommandError, match="No authority has the DfE LA code 123"):
        export(tmp_path, authority_code="123")
    with pytest.raises(CommandError, match="--authority-code"):
        call_command("export_annex_a", as_of="2026-09-30", output=str(tmp_path / "x.xlsx"))


@pytest.mark.django_db
def test_the_builder_reports_progress(world, sam):
    calls = []
    build_annex_a(
        authority=world.authority, period=PERIOD, progress=lambda d, t: calls.append((d, t))
    )
    # One contact, one early help assessment, one referral, one assessment, one section 47,
    # one episode, one plan.
    assert calls == [(i, 7) for i in range(8)]


def test_safeguard_export_annex_a_help(capsys):
    assert command_argv(["export-annex-a", "--as-of", "2026-09-30"]) == [
        "export_annex_a", "--as-of", "2026-09-30"
    ]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(["export-annex-a", "--help"])
    assert exit_info.value.code == 0
    assert "--as-of" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.django_db
def test_the_command_end_to_end_on_a_demo_borough(tmp_path, settings):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", children=60, seed=2009, as_at="2026-05-01", stdout=io.StringIO())
    out = tmp_path / "annex-a.xlsx"
    stdout = io.StringIO()
    call_command("export_annex_a", as_of="2026-05-01", output=str(out), stdout=stdout)
    book = load_workbook(out)
    assert book.sheetnames == SHEETS
    for name, headers in HEADERS.items():
        assert book[name]["A1"].value == TITLES[name]
        assert [c.value for c in book[name][2]] == headers
    # A real borough, not empty sheets: the social care lists all have rows.
    for name in ("List_3", "List_4", "List_5", "List_6", "List_7"):
        assert book[name].max_row > 2, f"{name} is empty"
    # Every coded cell holds one of the template's codes (or a DfE code added since).
    for name, headers in HEADERS.items():
        for index, heading in enumerate(headers):
            allowed = codes_for(heading)
            if allowed is None:
                continue
            for (value,) in book[name].iter_rows(
                min_row=3, min_col=index + 1, max_col=index + 1, values_only=True
            ):
                assert value is None or value in allowed, (name, heading, value)
    for name in ("List_6", "List_7"):
        ids = [r[0] for r in book[name].iter_rows(min_row=3, values_only=True)]
        assert len(ids) == len(set(ids)), f"{name} lists a child twice"
    for row in book["List_6"].iter_rows(min_row=3, values_only=True):
        assert row[0] and row[1] in {"a) Male", "b) Female", "c) Not stated/recorded"}
        assert isinstance(row[6], datetime)  # CIN Start Date, a real date
        assert row[11], "Case status is never blank"
    for row in book["List_7"].iter_rows(min_row=3, values_only=True):
        assert row[13] in {"a) Yes", "b) No", None} and row[14] is not None
