"""The CIN census XML: elements in the order the schema's sequences require, booleans as 0/1.

The layout follows the community XSD for the year (``returns/schemas/``, standards.md §1):
no namespace, root ``<Message>``, a ``<Header>`` then ``<Children>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime

from safeguard.returns.builders.cin import (
    CinAssessment,
    CinChild,
    CinEpisode,
    CinProtectionPlan,
    CinReturn,
    CinSection47,
)

SOFTWARE_CODE = "Safeguard"


def _text(parent: ET.Element, tag: str, value) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if isinstance(value, bool):
        element.text = "1" if value else "0"
    elif isinstance(value, date):
        element.text = value.isoformat()
    else:
        element.text = str(value)
    return element


def _optional(parent: ET.Element, tag: str, value) -> None:
    if value not in (None, ""):
        _text(parent, tag, value)


def render_cin_xml(
    census: CinReturn, *, generated_at: datetime, release: str = "", serial_no: int = 1
) -> bytes:
    """The return as UTF-8 XML bytes, with an XML declaration."""
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", census.year.end_year)
    _text(details, "ReferenceDate", census.year.reference_date)
    source = ET.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", census.la_code)
    _text(source, "SoftwareCode", SOFTWARE_CODE)
    _optional(source, "Release", release)
    _text(source, "SerialNo", f"{serial_no:03d}")
    _text(source, "DateTime", generated_at.replace(microsecond=0, tzinfo=None).isoformat())
    children = ET.SubElement(message, "Children")
    for child in census.children:
        _child(children, child)
    ET.indent(message, space="  ")
    return ET.tostring(message, encoding="UTF-8", xml_declaration=True) + b"\n"


def _child(parent: ET.Element, child: CinChild) -> None:
    element = ET.SubElement(parent, "Child")
    ids = ET.SubElement(element, "ChildIdentifiers")
    _text(ids, "LAchildID", child.la_child_id)
    _optional(ids, "UPN", child.upn)
    _optional(ids, "FormerUPN", child.former_upn)
    _optional(ids, "UPNunknown", child.upn_unknown)
    _optional(ids, "PersonBirthDate", child.birth_date)
    if child.birth_date is None:
        _optional(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
    _text(ids, "Sex", child.sex)
    _optional(ids, "PersonDeathDate", child.death_date)
    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = ET.SubElement(characteristics, "Disabilities")
        for code in child.disabilities:
            _text(disabilities, "Disability", code)
    for episode in child.episodes:
        _episode(element, episode)


def _episode(parent: ET.Element, episode: CinEpisode) -> None:
    element = ET.SubElement(parent, "CINdetails")
    _text(element, "CINreferralDate", episode.referral_date)
    _text(element, "ReferralSource", episode.referral_source)
    _optional(element, "PrimaryNeedCode", episode.primary_need)
    _optional(element, "CINclosureDate", episode.closure_date)
    _optional(element, "ReasonForClosure", episode.closure_reason)
    # An initial conference is given on its section 47 (rule 2884); the episode's own is for
    # one recorded without an enquiry (from an imported census).
    _optional(element, "DateOfInitialCPC", episode.icpc_date)
    for assessment in episode.assessments:
        _assessment(element, assessment)
    for plan in episode.cin_plans:
        dates = ET.SubElement(element, "CINPlanDates")
        _text(dates, "CINPlanStartDate", plan.start_date)
        _optional(dates, "CINPlanEndDate", plan.end_date)
    for enquiry in episode.section47s:
        _section47(element, enquiry)
    _text(element, "ReferralNFA", episode.referral_nfa)
    for plan in episode.cp_plans:
        _cp_plan(element, plan)


def _assessment(parent: ET.Element, assessment: CinAssessment) -> None:
    element = ET.SubElement(parent, "Assessments")
    _text(element, "AssessmentActualStartDate", assessment.start_date)
    _optional(element, "AssessmentInternalReviewDate", assessment.internal_review_date)
    _optional(element, "AssessmentAuthorisationDate", assessment.authorisation_date)
    if assessment.factors:
        factors = ET.SubElement(element, "FactorsIdentifiedAtAssessment")
        for code in assessment.factors:
            _text(factors, "AssessmentFactors", code)


def _section47(parent: ET.Element, enquiry: CinSection47) -> None:
    element = ET.SubElement(parent, "Section47")
    _text(element, "S47ActualStartDate", enquiry.start_date)
    _optional(element, "InitialCPCtarget", enquiry.icpc_target)
    _optional(element, "DateOfInitialCPC", enquiry.icpc_date)
    _text(element, "ICPCnotRequired", enquiry.icpc_not_required)


def _cp_plan(parent: ET.Element, plan: CinProtectionPlan) -> None:
    element = ET.SubElement(parent, "ChildProtectionPlans")
    _text(element, "CPPstartDate", plan.start_date)
    _optional(element, "CPPendDate", plan.end_date)
    _text(element, "InitialCategoryOfAbuse", plan.initial_category)
    _text(element, "LatestCategoryOfAbuse", plan.latest_category)
    _optional(element, "NumberOfPreviousCPP", plan.previous_plans)
    if plan.review_dates:
        reviews = ET.SubElement(element, "Reviews")
        for day in plan.review_dates:
            _text(reviews, "CPPreviewDate", day)
