"""Statutory and local timescales, as data: one table of rules per rule set.

A rule is a clock. It runs on a *scope* (the thing the clock is about: a referral, an
assessment, a section 47 enquiry, a plan), starts at a named *start* event and stops at a
named *end* event. The names are resolved by ``timescales.events``; the engine
(``timescales.engine``) knows nothing about any particular rule, so a new rule built from
existing scope and event names needs no code.

Each authority chooses its rule set (``LocalAuthority.rule_set``). A rule's ``length`` is a
number fixed by Working Together, or the name of a ``LocalAuthority`` field where the
authority keeps its own standard (domain.md §2, items tagged [L]).

Counting (domain.md §2, "Counting ambiguity"): with ``exclusive`` counting the day after the
start is day 1, so a 1-working-day decision on a referral received on Monday is due on
Tuesday; this is how the DfE measures (same day = 0). With ``inclusive`` counting the start
day is day 1, as some local visit standards are written ("from and including the day of the
visit").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WORKING_DAYS = "working_days"
MONTHS = "months"
# The subject carries its own due date, agreed by people rather than set by a rule (a plan's
# action: decision 0043); ``length`` is not used.
DATED = "dated"
UNITS = frozenset({WORKING_DAYS, MONTHS, DATED})

FIRST = "first"
LAST = "last"
STARTS = frozenset({FIRST, LAST})

EXCLUSIVE = "exclusive"
INCLUSIVE = "inclusive"
COUNTINGS = frozenset({EXCLUSIVE, INCLUSIVE})


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One timescale: ``end`` is due ``length`` ``unit`` after ``start``.

    ``recurring`` rules restart the clock at each end event (a visit, a core group, a
    review) for as long as their scope is open. When the start event happened more than once
    before the end, a one-off clock runs from the ``first`` (the default) or the ``last`` of
    them (an initial conference is due after the last strategy discussion when several were
    held).
    """

    id: str
    label: str
    scope: str
    start: str
    end: str
    unit: str
    length: int | str
    source: str
    counting: str = EXCLUSIVE
    recurring: bool = False
    start_from: str = FIRST
    # A step a decision sets and nobody has started yet ("decided but not started"): its own
    # queue as well as the due lists (issue 13, item 1).
    next_step: bool = False
    # The clock runs on a contact at the front door, before any case exists, rather than on a
    # case (``engine.contact_timescales``).
    on_contact: bool = False
    # Who holds the clock: blank for the case's allocated worker (the default), or the name
    # of the subject's attribute holding the id of the person who does (a conference's
    # minutes are the chair's: ``chaired_by_id``).
    held_by: str = ""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Rule {self.id}: unknown unit {self.unit!r}")
        if self.counting not in COUNTINGS:
            raise ValueError(f"Rule {self.id}: unknown counting {self.counting!r}")
        if self.start_from not in STARTS:
            raise ValueError(f"Rule {self.id}: unknown start_from {self.start_from!r}")
        if self.recurring and self.start_from != FIRST:
            raise ValueError(f"Rule {self.id}: a recurring clock starts from the first start")
        if self.unit == DATED:
            if self.length != 0 or self.recurring:
                raise ValueError(f"Rule {self.id}: a dated clock has no length and one due date")
        elif isinstance(self.length, int) and self.length < 1:
            raise ValueError(f"Rule {self.id}: length must be at least 1")
        if self.on_contact and not self.next_step:
            raise ValueError(f"Rule {self.id}: a contact's only clocks are next steps")

    @property
    def is_local_standard(self) -> bool:
        return isinstance(self.length, str)

    def length_for(self, authority: Any) -> int:
        """The rule's length, reading a local standard from ``authority`` when it names one."""
        if isinstance(self.length, int):
            return self.length
        return int(getattr(authority, self.length))


# --- The front door and assessment ------------------------------------------------------

REFERRAL_DECISION = Rule(
    id="referral_decision",
    label="Decision on referral",
    scope="referral",
    start="referral_received",
    end="referral_decided",
    unit=WORKING_DAYS,
    length=1,
    source="Working Together 2006, 2010 and 2013: decide what to do within 1 working day "
    "of receiving a referral",
)

