"""Issue 11 item 13: every element of the 2025-26 census layout is stored on import and
written on export, ``UPNunknown``, ``FormerUPN`` and the episode's own ``DateOfInitialCPC``
included: a file holding every optional element comes back element for element."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from safeguard.core.workdays import add_working_days
from safeguard.people.models import Person
from safeguard.protection.models import ChildProtectionConference, ConferenceKind
from safeguard.returns.tests.oracle import describe, run_oracle, schema_for
from safeguard.returns.tests.test_cin_import import (
    authority,  # noqa: F401 (a fixture)
    canonical,
    every_element_children,
    export,
    message,
    run_import,
    upn,
    write,
)

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "CIN_schema_2026.xsd"


def more_children() -> str:
    """What the round trip's first file leaves out: a former UPN, each kind of reason for a
    missing UPN (a school-age child abroad, a child too young for school), and an initial
    conference given on the episode (no section 47 in the year)."""
    return f"""
    <Child>
      <ChildIdentifiers>
        <LAchildID>FORMER1</LAchildID>
        <UPN>{upn("1000003")}</UPN>
        <FormerUPN>{upn("2000003")}</FormerUPN>
        <PersonBirthDate>2013-09-09</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>BAFR</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-05-05</CINreferralDate>
        <ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N5</PrimaryNeedCode>
        <DateOfInitialCPC>2025-06-02</DateOfInitialCPC>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>NOUPN1</LAchildID>
        <UPNunknown>UN4</UPNunknown>
        <PersonBirthDate>2014-04-04</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WOTH</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-08-01</CINreferralDate>
        <ReferralSource>8</ReferralSource>
        <PrimaryNeedCode>N2</PrimaryNeedCode>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>YOUNG1</LAchildID>
        <UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>2023-01-20</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>CHNE</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-10-01</CINreferralDate>
        <ReferralSource>3B</ReferralSource>
        <PrimaryNeedCode>N3</PrimaryNeedCode>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers>
        <LAchildID>ENDED1</LAchildID>
        <UPN>{upn("1000004")}</UPN>
        <PersonBirthDate>2011-11-11</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-04-14</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Section47>
          <S47ActualStartDate>2025-04-15</S47ActualStartDate>
          <InitialCPCtarget>{add_working_days(date(2025, 4, 15), 15)}</InitialCPCtarget>
          <DateOfInitialCPC>2025-05-06</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2025-05-06</CPPstartDate>
          <CPPendDate>2025-11-04</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2025-07-29</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>"""


def every_optional_element_file() -> str:
    return message(every_element_children() + more_children())


def xsd_elements() -> set[str]:
    """Every element the 2025-26 schema declares, optional or not."""
    return set(re.findall(r'<xs:element name="(\w+)"', SCHEMA.read_text()))


def test_a_file_with_every_element_comes_back_element_for_element(authority, tmp_path):  # noqa: F811
    original = every_optional_element_file()
    # The file holds every element of the layout, each at least once.
    tags = set(re.findall(r"<(\w+)>", original))
    assert xsd_elements() <= tags, xsd_elements() - tags
    assert {"UPNunknown", "FormerUPN", "DateOfInitialCPC"} <= tags
    ok, out, err = run_import(write(tmp_path, "cin.xml", original))
    assert ok, err
    before, after = canonical(original), canonical(export(tmp_path, "2025-26"))
    assert after["header"] == before["header"]
    assert sorted(after["children"]) == sorted(before["children"])
    for la_child_id, elements in before["children"].items():
        assert after["children"][la_child_id] == elements, la_child_id
    # Stored on the records, where a practitioner sees and changes them.
    assert Person.objects.get(la_child_id="NOUPN1").upn_unknown == "UN4"
    assert Person.objects.get(la_child_id="YOUNG1").upn_unknown == "UN1"
    assert Person.objects.get(la_child_id="FORMER1").former_upn == upn("2000003")
    conference = ChildProtectionConference.objects.get(
        case__child__la_child_id="FORMER1", kind=ConferenceKind.INITIAL
    )
    assert conference.section47 is None and str(conference.conference_date) == "2025-06-02"
    # A second import of the same file changes nothing.
    ok, out, err = run_import(write(tmp_path, "cin.xml", original))
    assert ok and "nothing changed" in out, out


@pytest.mark.slow
def test_the_every_element_file_is_a_real_return(tmp_path):
    """The XSD and the DfE validator find no error in it, and no query 8770Q: each child of
    school age without a UPN gives the reason."""
    path = Path(write(tmp_path, "cin.xml", every_optional_element_file()))
    result = run_oracle(path, schema_for(2026))
    assert result["xsd_errors"] == [], result["xsd_errors"]
    errors = [i for i in result["issues"] if i["level"] == "error"]
    assert not errors, describe(errors)
    assert not [i for i in result["issues"] if i["rule"] == "8770Q"], describe(result["issues"])


def test_a_practitioner_records_the_former_upn_and_the_reason_there_is_no_upn(world, client):
    """The fields the census needs are on the person form, checked, and shown."""
    sam = world.child_sam
    client.force_login(world.sw_amy)
    page = client.get(reverse("people:edit", args=[sam.pk])).content.decode()
    assert 'name="former_upn"' in page and 'name="upn_unknown"' in page
    form = {
        "given_names": sam.given_names, "family_name": sam.family_name,
        "date_of_birth_day": "14", "date_of_birth_month": "3", "date_of_birth_year": "2015",
        "sex": "M", "ethnicity": "WBRI", "nhs_number": sam.nhs_number,
        "la_child_id": sam.la_child_id, "version": sam.version,
    }  # fmt: skip
    refused = client.post(
        reverse("people:edit", args=[sam.pk]), {**form, "former_upn": "NOT A UPN"}
    )
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    response = client.post(
        reverse("people:edit", args=[sam.pk]),
        {**form, "former_upn": upn("2000009"), "upn_unknown": "UN2"},
    )
    assert response.status_code == 302
    sam.refresh_from_db()
    assert (sam.former_upn, sam.upn_unknown) == (upn("2000009"), "UN2")
    shown = client.get(reverse("people:detail", args=[sam.pk])).content.decode()
    assert upn("2000009") in shown and "has never attended a state-funded school" in shown
