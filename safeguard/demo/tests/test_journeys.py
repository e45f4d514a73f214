"""The demo's journeys: every case obeys the recording rules, the records match what the
services would write, the rates are roughly the intended ones, and sw1 has a useful caseload."""

import io
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction

from safeguard.accounts.models import Role, Team, User
from safeguard.assessments.models import Assessment
from safeguard.audit.models import ChangeEvent
from safeguard.casework.models import (
    Allocation,
    Case,
    CaseNote,
    ChronologyEntry,
    CINPlan,
    ManagementDecision,
    Visit,
)
from safeguard.demo.generator import journeys
from safeguard.demo.generator.journeys import Family, realise
from safeguard.demo.generator.records import EMERGENCY_PROTECTION_RATES, _emergency_protection
from safeguard.demo.tests.journeys import allocation_breaches, rates, rule_breaches
from safeguard.earlyhelp.models import EarlyHelpAssessment, TAFReview, TeamAroundFamily
from safeguard.people.models import Person
from safeguard.protection.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.referrals.models import Contact, Referral, ThresholdLevel
from safeguard.timescales.engine import OVERDUE
from safeguard.timescales.selectors import due_for_worker

AS_AT = "2026-06-30"
AS_AT_DATE = date(2026, 6, 30)


def run_demo(children: int = 120, seed: int = 7) -> None:
    call_command(
        "demo", stdout=io.StringIO(), children=children, seed=seed, as_at=AS_AT
    )


@pytest.fixture
def accounts_file(settings, tmp_path):
    settings.SAFEGUARD_DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.txt"


@pytest.fixture
def demo(db, accounts_file):
    run_demo()


def _journey_snapshot(seed: int) -> tuple:
    with transaction.atomic():
        run_demo(children=60, seed=seed)
        snapshot = (
            sorted(Case.objects.values_list("id", "child_id", "referral_date", "closure_date")),
            sorted(Assessment.objects.values_list("id", "start_date", "completed_date", "factors")),
            sorted(ChildProtectionPlan.objects.values_list("id", "start_date", "end_date")),
            sorted(Visit.objects.values_list("id", "visit_date", "child_seen", "worker__username")),
            sorted(Contact.objects.values_list("id", "contact_date", "outcome", "level__number")),
            sorted(ChronologyEntry.objects.values_list("id", "event_date", "what", "source_id")),
        )
        transaction.set_rollback(True)
    return snapshot


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_journeys_and_another_does_not(accounts_file):
    first = _journey_snapshot(7)
    assert first[0] and first[3] and first[5]
    assert _journey_snapshot(7) == first
    assert _journey_snapshot(8)[0] != first[0]


def test_an_episode_is_the_same_for_the_same_seed_and_date():
    family = Family()
    one = realise(42, date(2024, 5, 7), family)
    assert realise(42, date(2024, 5, 7), family) == one
    assert one.closure is not None and one.closure >= max(one.step_dates())


def test_cutting_an_episode_leaves_open_what_was_open_that_day():
    for seed in range(200):
        episode = realise(seed, date(2024, 1, 8), Family(), force=journeys.FORCE_CP)
        plan = episode.plans[0]
        day = plan.end - timedelta(days=1)
        cut = episode.cut(day)
        assert cut.closure is None and cut.plans[0].end is None
        assert cut.plans[0].end_reason == "" and not cut.cin_plans
        assert max(cut.step_dates()) <= day
        assert [r.day for r in cut.plans[0].reviews] == [r.day for r in plan.reviews[:-1]]
        assert [s for s in cut.slots if s.end is None] == [cut.open_slot()]


@pytest.mark.django_db
def test_every_case_obeys_the_recording_rules(demo):
    assert Case.objects.count() > 40
    assert rule_breaches(AS_AT_DATE) == []
    assert allocation_breaches() == []