SINGLE_ASSESSMENT = Rule(
    id="single_assessment",
    label="Child and family assessment",
    scope="single_assessment",
    start="referral_or_own_start",
    end="assessment_completed",
    unit=WORKING_DAYS,
    length=45,
    source="Working Together 2013: child and family assessment completed within 45 working "
    "days of the referral; a re-assessment later in the episode from its own start, as the "
    "DfE measures",
)

INITIAL_ASSESSMENT_2006 = Rule(
    id="initial_assessment",
    label="Initial assessment",
    scope="initial_assessment",
    start="referral_or_own_start",
    end="assessment_completed",
    unit=WORKING_DAYS,
    length=7,
    source="Working Together 2006: initial assessment completed within 7 working days of the "
    "referral (a re-assessment later in the episode: of its own start)",
)

INITIAL_ASSESSMENT_2010 = Rule(
    id="initial_assessment",
    label="Initial assessment",
    scope="initial_assessment",
    start="referral_or_own_start",
    end="assessment_completed",
    unit=WORKING_DAYS,
    length=10,
    source="Working Together 2010: initial assessment completed within 10 working days of the "
    "referral (a re-assessment later in the episode: of its own start)",
)

CORE_ASSESSMENT = Rule(
    id="core_assessment",
    label="Core assessment",
    scope="core_assessment",
    start="assessment_started",
    end="assessment_completed",
    unit=WORKING_DAYS,
    length=35,
    source="Working Together 2006 and 2010: core assessment completed within 35 working days "
    "of its start",
)

# --- Child protection -------------------------------------------------------------------
# Working Together 2010 and 2013 onward set the conference and core group timescales below;
# domain.md §2 notes that the 2006 paragraph wording is unchecked, and authorities applied
# the same numbers under 2006 procedures, so the 2006 table shares these rules.

ICPC = Rule(
    id="icpc",
    label="Initial child protection conference",
    scope="section47",
    start="strategy_discussions",
    start_from=LAST,
    end="initial_conference",
    unit=WORKING_DAYS,
    length=15,
    source="Working Together 2010 and 2013 onward: initial child protection conference within "
    "15 working days of the strategy discussion, the last one if several were held for the "
    "section 47 enquiry",
)

FIRST_CORE_GROUP = Rule(
    id="first_core_group",
    label="First core group meeting",
    scope="cp_plan",
    start="initial_conference",
    end="core_group",
    unit=WORKING_DAYS,
    length=10,
    source="Working Together 2010 and 2013 onward: first core group meeting within 10 working "
    "days of the initial child protection conference",
)

CORE_GROUP = Rule(
    id="core_group",
    label="Core group meeting",
    scope="cp_plan",
    start="core_group",
    end="core_group",
    unit=WORKING_DAYS,
    length="core_group_interval_wd",
    recurring=True,
    source="Local standard (core_group_interval_wd): core groups after the first meet at the "
    "authority's interval; Working Together sets no national number",
)

FIRST_REVIEW_CONFERENCE = Rule(
    id="first_review_conference",
    label="First review child protection conference",
    scope="cp_plan",
    start="plan_start",
    end="review_conference",
    unit=MONTHS,
    length=3,
    source="Working Together 2010 and 2013 onward: first review conference within 3 months of "
    "the initial child protection conference",
)

REVIEW_CONFERENCE = Rule(
    id="review_conference",
    label="Review child protection conference",
    scope="cp_plan",
    start="review_conference",
    end="review_conference",
    unit=MONTHS,
    length=6,
    recurring=True,
    source="Working Together 2010 and 2013 onward: later review conferences at intervals of no "
    "more than 6 months",
)

CP_VISIT = Rule(
    id="cp_visit",
    label="Child protection visit (child seen)",
    scope="cp_plan",
    start="plan_start_once_born",
    end="seen_visit",
    unit=WORKING_DAYS,
    length="cp_visit_interval_wd",
    recurring=True,
    source="Local standard (cp_visit_interval_wd): statutory visits to a child on a child "
    "protection plan; Working Together sets no national number",
)

# --- Child in need ----------------------------------------------------------------------

CIN_VISIT = Rule(
    id="cin_visit",
    label="Child in need visit (child seen)",
    scope="cin_plan_outside_cp",
    start="plan_start_once_born",
    end="seen_visit",
    unit=WORKING_DAYS,
    length="cin_visit_interval_wd",
    recurring=True,
    source="Local standard (cin_visit_interval_wd): visits to a child on a child in need plan; "
    "Working Together sets no national number",
)

