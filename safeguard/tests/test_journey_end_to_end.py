"""One child from contact to closure, with the due dates and "what is due" checked at each step
and the chronology at the end (the journey issue's end-to-end test)."""

from datetime import date

import pytest

from safeguard.assessments import services as assessments
from safeguard.casework import services as casework
from safeguard.casework.selectors import chronology_of
from safeguard.protection import services as protection
from safeguard.referrals import services as referrals
from safeguard.referrals.models import ThresholdIndicator, ThresholdLevel
from safeguard.testing.journey import close_case
from safeguard.timescales.engine import case_timescales
from safeguard.timescales.selectors import due_for_worker

pytestmark = pytest.mark.django_db

PEOPLE = [{"agency": "Children's social care", "name": "Amy Adeyemi"},
          {"agency": "Police", "name": "DC Pat Patel"},
          {"agency": "Health", "name": "Dr Hana Hussain"}]
ATTENDANCE = {"Children's social care": True, "Police": True, "Health": True, "Education": True}


def _outstanding(case, on):
    """{rule id: due date} of what is outstanding on the case on ``on``."""
    return {i.rule.id: i.due_date for i in case_timescales(case, on=on) if i.is_outstanding}


def _item(case, rule_id, on, start):
    return next(i for i in case_timescales(case, on=on) if i.rule.id == rule_id and i.start_date == start)


def _amy_due(world, on):
    return sorted((r.item.rule.id, r.item.due_date, r.item.status) for r in due_for_worker(world.sw_amy, on=on))


