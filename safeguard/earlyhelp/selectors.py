"""Reads of early help. A page gets the child, an assessment or a team around the family only
through the ``access_*`` functions here: they read the child through the people access
function (which logs the access) and apply the early help policy, answering 404 to those who
may not know of the record and 403 to those who may see it but not record."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import RECORDING_ROLES, AgencyKind, Role, User
from safeguard.audit.models import AccessPurpose
from safeguard.casework.models import Case
from safeguard.earlyhelp import permissions
from safeguard.earlyhelp.models import EarlyHelpAssessment, Handover, TeamAroundFamily
from safeguard.earlyhelp.permissions import Action
from safeguard.people import selectors as people
from safeguard.people.models import Person
from safeguard.referrals.models import Contact, ContactOutcome


def _purpose(action: Action) -> str:
    return AccessPurpose.VIEW if action == Action.VIEW else AccessPurpose.EDIT


@transaction.atomic
def access_child(*, user, person_id: UUID, request=None, action: Action = Action.VIEW) -> Person:
    """The child, for an early help page; the access is logged."""
    if not permissions.uses_early_help(user):
        # Turned away before the child is read, so nothing is logged for them.
        raise Http404("No such record")
    child = people.access_person(
        user=user, person_id=person_id, purpose=_purpose(action), request=request
    )
    if not permissions.can(user, Action.VIEW, child):
        raise Http404("No such record")
    if action != Action.VIEW and not permissions.can(user, action, child):
        raise PermissionDenied("You cannot record early help for this child")
    return child


@transaction.atomic
def access_assessment(
    *, user, eha_id: UUID, request=None, action: Action = Action.VIEW
) -> EarlyHelpAssessment:
    assessment = (
        EarlyHelpAssessment.objects.select_related(
            "organisation", "lead_user", "created_by", "updated_by", "contact", "stepped_down_from"
        )
        .filter(pk=eha_id)
        .first()
    )
    if assessment is None:
        raise Http404("No such early help assessment")
    assessment.child = access_child(
        user=user, person_id=assessment.child_id, request=request, action=action
    )
    return assessment


@transaction.atomic
def access_taf(*, user, taf_id: UUID, request=None, action: Action = Action.VIEW):
    taf = (
        TeamAroundFamily.objects.select_related(
            "assessment", "lead_user", "created_by", "stepped_down_from", "authority"
        )
        .prefetch_related("reviews__created_by")
        .filter(pk=taf_id)
        .first()
    )
    if taf is None:
        raise Http404("No such team around the family")
    taf.child = access_child(user=user, person_id=taf.child_id, request=request, action=action)
    return taf


# --- Lists for one child (the child already accessed) -----------------------------------------


def with_last_review(tafs: QuerySet[TeamAroundFamily]) -> QuerySet[TeamAroundFamily]:
    """``tafs`` with each team's last review date and its authority's review interval read in
    the same query (``reviewed_last``, ``authority_review_weeks``), so that a list showing
    when each is next due asks nothing more."""
    return tafs.annotate(
        reviewed_last=Max("reviews__review_date"),
        authority_review_weeks=F("authority__taf_review_weeks"),
    )


def assessments_of(child) -> QuerySet[EarlyHelpAssessment]:
    """The child's assessments, latest first: what a new team around the family may follow."""
    return EarlyHelpAssessment.objects.filter(child=child).order_by("-start_date", "-created_at")


def open_taf_of(child) -> TeamAroundFamily | None:
    return TeamAroundFamily.objects.filter(child=child, end_date__isnull=True).first()


def early_help_contacts(child) -> QuerySet[Contact]:
    """The child's contacts the front door decided as early help, not yet linked to an
    assessment: what a new assessment may say it came from."""
    return Contact.objects.filter(
        child=child, outcome=ContactOutcome.EARLY_HELP, early_help_assessment__isnull=True
    ).order_by("-contact_date")


def cases_of(child) -> QuerySet[Case]:
    """The child's cases, latest first: what an assessment may have stepped down from."""
    return Case.objects.filter(child=child).order_by("-referral_date")


def latest_closed_case_of(child) -> QuerySet[Case]:
    """The child's latest closed case (as a query of one): what a team around the family may
    step down from."""
    latest = (
        Case.objects.filter(child=child, closure_date__isnull=False)
        .order_by("-closure_date", "-referral_date")
        .values("pk")[:1]
    )
    return Case.objects.filter(pk__in=latest)


def possible_leads(child):
    """Staff who may lead the child's early help, from any agency that leads it (decision
    0081): social workers and managers of the child's authority, and the partner
    practitioners of its schools, health and voluntary sector agencies (one not yet involved
    with the child becomes involved as the lead, with the family's consent). The policy's
    own answer for each is checked again when saving."""
    social_care = Q(agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE, role__in=RECORDING_ROLES)
    partners = Q(role=Role.PARTNER_PRACTITIONER, agency__kind__in=permissions.PARTNER_KINDS)
    return (
        User.objects.filter(is_active=True, agency__authority_id=child.authority_id)
        .filter(social_care | partners)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


# --- The start page ----------------------------------------------------------------------------


def children_found(*, user, name: str, date_of_birth, nhs_number: str, request=None) -> list:
    """The children ``user`` may see who match the search, each logged as found in a search.
    Nothing is said of anyone else: a partner sees only the children they are involved with."""
    found = people.person_search(
        user=user, name=name, date_of_birth=date_of_birth, nhs_number=nhs_number
    )
    today = timezone.localdate()
    children = [p for p in found if p.is_child_on(today) or p.date_of_birth is None]
    people.access_people(user=user, people=children, purpose=AccessPurpose.SEARCH, request=request)
    return children


# --- Handovers ------------------------------------------------------------------------------------


def handovers_shown(user, child, *, contact=None, case=None, assessment=None, taf=None):
    """The handovers a page about ``child`` shows (a contact's, a case's, an assessment's or
    a team's; else all the child's), for those who see the child's early help: one query.
    The page has already read the child through its access function."""
    if not permissions.can(user, Action.VIEW, child):
        return []
    qs = Handover.objects.select_related("acknowledged_by", "contact", "case", "assessment", "taf")
    if contact is not None:
        # The contact's own, and the child's step-ups still waiting for the front door.
        qs = qs.filter(
            Q(contact=contact)
            | Q(child_id=contact.child_id, direction="step_up", acknowledged_at__isnull=True)
        )
    elif case is not None:
        qs = qs.filter(case=case)
    elif assessment is not None:
        qs = qs.filter(assessment=assessment)
    elif taf is not None:
        qs = qs.filter(Q(taf=taf) | Q(assessment_id=taf.assessment_id, assessment__isnull=False))
    else:
        qs = qs.filter(child=child)
    return list(qs.order_by("-handover_date", "-created_at"))


@transaction.atomic
def access_handover(*, user, handover_id: UUID, request=None) -> Handover:
    """A handover, for its receiving side to acknowledge; the child's access is logged."""
    handover = (
        Handover.objects.select_related("assessment", "taf", "case").filter(pk=handover_id).first()
    )
    if handover is None or not permissions.uses_early_help(user):
        raise Http404("No such handover")
    handover.child = access_child(user=user, person_id=handover.child_id, request=request)
    if not permissions.may_acknowledge(user, handover, handover.child):
        raise PermissionDenied("You cannot acknowledge this handover")
    return handover


def contacts_of(child) -> QuerySet[Contact]:
    """The child's contacts, latest first: what a step-up's acknowledgement may name."""
    return Contact.objects.filter(child=child).order_by("-contact_date", "-created_at")