CIN_PLAN_REVIEW = Rule(
    id="cin_plan_review",
    label="Child in need plan review",
    scope="cin_plan",
    start="plan_start",
    end="cin_plan_review",
    unit=MONTHS,
    length="cin_plan_review_months",
    recurring=True,
    source="Local standard (cin_plan_review_months): child in need plans reviewed at the "
    "authority's interval; Working Together sets no national number",
)

CONFERENCE_MINUTES = Rule(
    id="conference_minutes",
    label="Circulate the conference minutes",
    scope="conference",
    start="conference_held",
    end="minutes_circulated",
    unit=WORKING_DAYS,
    length="conference_minutes_wd",
    held_by="chaired_by_id",
    source="Local standard (conference_minutes_wd): the chair circulates the minutes of a "
    "child protection conference within the authority's standard, 20 working days by default; "
    "Working Together sets no national number",
)

PLAN_ACTION = Rule(
    id="plan_action",
    label="Carry out the plan's action",
    scope="plan_action",
    start="action_agreed",
    end="action_closed",
    unit=DATED,
    length=0,
    held_by="owner_user_id",
    source="Local standard: the date the core group agreed for each action of a child "
    "protection or child in need plan (decision 0036); the action's owner holds it, or, for "
    "an agency's action, the case's worker, who follows it up",
)

# --- Unallocated cases (issue 14) -------------------------------------------------------

UNALLOCATED_REVIEW = Rule(
    id="unallocated_review",
    label="Review the unallocated case",
    scope="unallocated_spell",
    start="spell_start",
    end="unallocated_review",
    unit=WORKING_DAYS,
    length="unallocated_review_wd",
    recurring=True,
    source="Local standard (unallocated_review_wd): a manager reviews a case nobody holds, "
    "with their decision, at least this often while it waits in its team's queue (the 2009 "
    "inspection found cases left unallocated that raised serious concerns)",
)

# --- The next step each decision sets (issue 13, item 1) -----------------------------------
# A decision sets a clock on the step it decided: the step is due within the authority's
# standard and is met only by the record it expects (a referral made from the contact, an
# assessment in the referral's case, a section 47 enquiry after the strategy discussion, ...).
# Working Together sets no national number for any of them; each is a local standard.


def _next_step(**fields) -> Rule:
    return Rule(unit=WORKING_DAYS, next_step=True, **fields)


CONTACT_REFERRAL = _next_step(
    id="contact_referral",
    label="Record the referral",
    scope="contact_for_referral",
    start="contact_decided",
    end="referral_recorded",
    length="referral_record_wd",
    on_contact=True,
    source="Local standard (referral_record_wd): a contact the front door decided to refer is "
    "recorded as a referral, which opens the case and starts its statutory clocks",
)

CONTACT_EARLY_HELP = _next_step(
    id="contact_early_help",
    label="Start the early help assessment",
    scope="contact_for_early_help",
    start="contact_decided",
    end="early_help_started",
    length="early_help_start_wd",
    on_contact=True,
    source="Local standard (early_help_start_wd): a contact the front door diverted to early "
    "help leads to an early help assessment of the child",
)

REFERRAL_ASSESSMENT = _next_step(
    id="referral_assessment",
    label="Start the assessment",
    scope="referral_for_assessment",
    start="referral_decided",
    end="case_assessment_started",
    length="assessment_start_wd",
    source="Local standard (assessment_start_wd): a referral decided for assessment has its "
    "assessment started in the case",
)

REFERRAL_CHILD_SEEN = _next_step(
    id="referral_child_seen",
    label="See the child",
    scope="referral_acted_on",
    start="referral_decided_once_born",
    end="child_seen",
    length="referral_seen_wd",
    source="Local standard (referral_seen_wd): after a referral decided for assessment or a "
    "strategy discussion, the child is seen (a visit, the assessment's date seen or direct work "
    "with the child); a child referred before birth from their birth",
)

REFERRAL_STRATEGY = _next_step(
    id="referral_strategy",
    label="Hold the strategy discussion",
    scope="referral_for_strategy",
    start="referral_decided",
    end="strategy_discussion_held",
    length="strategy_discussion_wd",
    source="Local standard (strategy_discussion_wd): a strategy discussion within 24 hours of "
    "the decision to hold one, as local procedures set (domain.md §2)",
)

