"""``safeguard import-cin``: both layouts (GenderCurrent and Sex), merging overlapping years
(kpis.md §6), a second import changing nothing, broken files refused whole with a report,
``--skip-invalid``, and the round trip import -> export giving back every element."""

import hashlib
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from stdnum.gb import upn as stdnum_upn

from safeguard.accounts.models import LocalAuthority, User
from safeguard.assessments.models import Assessment
from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import Case, ChronologyEntry, CINPlan
from safeguard.cli import command_argv, main
from safeguard.core.workdays import add_working_days
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceKind,
    Section47Enquiry,
    StrategyDecision,
    StrategyDiscussion,
)
from safeguard.returns.tests.oracle import describe, run_oracle, schema_for

D = date
LA = "991"


def upn(serial: str) -> str:
    """A UPN with the right check letter, LA 001 (pseudo-LA, rule 1530)."""
    rest = f"001{serial:0>9}"
    return stdnum_upn.calc_check_digit(rest) + rest


def message(children: str, *, end_year: int = 2026, lea: str = LA) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>{end_year}</Year>
      <ReferenceDate>{end_year}-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>{lea}</LEA>
      <SoftwareCode>Hand</SoftwareCode>
      <Release>1</Release>
      <SerialNo>001</SerialNo>
      <DateTime>{end_year}-04-02T09:00:00</DateTime>
    </Source>
  </Header>
  <Children>
{children}
  </Children>