@pytest.mark.django_db
def test_closures_and_referrals_fit_the_path(demo):
    for case in Case.objects.filter(referral_nfa=True):
        assert case.closure_date == case.referral_date and case.closure_reason == "RC7"
        assert case.referral.decision == "nfa"
        assert not case.allocations.exists() and not case.assessments.exists()
    for case in Case.objects.filter(closure_reason__in=["RC8", "RC9"]):
        assert case.assessments.filter(completed_date__lte=case.closure_date).exists()
    for plan in ChildProtectionPlan.objects.all():
        icpc = plan.conferences.get(kind="initial")
        assert icpc.conference_date == plan.start_date
        assert icpc.section47.start_date <= icpc.conference_date
        assert icpc.section47.end_date == icpc.conference_date
        assert plan.case.primary_need == "N1" or plan.case.closure_date is not None
    for enquiry in Section47Enquiry.objects.select_related("strategy_discussion"):
        assert enquiry.strategy_discussion.decision == "s47"
        # Police or emergency protection is always answered (Annex A list 7 asks).
        assert enquiry.strategy_discussion.emergency_protection
    for assessment in Assessment.objects.exclude(completed_date=None):
        assert assessment.factors and assessment.primary_need and assessment.outcome
        assert assessment.authorised_by.role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
        if assessment.outcome == "strategy":
            assert assessment.primary_need == "N1"
        assert "21" not in assessment.factors or assessment.factors == ["21"]


@pytest.mark.django_db
def test_primary_need_from_the_referral_and_census_codes_the_services_would_accept(demo):
    """Issue 11 items 14 and 16, in the demo: a case that went on to further action has a
    working primary need from the referral (varied, rarely "not stated") until an authorised
    assessment gives its own; "no factors" never goes with further action or protection
    steps; no case is for an adult."""
    waiting = Case.objects.filter(referral_nfa=False).exclude(
        assessments__completed_date__isnull=False
    )
    assert waiting.exists()
    assert "" not in set(waiting.values_list("primary_need", flat=True))
    for case in Case.objects.exclude(assessments__completed_date__isnull=True).distinct():
        latest = case.assessments.exclude(completed_date=None).order_by("completed_date").last()
        assert case.primary_need == latest.primary_need
    for assessment in Assessment.objects.filter(factors=["21"]).select_related("case"):
        case = assessment.case
        assert assessment.outcome in ("nfa", "early_help")
        assert not case.section47s.exists() and not case.cp_plans.exists()
        assert not case.cin_plans.exists()
        assert not case.strategy_discussions.filter(decision="s47").exists()
    for case in Case.objects.select_related("child"):
        assert case.child.age_on(case.referral_date) is None or (
            case.child.age_on(case.referral_date) < 18
        )


def test_working_primary_needs_are_realistic():
    """The front door's working need: none after "no further action", N1 for a referral sent
    straight to a strategy discussion, else mostly the need the assessment goes on to find,
    varied, and rarely "not stated"."""
    eps = [realise(seed, date(2025, 5, 6), Family(oldest_age=9)) for seed in range(400)]
    assert all(ep.referral_need == "" for ep in eps if ep.nfa)
    assert all(ep.referral_need == "N1" for ep in eps if ep.decision == "strategy")
    assessed = [ep for ep in eps if ep.decision == "assessment" and ep.assessments]
    needs = Counter(ep.referral_need for ep in assessed)
    assert len(needs) >= 4 and needs["N0"] < len(assessed) * 0.15
    foreseen = sum(ep.referral_need == ep.assessments[0].need for ep in assessed)
    assert 0.5 < foreseen / len(assessed) < 0.9
    # Until the assessment is authorised the episode's need is the working one.
    ep = assessed[0]
    assert ep.cut(ep.assessments[0].start).primary_need == ep.referral_need


@pytest.mark.django_db
def test_open_cases_are_held_by_the_right_kind_of_team(demo):
    for allocation in Allocation.objects.filter(end_date=None).select_related("case", "team"):
        case = allocation.case
        assert case.closure_date is None
        on_plan = case.cp_plans.filter(end_date=None).exists() or case.cin_plans.filter(
            end_date=None
        ).exists()
        if on_plan:
            assert allocation.team.name.startswith("Child Protection and CIN Team")
        elif allocation.worker.username != "sw1":
            assert allocation.team.name.startswith(("Assessment Team", "Child Protection"))
        assert allocation.worker.teams.filter(pk=allocation.team_id).exists()


