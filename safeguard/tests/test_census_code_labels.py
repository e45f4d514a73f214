"""Issue 11 item 16: every census code list's labels follow the 2025-26 code list's wording,
as the census XSD words it (``returns/schemas/CIN_schema_2026.xsd``, the 2025-26 file).

Sentence case and a colon for the list's dash are allowed; nothing else. Factor labels keep
the list's heading (its words before the first colon or dash) and shorten what follows."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from safeguard.assessments.codes import Factor
from safeguard.casework.codes import ClosureReason, PrimaryNeed, ReferralSource
from safeguard.people.codes import Disability, Ethnicity, Sex
from safeguard.protection.codes import CategoryOfAbuse

XSD = Path(__file__).resolve().parents[1] / "returns" / "schemas" / "CIN_schema_2026.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _code_list(name: str) -> dict[str, str]:
    root = ElementTree.parse(XSD).getroot()  # noqa: S314 - the repository's own schema file
    for simple in root.iter(f"{XS}simpleType"):
        if simple.get("name") == name:
            return {
                e.get("value"): e.findtext(f".//{XS}documentation", "").strip()
                for e in simple.iter(f"{XS}enumeration")
            }
    raise AssertionError(f"{name} is not in {XSD.name}")


def _plain(text: str) -> str:
    """Case, the list's dashes and its typographic quotes aside."""
    text = text.replace("’", "'").replace(" – ", ": ").replace(" - ", ": ").lstrip("(")
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.parametrize(
    ("codes", "xsd_name"),
    [
        (PrimaryNeed, "primaryneedcodetype"),
        (ClosureReason, "reasonforclosuretype"),
        (ReferralSource, "referralsourcetype"),
        (CategoryOfAbuse, "categoryofabusetype"),
        (Ethnicity, "ethnicitytype"),
        (Disability, "disabilitytype"),
        (Sex, "sextype"),
    ],
)
def test_labels_are_the_2025_26_wording(codes, xsd_name):
    census = _code_list(xsd_name)
    assert set(codes.values) == set(census)
    wrong = {
        code: (label, census[code])
        for code, label in codes.choices
        if _plain(label) != _plain(census[code])
    }
    assert wrong == {}


def test_n1_is_abuse_neglect_and_exploitation():
    assert PrimaryNeed.N1.label == "Abuse, neglect and exploitation"


def _heading(text: str) -> str:
    return re.split(r":| – | - ", text, maxsplit=1)[0].strip()


def test_factor_labels_keep_the_code_lists_headings():
    census = _code_list("assessmentfactorstype")
    # 18A and 19A: legacy codes the community file keeps by a client's request; not offered.
    assert set(Factor.values) == set(census) - {"18A", "19A"}
    wrong = {
        code: (label, census[code])
        for code, label in Factor.choices
        if _plain(_heading(label)) != _plain(_heading(census[code]))
    }
    assert wrong == {}
