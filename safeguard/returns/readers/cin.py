"""Reading a CIN census XML file back into the return's dataclasses, with line numbers.

The file is parsed with the standard library's expat parser (no DTDs, no entities), into a
small tree that remembers the line each element starts on, so that every problem names its
line. Both layouts are read: 2023-24 with ``<GenderCurrent>`` (0/1/2/9) and 2024-25 on with
``<Sex>`` (M/F/U). Structural problems (a missing or unknown element, a date that is not a
date, a code not in its list) are found here; the DfE rules are then applied to the children
that are well formed by ``returns.validators.cin``, the same rules the export obeys.
"""

from __future__ import annotations

import re
import uuid
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from safeguard.assessments.codes import Factor
from safeguard.people.codes import UPNUnknown
from safeguard.returns.builders.cin import (
    CinAssessment,
    CinChild,
    CinEpisode,
    CinPlanDates,
    CinProtectionPlan,
    CinReturn,
    CinSection47,
)
from safeguard.returns.census import CensusYear
from safeguard.returns.validators.cin import ERROR, validate_cin_return

# <GenderCurrent> (N00007, to 2023-24): 1 male, 2 female, 0 not known, 9 not specified.
GENDER_CURRENT_TO_SEX = {"1": "M", "2": "F", "0": "U", "9": "U"}
BOOLEANS = {"1": True, "true": True, "0": False, "false": False}
# Elements the census may carry that Safeguard does not keep (decision 0010): the 2026-27
# pre-proceedings block, which the 2023-24 to 2025-26 layouts do not have.
NOT_KEPT = {"PreProceedingsandFGDM"}
# The XSD's upntype: a letter, 11 digits, then a digit or a letter.
UPN_SHAPE = re.compile(r"[A-Za-z]\d{11}[0-9A-Za-z]")


