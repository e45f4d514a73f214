"""CI: the demo borough's CIN census export passes the DfE validator with no error rules.

The demo borough (300 children, fixed seed and date) is generated, ``export-cin`` writes the
2025-26 and 2024-25 returns, and csc-validator-be-cin checks each in its own environment with
the ruleset of the file's year, after the community XSD for that year. Queries (rule numbers
ending in Q) are warnings and allowed; any error rule fails the test with the list of issues.
"""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from safeguard.returns.tests.oracle import describe, run_oracle, schema_for

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_demo_borough_export_passes_the_dfe_validator(tmp_path, settings):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"
    call_command("demo", children=300, seed=2009, as_at="2026-05-01", stdout=io.StringIO())

    for year, end_year in (("2025-26", 2026), ("2024-25", 2025)):
        path = tmp_path / f"cin-{year}.xml"
        stderr = io.StringIO()
        call_command("export_cin", year=year, output=str(path), stdout=io.StringIO(), stderr=stderr)
        root = ET.parse(path).getroot()  # noqa: S314 (our own file)
        # A real return, not an empty one: every module is exercised.
        assert len(root.findall("Children/Child")) >= 40
        for tag in ("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans"):
            assert root.findall(f"Children/Child/CINdetails/{tag}"), f"{year}: no {tag}"
        assert root.findall("Children/Child/CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate")

        result = run_oracle(path, schema_for(end_year))
        assert result["ruleset"] == str(end_year)
        assert result["xsd_errors"] == [], "\n".join(result["xsd_errors"])
        errors = [i for i in result["issues"] if i["level"] == "error"]
        assert not errors, f"{year}: the DfE validator found errors:\n{describe(errors)}"


def test_the_oracle_does_catch_errors(tmp_path):
    """The gate is real: a hand-written file with known faults fails with exactly those rules."""
    path = tmp_path / "bad.xml"
    path.write_text(BAD_FILE)
    result = run_oracle(path, schema_for(2026))
    errors = {i["rule"] for i in result["issues"] if i["level"] == "error"}
    assert {"8650", "8640", "8875"} <= errors
    assert any("N10" in e for e in result["xsd_errors"])


BAD_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year>
      <ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>990</LEA><SoftwareCode>Test</SoftwareCode>
      <Release>1</Release><SerialNo>001</SerialNo><DateTime>2026-04-01T09:00:00</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>BAD1</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate>
        <Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N10</PrimaryNeedCode>
        <CINclosureDate>2025-09-01</CINclosureDate><ReasonForClosure>RC10</ReasonForClosure>
        <Section47><S47ActualStartDate>2025-06-02</S47ActualStartDate>
          <DateOfInitialCPC>2025-06-21</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""
