"""Reads of assessments. A page gets a case to assess on, or an assessment, only through the
``access_*`` functions here: each reads the case through ``casework.selectors.access_case``
(which logs the child's access and applies the casework policy: a case the user may not know
of is not found, 404) and then asks the assessments policy about ``action`` (403 for those
who may see the case but not record or authorise)."""

from uuid import UUID

from django.db import transaction
from django.http import Http404

from safeguard.assessments import permissions
from safeguard.assessments.models import Assessment, AssessmentAuthorisation
from safeguard.assessments.permissions import Action
from safeguard.casework import selectors as casework
from safeguard.casework.models import Case


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
