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