</Message>
"""


STRATEGY = D(2025, 5, 20)
TARGET = add_working_days(STRATEGY, 15)


def every_element_children() -> str:
    """Every element the census export writes, in a 2025-26 file that passes the DfE rules:
    a child on a plan (from elsewhere before), an unborn child, a child who died, an NFA."""
    return f"""
    <Child>
      <ChildIdentifiers>
        <LAchildID>ALL1</LAchildID>
        <UPN>{upn("1000001")}</UPN>
        <PersonBirthDate>2015-06-01</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>MWBC</Ethnicity>
        <Disabilities>
          <Disability>MOB</Disability>
          <Disability>HAND</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-04-10</CINreferralDate>
        <ReferralSource>3E</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2025-04-11</AssessmentActualStartDate>
          <AssessmentInternalReviewDate>2025-05-01</AssessmentInternalReviewDate>
          <AssessmentAuthorisationDate>2025-05-19</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3B</AssessmentFactors>
            <AssessmentFactors>4B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates>
          <CINPlanStartDate>2025-05-19</CINPlanStartDate>
          <CINPlanEndDate>2025-06-10</CINPlanEndDate>
        </CINPlanDates>
        <Section47>
          <S47ActualStartDate>{STRATEGY}</S47ActualStartDate>
          <InitialCPCtarget>{TARGET}</InitialCPCtarget>
          <DateOfInitialCPC>2025-06-10</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2025-06-10</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>2</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2025-09-09</CPPreviewDate>
            <CPPreviewDate>2026-03-03</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>DIED1</LAchildID>
        <UPN>{upn("1000002")}</UPN>
        <PersonBirthDate>2012-02-02</PersonBirthDate>
        <Sex>M</Sex>
        <PersonDeathDate>2025-12-01</PersonDeathDate>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-04-02</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N4</PrimaryNeedCode>
        <CINclosureDate>2025-12-01</CINclosureDate>
        <ReasonForClosure>RC2</ReasonForClosure>
        <Assessments>
          <AssessmentActualStartDate>2025-04-03</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-05-01</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>21</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates>
          <CINPlanStartDate>2025-05-02</CINPlanStartDate>
          <CINPlanEndDate>2025-12-01</CINPlanEndDate>
        </CINPlanDates>
        <Section47>
          <S47ActualStartDate>2025-04-03</S47ActualStartDate>
          <InitialCPCtarget>{add_working_days(D(2025, 4, 3), 15)}</InitialCPCtarget>
          <ICPCnotRequired>1</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>NFA1</LAchildID>
        <PersonBirthDate>2018-03-03</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>AIND</Ethnicity>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-07-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N9</PrimaryNeedCode>
        <CINclosureDate>2025-07-01</CINclosureDate>
        <ReasonForClosure>RC7</ReasonForClosure>
        <ReferralNFA>1</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>UNB1</LAchildID>
        <ExpectedPersonBirthDate>2026-05-01</ExpectedPersonBirthDate>
        <Sex>U</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>NOBT</Ethnicity>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2026-01-12</CINreferralDate>
        <ReferralSource>3B</ReferralSource>
        <PrimaryNeedCode>N0</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2026-01-13</AssessmentActualStartDate>
        </Assessments>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>"""


@pytest.fixture
def authority(db):
    return LocalAuthority.objects.create(name="Testshire Borough", dfe_la_code=LA)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_import(*files, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_cin", *files, stdout=out, stderr=err, **options)
    except CommandError as error:
        return None, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def export(tmp_path, year: str, *, code: str = LA) -> str:
    path = tmp_path / f"export-{year}-{code}.xml"
    err = io.StringIO()
    call_command(
        "export_cin", year=year, output=str(path), authority_code=code,
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    return path.read_text(encoding="utf-8")


HEADER_NOISE = {"SoftwareCode", "Release", "SerialNo", "DateTime"}


def canonical(xml_text: str) -> dict:
    """The document as comparable data: the header's census fields, and per LAchildID every
    element of the child as (path, text) in document order. Only the producing software's
    own header fields (name, release, serial, time of writing) are left out."""
    root = ET.fromstring(xml_text.encode())  # noqa: S314 (files written by the test)

    def flat(element, path=""):
        here = f"{path}/{element.tag}"
        items = [(here, (element.text or "").strip())]
        for child in element:
            items.extend(flat(child, here))
        return items

    header = [
        (p, t) for p, t in flat(root.find("Header")) if p.rsplit("/", 1)[1] not in HEADER_NOISE
    ]
    children = {
        c.findtext("ChildIdentifiers/LAchildID"): flat(c) for c in root.findall("Children/Child")
    }
    return {"header": header, "children": children}


def snapshot_rows() -> tuple[dict, str]:
    """Row counts of every Safeguard table, and a hash of all their rows."""
    counts, digest = {}, hashlib.sha256()
    for model in apps.get_models():
        if not model.__module__.startswith("safeguard."):
            continue
        rows = list(model.objects.order_by("pk").values())
        counts[model._meta.label] = len(rows)
        digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    return counts, digest.hexdigest()


# --- Round trip ---------------------------------------------------------------------------


def test_every_element_survives_the_round_trip(authority, tmp_path):
    original = message(every_element_children())
    ok, out, err = run_import(write(tmp_path, "cin.xml", original))
    assert ok, err
    assert "Imported 4 children" in out
    exported = export(tmp_path, "2025-26")
    before, after = canonical(original), canonical(exported)
    assert after["header"] == before["header"]
    assert sorted(after["children"]) == ["ALL1", "DIED1", "NFA1", "UNB1"]
    for la_child_id, elements in before["children"].items():
        assert after["children"][la_child_id] == elements, la_child_id
    # Every element the writer can emit was in the file, so every one was carried across.
    tags = {p.rsplit("/", 1)[1] for items in before["children"].values() for p, _ in items}
    assert {
        "UPN", "PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate", "Disability",
        "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure", "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate", "AssessmentFactors", "CINPlanEndDate", "InitialCPCtarget",
        "DateOfInitialCPC", "ICPCnotRequired", "NumberOfPreviousCPP", "CPPreviewDate",
    } <= tags  # fmt: skip
    # What the census does not carry is recorded honestly (decision 0010).
    child = Person.objects.get(la_child_id="ALL1")
    assert child.family_name == "Not recorded (ALL1)"
    plan = ChildProtectionPlan.objects.get(case__child=child)
    assert plan.previous_plans_elsewhere == 2


@pytest.mark.slow
def test_a_reconvened_strategy_discussion_moves_the_target_not_the_first_discussion(
    authority, tmp_path
):
    # Item 19 of issue 11: the ICPC target counts from the last strategy discussion held for
    # the enquiry, on export, and a re-import of that export changes neither discussion.
    assert run_import(write(tmp_path, "cin.xml", message(every_element_children())))[0]
    enquiry = Section47Enquiry.objects.get(case__child__la_child_id="ALL1")
    first = enquiry.strategy_discussion
    assert first.discussion_date == STRATEGY
    again = StrategyDiscussion.objects.create(
        case=enquiry.case, discussion_date=D(2025, 5, 27), decision=StrategyDecision.SECTION_47,
        chaired_by=first.chaired_by,
    )  # fmt: skip
    exported = export(tmp_path, "2025-26")
    targets = [p for p in canonical(exported)["children"]["ALL1"] if p[0].endswith("/InitialCPCtarget")]
    assert targets == [(targets[0][0], str(add_working_days(D(2025, 5, 27), 15)))]
    ok, out, err = run_import(write(tmp_path, "again.xml", exported))
    assert ok, err
    first.refresh_from_db()
    again.refresh_from_db()
    assert (first.discussion_date, again.discussion_date) == (STRATEGY, D(2025, 5, 27))


def test_the_hand_built_file_passes_the_dfe_validator(tmp_path):
    """The round trip's fixture is a real return: the DfE validator and the community XSD
    find no error in it."""
    path = Path(write(tmp_path, "cin.xml", message(every_element_children())))
    result = run_oracle(path, schema_for(2026))
    assert result["xsd_errors"] == [], result["xsd_errors"]
    errors = [i for i in result["issues"] if i["level"] == "error"]
    assert not errors, describe(errors)


class _Rollback(Exception):
    pass


@pytest.mark.slow
def test_demo_borough_round_trip_into_an_empty_database(db, tmp_path, settings):
    """The demo borough's two years, exported, imported (newest file first) into an empty
    database, and exported again: the same documents, element by element."""
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    originals = {}
    with pytest.raises(_Rollback), transaction.atomic():
        call_command("demo", children=150, seed=2009, as_at="2026-05-01", stdout=io.StringIO())
        code = LocalAuthority.objects.get().dfe_la_code
        for year in ("2024-25", "2025-26"):
            originals[year] = export(tmp_path, year, code=code)
        raise _Rollback
    assert not Person.objects.exists()
    LocalAuthority.objects.create(name="Kingsmere", dfe_la_code=code)
    files = [write(tmp_path, f"{y}.xml", t) for y, t in sorted(originals.items(), reverse=True)]
    ok, out, err = run_import(*files)
    assert ok, err
    for year, original in originals.items():
        before, after = canonical(original), canonical(export(tmp_path, year, code=code))
        assert len(before["children"]) >= 20
        assert after == before, year


# --- Layouts ------------------------------------------------------------------------------


def test_the_2023_24_layout_with_gender_current(authority, tmp_path):
    children = "".join(
        f"""
    <Child>
      <ChildIdentifiers><LAchildID>G{code}</LAchildID><UPNunknown>UN2</UPNunknown>
        <PersonBirthDate>2016-01-0{n}</PersonBirthDate><GenderCurrent>{code}</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2023-06-0{n}</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N5</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails>
    </Child>"""
        for n, code in enumerate(("1", "2", "9"), start=1)
    )
    ok, out, err = run_import(write(tmp_path, "2023-24.xml", message(children, end_year=2024)))
    assert ok, err
    assert "CIN census 2023-24" in out
    sexes = dict(Person.objects.values_list("la_child_id", "sex"))
    assert sexes == {"G1": "M", "G2": "F", "G9": "U"}
    assert Case.objects.filter(referral_date=D(2023, 6, 2), primary_need="N5").count() == 1
    # Exported for its year, the same children come back in the current layout (<Sex>).
    exported = ET.fromstring(export(tmp_path, "2023-24").encode())  # noqa: S314
    assert [c.findtext("ChildIdentifiers/Sex") for c in exported.iter("Child")] == ["M", "F", "U"]


# --- Merging ------------------------------------------------------------------------------


def episode_years(*, newer: bool) -> str:
    """One child across two years. In 2024-25 the episode is open with a plan reviewed once;
    in 2025-26 the plan ends, the episode closes, an earlier episode closed in 2024-25 is
    left out (it ended before the year), the assessment is authorised and its review date is
    left empty."""
    earlier = (
        ""
        if newer
        else """
      <CINdetails>
        <CINreferralDate>2024-04-02</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N0</PrimaryNeedCode><CINclosureDate>2024-04-02</CINclosureDate>
        <ReasonForClosure>RC7</ReasonForClosure><ReferralNFA>1</ReferralNFA>
      </CINdetails>"""
    )
    closure = (
        "<CINclosureDate>2025-09-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>"
        if newer
        else ""
    )
    assessment = (
        "<AssessmentAuthorisationDate>2025-04-22</AssessmentAuthorisationDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>16A</AssessmentFactors>"
        "</FactorsIdentifiedAtAssessment>"
        if newer
        else "<AssessmentInternalReviewDate>2025-02-10</AssessmentInternalReviewDate>"
    )
    end = "<CPPendDate>2025-08-29</CPPendDate>" if newer else ""
    reviews = (
        "<CPPreviewDate>2025-06-02</CPPreviewDate>"
        if newer
        else ("<CPPreviewDate>2024-10-01</CPPreviewDate>")
    )
    s47 = (
        ""
        if newer
        else """
        <Section47><S47ActualStartDate>2024-06-24</S47ActualStartDate>
          <DateOfInitialCPC>2024-07-08</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired>
        </Section47>"""
    )
    return f"""
    <Child>
      <ChildIdentifiers><LAchildID>M1</LAchildID><UPN>{upn("2000001")}</UPN>
        <PersonBirthDate>2014-02-02</PersonBirthDate><Sex>{"F" if newer else "U"}</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>{"BAFR" if newer else "NOBT"}</Ethnicity></ChildCharacteristics>{earlier}
      <CINdetails>
        <CINreferralDate>2024-06-03</CINreferralDate><ReferralSource>5A</ReferralSource>
        <PrimaryNeedCode>{"N1" if newer else "N0"}</PrimaryNeedCode>{closure}
        <Assessments><AssessmentActualStartDate>2025-01-06</AssessmentActualStartDate>
          {assessment}</Assessments>{s47}
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2024-07-08</CPPstartDate>{end}
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>{"PHY" if newer else "NEG"}</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>{reviews}</Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>"""


@pytest.fixture
def two_years(tmp_path):
    older = write(tmp_path, "2024-25.xml", message(episode_years(newer=False), end_year=2025))
    newer = write(tmp_path, "2025-26.xml", message(episode_years(newer=True), end_year=2026))
    return older, newer


@pytest.mark.parametrize("order", ["oldest first", "newest first"])
def test_overlapping_years_merge_without_duplicates(authority, two_years, order):
    files = two_years if order == "oldest first" else two_years[::-1]
    ok, out, err = run_import(*files)
    assert ok, err
    assert Person.objects.count() == 1
    child = Person.objects.get()
    # Two episodes: the one both files hold once, and the older one the newer file left out.
    assert Case.objects.count() == 2
    assert Assessment.objects.count() == 1
    assert ChildProtectionPlan.objects.count() == 1
    assert Section47Enquiry.objects.count() == 1
    # The newer file's values win, and what it leaves empty is cleared.
    assert (child.sex, child.ethnicity) == ("F", "BAFR")
    case = Case.objects.get(referral_date=D(2024, 6, 3))
    assert (case.closure_date, case.closure_reason) == (D(2025, 9, 1), "RC7")
    assessment = Assessment.objects.get()
    assert (assessment.internal_review_date, assessment.completed_date) == (None, D(2025, 4, 22))
    assert assessment.factors == ["16A"] and case.primary_need == "N1"
    plan = ChildProtectionPlan.objects.get()
    assert (plan.end_date, plan.latest_category, plan.end_reason) == (
        D(2025, 8, 29),
        "PHY",
        "risk_reduced",
    )
    # Review dates are the union of both files.
    reviews = ChildProtectionConference.objects.filter(kind=ConferenceKind.REVIEW)
    assert sorted(reviews.values_list("conference_date", flat=True)) == [
        D(2024, 10, 1), D(2025, 6, 2)
    ]  # fmt: skip
    # The older file's ICPC is kept and linked to the plan it started.
    icpc = ChildProtectionConference.objects.get(kind=ConferenceKind.INITIAL)
    assert (icpc.conference_date, icpc.plan_id) == (D(2024, 7, 8), plan.pk)
    assert out.index("2024-25") < out.index("2025-26")


def test_importing_a_file_again_changes_nothing(authority, two_years):
    assert run_import(*two_years)[0]
    counts, digest = snapshot_rows()
    events = ChangeEvent.objects.count()
    ok, out, err = run_import(two_years[1])
    assert ok, err
    assert snapshot_rows() == (counts, digest)
    assert ChangeEvent.objects.count() == events
    assert "nothing created; nothing changed" in out
    # Both files again, in either order: still nothing.
    assert run_import(*two_years[::-1])[0]
    assert snapshot_rows() == (counts, digest)


def test_an_older_file_after_a_newer_one_does_not_undo_it(authority, two_years):
    """Across imports the newest census still wins: a child already holding a newer census
    is refused (with --skip-invalid: left as they are) when an older file comes later."""
    older, newer = two_years
    assert run_import(newer)[0]
    counts, digest = snapshot_rows()
    ok, out, err = run_import(older)
    assert ok is None
    assert "child M1: this child's records already hold the census of 31 March 2026" in err
    ok, out, err = run_import(older, skip_invalid=True)
    assert ok and "1 child not imported" in out
    assert snapshot_rows() == (counts, digest)
    # Given together, the files merge as if imported oldest first.
    assert run_import(older, newer)[0]
    assert Case.objects.count() == 2
    assert Case.objects.get(referral_date=D(2024, 6, 3)).closure_date == D(2025, 9, 1)


def test_records_are_written_as_the_services_write_them(authority, tmp_path):
    assert run_import(write(tmp_path, "cin.xml", message(every_element_children())))[0]
    account = User.objects.get(username=f"census-import-{LA}")
    assert not account.is_active and not account.has_usable_password() and account.role == ""
    child = Person.objects.get(la_child_id="ALL1")
    case = Case.objects.get(child=child)
    assert case.created_by == account
    created = ChangeEvent.objects.filter(target_type="casework.case", target_id=str(case.pk))
    assert created.get().user == account
    assert ChangeEvent.objects.exclude(user=account).count() == 0
    assert ChildProtectionConference.objects.filter(chaired_by=account).count() == 3
    whats = list(ChronologyEntry.objects.filter(child=child).values_list("what", flat=True))
    assert "Initial child protection conference: child protection plan, category neglect" in whats
    assert "Child in need plan ended" in whats
    assert CINPlan.objects.get(case=case).end_date == D(2025, 6, 10)


# --- Broken files -------------------------------------------------------------------------


def one_child(la_child_id="OK1", *, birth="2016-01-01", source="2A", id_element=True) -> str:
    ident = f"<LAchildID>{la_child_id}</LAchildID>" if id_element else ""
    return f"""
    <Child>
      <ChildIdentifiers>{ident}
        <PersonBirthDate>{birth}</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2025-06-02</CINreferralDate>
        <ReferralSource>{source}</ReferralSource><PrimaryNeedCode>N5</PrimaryNeedCode>
        <ReferralNFA>0</ReferralNFA></CINdetails>
    </Child>"""


def line_of(text: str, needle: str, *, after: str = "") -> int:
    return text[: text.index(needle, text.index(after))].count("\n") + 1


@pytest.mark.parametrize(
    "child, needle, expected",
    [
        (one_child("BADDATE", birth="2016-02-30"), "<PersonBirthDate>2016-02-30", "child BADDATE: <PersonBirthDate> '2016-02-30' is not a date"),
        (one_child("BADCODE", source="ZZ"), "<CINdetails>", "child BADCODE: rule 8866: The episode's referral source is missing or not a census code. (episode referred 2 June 2025: source 'ZZ')"),
        (one_child(id_element=False), "<ChildIdentifiers>\n        <PersonBirthDate>", "child (no LAchildID): <ChildIdentifiers> has no <LAchildID>"),
    ],
)  # fmt: skip
def test_a_broken_file_is_refused_whole_with_a_report(authority, tmp_path, child, needle, expected):
    text = message(one_child("GOOD1") + child)
    before = snapshot_rows()
    ok, out, err = run_import(write(tmp_path, "broken.xml", text))
    assert ok is None
    after = expected.split(":")[0].removeprefix("child ").replace("(no LAchildID)", "")
    assert f"line {line_of(text, needle, after=after)}: {expected}" in err
    assert "nothing was imported" in err and "--skip-invalid" in err
    assert snapshot_rows() == before
    assert not Person.objects.exists()


def test_malformed_xml_is_refused_with_its_line(authority, tmp_path):
    text = message(one_child("GOOD1")).replace("</ChildIdentifiers>", "</ChildIdentifier>", 1)
    ok, out, err = run_import(write(tmp_path, "malformed.xml", text), skip_invalid=True)
    assert ok is None
    assert f"line {line_of(text, '</ChildIdentifier>')}: the file is not well-formed XML" in err
    assert "nothing was imported" in err
    assert not Person.objects.exists() and not User.objects.exists()


def test_a_file_for_another_authority_or_with_a_doctype_is_refused(authority, tmp_path):
    ok, _, err = run_import(write(tmp_path, "other.xml", message(one_child(), lea="992")))
    assert ok is None and "the file is for LA 992" in err
    entity = '<?xml version="1.0"?>\n<!DOCTYPE M [<!ENTITY x "y">]>\n<Message/>'
    ok, _, err = run_import(write(tmp_path, "doctype.xml", entity))
    assert ok is None and "line 2: a document type declaration is not allowed" in err
    assert not Person.objects.exists()


def test_skip_invalid_imports_the_valid_children_and_reports_the_rest(authority, tmp_path):
    text = message(one_child("GOOD1") + one_child("BAD1", source="ZZ") + one_child("GOOD2"))
    ok, out, err = run_import(write(tmp_path, "mixed.xml", text), skip_invalid=True)
    assert ok, err
    assert sorted(Person.objects.values_list("la_child_id", flat=True)) == ["GOOD1", "GOOD2"]
    assert f"line {line_of(text, '<CINdetails>', after='BAD1')}: child BAD1: rule 8866" in err
    assert "Imported 2 children" in out and "1 child not imported" in out


def test_a_child_whose_upn_belongs_to_someone_else_refuses_the_file(tmp_path, world):
    taken = upn("3000001")
    world.child_sam.upn = taken
    world.child_sam.save()
    text = message(one_child("GOOD1") + one_child("CLASH").replace(
        "<Sex>M</Sex>", f"<UPN>{taken}</UPN><Sex>M</Sex>"
    ))  # fmt: skip
    people = Person.objects.count()
    ok, out, err = run_import(write(tmp_path, "clash.xml", text), authority_code=LA, by="al")
    assert ok is None
    assert f"child CLASH: the UPN {taken} is already recorded for another person" in err
    assert Person.objects.count() == people
    ok, out, err = run_import(
        write(tmp_path, "clash.xml", text), authority_code=LA, skip_invalid=True, by="al"
    )
    assert ok and Person.objects.filter(la_child_id="GOOD1").exists()
    # The child left out is not counted among what was created.
    assert "Imported 1 child for" in out and "created 1 child, 1 episode;" in out
    assert not Person.objects.filter(la_child_id="CLASH").exists()


def test_a_upn_held_in_another_authority_neither_blocks_nor_shows(tmp_path, world):
    """UPNs are unique within an authority (issue 11, item 7): another authority's child with
    the same UPN is never consulted, so the import goes on and the output says nothing."""
    shared = upn("3000002")
    world.outsider.upn = shared
    world.outsider.save()
    text = message(one_child("MINE").replace("<Sex>M</Sex>", f"<UPN>{shared}</UPN><Sex>M</Sex>"))
    ok, out, err = run_import(write(tmp_path, "mine.xml", text), authority_code=LA, by="al")
    assert ok, err
    mine = Person.objects.get(la_child_id="MINE")
    assert (mine.authority, mine.upn) == (world.authority, shared)
    assert shared not in out + err and world.outsider.family_name not in out + err


# --- The command line ---------------------------------------------------------------------


def test_safeguard_import_cin_is_the_command(capsys):
    assert command_argv(["import-cin", "a.xml", "--skip-invalid"]) == [
        "import_cin", "a.xml", "--skip-invalid"
    ]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(["import-cin", "--help"])
    assert exit_info.value.code == 0
    assert "--skip-invalid" in capsys.readouterr().out