@pytest.mark.django_db
def test_assessments_are_written_submitted_and_decided_as_the_service_requires(demo):
    """Issue 16 item 1: every field of an authorised assessment holds text; an authorised
    assessment has its manager's agreement on its completion date, by the manager who
    authorised it, after the child was seen (unless the child was not yet born); a return
    gives its reasons; an assessment in progress is begun, and whole once submitted."""
    from safeguard.assessments.models import WRITTEN_SECTIONS, AssessmentAuthorisation

    authorised = Assessment.objects.exclude(completed_date=None).select_related("case__child")
    assert authorised.exists()
    for assessment in authorised:
        assert all(getattr(assessment, name).strip() for name in WRITTEN_SECTIONS)
        agreed = assessment.authorisations.get(decision="agree")
        assert agreed.comments.strip()
        assert (agreed.decided_on, agreed.decided_by_id) == (
            assessment.completed_date,
            assessment.authorised_by_id,
        )
        assert assessment.submitted_by_id and assessment.submitted_by_id != agreed.decided_by_id
        assert assessment.submitted_at.date() <= assessment.completed_date
        born = assessment.case.child.date_of_birth
        if born is not None and born <= assessment.completed_date:
            assert assessment.child_seen_date is not None
            assert assessment.child_seen_date <= assessment.completed_date
    returns = AssessmentAuthorisation.objects.filter(decision="return")
    assert returns.exists()
    assert all(r.comments.strip() for r in returns)
    for assessment in Assessment.objects.filter(completed_date=None):
        written = [bool(getattr(assessment, name).strip()) for name in WRITTEN_SECTIONS]
        if assessment.stage == "writing":
            assert written[0] and not assessment.submitted_at  # begun, not sent
        else:
            assert all(written) and assessment.factors and assessment.submitted_at


@pytest.mark.django_db
def test_assessments_are_authorised_by_the_manager_of_the_team_holding_the_case(demo):
    tm1 = User.objects.get(username="tm1")
    team_a = Team.objects.get(name="Child Protection and CIN Team A")
    assert tm1.teams.filter(pk=team_a.pk).exists()
    for assessment in Assessment.objects.exclude(completed_date=None):
        day = assessment.completed_date
        held = [
            a
            for a in assessment.case.allocations.all()
            if a.start_date <= day and (a.end_date is None or day <= a.end_date)
        ]
        teams = {a.team_id for a in held}
        assert set(assessment.authorised_by.teams.values_list("id", flat=True)) & teams
        if teams == {team_a.id}:
            assert assessment.authorised_by == tm1


@pytest.mark.django_db
def test_sw1_has_a_mixed_caseload_with_something_overdue(demo):
    sw1 = User.objects.get(username="sw1")
    cases = Case.objects.filter(allocations__worker=sw1, allocations__end_date=None)
    assert cases.filter(cp_plans__end_date__isnull=True, cp_plans__isnull=False).exists()
    assert cases.filter(cin_plans__end_date__isnull=True, cin_plans__isnull=False).exists()
    assert cases.filter(assessments__completed_date__isnull=True, assessments__isnull=False)
    children = set(cases.values_list("child_id", flat=True))
    assert 1 <= len(children) <= 18
    rows = due_for_worker(sw1, on=AS_AT_DATE)
    assert any(r.item.status == OVERDUE and r.item.rule.id == "cp_visit" for r in rows)


