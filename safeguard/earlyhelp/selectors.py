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
from safeguard.earlyhelp.models import EarlyHelpAssessment, TeamAroundFamily
from safeguard.earlyhelp.permissions import Action
from safeguard.people import selectors as people
from safeguard.people.models import Involvement, Person
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
    """Staff who may lead the child's early help: social workers and managers of the child's
    authority, and the partner practitioners (of the agencies that lead early help) involved
    with the child now. The policy's own answer for each is checked again when saving."""
    today = timezone.localdate()
    current = Involvement.objects.filter(Involvement.open_on(today), person=child)
    involved = Q(pk__in=current.exclude(worker=None).values("worker_id"))
    for team_id, agency_id in current.exclude(team=None).values_list("team_id", "agency_id"):
        involved |= Q(teams__id=team_id, agency_id=agency_id)
    social_care = Q(agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE, role__in=RECORDING_ROLES)
    partners = Q(role=Role.PARTNER_PRACTITIONER, agency__kind__in=permissions.PARTNER_KINDS)
    ids = (
        User.objects.filter(is_active=True, agency__authority_id=child.authority_id)
        .filter(social_care | (partners & involved))
        .values("pk")
    )
    return (
        User.objects.filter(pk__in=ids).select_related("agency").order_by("last_name", "first_name")
    )
