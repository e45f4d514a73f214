"""Reads of child protection records. A page gets a case to record on, a strategy discussion,
a section 47 enquiry or a child protection plan only through the ``access_*`` functions
here: each reads the case through ``casework.selectors.access_case`` (which logs the child's
access and applies the casework policy: a record on a case the user may not know of is not
found, 404) and then asks the protection policy about ``action`` (403 for those who may see
the case but not record on it)."""

from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.casework import selectors as casework
from safeguard.casework.models import Case, CINPlan, CINPlanReview
from safeguard.protection import permissions
from safeguard.protection.models import (
    OPEN_ACTION_STATUSES,
    ChairChallenge,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanAction,
    PlanActionProgress,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguard.protection.permissions import Action


def access_case(*, user, case_id: UUID, request=None, action: Action = Action.VIEW) -> Case:
    """The case, for ``user`` to ``action`` child protection on it; the child's access is
    logged."""
    return casework.access_case_for(
        permissions, user=user, case_id=case_id, request=request, action=action
    )


def _access_step(model, pk: UUID, *, user, request, action: Action, related=()):
    return casework.access_on_case(
        model,
        pk,
        lambda case_id: access_case(user=user, case_id=case_id, request=request, action=action),
        related=related,
    )


@transaction.atomic
def access_strategy_discussion(
    *, user, discussion_id: UUID, request=None, action: Action = Action.VIEW, related=()
) -> StrategyDiscussion:
    return _access_step(
        StrategyDiscussion,
        discussion_id,
        user=user,
        request=request,
        action=action,
        related=related,
    )


@transaction.atomic
def access_section47(
    *, user, enquiry_id: UUID, request=None, action: Action = Action.VIEW, related=()
) -> Section47Enquiry:
    return _access_step(
        Section47Enquiry, enquiry_id, user=user, request=request, action=action, related=related
    )


@transaction.atomic
def access_plan(
    *, user, plan_id: UUID, request=None, action: Action = Action.VIEW
) -> ChildProtectionPlan:
    return _access_step(ChildProtectionPlan, plan_id, user=user, request=request, action=action)


def core_assessment_in_progress(case: Case) -> Assessment | None:
    """The core assessment in progress on ``case``, if any: what a section 47 enquiry under
    Working Together 2006 or 2010 is carried out through."""
    return case.assessments.filter(kind=AssessmentKind.CORE, completed_date__isnull=True).first()


@transaction.atomic
def access_cin_plan(*, user, plan_id: UUID, request=None, action: Action = Action.VIEW) -> CINPlan:
    """A child in need plan, read through its case (logged, policy applied): its actions'
    pages live here, above both plans (decisions 0043, 0068)."""
    return _access_step(CINPlan, plan_id, user=user, request=request, action=action)


@transaction.atomic
def access_action(
    *, user, action_id: UUID, request=None, action: Action = Action.VIEW
) -> PlanAction:
    """A plan action, of a child protection or a child in need plan, read through its plan's
    case (logged, policy applied)."""
    step = (
        PlanAction.objects.select_related("plan", "cin_plan", "owner_user", "owner_agency")
        .filter(pk=action_id)
        .first()
    )
    if step is None:
        raise Http404("No such action")
    if step.is_cin:
        step.cin_plan = access_cin_plan(
            user=user, plan_id=step.cin_plan_id, request=request, action=action
        )
    else:
        step.plan = access_plan(user=user, plan_id=step.plan_id, request=request, action=action)
    return step


def open_actions_of(plan: CINPlan) -> list[PlanAction]:
    """The open actions of a current child in need plan, by due date, with their owners:
    what its review goes through (none once the plan has ended)."""
    if plan.end_date is not None:
        return []
    return list(
        plan.actions.filter(status__in=OPEN_ACTION_STATUSES).select_related(
            "owner_user", "owner_agency"
        )
    )


def _actions_with_progress() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related(
                "owner_user__agency", "owner_agency", "created_by"
            ),
        ),
        Prefetch(
            "actions__progress",
            queryset=PlanActionProgress.objects.select_related(
                "created_by", "core_group", "cin_review"
            ),
        ),
    )


def load_plan_page(plan: ChildProtectionPlan) -> ChildProtectionPlan:
    """What the plan page shows, in a fixed number of queries: the actions with their owners
    and progress (with who recorded it and at which core group), and the core groups."""
    prefetch_related_objects(
        [plan],
        *_actions_with_progress(),
        Prefetch("core_groups", queryset=CoreGroupMeeting.objects.select_related("created_by")),
    )
    return plan


def load_cin_plan_page(plan: CINPlan) -> CINPlan:
    """What the child in need plan's page shows, in a fixed number of queries (decision
    0068): the actions with their owners and progress (who recorded it, at which review),
    and the reviews with who recorded them and the progress recorded at each."""
    prefetch_related_objects(
        [plan],
        *_actions_with_progress(),
        Prefetch("reviews", queryset=CINPlanReview.objects.select_related("created_by")),
        Prefetch(
            "reviews__action_progress",
            queryset=PlanActionProgress.objects.select_related("created_by", "action"),
        ),
    )
    return plan