@pytest.mark.django_db
def test_contacts_and_cases_carry_a_realistic_spread_of_priorities(demo):
    """Issue 13, item 2: mostly green and amber, some red; red always with its reason; the
    front door has contacts waiting, one red at least, each with the time it came in."""
    from collections import Counter

    for model in (Contact, Case):
        spread = Counter(model.objects.values_list("priority", flat=True))
        assert set(spread) == {"red", "amber", "green"}, (model, spread)
        assert spread["red"] < spread["amber"] + spread["green"]
        assert not model.objects.filter(priority="red", priority_reason="").exists()
        assert not model.objects.filter(priority_set_by=None).exists()
    for referral in Referral.objects.exclude(contact=None).select_related("contact", "case"):
        assert referral.case.priority == referral.contact.priority
    waiting = Contact.objects.filter(outcome="")
    assert waiting.count() >= 4 and waiting.filter(priority="red").exists()
    assert not waiting.filter(received_at=None).exists()


def test_the_default_thresholds_are_loaded_and_contacts_decided_against_them(demo):
    levels = ThresholdLevel.objects.filter(authority__dfe_la_code="990")
    assert levels.count() == 4
    assert all(level.indicators.exists() for level in levels)
    # The administrator reworded an indicator of level 2 (decision 0074): the old words are
    # retired, the new ones offered; and tightened a local standard before any case opened.
    reworded = levels.get(number=2).indicators
    assert reworded.filter(disabled_on__isnull=False).count() == 1
    assert reworded.filter(disabled_on=None, text__startswith="School attendance is below").exists()
    [tightened] = [
        event
        for event in ChangeEvent.objects.filter(target_type="accounts.localauthority")
        if "referral_seen_wd" in event.changed_fields
    ]
    assert (tightened.before["referral_seen_wd"], tightened.after["referral_seen_wd"]) == (10, 5)
    assert tightened.user.username == "admin1"
    contacts = (
        Contact.objects.exclude(outcome="")
        .select_related("level", "manager")
        .prefetch_related("indicators")
    )
    assert contacts.count() >= Referral.objects.exclude(contact=None).count() * 2
    for contact in contacts:
        chosen = list(contact.indicators.all())
        assert chosen and all(i.level_id == contact.level_id for i in chosen)
        assert contact.rationale and contact.decided_by_id and contact.decision_date
        assert contact.contact_date <= contact.decision_date <= AS_AT_DATE
        assert contact.suggested_outcome == contact.level.implied_outcome
        if contact.departs_from_threshold:
            assert contact.manager.role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
            assert contact.manager_reason
        else:
            assert contact.manager is None and not contact.manager_reason
    for referral in Referral.objects.exclude(contact=None).select_related("contact", "case"):
        assert referral.contact.outcome == "referral"
        assert referral.contact.child_id == referral.case.child_id
        assert referral.contact.contact_date <= referral.received_date
    recent = Referral.objects.filter(received_date__gte=date(2024, 7, 1))
    assert not recent.filter(contact=None).exists()


@pytest.mark.django_db
def test_chronology_entries_name_their_steps_as_the_services_do(demo):
    entries = set(ChronologyEntry.objects.values_list("source_type", "source_id"))

    def expect(model, queryset=None, *, end=False):
        label = model._meta.label_lower
        for pk in (queryset if queryset is not None else model.objects.all()).values_list(
            "pk", flat=True
        ):
            assert (label, f"{pk}:end" if end else str(pk)) in entries, (label, pk)

    expect(Referral)
    expect(Contact)  # every contact, whatever its outcome (issue 16 item 9)
    expect(Assessment, Assessment.objects.exclude(completed_date=None))
    expect(StrategyDiscussion)
    expect(Section47Enquiry)
    expect(Section47Enquiry, Section47Enquiry.objects.exclude(outcome__in=["", "icpc"]), end=True)
    expect(ChildProtectionConference)
    expect(CINPlan)
    expect(CINPlan, CINPlan.objects.exclude(end_date=None), end=True)
    expect(Case, Case.objects.exclude(closure_date=None).filter(referral_nfa=False), end=True)
    expect(CaseNote, CaseNote.objects.filter(significant=True))
    expect(ManagementDecision)
    expect(EarlyHelpAssessment, EarlyHelpAssessment.objects.exclude(completed_date=None), end=True)
    expect(TeamAroundFamily)
    expect(TeamAroundFamily, TeamAroundFamily.objects.exclude(end_date=None), end=True)
    assert len(entries) == ChronologyEntry.objects.count()
    for entry in ChronologyEntry.objects.select_related("case"):
        assert entry.what
        if entry.case is None:  # early help, a contact before any case, or a referral to a
            # service made from early help (decision 0080)
            assert entry.source_type.startswith(
                ("earlyhelp.", "referrals.contact", "directory.servicereferral")
            ), entry.source_type
        else:
            assert entry.child_id == entry.case.child_id


