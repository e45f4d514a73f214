"""Reads of child protection records. A page gets a case to record on, a strategy discussion,
a section 47 enquiry or a child protection plan only through the ``access_*`` functions
here: each reads the case through ``casework.selectors.access_case`` (which logs the child's
access and applies the casework policy: a record on a case the user may not know of is not
found, 404) and then asks the protection policy about ``action`` (403 for those who may see
the case but not record on it)."""

from uuid import UUID

from django.db import transaction

from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.casework import selectors as casework
from safeguard.casework.models import Case
from safeguard.protection import permissions
from safeguard.protection.models import ChildProtectionPlan, Section47Enquiry, StrategyDiscussion
from safeguard.protection.permissions import Action


def access_case(*, user, case_id: UUID, request=None, action: Action = Action.VIEW) -> Case:
    """The case, for ``user`` to ``action`` child protection on it; the child's access is
    logged."""
    return casework.access_case_for(
        permissions, user=user, case_id=case_id, request=request, action=action
    )


def _access_step(model, pk: UUID, *, user, request, action: Action):
    return casework.access_on_case(
        model,
        pk,
        lambda case_id: access_case(user=user, case_id=case_id, request=request, action=action),
    )


@transaction.atomic
def access_strategy_discussion(
    *, user, discussion_id: UUID, request=None, action: Action = Action.VIEW
) -> StrategyDiscussion:
    return _access_step(
        StrategyDiscussion, discussion_id, user=user, request=request, action=action
    )


@transaction.atomic
def access_section47(
    *, user, enquiry_id: UUID, request=None, action: Action = Action.VIEW
) -> Section47Enquiry:
    return _access_step(Section47Enquiry, enquiry_id, user=user, request=request, action=action)


@transaction.atomic
def access_plan(
    *, user, plan_id: UUID, request=None, action: Action = Action.VIEW
) -> ChildProtectionPlan:
    return _access_step(ChildProtectionPlan, plan_id, user=user, request=request, action=action)


def core_assessment_in_progress(case: Case) -> Assessment | None:
    """The core assessment in progress on ``case``, if any: what a section 47 enquiry under
    Working Together 2006 or 2010 is carried out through."""
    return case.assessments.filter(kind=AssessmentKind.CORE, completed_date__isnull=True).first()
