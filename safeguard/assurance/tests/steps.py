"""Records the audit pages need, made with the real services on the test world: open,
allocated cases of Sam and Sally (Team A, Amy) and Tom (Team B, Ben), and an audit of Sam's
case given to Carol (team manager)."""

from datetime import date

from safeguard.assurance import services
from safeguard.assurance.models import Audit, Grade, Heading
from safeguard.casework.models import Case
from safeguard.casework.services import case_allocate
from safeguard.testing.journey import open_case

REFERRED = date(2025, 1, 6)


def allocated_cases(world) -> dict:
    """The three open, allocated cases (opened once; the same ones when asked again)."""
    opened = Case.objects.filter(closure_date__isnull=True).select_related("child")
    if opened.exists():
        return {case.child.given_names: case for case in opened}
    plan = (
        (world.child_sam, world.sw_amy, world.team_a),
        (world.child_sally, world.sw_amy, world.team_a),
        (world.child_tom, world.sw_ben, world.team_b),
    )
    cases = {}
    for child, worker, team in plan:
        case = open_case(world, child, received=REFERRED)
        case_allocate(
            by=world.tm_carol, case=case, worker=worker, team=team, start_date=REFERRED,
            reason="Test allocation",
        )  # fmt: skip
        cases[child.given_names] = case
    return cases


def audit_of_sam(world, *, auditor=None) -> Audit:
    case = allocated_cases(world)["Sam"]
    audit = Audit(
        case=case,
        authority_id=case.authority_id,
        auditor=auditor or world.tm_carol,
        team=world.team_a,
        practitioner=world.sw_amy,
        sample_seed=1,
    )
    from safeguard.audit.services import save_new

    save_new(audit, by=world.tm_carol)
    return audit


def findings(grade=Grade.GOOD) -> dict:
    return {h: (grade, f"Evidence for {h.label}") for h in Heading}


def completed_audit_of_sam(world) -> Audit:
    audit = audit_of_sam(world)
    return services.complete(
        audit=audit, by=world.tm_carol, findings=findings(), overall=Grade.GOOD,
        today=date(2025, 3, 3),
    )  # fmt: skip


def action_of_sam(world):
    """An action from a completed audit of Sam's case, owned by Amy, due in 2099."""
    audit = completed_audit_of_sam(world)
    return services.add_action(
        audit=audit, by=world.tm_carol, description="Update the chronology",
        owner=world.sw_amy, due_date=date(2099, 1, 1),
    )  # fmt: skip


def inspection(world, *, chosen=("T000001",), size=0, seed=None, inspectors=None):
    """An inspection running from yesterday to three days on, set up by Dan (service
    manager) for Ian (inspector), its sample the cases of ``chosen`` and ``size`` more."""
    from datetime import timedelta

    from django.utils import timezone

    allocated_cases(world)
    today = timezone.localdate()
    made = services.inspection_set_up(
        by=world.sm_dan,
        name="Inspection of children's services",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=3),
        inspectors=[world.inspector_ian] if inspectors is None else inspectors,
    )
    services.inspection_sample(
        by=world.sm_dan, inspection=made, chosen=list(chosen), size=size, seed=seed
    )
    return made


def move_inspection(inspection, *, start, end):
    """Set an inspection's dates directly (a test's clock: before it starts, after it ends)."""
    from safeguard.assurance.models import Inspection

    Inspection.objects.filter(pk=inspection.pk).update(start_date=start, end_date=end)
    inspection.refresh_from_db()
    return inspection


def ended_inspection_of_sam(world):
    """Sam's case file in the sample of an inspection that ended yesterday (the matrix's
    inspector has no inspection under way)."""
    from datetime import timedelta

    from django.utils import timezone

    made = inspection(world)
    today = timezone.localdate()
    return move_inspection(
        made, start=today - timedelta(days=5), end=today - timedelta(days=1)
    )


def programme_line(world, *, auditor=None, cases_per_month=1, stratum="", first_month=None):
    """A line of the audit programme set by Dan (service manager): Carol (or ``auditor``)
    audits ``cases_per_month`` case files a month from ``first_month`` (this month)."""
    from django.utils import timezone

    return services.programme_line_add(
        by=world.sm_dan,
        auditor=auditor or world.tm_carol,
        cases_per_month=cases_per_month,
        stratum=stratum,
        first_month=first_month or timezone.localdate().replace(day=1),
    )


# --- Dip samples of the front door's decisions (decision 0063) --------------------------------

DECIDED = date(2025, 6, 3)


def threshold_levels(world) -> dict:
    """The default threshold levels of the authority, by number (loaded once)."""
    from safeguard.referrals.models import ThresholdLevel
    from safeguard.referrals.services import thresholds_load_default

    levels = ThresholdLevel.objects.filter(authority=world.authority)
    if not levels.exists():
        thresholds_load_default(by=None, authority=world.authority)
    return {level.number: level for level in levels.all()}


def decided_contact(world, child, *, outcome, by=None, level=1, decided=DECIDED, manager=None):
    """A contact about ``child`` received the day before ``decided`` and decided then at
    threshold ``level`` with ``outcome`` (by Amy, or ``by``; a departure needs a manager's
    reason: Carol's, or ``manager``)."""
    from datetime import timedelta

    from safeguard.referrals.services import contact_decide, contact_record

    chosen = threshold_levels(world)[level]
    contact = contact_record(
        by=world.sw_amy, child=child, contact_date=decided - timedelta(days=1), source="2A",
        reason="Worries raised by school",
    )  # fmt: skip
    by = by or world.sw_amy
    departs = outcome != chosen.implied_outcome
    return contact_decide(
        by=by, contact=contact, level=chosen, indicators=[chosen.indicators.first()],
        rationale="Reasons given", outcome=outcome, decision_date=decided,
        manager=(manager or world.tm_carol) if departs else None,
        manager_reason="Agreed by the manager" if departs else "",
    )  # fmt: skip


def dip_sample(world, *, size=5, seed=7):
    """A dip sample drawn by Dan (service manager) of June 2025: Sam's contact closed with no
    further action by Amy (Carol agreed it), and Tom's referred at level 1 by Carol."""
    decided_contact(world, world.child_sam, outcome="nfa")
    decided_contact(world, world.child_tom, outcome="referral", by=world.tm_carol)
    return services.dip_sample_draw(
        by=world.sm_dan, first_day=date(2025, 6, 1), last_day=date(2025, 6, 30), size=size,
        seed=seed,
    )  # fmt: skip