def overdue_actions(today: date | None = None) -> QuerySet[PlanAction]:
    """Actions of current plans (child protection or child in need) still to do after their
    due date, on open cases."""
    today = today or timezone.localdate()
    cp_plan = Q(
        plan__isnull=False, plan__end_date__isnull=True, plan__case__closure_date__isnull=True
    )
    cin_plan = Q(
        cin_plan__isnull=False,
        cin_plan__end_date__isnull=True,
        cin_plan__case__closure_date__isnull=True,
    )
    return PlanAction.objects.filter(
        cp_plan | cin_plan, status__in=OPEN_ACTION_STATUSES, due_date__lt=today
    )


def overdue_actions_for(worker, today: date | None = None) -> QuerySet[PlanAction]:
    """The overdue plan actions ``worker`` owns, oldest due first, with each plan's case and
    child: for the owner's due list and for supervision (issue 11). The caller shows them
    only to those who may see the case (the owner does: they own an action on it; a
    supervisor reads them for a worker they supervise)."""
    return (
        overdue_actions(today)
        .filter(owner_user=worker)
        .select_related("plan__case__child", "cin_plan__case__child")
        .order_by("due_date", "created_at")
    )


# Independent chairs (issue 15 item 3, decision 0043).


@transaction.atomic
def access_conference(
    *, user, conference_id: UUID, request=None, action: Action = Action.VIEW, related=()
) -> ChildProtectionConference:
    return _access_step(
        ChildProtectionConference,
        conference_id,
        user=user,
        request=request,
        action=action,
        related=related,
    )


@transaction.atomic
def access_challenge(
    *, user, challenge_id: UUID, request=None, action: Action = Action.VIEW
) -> ChairChallenge:
    return _access_step(ChairChallenge, challenge_id, user=user, request=request, action=action)


def open_challenges_raised_by(chair) -> QuerySet[ChairChallenge]:
    """The challenges and escalations ``chair`` raised that are still open, oldest first,
    with each case's child and the conference it arose from: one query. The caller shows
    them through ``people.show_rows`` (which logs each child shown)."""
    return (
        permissions.visible_to(chair, ChairChallenge)
        .filter(raised_by=chair, resolved_on__isnull=True)
        .select_related("case__child", "conference")
        .order_by("raised_on", "created_at")
    )


# The pages of one step (issue 16 item 5, "nothing is write-only"): each read through its
# access function above (the child's access logged, the policy asked), with what the page
# shows read in a fixed number of queries, however many people took part.

# The single records each step's page names, read with the step itself.
STRATEGY_PAGE_JOINS = ("chaired_by", "created_by")
SECTION47_PAGE_JOINS = (
    "created_by",
    "updated_by",
    "strategy_discussion__chaired_by",
    "core_assessment",
)
CONFERENCE_PAGE_JOINS = ("chaired_by", "created_by", "section47", "plan")


@transaction.atomic
def strategy_discussion_page(*, user, discussion_id: UUID, request=None) -> StrategyDiscussion:
    """The strategy discussion for its page: its chair and author, and the section 47
    enquiries it started (one query)."""
    discussion = access_strategy_discussion(
        user=user, discussion_id=discussion_id, request=request, related=STRATEGY_PAGE_JOINS
    )
    prefetch_related_objects([discussion], "section47s")
    return discussion


@transaction.atomic
def section47_page(*, user, enquiry_id: UUID, request=None) -> Section47Enquiry:
    """The section 47 enquiry for its page: the discussion that started it and its chair,
    the core assessment it was carried out through, its conferences with their chairs (one
    query) and the case's strategy discussions (one query), of which the page names those
    held for it."""
    enquiry = access_section47(
        user=user, enquiry_id=enquiry_id, request=request, related=SECTION47_PAGE_JOINS
    )
    prefetch_related_objects(
        [enquiry],
        Prefetch(
            "conferences", queryset=ChildProtectionConference.objects.select_related("chaired_by")
        ),
    )
    prefetch_related_objects([enquiry.case], "strategy_discussions")
    return enquiry


@transaction.atomic
def conference_page(*, user, conference_id: UUID, request=None) -> ChildProtectionConference:
    """The conference for its page: its chair, the enquiry or plan it belongs to, and the
    challenges and escalations its chair raised from it (one query)."""
    conference = access_conference(
        user=user, conference_id=conference_id, request=request, related=CONFERENCE_PAGE_JOINS
    )
    prefetch_related_objects(
        [conference],
        Prefetch("challenges", queryset=ChairChallenge.objects.select_related("raised_by")),
    )
    return conference
