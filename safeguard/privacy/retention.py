"""Retention rules by record type, as data, and the date each person's record falls due for
review. Review only: nothing here deletes anything.

The periods are those of ``../shared/security.md`` §1.3. Child protection and child in need
have no statutory period; the defaults (35 years after the last contact; the 18th birthday
or the last contact, whichever is later, plus 3 years) are local choices each authority may
change with a ``RetentionRule`` row (``safeguard retention-report`` shows the rules in force).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max

from safeguard.casework.models import Case, CaseNote, ChronologyEntry, LookedAfterPeriod, Visit
from safeguard.documents.models import Document
from safeguard.people.models import Person
from safeguard.privacy.models import (
    LegalHold,
    RecordMark,
    RecordType,
    RetentionRule,
    add_years,
)
from safeguard.protection.models import ChildProtectionPlan, Section47Enquiry
from safeguard.referrals.models import Contact


@dataclass(frozen=True)
class Rule:
    record_type: str
    years: int
    years_after_death: int | None = None
    source: str = ""

    @property
    def label(self) -> str:
        return RecordType(self.record_type).label

    @property
    def describe(self) -> str:
        return {
            RecordType.LOOKED_AFTER: f"until the {_ordinal(self.years)} birthday; "
            f"{self.years_after_death} years after death if the child died before 18",
            RecordType.CARE_LEAVER: f"{self.years} years from the date of birth",
            RecordType.ADOPTION: f"{self.years} years from the adoption order",
            RecordType.CHILD_PROTECTION: f"{self.years} years after the last contact or closure",
            RecordType.CHILD_IN_NEED: f"the 18th birthday or the last contact, whichever is "
            f"later, plus {self.years} years",
            RecordType.DOCUMENTS: f"the 18th birthday or the latest document's date, whichever "
            f"is later, plus {self.years} years; never before the rest of the record",
        }[RecordType(self.record_type)]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


DEFAULT_RULES = {
    RecordType.LOOKED_AFTER: Rule(
        RecordType.LOOKED_AFTER, 75, 15, "Care Planning, Placement and Case Review (England) "
        "Regulations 2010, reg 50"
    ),
    RecordType.CARE_LEAVER: Rule(
        RecordType.CARE_LEAVER, 75, None, "Local schedule (Blackpool, Devon)"
    ),
    RecordType.ADOPTION: Rule(RecordType.ADOPTION, 100, None, "Local schedule (Devon, Kirklees)"),
    RecordType.CHILD_PROTECTION: Rule(
        RecordType.CHILD_PROTECTION, 35, None,
        "No statutory period: local choice (R (C) v Northumberland CC [2015] EWHC 2134 (Admin))",
    ),
    RecordType.CHILD_IN_NEED: Rule(
        RecordType.CHILD_IN_NEED, 3, None, "Local choice (Devon schedule)"
    ),
    # Documents go with the record they are on: the latest date of all the rules decides, so
    # a document never shortens a record's period; this rule keeps a record holding only
    # documents (no case) as long as a child in need record (decision 0047).
    RecordType.DOCUMENTS: Rule(
        RecordType.DOCUMENTS, 3, None, "Local choice: as the child in need record"
    ),
}  # fmt: skip

ADULT_AGE = 18


def rules_for(authority_id) -> dict[str, Rule]:
    """The rules in force for an authority: its own rows over the defaults."""
    rules = dict(DEFAULT_RULES)
    for row in RetentionRule.objects.filter(authority_id=authority_id):
        default = DEFAULT_RULES[RecordType(row.record_type)]
        rules[row.record_type] = Rule(
            row.record_type,
            row.years,
            row.years_after_death
            if row.years_after_death is not None
            else default.years_after_death,
            row.source or default.source,
        )
    return rules


@dataclass
class Facts:
    """What retention needs to know about one person."""

    date_of_birth: date | None = None
    date_of_death: date | None = None
    marks: dict[str, date | None] = field(default_factory=dict)  # record type -> order date
    has_case: bool = False
    has_open_case: bool = False
    child_protection: bool = False
    last_contact: date | None = None
    latest_document: date | None = None


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    review_date: date | None  # None: cannot be worked out yet (open case, no date of birth)
    why: str


def outcomes(facts: Facts, rules: dict[str, Rule]) -> list[Outcome]:
    """The review date under each rule that applies to the person."""
    found = []
    dob, died = facts.date_of_birth, facts.date_of_death
    if RecordType.LOOKED_AFTER in facts.marks:
        rule = rules[RecordType.LOOKED_AFTER]
        if died and dob and died < add_years(dob, ADULT_AGE):
            found.append(
                Outcome(rule, add_years(died, rule.years_after_death or 0), "died before 18")
            )
        elif dob:
            found.append(
                Outcome(rule, add_years(dob, rule.years), f"{_ordinal(rule.years)} birthday")
            )
        else:
            found.append(Outcome(rule, None, "no date of birth"))
    if RecordType.CARE_LEAVER in facts.marks:
        rule = rules[RecordType.CARE_LEAVER]
        found.append(
            Outcome(rule, add_years(dob, rule.years) if dob else None,
                    "from date of birth" if dob else "no date of birth")
        )  # fmt: skip
    if RecordType.ADOPTION in facts.marks:
        rule, order = rules[RecordType.ADOPTION], facts.marks[RecordType.ADOPTION]
        found.append(
            Outcome(
                rule, add_years(order, rule.years) if order else None, "from the adoption order"
            )
        )
    if facts.child_protection:
        rule = rules[RecordType.CHILD_PROTECTION]
        if facts.has_open_case or facts.last_contact is None:
            found.append(Outcome(rule, None, "case open"))
        else:
            found.append(
                Outcome(rule, add_years(facts.last_contact, rule.years), "from the last contact")
            )
    if facts.has_case:
        rule = rules[RecordType.CHILD_IN_NEED]
        if facts.has_open_case or facts.last_contact is None:
            found.append(Outcome(rule, None, "case open"))
        else:
            start = facts.last_contact
            why = "from the last contact"
            if dob and add_years(dob, ADULT_AGE) > start:
                start, why = add_years(dob, ADULT_AGE), "from the 18th birthday"
            found.append(Outcome(rule, add_years(start, rule.years), why))
    if facts.latest_document is not None:
        rule = rules[RecordType.DOCUMENTS]
        if facts.has_open_case:
            found.append(Outcome(rule, None, "case open"))
        else:
            start, why = facts.latest_document, "from the latest document"
            if dob and add_years(dob, ADULT_AGE) > start:
                start, why = add_years(dob, ADULT_AGE), "from the 18th birthday"
            found.append(Outcome(rule, add_years(start, rule.years), why))
    return found


def governing(found: list[Outcome]) -> Outcome | None:
    """The outcome that decides: the record is kept until every rule's period has passed, so
    the latest date wins, and a date not yet known wins over any date."""
    if not found:
        return None
    unknown = [o for o in found if o.review_date is None]
    if unknown:
        return unknown[0]
    return max(found, key=lambda o: o.review_date)


# --- Gathering the facts --------------------------------------------------------------------


def _latest(into: dict, rows) -> None:
    for person_id, day in rows:
        if day and (into.get(person_id) is None or day > into[person_id]):
            into[person_id] = day


def gather_facts(people_qs) -> dict:
    """Facts for every person in ``people_qs``, in a fixed number of queries."""
    ids = list(people_qs.values_list("id", flat=True))
    facts = {
        p["id"]: Facts(date_of_birth=p["date_of_birth"], date_of_death=p["date_of_death"])
        for p in Person.objects.filter(id__in=ids).values("id", "date_of_birth", "date_of_death")
    }
    for mark in RecordMark.objects.filter(person_id__in=ids):
        facts[mark.person_id].marks[mark.record_type] = mark.order_date
    # A period of care recorded on a case marks the child as looked after (decision 0076),
    # as a mark made by hand does.
    looked_after = LookedAfterPeriod.objects.filter(case__child_id__in=ids)
    for child_id in looked_after.values_list("case__child_id", flat=True).distinct():
        facts[child_id].marks.setdefault(RecordType.LOOKED_AFTER, None)
    last: dict = {}
    for row in Case.objects.filter(child_id__in=ids).values(
        "child_id", "referral_date", "closure_date"
    ):
        f = facts[row["child_id"]]
        f.has_case = True
        if row["closure_date"] is None:
            f.has_open_case = True
        _latest(
            last, [(row["child_id"], row["referral_date"]), (row["child_id"], row["closure_date"])]
        )
    for model, day_field in (
        (Visit, "visit_date"),
        (CaseNote, "note_date"),
    ):
        _latest(
            last,
            model.objects.filter(case__child_id__in=ids)
            .values("case__child_id")
            .annotate(day=Max(day_field))
            .values_list("case__child_id", "day"),
        )
    _latest(
        last,
        ChronologyEntry.objects.filter(child_id__in=ids)
        .values("child_id").annotate(day=Max("event_date")).values_list("child_id", "day"),
    )  # fmt: skip
    _latest(
        last,
        Contact.objects.filter(child_id__in=ids)
        .values("child_id").annotate(day=Max("contact_date")).values_list("child_id", "day"),
    )  # fmt: skip
    protection = set(
        ChildProtectionPlan.objects.filter(case__child_id__in=ids).values_list(
            "case__child_id", flat=True
        )
    ) | set(
        Section47Enquiry.objects.filter(case__child_id__in=ids).values_list(
            "case__child_id", flat=True
        )
    )
    _latest(
        last,
        ChildProtectionPlan.objects.filter(case__child_id__in=ids)
        .values("case__child_id")
        .annotate(day=Max("end_date"))
        .values_list("case__child_id", "day"),
    )  # fmt: skip
    documents: dict = {}
    _latest(
        documents,
        Document.objects.filter(child_id__in=ids)
        .values("child_id").annotate(day=Max("document_date")).values_list("child_id", "day"),
    )  # fmt: skip
    for person_id, f in facts.items():
        f.latest_document = documents.get(person_id)
        f.last_contact = last.get(person_id)
        f.child_protection = person_id in protection
    return facts


def active_holds(ids, on: date) -> dict:
    holds: dict = {}
    for hold in LegalHold.objects.filter(person_id__in=ids).select_related("created_by"):
        if hold.is_open_on(on):
            holds.setdefault(hold.person_id, []).append(hold)
    return holds


@dataclass(frozen=True)
class ReportRow:
    person: Person
    outcome: Outcome
    holds: tuple = ()


@dataclass
class Report:
    as_at: date
    rules: dict
    due: list  # ReportRow, past their review date and not held
    held: list  # ReportRow, past their review date but under a legal hold


def report(*, authority_id, as_at: date) -> Report:
    """People of the authority whose retention period has passed on ``as_at``."""
    rules = rules_for(authority_id)
    people = Person.objects.filter(authority_id=authority_id)
    facts = gather_facts(people)
    passed = {}
    for person_id, f in facts.items():
        outcome = governing(outcomes(f, rules))
        if outcome and outcome.review_date and outcome.review_date <= as_at:
            passed[person_id] = outcome
    holds = active_holds(list(passed), as_at)
    due, held = [], []
    for person in Person.objects.filter(id__in=list(passed)).order_by(
        "family_name", "given_names", "id"
    ):
        row = ReportRow(person, passed[person.pk], tuple(holds.get(person.pk, ())))
        (held if row.holds else due).append(row)
    due.sort(key=lambda r: (r.outcome.review_date, r.person.family_name))
    return Report(as_at=as_at, rules=rules, due=due, held=held)


def person_outcomes(person: Person) -> tuple[list[Outcome], Outcome | None]:
    facts = gather_facts(Person.objects.filter(pk=person.pk))[person.pk]
    found = outcomes(facts, rules_for(person.authority_id))
    return found, governing(found)


REPORT_HEADER = [
    "Person id",
    "Name",
    "Date of birth",
    "Record type",
    "Rule",
    "Review date",
    "Why",
    "Legal hold",
]


def report_rows(rep: Report):
    for row in [*rep.due, *rep.held]:
        yield [
            row.person.pk,
            row.person.full_name,
            row.person.date_of_birth or "",
            row.outcome.rule.label,
            row.outcome.rule.describe,
            row.outcome.review_date,
            row.outcome.why,
            "; ".join(f"since {h.placed_on}: {h.reason}" for h in row.holds),
        ]