ASSESSMENT_STRATEGY = _next_step(
    id="assessment_strategy",
    label="Hold the strategy discussion",
    scope="assessment_for_strategy",
    start="assessment_completed",
    end="strategy_discussion_held",
    length="strategy_discussion_wd",
    source="Local standard (strategy_discussion_wd): an assessment concluding that a strategy "
    "discussion is needed",
)

ASSESSMENT_CIN_PLAN = _next_step(
    id="assessment_cin_plan",
    label="Start the child in need plan",
    scope="assessment_for_cin_plan",
    start="assessment_completed",
    end="cin_plan_started",
    length="cin_plan_start_wd",
    source="Local standard (cin_plan_start_wd): an assessment concluding with a child in need "
    "plan",
)

ASSESSMENT_EARLY_HELP = _next_step(
    id="assessment_early_help",
    label="Start the early help assessment",
    scope="assessment_for_early_help",
    start="assessment_completed",
    end="early_help_started",
    length="early_help_start_wd",
    source="Local standard (early_help_start_wd): an assessment stepping the child down to "
    "early help",
)

STRATEGY_SECTION47 = _next_step(
    id="strategy_section47",
    label="Start the section 47 enquiry",
    scope="strategy_for_section47",
    start="strategy_decided",
    end="section47_started",
    length="section47_start_wd",
    source="Local standard (section47_start_wd): a strategy discussion deciding on a section 47 "
    "enquiry",
)

NEXT_STEPS: tuple[Rule, ...] = (
    CONTACT_REFERRAL,
    CONTACT_EARLY_HELP,
    REFERRAL_ASSESSMENT,
    REFERRAL_CHILD_SEEN,
    REFERRAL_STRATEGY,
    ASSESSMENT_STRATEGY,
    ASSESSMENT_CIN_PLAN,
    ASSESSMENT_EARLY_HELP,
    STRATEGY_SECTION47,
)

# --- The rule sets ----------------------------------------------------------------------

WT2006: tuple[Rule, ...] = (
    REFERRAL_DECISION,
    INITIAL_ASSESSMENT_2006,
    CORE_ASSESSMENT,
    ICPC,
    FIRST_CORE_GROUP,
    CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    REVIEW_CONFERENCE,
    CP_VISIT,
    CIN_VISIT,
    CIN_PLAN_REVIEW,
    CONFERENCE_MINUTES,
    PLAN_ACTION,
    UNALLOCATED_REVIEW,
    *NEXT_STEPS,
)

WT2010: tuple[Rule, ...] = (
    REFERRAL_DECISION,
    INITIAL_ASSESSMENT_2010,
    CORE_ASSESSMENT,
    ICPC,
    FIRST_CORE_GROUP,
    CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    REVIEW_CONFERENCE,
    CP_VISIT,
    CIN_VISIT,
    CIN_PLAN_REVIEW,
    CONFERENCE_MINUTES,
    PLAN_ACTION,
    UNALLOCATED_REVIEW,
    *NEXT_STEPS,
)

# Working Together 2013 (in force 15 April 2013) replaced the initial and core assessments
# with one child and family assessment; later editions (2015, 2018, 2023) kept the numbers.
WT2013: tuple[Rule, ...] = (
    REFERRAL_DECISION,
    SINGLE_ASSESSMENT,
    ICPC,
    FIRST_CORE_GROUP,
    CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    REVIEW_CONFERENCE,
    CP_VISIT,
    CIN_VISIT,
    CIN_PLAN_REVIEW,
    CONFERENCE_MINUTES,
    PLAN_ACTION,
    UNALLOCATED_REVIEW,
    *NEXT_STEPS,
)

RULE_SETS: dict[str, tuple[Rule, ...]] = {
    "wt2006": WT2006,
    "wt2010": WT2010,
    "wt2013": WT2013,
}

DEFAULT_RULE_SET = "wt2013"


RULES_BY_ID: dict[str, dict[str, Rule]] = {
    name: {rule.id: rule for rule in rules} for name, rules in RULE_SETS.items()
}


def rules_for(rule_set: str) -> tuple[Rule, ...]:
    """The rules of ``rule_set`` (a ``LocalAuthority.rule_set`` value)."""
    try:
        return RULE_SETS[rule_set]
    except KeyError:
        raise ValueError(f"Unknown timescale rule set {rule_set!r}") from None