def test_contact_to_closure(world):
    amy, carol, sam = world.sw_amy, world.tm_carol, world.child_sam
    level = ThresholdLevel.objects.create(authority=world.authority, number=4, name="Child protection",
                                          implied_outcome="referral")
    indicator = ThresholdIndicator.objects.create(level=level, text="Disclosure of physical harm")

    # Front door: a contact from the police, decided as the threshold suggests.
    contact = referrals.contact_record(by=amy, child=sam, contact_date=date(2025, 1, 6), source="6",
                                       reason="Police attended a domestic incident; bruising seen")
    referrals.contact_decide(by=amy, contact=contact, level=level, indicators=[indicator],
                             rationale="Injury to a child in a home with domestic abuse", outcome="referral",
                             decision_date=date(2025, 1, 6))
    referral = referrals.referral_record(by=amy, child=sam, received_date=date(2025, 1, 6), source="6",
                                         decision="assessment", decision_date=date(2025, 1, 7), contact=contact,
                                         primary_need="N1")
    case = referral.case
    decision = _item(case, "referral_decision", date(2025, 1, 7), date(2025, 1, 6))
    assert (decision.due_date, decision.status) == (date(2025, 1, 7), "met")
    casework.case_allocate(by=carol, case=case, worker=amy, team=world.team_a, start_date=date(2025, 1, 7), reason="Test")

    # Assessment: due 45 working days from the referral.
    assessment = assessments.assessment_start(by=amy, case=case, kind="single", start_date=date(2025, 1, 8))
    # The referral's decision set a next step: the child to be seen within 5 working days of
    # it (issue 13, item 1); seeing Sam at the assessment's first visit meets it.
    assert _outstanding(case, date(2025, 1, 8)) == {"single_assessment": date(2025, 3, 10),
                                                    "referral_child_seen": date(2025, 1, 14)}
    assessment = assessments.assessment_record_seen(by=amy, assessment=assessment,
                                                    child_seen_date=date(2025, 1, 8), child_seen_alone=True)
    assert _outstanding(case, date(2025, 1, 8)) == {"single_assessment": date(2025, 3, 10)}
    assert _amy_due(world, date(2025, 1, 8)) == [("single_assessment", date(2025, 3, 10), "due")]

    # Strategy discussion and section 47: the ICPC is due 15 working days after the discussion.
    discussion = protection.strategy_discussion_record(by=amy, case=case, discussion_date=date(2025, 1, 20),
                                                       attendees=PEOPLE, decision="s47")
    enquiry = protection.section47_start(by=amy, case=case, strategy_discussion=discussion,
                                         start_date=date(2025, 1, 20))
    assert _outstanding(case, date(2025, 1, 21)) == {"single_assessment": date(2025, 3, 10),
                                                     "icpc": date(2025, 2, 10)}

    # ICPC on day 13: a plan starts; first core group and CP visit due 10 working days later,
    # the first review three months later.
    icpc = protection.icpc_record(by=amy, chair=world.chair_iris, section47=enquiry, conference_date=date(2025, 2, 6),
                                  attendance=ATTENDANCE, decision="plan", category="PHY",
                                  outline_plan="Safety plan; parenting support", core_group_members=PEOPLE)
    plan = icpc.plan
    assert plan.start_date == date(2025, 2, 6)
    assert _item(case, "icpc", date(2025, 2, 6), date(2025, 1, 20)).status == "met"
    assert _outstanding(case, date(2025, 2, 7)) == {
        "single_assessment": date(2025, 3, 10),
        "first_core_group": date(2025, 2, 20),
        "first_review_conference": date(2025, 5, 6),
        "cp_visit": date(2025, 2, 20),
        # The chair circulates the conference's minutes within 20 working days (decision 0043).
        "conference_minutes": date(2025, 3, 6),
    }
    protection.minutes_circulated(by=world.chair_iris, conference=icpc, circulated_on=date(2025, 3, 3))
    assert "conference_minutes" not in _outstanding(case, date(2025, 3, 4))

    # The manager authorises the assessment inside 45 working days.
    # Amy writes and submits it (the child was seen at the joint visit); Carol authorises it.
    assessments.assessment_record_seen(by=amy, assessment=assessment, child_seen_date=date(2025, 1, 10),
                                       child_seen_alone=True)
    assessments.assessment_submit(
        by=amy, assessment=assessment, factors=["3B", "18C"], primary_need="N1", outcome="strategy",
        developmental_needs="Bruising; speech delay.", parenting_capacity="Father's violence limits care.",
        family_environment="Domestic abuse at home.", history="Police call-outs last year.",
        wishes_and_feelings="“Dad shouts and hits.”", analysis="Physical abuse by an adult.",
        recommendation="Child protection conference.",
    )
    assessments.assessment_authorise(by=carol, assessment=assessment, decision="agree",
                                     decided_on=date(2025, 2, 12))
    assert _item(case, "single_assessment", date(2025, 2, 12), date(2025, 1, 6)).status == "met"

    # Core group and visits: each seen visit restarts the 10-working-day clock.
    protection.core_group_record(by=amy, plan=plan, meeting_date=date(2025, 2, 18), attendees=PEOPLE)
    casework.visit_record(by=amy, case=case, kind="cp", visit_date=date(2025, 2, 14), child_seen=True,
                          child_seen_alone=True, bedroom_seen=True)
    casework.visit_record(by=amy, case=case, kind="cp", visit_date=date(2025, 2, 27), child_seen=True)
    on = date(2025, 3, 20)
    assert _outstanding(case, on)["cp_visit"] == date(2025, 3, 13)
    assert _outstanding(case, on)["core_group"] == date(2025, 3, 18)
    overdue_visit = _item(case, "cp_visit", on, date(2025, 2, 27))
    assert (overdue_visit.status, overdue_visit.working_days_overdue) == ("overdue", 5)
    assert ("cp_visit", date(2025, 3, 13), "overdue") in _amy_due(world, on)
    casework.visit_record(by=amy, case=case, kind="cp", visit_date=date(2025, 3, 21), child_seen=True)
    assert _item(case, "cp_visit", date(2025, 3, 21), date(2025, 2, 27)).status == "late"
    protection.core_group_record(by=amy, plan=plan, meeting_date=date(2025, 3, 18), attendees=PEOPLE)

    # Two reviews: the first within three months, the second ends the plan.
    first_review = protection.review_conference_record(by=amy, chair=world.chair_iris, plan=plan,
                                                       conference_date=date(2025, 5, 1), attendance=ATTENDANCE,
                                                       decision="continue", category="PHY")
    protection.minutes_circulated(by=world.chair_iris, conference=first_review, circulated_on=date(2025, 5, 20))
    assert _item(case, "first_review_conference", date(2025, 5, 1), date(2025, 2, 6)).status == "met"
    assert _outstanding(case, date(2025, 5, 2))["review_conference"] == date(2025, 11, 1)
    review = protection.review_conference_record(by=amy, chair=world.chair_iris, plan=plan,
                                                 conference_date=date(2025, 10, 20), attendance=ATTENDANCE,
                                                 decision="end", category="PHY", end_reason="risk_reduced")
    protection.minutes_circulated(by=world.chair_iris, conference=review, circulated_on=date(2025, 10, 21))
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (date(2025, 10, 20), "risk_reduced")

    # Step down to a child in need plan: visits every 20 working days, reviews every 3 months.
    cin_plan = casework.cin_plan_start(by=amy, case=case, start_date=date(2025, 10, 20))
    assert _outstanding(case, date(2025, 10, 21)) == {"cin_visit": date(2025, 11, 17),
                                                      "cin_plan_review": date(2026, 1, 20)}
    casework.visit_record(by=amy, case=case, kind="cin", visit_date=date(2025, 11, 10), child_seen=True)
    casework.cin_plan_review_record(by=amy, plan=cin_plan, review_date=date(2026, 1, 12))
    casework.visit_record(by=amy, case=case, kind="cin", visit_date=date(2025, 12, 8), child_seen=True)
    casework.visit_record(by=amy, case=case, kind="cin", visit_date=date(2026, 1, 5), child_seen=True)
    assert _outstanding(case, date(2026, 1, 13)) == {"cin_visit": date(2026, 2, 2),
                                                     "cin_plan_review": date(2026, 4, 12)}

    # Closure: the plan ends, the case closes, nothing is due any more.
    casework.cin_plan_end(by=amy, plan=cin_plan, end_date=date(2026, 2, 2))
    close_case(by=amy, case=case, closure_date=date(2026, 2, 2), reason="RC7")
    case.refresh_from_db()
    assert (case.closure_date, case.closure_reason, case.primary_need) == (date(2026, 2, 2), "RC7", "N1")
    assert _outstanding(case, date(2026, 2, 3)) == {}
    assert _amy_due(world, date(2026, 2, 3)) == []

    # The chronology lists each significant event in date order.
    entries = [(e.event_date, e.what) for e in chronology_of(sam, user=amy)]
    assert entries == sorted(entries, key=lambda e: e[0])
    whats = [w for _, w in entries]
    expected_in_order = [
        "Referral received from Police",
        "Strategy discussion",
        "Section 47 enquiry started",
        "Initial child protection conference: child protection plan",
        "Child and family assessment completed",
        "Review child protection conference: plan continues",
        "Review child protection conference: plan ended",
        "Child in need plan started",
        "Child in need plan ended",
        "Case closed",
    ]
    positions = [next(i for i, w in enumerate(whats) if w.startswith(prefix)) for prefix in expected_in_order]
    assert positions == sorted(positions)
