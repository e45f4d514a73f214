"""Figures for a preventative strategy (issue 19 item 6, decision 0082): early help and the
services around it, for the authority and a period, each with the children behind it.

Each figure is one read of the records in the period (one query, two for step-ups and
step-downs, whatever the data), giving one ``Entry`` per thing counted: the child, the date
and the codes that put it in the figure, the line of the table it counts on and the column.
The table is those entries counted; the drill-down lists them, so the two always agree.

A further figure is one more ``Figure`` in ``FIGURES``: a title, its definition in plain
words, its columns and a function from the authority and period to its entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from safeguard.casework.models import Case
from safeguard.core.workdays import add_months
from safeguard.directory.codes import ReferralOutcome, ReferralStatus, ServiceKind
from safeguard.directory.models import ServiceReferral
from safeguard.earlyhelp.codes import AssessmentOutcome, TAFEndReason
from safeguard.earlyhelp.models import EarlyHelpAssessment, TeamAroundFamily
from safeguard.people.models import Residence
from safeguard.performance.indicators import Period
from safeguard.performance.models import ChildPopulation
from safeguard.referrals.models import Contact

NOT_RECORDED = "Not recorded"
NO_ADDRESS = "No address recorded"


@dataclass(frozen=True)
class Entry:
    """One thing a figure counts: about ``child_id`` on ``day``, on the table's ``line`` in
    its ``column``, put there by ``because`` (dates and codes, in words)."""

    child_id: object
    day: date
    line: str
    column: str
    because: str
    child: object = None  # the Person, read with the entries for a drill-down


@dataclass(frozen=True)
class Line:
    label: str
    counts: tuple[int, ...]
    extra: str = ""  # a rate worked out from the counts, where the figure has one


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    definition: str
    columns: tuple[str, ...]
    entries: Callable[..., list[Entry]]  # (authority_id, period, with_child=False)
    extra_title: str = ""
    work_out: Callable[[str, tuple[int, ...], dict], str] | None = None
    line_title: str = "Line"

    def lines(self, entries: list[Entry], context: dict | None = None) -> list[Line]:
        counted = Counter((e.line, e.column) for e in entries)
        labels = sorted({e.line for e in entries})
        found = []
        for label in labels:
            counts = tuple(counted[(label, c)] for c in self.columns)
            extra = self.work_out(label, counts, context or {}) if self.work_out else ""
            found.append(Line(label, counts, extra))
        return found


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _child(row, with_child: bool):
    return row.child if with_child else None


# --- Early help assessments started and completed, by lead agency ---------------------------


def assessments(authority_id: int, period: Period, with_child: bool = False) -> list[Entry]:
    found = EarlyHelpAssessment.objects.filter(
        _in(period, "start_date") | _in(period, "completed_date"), authority_id=authority_id
    ).only("child_id", "start_date", "completed_date", "lead_agency", "outcome")
    if with_child:
        found = found.select_related("child")
    entries = []
    for a in found:
        agency = a.lead_agency or NOT_RECORDED
        if period.start <= a.start_date <= period.end:
            because = f"Assessment started {a.start_date:%d %b %Y}, led by {agency}"
            entries.append(
                Entry(a.child_id, a.start_date, agency, "Started", because, _child(a, with_child))
            )
        if a.completed_date and period.start <= a.completed_date <= period.end:
            because = (
                f"Assessment completed {a.completed_date:%d %b %Y} "
                f"({AssessmentOutcome(a.outcome).label}), led by {agency}"
            )
            entries.append(
                Entry(
                    a.child_id,
                    a.completed_date,
                    agency,
                    "Completed",
                    because,
                    _child(a, with_child),
                )
            )
    return entries


# --- Step-ups and step-downs, by team ---------------------------------------------------------


def _next_case_team(day_field: str):
    """The team of the child's first case referred on or after the row's ``day_field``."""
    return Subquery(
        Case.objects.filter(child_id=OuterRef("child_id"), referral_date__gte=OuterRef(day_field))
        .order_by("referral_date")
        .values("team__name")[:1]
    )


def steps(authority_id: int, period: Period, with_child: bool = False) -> list[Entry]:
    """Step-downs: early help assessments started in the period that record the social care
    case they stepped down from, by that case's team. Step-ups: early help assessments
    completed in the period with the outcome "step up", and teams around the family ended in
    the period as stepped up, by the team of the case the child was next referred to."""
    eha = (
        EarlyHelpAssessment.objects.filter(authority_id=authority_id)
        .filter(
            Q(
                stepped_down_from__isnull=False,
                start_date__gte=period.start,
                start_date__lte=period.end,
            )
            | Q(
                outcome=AssessmentOutcome.STEP_UP,
                completed_date__gte=period.start,
                completed_date__lte=period.end,
            )
        )
        .annotate(
            from_team=Subquery(
                Case.objects.filter(pk=OuterRef("stepped_down_from_id")).values("team__name")[:1]
            )
        )
        .annotate(next_team=_next_case_team("completed_date"))
    )
    taf = TeamAroundFamily.objects.filter(
        _in(period, "end_date"), authority_id=authority_id, end_reason=TAFEndReason.STEPPED_UP
    ).annotate(next_team=_next_case_team("end_date"))
    if with_child:
        eha, taf = eha.select_related("child"), taf.select_related("child")
    entries = []
    for a in eha:
        child = _child(a, with_child)
        if a.stepped_down_from_id and period.start <= a.start_date <= period.end:
            team = a.from_team or "No team"
            because = (
                f"Early help assessment started {a.start_date:%d %b %Y}, "
                f"stepped down from {team}'s case"
            )
            entries.append(Entry(a.child_id, a.start_date, team, "Step-downs", because, child))
        if (
            a.outcome == AssessmentOutcome.STEP_UP
            and a.completed_date
            and period.start <= a.completed_date <= period.end
        ):
            team = a.next_team or "Not yet referred"
            because = (
                f"Early help assessment completed {a.completed_date:%d %b %Y} "
                "with the outcome step up"
            )
            entries.append(Entry(a.child_id, a.completed_date, team, "Step-ups", because, child))
    for t in taf:
        team = t.next_team or "Not yet referred"
        because = f"Team around the family ended {t.end_date:%d %b %Y}: stepped up"
        entries.append(
            Entry(t.child_id, t.end_date, team, "Step-ups", because, _child(t, with_child))
        )
    return entries


# --- Stepped down and re-referred within 12 months --------------------------------------------


def rereferred(authority_id: int, period: Period, with_child: bool = False) -> list[Entry]:
    """Every child stepped down in the period (an early help assessment started that records
    the case it stepped down from) counts in "Stepped down"; those referred to children's
    social care again (a new case's referral date) after the step-down and no later than 12
    months after it (``add_months``) count in "Re-referred" too."""
    found = EarlyHelpAssessment.objects.filter(
        _in(period, "start_date"), authority_id=authority_id, stepped_down_from__isnull=False
    ).annotate(
        next_referral=Subquery(
            Case.objects.filter(
                child_id=OuterRef("child_id"), referral_date__gt=OuterRef("start_date")
            )
            .order_by("referral_date")
            .values("referral_date")[:1]
        )
    )
    if with_child:
        found = found.select_related("child")
    entries = []
    for a in found:
        child = _child(a, with_child)
        because = f"Stepped down to early help {a.start_date:%d %b %Y}"
        entries.append(Entry(a.child_id, a.start_date, "All", "Stepped down", because, child))
        back = a.next_referral
        if back is not None and back <= add_months(a.start_date, 12):
            because += f"; referred again {back:%d %b %Y}"
            entries.append(
                Entry(a.child_id, back, "All", "Re-referred within 12 months", because, child)
            )
    return entries


def _share(label, counts, context) -> str:
    denominator, numerator = counts
    return f"{numerator / denominator * 100:.1f}%" if denominator else "no data"


# --- Contacts per 10,000 children, by postcode district ---------------------------------------


def district(postcode: str | None) -> str:
    """The postcode district (the outward code: "KM4" of "KM4 7QT"), or ``NO_ADDRESS``."""
    if not postcode:
        return NO_ADDRESS
    code = postcode.strip().upper().replace(" ", "")
    return code[:-3] if len(code) > 3 else code


def contacts(authority_id: int, period: Period, with_child: bool = False) -> list[Entry]:
    """Contacts in the period about a child, by the postcode district of the address the
    child lived at on the contact's date."""
    lived = (
        Residence.objects.filter(
            person_id=OuterRef("child_id"), start_date__lte=OuterRef("contact_date")
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("contact_date")))
        .order_by("-start_date")
        .values("address__postcode")[:1]
    )
    found = Contact.objects.filter(_in(period, "contact_date"), authority_id=authority_id).annotate(
        postcode=Subquery(lived)
    )
    if with_child:
        found = found.select_related("child")
    entries = []
    for c in found.only("child_id", "contact_date"):
        area = district(c.postcode)
        because = (
            f"Contact {c.contact_date:%d %b %Y}, living in {area}"
            if c.postcode
            else f"Contact {c.contact_date:%d %b %Y}, no address on that day"
        )
        entries.append(
            Entry(c.child_id, c.contact_date, area, "Contacts", because, _child(c, with_child))
        )
    return entries