@dataclass
class Node:
    tag: str
    line: int
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def first(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where, which child (if any), and what."""

    line: int
    la_child_id: str
    message: str


@dataclass
class ParsedChild:
    line: int
    la_child_id: str
    child: CinChild | None  # None when the child is not well formed
    problems: list[Problem]


@dataclass
class ParsedFile:
    name: str
    reference_date: date | None
    year: CensusYear | None
    la_code: str
    children: list[ParsedChild]
    file_problems: list[Problem]

    @property
    def valid_children(self) -> list[CinChild]:
        return [c.child for c in self.children if not c.problems and c.child is not None]

    @property
    def invalid_children(self) -> list[ParsedChild]:
        return [c for c in self.children if c.problems]

    def problems(self) -> Iterator[Problem]:
        yield from self.file_problems
        for c in self.children:
            yield from c.problems


def _parse_date(text: str) -> date | None:
    """A census date, YYYY-MM-DD exactly (the XSD's xs:date without a time zone)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Malformed(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _parse_tree(data: bytes) -> Node:
    parser = xml.parsers.expat.ParserCreate()
    stack: list[Node] = []
    root: list[Node] = []

    def start(tag, _attrs):
        node = Node(tag=tag, line=parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag):
        node = stack.pop()
        node.text = node.text.strip()

    def text(chars):
        if stack:
            stack[-1].text += chars

    def refuse_doctype(*_args):
        raise _Malformed(parser.CurrentLineNumber, "a document type declaration is not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise _Malformed(error.lineno, f"the file is not well-formed XML ({error})") from error
    return root[0]


class _Child:
    """Reads one <Child>, collecting problems instead of stopping at the first."""

    def __init__(self, node: Node):
        self.node = node
        self.problems: list[tuple[int, str]] = []
        self.lines: dict[uuid.UUID, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def _id(self, node: Node) -> uuid.UUID:
        record_id = uuid.uuid4()
        self.lines[record_id] = node.line
        return record_id

    def check_known(self, node: Node, known: tuple[str, ...]) -> None:
        for child in node.children:
            if child.tag not in known and child.tag not in NOT_KEPT:
                self.problem(
                    child.line, f"<{child.tag}> is not a census element inside <{node.tag}>"
                )

    def text(self, parent: Node, tag: str, *, required: bool = False) -> str:
        found = parent.all(tag)
        if len(found) > 1:
            self.problem(found[1].line, f"<{tag}> is given more than once in <{parent.tag}>")
        if not found or not found[0].text:
            if required:
                self.problem(parent.line, f"<{parent.tag}> has no <{tag}>")
            return ""
        return found[0].text

    def date(self, parent: Node, tag: str, *, required: bool = False) -> date | None:
        value = self.text(parent, tag, required=required)
        if not value:
            return None
        day = _parse_date(value)
        if day is None:
            line = parent.first(tag).line
            self.problem(line, f"<{tag}> {value!r} is not a date like 2025-03-31")
        return day

    def boolean(self, parent: Node, tag: str) -> bool:
        value = self.text(parent, tag, required=True)
        if value and value.lower() not in BOOLEANS:
            self.problem(parent.first(tag).line, f"<{tag}> {value!r} is not 0 or 1")
        return BOOLEANS.get(value.lower(), False)

    def integer(self, parent: Node, tag: str) -> int | None:
        value = self.text(parent, tag)
        if not value:
            return None
        if not value.isdigit():
            self.problem(parent.first(tag).line, f"<{tag}> {value!r} is not a whole number")
            return None
        return int(value)

    def codes(self, parent: Node | None, tag: str) -> tuple[str, ...]:
        return tuple(n.text for n in parent.all(tag)) if parent is not None else ()

    def group(self, parent: Node, tag: str, *, required: bool = False) -> Node | None:
        found = parent.all(tag)
        if len(found) > 1:
            self.problem(found[1].line, f"<{tag}> is given more than once in <{parent.tag}>")
        if not found:
            if required:
                self.problem(parent.line, f"<{parent.tag}> has no <{tag}>")
            return None
        return found[0]

    def read(self) -> CinChild | None:
        node = self.node
        self.check_known(node, ("ChildIdentifiers", "ChildCharacteristics", "CINdetails"))
        ids = self.group(node, "ChildIdentifiers", required=True)
        chars = self.group(node, "ChildCharacteristics", required=True)
        if ids is None or chars is None:
            return None
        self.check_known(
            ids,
            ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
             "ExpectedPersonBirthDate", "Sex", "GenderCurrent", "PersonDeathDate"),
        )  # fmt: skip
        la_child_id = self.text(ids, "LAchildID", required=True)
        sex = self.text(ids, "Sex")
        gender = self.text(ids, "GenderCurrent")
        if sex and gender:
            self.problem(ids.line, "<ChildIdentifiers> has both <Sex> and <GenderCurrent>")
        elif gender:
            sex = GENDER_CURRENT_TO_SEX.get(gender, "")
            if not sex:
                line = ids.first("GenderCurrent").line
                self.problem(line, f"<GenderCurrent> {gender!r} is not 0, 1, 2 or 9")
        elif not sex:
            self.problem(ids.line, "<ChildIdentifiers> has no <Sex> (or <GenderCurrent>)")
        former_upn = self.text(ids, "FormerUPN")
        if former_upn and not UPN_SHAPE.fullmatch(former_upn):
            line = ids.first("FormerUPN").line
            self.problem(line, f"<FormerUPN> {former_upn!r} is not a UPN (13 characters)")
        upn_unknown = self.text(ids, "UPNunknown")
        if upn_unknown and upn_unknown not in UPNUnknown.values:
            line = ids.first("UPNunknown").line
            self.problem(line, f"<UPNunknown> {upn_unknown!r} is not UN1 to UN7")
        self.check_known(chars, ("Ethnicity", "Disabilities"))
        disabilities = self.group(chars, "Disabilities")
        episodes = tuple(self.episode(e) for e in node.all("CINdetails"))
        if not episodes:
            self.problem(node.line, "the child has no <CINdetails>")
        child = CinChild(
            person_id=self._id(node),
            la_child_id=la_child_id,
            upn=self.text(ids, "UPN"),
            former_upn=former_upn,
            upn_unknown=upn_unknown,
            birth_date=self.date(ids, "PersonBirthDate"),
            expected_birth_date=self.date(ids, "ExpectedPersonBirthDate"),
            sex=sex,
            death_date=self.date(ids, "PersonDeathDate"),
            ethnicity=self.text(chars, "Ethnicity", required=True),
            disabilities=self.codes(disabilities, "Disability"),
            episodes=episodes,
        )
        return None if self.problems else child

    def episode(self, node: Node) -> CinEpisode:
        self.check_known(
            node,
            ("CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
             "ReasonForClosure", "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47",
             "ReferralNFA", "ChildProtectionPlans"),
        )  # fmt: skip
        return CinEpisode(
            record_id=self._id(node),
            referral_date=self.date(node, "CINreferralDate", required=True),
            referral_source=self.text(node, "ReferralSource", required=True),
            primary_need=self.text(node, "PrimaryNeedCode"),
            closure_date=self.date(node, "CINclosureDate"),
            closure_reason=self.text(node, "ReasonForClosure"),
            referral_nfa=self.boolean(node, "ReferralNFA"),
            icpc_date=self.date(node, "DateOfInitialCPC"),
            assessments=tuple(self.assessment(a) for a in node.all("Assessments")),
            cin_plans=tuple(self.cin_plan(p) for p in node.all("CINPlanDates")),
            section47s=tuple(self.section47(s) for s in node.all("Section47")),
            cp_plans=tuple(self.cp_plan(p) for p in node.all("ChildProtectionPlans")),
        )

    def assessment(self, node: Node) -> CinAssessment:
        self.check_known(
            node,
            ("AssessmentActualStartDate", "AssessmentInternalReviewDate",
             "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment"),
        )  # fmt: skip
        factors = self.codes(self.group(node, "FactorsIdentifiedAtAssessment"), "AssessmentFactors")
        for code in factors:
            if code not in Factor.values:
                self.problem(node.line, f"<AssessmentFactors> {code!r} is not a census code")
        return CinAssessment(
            record_id=self._id(node),
            start_date=self.date(node, "AssessmentActualStartDate", required=True),
            internal_review_date=self.date(node, "AssessmentInternalReviewDate"),
            authorisation_date=self.date(node, "AssessmentAuthorisationDate"),
            factors=factors,
        )

    def cin_plan(self, node: Node) -> CinPlanDates:
        self.check_known(node, ("CINPlanStartDate", "CINPlanEndDate"))
        return CinPlanDates(
            record_id=self._id(node),
            start_date=self.date(node, "CINPlanStartDate", required=True),
            end_date=self.date(node, "CINPlanEndDate"),
        )

    def section47(self, node: Node) -> CinSection47:
        self.check_known(
            node, ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
        )
        enquiry = CinSection47(
            record_id=self._id(node),
            start_date=self.date(node, "S47ActualStartDate", required=True),
            icpc_target=self.date(node, "InitialCPCtarget"),
            icpc_date=self.date(node, "DateOfInitialCPC"),
            icpc_not_required=self.boolean(node, "ICPCnotRequired"),
        )
        if enquiry.icpc_not_required and enquiry.icpc_date:
            self.problem(
                node.line, "<ICPCnotRequired> is 1 but the enquiry has a <DateOfInitialCPC>"
            )
        return enquiry

    def cp_plan(self, node: Node) -> CinProtectionPlan:
        self.check_known(
            node,
            ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
             "NumberOfPreviousCPP", "Reviews"),
        )  # fmt: skip
        return CinProtectionPlan(
            record_id=self._id(node),
            start_date=self.date(node, "CPPstartDate", required=True),
            end_date=self.date(node, "CPPendDate"),
            initial_category=self.text(node, "InitialCategoryOfAbuse", required=True),
            latest_category=self.text(node, "LatestCategoryOfAbuse", required=True),
            previous_plans=self.integer(node, "NumberOfPreviousCPP"),
            review_dates=self.reviews(node),
        )

    def reviews(self, node: Node) -> tuple[date, ...]:
        reviews = self.group(node, "Reviews")
        if reviews is None:
            return ()
        days = []
        for review in reviews.all("CPPreviewDate"):
            day = _parse_date(review.text)
            if day is None:
                message = f"<CPPreviewDate> {review.text!r} is not a date like 2025-03-31"
                self.problem(review.line, message)
            else:
                days.append(day)
        return tuple(days)


def _header(root: Node, problems: list[Problem]) -> tuple[date | None, str]:
    def bad(line: int, message: str) -> None:
        problems.append(Problem(line=line, la_child_id="", message=message))

    header = root.first("Header")
    if header is None:
        bad(root.line, "the file has no <Header> (the census year and LA are needed)")
        return None, ""
    details = header.first("CollectionDetails")
    source = header.first("Source")
    if details is None or source is None:
        bad(header.line, "<Header> needs <CollectionDetails> and <Source>")
        return None, ""
    collection = details.first("Collection")
    if collection is None or collection.text != "CIN":
        bad(details.line, "<Collection> is not CIN: this is not a CIN census file")
    reference = details.first("ReferenceDate")
    year = details.first("Year")
    ref_date = _parse_date(reference.text) if reference is not None else None
    if reference is not None and ref_date is None:
        bad(reference.line, f"<ReferenceDate> {reference.text!r} is not a date")
    if ref_date is None:
        if reference is None:
            bad(details.line, "<CollectionDetails> has no <ReferenceDate>")
    elif (ref_date.month, ref_date.day) != (3, 31):
        bad(reference.line, "<ReferenceDate> is not a 31 March (rule 100)")
        ref_date = None
    elif year is None or year.text != str(ref_date.year):
        bad(details.line, "<Year> is not the year of the <ReferenceDate>")
    lea = source.first("LEA")
    la_code = lea.text if lea is not None else ""
    if not (len(la_code) == 3 and la_code.isdigit()):
        bad(source.line, "<Source> has no three-digit <LEA>")
    return ref_date, la_code


def read_cin_file(data: bytes, *, name: str = "") -> ParsedFile:
    """Parse and check one census file. Problems are collected, never raised."""
    try:
        root = _parse_tree(data)
    except _Malformed as error:
        return ParsedFile(name, None, None, "", [], [Problem(error.line, "", error.message)])
    file_problems: list[Problem] = []
    if root.tag != "Message":
        file_problems.append(
            Problem(root.line, "", f"the root element is <{root.tag}>, not <Message>")
        )
        return ParsedFile(name, None, None, "", [], file_problems)
    reference_date, la_code = _header(root, file_problems)
    year = CensusYear(reference_date.year - 1) if reference_date else None
    children_node = root.first("Children")
    parsed: list[ParsedChild] = []
    readers: dict[uuid.UUID, tuple[ParsedChild, _Child]] = {}
    for node in children_node.all("Child") if children_node is not None else ():
        reader = _Child(node)
        child = reader.read()
        la_child_id = ""
        ids = node.first("ChildIdentifiers")
        if ids is not None and ids.first("LAchildID") is not None:
            la_child_id = ids.first("LAchildID").text
        entry = ParsedChild(
            line=node.line,
            la_child_id=la_child_id,
            child=child,
            problems=[Problem(line, la_child_id, message) for line, message in reader.problems],
        )
        parsed.append(entry)
        if child is not None:
            readers[child.person_id] = (entry, reader)
    if year is not None:
        census = CinReturn(
            year=year, la_code=la_code, children=tuple(c.child for c in parsed if c.child)
        )
        for failure in validate_cin_return(census):
            if failure.level != ERROR:
                continue
            text = f"rule {failure.code}: {failure.message}" + (
                f" ({failure.detail})" if failure.detail else ""
            )
            if failure.person_id is None:
                file_problems.append(Problem(children_node.line, "", text))
                continue
            entry, reader = readers[failure.person_id]
            line = reader.lines.get(failure.record_id, entry.line)
            entry.problems.append(Problem(line, entry.la_child_id, text))
    return ParsedFile(name, reference_date, year, la_code, parsed, file_problems)
