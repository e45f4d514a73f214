"""What the contribution tests share: Amy invites the police practitioner to Sam's initial
conference; an action of Sam's plan owned by the police."""

from datetime import timedelta

from django.utils import timezone

from safeguard.partners import services
from safeguard.partners.models import ConferenceKind, StepInvitation, StepKind
from safeguard.protection import services as protection
from safeguard.protection.tests.steps import case_of_sam, plan_of_sam

PURPOSE = "Initial conference: bruising seen at school; police enquiry under way."


def make_invitation(world, *, case=None, by=None, practitioner=None, days=10, **fields):
    values = {
        "kind": StepKind.CONFERENCE,
        "conference_kind": ConferenceKind.INITIAL,
        "meeting_date": timezone.localdate() + timedelta(days=days),
        "purpose": PURPOSE,
    } | fields
    return services.invitation_send(
        by=by or world.sw_amy,
        case=case or case_of_sam(world),
        practitioner=practitioner or world.police_pat,
        **values,
    )


def moved_to(invitation, day) -> StepInvitation:
    """``invitation`` as if it had been made for ``day`` (a day now past)."""
    StepInvitation.objects.filter(pk=invitation.pk).update(meeting_date=day)
    invitation.refresh_from_db()
    return invitation


def police_action(world, plan=None, *, agency=None, due=None):
    """An action of Sam's plan (or ``plan``) owned by the police (or ``agency``)."""
    plan = plan or plan_of_sam(world)
    return protection.plan_action_add(
        by=world.sw_amy,
        plan=plan,
        description="Police to share the outcome of their enquiry with the core group",
        due_date=due or timezone.localdate() + timedelta(days=7),
        owner_agency=agency or world.police,
    )