@pytest.mark.django_db
def test_every_journey_record_has_one_created_change_event(demo):
    events = Counter(
        # Bulk-inserted records' events name no user; those the demo makes through the services
        # (transfers, contacts passed to allocated workers) name their maker.
        ChangeEvent.objects.filter(verb="created").values_list("target_type", flat=True)
    )
    for model in (
        Case,
        Referral,
        Contact,
        Allocation,
        Assessment,
        Visit,
        ChronologyEntry,
        EarlyHelpAssessment,
        TeamAroundFamily,
        TAFReview,
    ):
        assert events[model._meta.label_lower] == model.objects.count(), model


@pytest.mark.django_db
def test_unborn_children_are_referred_before_birth_and_never_seen(accounts_file):
    run_demo(children=400, seed=11)
    unborn = Person.objects.filter(date_of_birth=None, expected_date_of_birth__isnull=False)
    cases = Case.objects.filter(child__in=unborn)
    assert cases.exists()
    for case in cases.select_related("child"):
        assert case.referral_date < case.child.expected_date_of_birth
        assert not case.assessments.exclude(child_seen_date=None).exists()
        assert not case.visits.filter(child_seen=True).exists()


@pytest.mark.django_db
def test_rates_come_out_near_the_intended_ones(accounts_file):
    run_demo(children=400, seed=2009)
    measured = rates(AS_AT_DATE, months=24)
    assert 0.7 <= measured["assessments_within_45wd"] <= 0.95
    assert 0.1 <= measured["rereferrals_12m"] <= 0.35
    assert 0.03 <= measured["referrals_nfa"] <= 0.15
    assert measured["referral_decisions_within_1wd"] >= 0.8
    assert measured["icpcs"] >= 10 and 0.55 <= measured["icpc_within_15wd"] <= 0.98
    assert measured["cpp_started"] >= 10
    # Siblings share a plan's category, so a small borough's mix is lumpy.
    assert measured.get("category_NEG", 0) + measured.get("category_EMO", 0) >= 0.6
    assert measured["unallocated_share"] <= 0.06
    contacts = Contact.objects.exclude(outcome="").count()
    departing = sum(1 for c in Contact.objects.all() if c.departs_from_threshold)
    assert 0.01 <= departing / contacts <= 0.12
    plans = ChildProtectionPlan.objects.count()
    repeat = sum(
        1
        for p in ChildProtectionPlan.objects.select_related("case")
        if p.previous_plans_elsewhere
        or ChildProtectionPlan.objects.filter(
            case__child_id=p.case.child_id, start_date__lt=p.start_date
        ).exists()
    )
    assert 0.02 <= repeat / plans <= 0.45  # about 0.2 in a large borough


def test_police_and_emergency_protection_come_at_realistic_rates():
    """About 6% of strategy discussions find the child in police protection, 1.5% under an
    emergency protection order, 1% both; drawn apart from the borough's own random numbers."""
    draws = 20_000
    counts = Counter(
        _emergency_protection(n, date(2026, 1, 1) + timedelta(days=n % 300)) for n in range(draws)
    )
    for value, rate in EMERGENCY_PROTECTION_RATES:
        assert abs(counts[value] / draws - rate) < 0.005, value
    assert counts["none"] > 0.9 * draws
    assert _emergency_protection(7, date(2026, 1, 1)) == _emergency_protection(7, date(2026, 1, 1))
