"""Reads of assessments. A page gets a case to assess on, or an assessment, only through the
``access_*`` functions here: each reads the case through ``casework.selectors.access_case``
(which logs the child's access and applies the casework policy: a case the user may not know
of is not found, 404) and then asks the assessments policy about ``action`` (403 for those
who may see the case but not record or authorise)."""

from uuid import UUID

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse

from safeguard.assessments import permissions
from safeguard.assessments.models import Assessment, AssessmentAuthorisation, AssessmentStage
from safeguard.assessments.permissions import Action
from safeguard.casework import selectors as casework
from safeguard.casework.models import Allocation, Case


def access_case(*, user, case_id: UUID, request=None, action: Action = Action.VIEW) -> Case:
    """The case, for ``user`` to ``action`` an assessment on it; the child's access is
    logged."""
    return casework.access_case_for(
        permissions, user=user, case_id=case_id, request=request, action=action
    )


@transaction.atomic
def access_assessment(
    *, user, assessment_id: UUID, request=None, action: Action = Action.VIEW
) -> Assessment:
    """The assessment, with its case and the staff it names, for ``user`` to ``action``."""
    assessment = (
        Assessment.objects.select_related("created_by", "submitted_by", "authorised_by")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    assessment.case = access_case(
        user=user, case_id=assessment.case_id, request=request, action=action
    )
    return assessment


def decisions_on(assessment: Assessment) -> list[AssessmentAuthorisation]:
    """The managers' decisions on the assessment, oldest first, with who made each (one
    query however many)."""
    return list(assessment.authorisations.select_related("decided_by").order_by("created_at"))


def latest_return(decisions: list[AssessmentAuthorisation]) -> AssessmentAuthorisation | None:
    returns = [d for d in decisions if not d.is_agreement]
    return returns[-1] if returns else None


def waiting_for_authorisation(
    authority_id, reach: casework.Reach | None = None
) -> list[casework.WaitingDecision]:
    """The authority's submitted assessments, as items of the managers' one queue of what
    waits for their authorisation (``casework.selectors.register_queue_source``, decision
    0041): one query; with ``reach``, only those that may reach that manager. Whoever started
    or submitted one never authorises it."""
    current_team = (
        Allocation.objects.filter(case=OuterRef("case"), end_date__isnull=True)
        .order_by("-start_date")
        .values("team_id")[:1]
    )
    rows = (
        Assessment.objects.filter(
            case__authority_id=authority_id,
            stage=AssessmentStage.SUBMITTED,
            completed_date__isnull=True,
        )
        .select_related("case__child", "submitted_by")
        .annotate(allocated_team=Subquery(current_team))
    )
    if reach is not None:
        rows = rows.filter(reach.may_reach(excluded=("created_by", "submitted_by")))
    return [
        casework.WaitingDecision(
            label="Outcome of an assessment",
            summary=f"{a.get_kind_display()} assessment submitted"
            + (f": outcome recommended {a.get_outcome_display().lower()}" if a.outcome else ""),
            child=a.case.child,
            case_id=a.case_id,
            team_id=a.allocated_team or a.case.team_id,
            excluded=frozenset({a.created_by_id, a.submitted_by_id} - {None}),
            since=a.submitted_at or a.updated_at,
            requested_by=a.submitted_by,
            url=reverse("assessments:authorise", args=[a.pk]),
        )
        for a in rows
    ]