def population(authority_id: int) -> dict[str, int]:
    """The authority's children (aged 0 to 17) by postcode district: one query."""
    return dict(
        ChildPopulation.objects.filter(authority_id=authority_id).values_list(
            "district", "children"
        )
    )


def _per_10000(label, counts, context) -> str:
    children = context.get("population", {}).get(label)
    if not children:
        return "no population recorded"
    return f"{counts[0] * 10000 / children:.1f} (of {children:,} children)"


# --- Service referral outcomes, per kind of service -------------------------------------------


def service_referrals(authority_id: int, period: Period, with_child: bool = False) -> list[Entry]:
    """Referrals to services sent in the period, by kind of service and status now."""
    found = ServiceReferral.objects.filter(
        _in(period, "sent_on"), authority_id=authority_id
    ).values_list("child_id", "sent_on", "status", "service__kind", "service__name")
    return _referral_entries(
        found, with_child, column=lambda status, outcome: ReferralStatus(status).label
    )


def service_outcomes(authority_id: int, period: Period, with_child: bool = False) -> list[Entry]:
    """Referrals to services ended in the period, by kind of service and outcome."""
    found = ServiceReferral.objects.filter(
        _in(period, "ended_on"), authority_id=authority_id, status=ReferralStatus.ENDED
    ).values_list("child_id", "ended_on", "outcome", "service__kind", "service__name")
    return _referral_entries(
        found,
        with_child,
        column=lambda outcome, _: ReferralOutcome(outcome).label if outcome else NOT_RECORDED,
    )


