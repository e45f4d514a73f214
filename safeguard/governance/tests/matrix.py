from datetime import date

from safeguard.testing.matrix import row


# A partnership plan owned by the service manager, with one action owned by the police
# partner, and a risk owned by the health partner.
def governance_plan(world):
    from safeguard.governance import services

    plan = services.plan_create(
        by=world.sm_dan, title="Improvement plan", owner_body="Safeguarding partnership",
        lead=world.sm_dan, start_date=date(2026, 1, 1), end_date=date(2028, 12, 31),
    )  # fmt: skip
    objective = services.objective_add(by=world.sm_dan, plan=plan, title="Timely visits")
    action = services.action_add(
        by=world.sm_dan, objective=objective, title="Police desk checks", owner=world.police_pat,
        agency=world.police, due_date=date(2026, 6, 30),
    )  # fmt: skip
    return {"plan_id": plan.pk, "action_id": action.pk}


def governance_risk(world):
    from safeguard.governance import services

    risk = services.risk_add(
        by=world.sm_dan, kind="risk", title="Agency reports late", likelihood=3, impact=4,
        owner=world.health_hana, mitigation="Reminders", review_date=date(2026, 9, 1),
    )  # fmt: skip
    return {"risk_id": risk.pk}


def governance_action(world):
    return {"action_id": governance_plan(world)["action_id"]}


def governance_plan_only(world):
    return {"plan_id": governance_plan(world)["plan_id"]}


def governance_evidence(world):
    """A file given as evidence of the police partner's action (decision 0086)."""
    from safeguard.documents import samples
    from safeguard.governance import services
    from safeguard.governance.models import Action as PlanAction

    action_id = governance_plan(world)["action_id"]
    evidence = services.evidence_add(
        by=world.sm_dan, action=PlanAction.objects.get(pk=action_id), title="Minutes",
        file=samples.pdf(["Partnership minutes (synthetic)"]),
    )  # fmt: skip
    return {"evidence_id": evidence.pk}


TARGETS = {
    "governance_plan": governance_plan_only,
    "governance_action": governance_action,
    "governance_risk": governance_risk,
    "governance_evidence": governance_evidence,
}

# Every active member of staff of the authority's agencies reads the plans and the register, and
# board members (read-only: a form page is refused them);
# never an inspector. Another authority's staff see their own (none).
READ_LIST = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 200, 200, 403, board_member=200)
# One plan or action: not found for another authority and for an inspector.
READ = row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 302, 404, 200, 404, board_member=200)
# A service manager starts a plan or adds a risk.
SERVICE_MANAGER = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
# The plan's owner (here the service manager) changes it.
CHANGE_PLAN = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 404, 403, 404, board_member=403)
# The action's owner (the police partner), the plan's owner or a service manager.
UPDATE_ACTION = row(302, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 302, 404, 403, 404, board_member=403)
# Signed off by the plan's owner, never by the action's own owner.
SIGN_OFF = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 404, 403, 404, board_member=403)
# The risk's owner (the health partner) or a service manager.
CHANGE_RISK = row(302, 403, 403, 200, 403, 403, 200, 403, 403, 403, 403, 302, 404, 403, 404, board_member=403)

MATRIX = {
    "governance:plans": ("get", None, "", READ_LIST),
    "governance:plan-new": ("get", None, "", SERVICE_MANAGER),
    "governance:plan": ("get", "governance_plan", "", READ),
    "governance:plan-edit": ("get", "governance_plan", "", CHANGE_PLAN),
    "governance:objective-new": ("get", "governance_plan", "", CHANGE_PLAN),
    "governance:action-new": ("get", "governance_plan", "", CHANGE_PLAN),
    "governance:highlights": ("get", "governance_plan", "", READ),
    "governance:action": ("get", "governance_action", "", READ),
    "governance:action-update": ("get", "governance_action", "", UPDATE_ACTION),
    "governance:action-sign-off": ("get", "governance_action", "", SIGN_OFF),
    "governance:action-serve": ("get", "governance_action", "", CHANGE_PLAN),
    "governance:evidence-new": ("get", "governance_action", "", UPDATE_ACTION),
    # An evidence file: downloaded by whoever may see its action (decision 0086).
    "governance:evidence-file": ("get", "governance_evidence", "", READ),
    "governance:risks": ("get", None, "", READ_LIST),
    "governance:risk-new": ("get", None, "", SERVICE_MANAGER),
    "governance:risk-edit": ("get", "governance_risk", "", CHANGE_RISK),
}
