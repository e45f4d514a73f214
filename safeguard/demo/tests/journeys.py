"""Checks on the demo's journeys, read back from the database: the date rules every case must
obey, and the rates the demo aims at (docs/demo-borough.md). Used by the tests, and handy in
a shell on a demo database:

    from safeguard.demo.tests.journeys import rates, rule_breaches
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from safeguard.assessments.models import Assessment
from safeguard.casework.codes import AFTER_ASSESSMENT_REASONS
from safeguard.casework.models import (
    Allocation,
    Case,
    CaseNote,
    ChronologyEntry,
    CINPlan,
    CINPlanReview,
    ManagementDecision,
    Visit,
)
from safeguard.core.workdays import add_months, working_days_between
from safeguard.people.models import Involvement
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.referrals.models import Referral


def _by_case(queryset, *fields):
    rows = defaultdict(list)
    for row in queryset.values_list("case_id", *fields):
        rows[row[0]].append(row[1:])
    return rows


def rule_breaches(as_at: date) -> list[str]:
    """Every way a case breaks the recording rules, as sentences (empty when none)."""
    problems: list[str] = []

    def bad(case, message):
        problems.append(f"case {case.pk} (referred {case.referral_date}): {message}")

    referrals = {r.case_id: r for r in Referral.objects.all()}
    assessments = _by_case(Assessment.objects, "start_date", "child_seen_date", "completed_date")
    strategies = {
        s.pk: s for s in StrategyDiscussion.objects.only("pk", "case_id", "discussion_date")
    }
    enquiries = defaultdict(list)
    for e in Section47Enquiry.objects.all():
        enquiries[e.case_id].append(e)
    plans = defaultdict(list)
    for p in ChildProtectionPlan.objects.all():
        plans[p.case_id].append(p)
    conferences = defaultdict(list)
    for c in ChildProtectionConference.objects.all():
        conferences[c.case_id].append(c)
    core_groups = defaultdict(list)
    for plan_id, day in CoreGroupMeeting.objects.values_list("plan_id", "meeting_date"):
        core_groups[plan_id].append(day)
    cin_plans = defaultdict(list)
    for p in CINPlan.objects.all():
        cin_plans[p.case_id].append(p)
    cin_reviews = defaultdict(list)
    for plan_id, day in CINPlanReview.objects.values_list("plan_id", "review_date"):
        cin_reviews[plan_id].append(day)
    simple = [
        _by_case(Visit.objects, "visit_date"),
        _by_case(CaseNote.objects, "note_date"),
        _by_case(ManagementDecision.objects, "decision_date"),
        _by_case(StrategyDiscussion.objects, "discussion_date"),
        _by_case(Allocation.objects, "start_date"),
        _by_case(Allocation.objects, "end_date"),
    ]
    chronology = _by_case(ChronologyEntry.objects, "event_date")

    for case in Case.objects.select_related("child"):
        pk, start, end = case.pk, case.referral_date, case.closure_date
        born = case.child.date_of_birth
        days: list[date] = [start]
        referral = referrals.get(pk)
        if referral is None:
            bad(case, "no referral")
        elif referral.received_date != start or referral.decision_date < start:
            bad(case, "referral dates do not match the case")
        if born and start < born:
            bad(case, "referred before the child was born")
        if not born and case.child.expected_date_of_birth <= start:
            bad(case, "pre-birth referral on or after the expected date")
        if case.referral_nfa and (end != start or case.closure_reason != "RC7"):
            bad(case, "NFA referral not closed on the referral day with RC7")
        completed = False
        for a_start, seen, done in assessments[pk]:
            days += [d for d in (a_start, seen, done) if d]
            if done and done < a_start:
                bad(case, "assessment completed before it started")
            if seen and (seen < a_start or not born or seen < born):
                bad(case, "child seen before the assessment or before birth")
            completed = completed or done is not None
        for e in enquiries[pk]:
            days += [d for d in (e.start_date, e.end_date) if d]
            if e.start_date < strategies[e.strategy_discussion_id].discussion_date:
                bad(case, "section 47 before its strategy discussion")
        for c in conferences[pk]:
            days.append(c.conference_date)
            if c.kind == "initial" and c.section47_id:
                s47 = next(e for e in enquiries[pk] if e.pk == c.section47_id)
                if c.conference_date < s47.start_date:
                    bad(case, "initial conference before the section 47 started")
        for p in plans[pk]:
            days += [d for d in (p.start_date, p.end_date) if d]
            icpc = [c for c in conferences[pk] if c.plan_id == p.pk and c.kind == "initial"]
            if len(icpc) != 1 or icpc[0].conference_date != p.start_date:
                bad(case, "plan does not start at its initial conference")
            reviews = sorted(
                c.conference_date for c in conferences[pk] if c.plan_id == p.pk and c.kind == "review"
            )
            for day in core_groups[p.pk] + reviews:
                days.append(day)
                if day < p.start_date or (p.end_date and day > p.end_date):
                    bad(case, "core group or review outside its plan")
        for p in cin_plans[pk]:
            days += [d for d in (p.start_date, p.end_date) if d]
            for day in cin_reviews[p.pk]:
                days.append(day)
                if day < p.start_date or (p.end_date and day > p.end_date):
                    bad(case, "CIN plan review outside its plan")
        for rows in simple:
            days += [row[0] for row in rows[pk] if row[0]]
        days += [row[0] for row in chronology[pk]]
        if min(days) < start:
            bad(case, "a step before the referral")
        if max(days) > as_at:
            bad(case, "a step in the future")
        if end is not None:
            if max(days) > end:
                bad(case, "a step after the closure")
            if any(p.end_date is None for p in plans[pk]):
                bad(case, "closed with a child protection plan open")
            if any(p.end_date is None for p in cin_plans[pk]):
                bad(case, "closed with a child in need plan open")
            if any(e.end_date is None for e in enquiries[pk]):
                bad(case, "closed with a section 47 enquiry open")
            if case.closure_reason in AFTER_ASSESSMENT_REASONS and not completed:
                bad(case, f"{case.closure_reason} without a completed assessment")
    return problems


def allocation_breaches() -> list[str]:
    """Allocations and the "Allocated social worker" involvements that mirror them."""
    problems = []
    allocations = Counter(
        (a.case.child_id, a.worker_id, a.team_id, a.start_date, a.end_date)
        for a in Allocation.objects.select_related("case")
    )
    involvements = Counter(
        (i.person_id, i.worker_id, i.team_id, i.start_date, i.end_date)
        for i in Involvement.objects.filter(role="Allocated social worker")
    )
    if allocations != involvements:
        problems.append("allocated social worker involvements differ from the allocations")
    for case in Case.objects.prefetch_related("allocations"):
        spans = sorted((a.start_date, a.end_date) for a in case.allocations.all())
        if sum(1 for _, e in spans if e is None) > 1:
            problems.append(f"case {case.pk}: more than one open allocation")
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            if end is None or start < end:
                problems.append(f"case {case.pk}: overlapping allocations")
        if case.closure_date and any(e is None for _, e in spans):
            problems.append(f"case {case.pk}: closed but still allocated")
    return problems


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def rates(as_at: date, *, months: int = 12) -> dict[str, float | None]:
    """The demo's headline rates over the ``months`` up to ``as_at``, as kpis.md defines them
    (a plain share of those in the period; no rounding rules)."""
    since = add_months(as_at, -months)

    def in_period(day):
        return day is not None and since < day <= as_at

    referrals = list(Case.objects.values_list("child_id", "referral_date", "referral_nfa"))
    by_child = defaultdict(list)
    for child, day, _ in referrals:
        by_child[child].append(day)
    recent = [(c, d, nfa) for c, d, nfa in referrals if in_period(d)]
    rereferred = sum(
        1 for c, d, _ in recent if any(add_months(d, -12) <= p < d for p in by_child[c])
    )
    assessments = Assessment.objects.filter(completed_date__gt=since, completed_date__lte=as_at)
    durations = [working_days_between(a, b) for a, b in assessments.values_list("start_date", "completed_date")]
    icpcs = ChildProtectionConference.objects.filter(
        kind="initial", section47__isnull=False, conference_date__gt=since, conference_date__lte=as_at
    ).select_related("section47")
    icpc_days = [working_days_between(c.section47.start_date, c.conference_date) for c in icpcs]
    plans = list(ChildProtectionPlan.objects.select_related("case"))
    starts = defaultdict(list)
    for p in plans:
        starts[p.case.child_id].append(p.start_date)
    started = [p for p in plans if in_period(p.start_date)]
    repeat = sum(
        1
        for p in started
        if p.previous_plans_elsewhere or any(s < p.start_date for s in starts[p.case.child_id])
    )
    ended = [p for p in plans if in_period(p.end_date)]
    long_plans = sum(1 for p in ended if p.end_date >= add_months(p.start_date, 24))
    categories = Counter(p.initial_category for p in started)
    decisions = Referral.objects.filter(decision_date__gt=since, decision_date__lte=as_at)
    decision_days = [
        working_days_between(a, b) for a, b in decisions.values_list("received_date", "decision_date")
    ]
    open_cases = Case.objects.filter(closure_date__isnull=True)
    unallocated = open_cases.exclude(allocations__end_date__isnull=True).count()
    first_core = []
    for p in started:
        meetings = CoreGroupMeeting.objects.filter(plan=p).values_list("meeting_date", flat=True)
        if meetings:
            first_core.append(working_days_between(p.start_date, min(meetings)))
    return {
        "referrals": len(recent),
        "rereferrals_12m": _share(rereferred, len(recent)),
        "referrals_nfa": _share(sum(1 for *_, nfa in recent if nfa), len(recent)),
        "referral_decisions_within_1wd": _share(sum(d <= 1 for d in decision_days), len(decision_days)),
        "assessments_completed": len(durations),
        "assessments_within_45wd": _share(sum(0 <= d <= 45 for d in durations), len(durations)),
        "icpcs": len(icpc_days),
        "icpc_within_15wd": _share(sum(0 <= d <= 15 for d in icpc_days), len(icpc_days)),
        "cpp_started": len(started),
        "cpp_repeat": _share(repeat, len(started)),
        "cpp_ended": len(ended),
        "cpp_ended_2y_plus": _share(long_plans, len(ended)),
        "core_groups_on_time": _share(sum(d <= 10 for d in first_core), len(started)),
        **{f"category_{k}": _share(v, len(started)) for k, v in sorted(categories.items())},
        "open_cases": open_cases.count(),
        "unallocated_share": _share(unallocated, open_cases.count()),
    }
