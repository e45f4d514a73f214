"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py)."""

from safeguard.casework.models import CINPlan
from safeguard.casework.tests.matrix import cin_plan_target
from safeguard.protection import services
from safeguard.protection.tests.steps import (
    case_of_sam,
    discussion_of_sam,
    enquiry_of_sam,
    plan_of_sam,
)
from safeguard.testing.matrix import CASE_PAGE, CASE_RECORD, row

# A conference form: those who record on the case, and the authority's conference chairs.
CONFERENCE_RECORD = row(302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 200, 404)

# What only the authority's conference chairs do on a case they see (decision 0043).
CHAIR_ONLY = row(302, 403, 403, 403, 403, 404, 404, 404, 404, 404, 404, 302, 404, 200, 404)
# The chair's own list of open challenges and escalations.
CHAIRS_LIST = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 302, 403, 200, 403)

MATRIX = {
    "protection:strategy-new": ("get", "protection.case", "", CASE_RECORD),
    "protection:s47-new": ("get", "protection.discussion", "", CASE_RECORD),
    "protection:s47-conclude": ("get", "protection.enquiry", "", CASE_RECORD),
    "protection:icpc-new": ("get", "protection.enquiry", "", CONFERENCE_RECORD),
    "protection:core-group-new": ("get", "protection.plan", "", CASE_RECORD),
    "protection:review-new": ("get", "protection.plan", "", CONFERENCE_RECORD),
    "protection:plan-end": ("get", "protection.plan", "", CASE_RECORD),
    "protection:plan-detail": ("get", "protection.plan", "", CASE_PAGE),
    # The read-only page of each step (issue 16 item 5): whoever sees the case file.
    "protection:strategy-detail": ("get", "protection.discussion", "", CASE_PAGE),
    "protection:section47-detail": ("get", "protection.enquiry", "", CASE_PAGE),
    "protection:conference-detail": ("get", "protection.conference", "", CASE_PAGE),
    "protection:plan-write": ("get", "protection.plan", "", CASE_RECORD),
    "protection:action-new": ("get", "protection.plan", "", CASE_RECORD),
    "protection:action-progress": ("get", "protection.action", "", CASE_RECORD),
    # A child in need plan's page, outcomes, actions and reviews (decision 0068): as the
    # child protection plan's.
    "protection:cin-plan-detail": ("get", "casework.cin_plan", "", CASE_PAGE),
    "protection:cin-plan-write": ("get", "casework.cin_plan", "", CASE_RECORD),
    "protection:cin-action-new": ("get", "casework.cin_plan", "", CASE_RECORD),
    "protection:cin-review-new": ("get", "casework.cin_plan", "", CASE_RECORD),
    "protection:minutes": ("get", "protection.conference", "", CHAIR_ONLY),
    "protection:challenge-new": ("get", "protection.case", "", CHAIR_ONLY),
    "protection:challenge-resolve": ("get", "protection.challenge", "", CHAIR_ONLY),
    "protection:challenges": ("get", None, "", CHAIRS_LIST),
}


def action_of_sam(world):
    """An action on Sam Smith's plan, owned by his social worker."""
    plan = plan_of_sam(world)
    return services.plan_action_add(
        by=world.sw_amy,
        plan=plan,
        description="Health visitor checks weekly",
        due_date=plan.start_date,
        owner_user=world.sw_amy,
    )


def cin_action_of_sam(world):
    """An action on Sam Smith's child in need plan (decision 0068), owned by his social
    worker, open, so that a review goes through it."""
    plan = CINPlan.objects.get(pk=cin_plan_target(world)["plan_id"])
    return services.cin_plan_action_add(
        by=world.sw_amy,
        cin_plan=plan,
        description="Family support worker helps with morning routines",
        due_date=plan.start_date,
        owner_user=world.sw_amy,
    )


def challenge_of_sam(world):
    """An open escalation on Sam Smith's case, raised by his conference's chair."""
    plan = plan_of_sam(world)
    return services.challenge_raise(
        by=world.chair_iris,
        case=plan.case,
        conference=plan.conferences.first(),
        kind="escalation",
        concern="Core group not held within 10 working days",
        raised_with="Carol Chen, team manager",
        raised_on=plan.start_date,
    )


TARGETS = {
    "protection.case": lambda world: {"case_id": case_of_sam(world).pk},
    "protection.discussion": lambda world: {"discussion_id": discussion_of_sam(world).pk},
    "protection.enquiry": lambda world: {"enquiry_id": enquiry_of_sam(world).pk},
    "protection.plan": lambda world: {"plan_id": plan_of_sam(world).pk},
    "protection.action": lambda world: {"action_id": action_of_sam(world).pk},
    "protection.cin_action": lambda world: {"action_id": cin_action_of_sam(world).pk},
    "protection.conference": lambda world: {
        "conference_id": plan_of_sam(world).conferences.first().pk
    },
    "protection.challenge": lambda world: {"challenge_id": challenge_of_sam(world).pk},
}