def _referral_entries(rows, with_child: bool, column) -> list[Entry]:
    from safeguard.people.models import Person

    rows = list(rows)
    people = {}
    if with_child:
        people = Person.objects.in_bulk({r[0] for r in rows})
    entries = []
    for child_id, day, code, kind, name in rows:
        label = column(code, None)
        because = f"{name}: {label.lower()} (referred or ended {day:%d %b %Y})"
        entries.append(
            Entry(child_id, day, ServiceKind(kind).label, label, because, people.get(child_id))
        )
    return entries


FIGURES: tuple[Figure, ...] = (
    Figure(
        id="assessments",
        title="Early help assessments started and completed, by lead agency",
        definition=(
            "Early help assessments started in the period, and those completed in the period, "
            "by the agency of the lead professional as recorded on the assessment. An "
            "assessment started and completed in the period counts in both columns."
        ),
        columns=("Started", "Completed"),
        entries=assessments,
        line_title="Lead agency",
    ),
    Figure(
        id="steps",
        title="Step-ups and step-downs, by team",
        definition=(
            "A step-down is an early help assessment started in the period that records the "
            "children's social care case it stepped down from, counted for that case's team. "
            "A step-up is an early help assessment completed in the period with the outcome "
            "\u201cstep up to children's social care\u201d, or a team around the family ended "
            "in the period because the child was stepped up, counted for the team of the case the "
            "child was next referred to (\u201cnot yet referred\u201d when there is none yet)."
        ),
        columns=("Step-downs", "Step-ups"),
        entries=steps,
        line_title="Team",
    ),
    Figure(
        id="rereferred",
        title="Children stepped down and referred again within 12 months",
        definition=(
            "Children stepped down to early help in the period (as above), and of them those "
            "referred to children's social care again (a new case's referral date) after the "
            "step-down and no more than 12 calendar months after it. A step-down less than 12 "
            "months ago may still be referred again."
        ),
        columns=("Stepped down", "Re-referred within 12 months"),
        entries=rereferred,
        extra_title="Share referred again",
        work_out=_share,
        line_title="Children",
    ),
    Figure(
        id="contacts",
        title="Contacts per 10,000 children, by area",
        definition=(
            "Contacts to the front door in the period, by the postcode district of the address "
            "the child lived at on the day of the contact, per 10,000 children living in the "
            "district (the authority's table of child population by district, from the ONS "
            "mid-year estimates). A child with two contacts counts twice."
        ),
        columns=("Contacts",),
        entries=contacts,
        extra_title="Per 10,000 children",
        work_out=_per_10000,
        line_title="Postcode district",
    ),
    Figure(
        id="service-referrals",
        title="Referrals to services, by status",
        definition=(
            "Referrals of children to services in the directory sent in the period, by kind of "
            "service and where each stands today."
        ),
        columns=tuple(ReferralStatus.labels),
        entries=service_referrals,
        line_title="Kind of service",
    ),
    Figure(
        id="service-outcomes",
        title="Referrals to services, by outcome",
        definition=(
            "Referrals of children to services in the directory that ended in the period, by "
            "kind of service and the outcome recorded when the service ended."
        ),
        columns=(*ReferralOutcome.labels, NOT_RECORDED),
        entries=service_outcomes,
        line_title="Kind of service",
    ),
)
FIGURES_BY_ID = {f.id: f for f in FIGURES}


def early_help_figures(*, authority_id: int, period: Period) -> list[tuple[Figure, list[Line]]]:
    """Every figure for the authority and period with its lines: a fixed number of queries."""
    context = {"population": population(authority_id)}
    return [(f, f.lines(f.entries(authority_id, period), context)) for f in FIGURES]
