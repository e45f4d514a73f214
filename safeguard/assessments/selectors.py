"""Reads of assessments. A page gets a case to assess on, or an assessment, only through the
``access_*`` functions here: each reads the case through ``casework.selectors.access_case``
(which logs the child's access and applies the casework policy: a case the user may not know
of is not found, 404) and then asks the assessments policy about ``action`` (403 for those
who may see the case but not record or authorise)."""

from uuid import UUID

from django.db import transaction

from safeguard.assessments import permissions
from safeguard.assessments.models import Assessment
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
    """The assessment, with its case, for ``user`` to ``action``."""
    return casework.access_on_case(
        Assessment,
        assessment_id,
        lambda case_id: access_case(user=user, case_id=case_id, request=request, action=action),
    )
