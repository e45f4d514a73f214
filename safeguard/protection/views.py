"""Pages that record child protection steps on a case. Each view: get the case or the step
through the access functions (``selectors``), parse the form, call one service, render or go
back to the case."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.accounts.roles import Role
from safeguard.casework import permissions as case_permissions
from safeguard.casework import services as casework_services
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.submission import posted
from safeguard.people import selectors as people
from safeguard.protection import selectors, services
from safeguard.protection.forms import (
    ChallengeForm,
    ChallengeResolveForm,
    CINPlanActionProgressForm,
    CINReviewForm,
    CoreGroupForm,
    ICPCForm,
    MinutesCirculatedForm,
    PlanActionForm,
    PlanActionProgressForm,
    PlanEndForm,
    PlanWriteForm,
    ReviewConferenceForm,
    Section47ConcludeForm,
    Section47StartForm,
    StrategyDiscussionForm,
)
from safeguard.protection.permissions import Action


def case_url(case) -> str:
    """The case page: where each step's form starts from and leads back to."""
    return reverse("casework:case-detail", args=[case.pk])


def _page(request, template: str, form, case, **extra):
    return render(
        request,
        f"protection/{template}",
        {"form": form, "case": case, "back_url": case_url(case), **extra},
    )


def _user_row(user) -> dict:
    return {
        "agency": user.agency.name if user.agency_id else "",
        "name": user.get_full_name() or user.username,
        "role": user.job_title or user.get_role_display(),
    }


def _chair_initial(user) -> dict:
    """A conference chair recording a conference is, to begin with, its chair."""
    return {"chair": user.pk} if user.role == Role.CONFERENCE_CHAIR else {}


@login_required
@require_http_methods(["GET", "POST"])
def strategy_discussion_new(request, case_id: UUID):
    case = selectors.access_case(
        user=request.user, case_id=case_id, request=request, action=Action.RECORD
    )
    form = StrategyDiscussionForm(
        posted(request),
        authority=case.authority,
        initial={"discussion_date": timezone.localdate(), "attendees": [_user_row(request.user)]},
    )
    if submission.submit(
        request,
        form,
        lambda data: services.strategy_discussion_record(by=request.user, case=case, **data),
        success="Strategy discussion recorded",
    ):
        return redirect(case_url(case))
    return _page(request, "strategy_discussion_form.html", form, case)


def _core_assessment_help(case) -> str:
    """Under Working Together 2006 and 2010, which core assessment the enquiry would be carried
    out through; nothing under later editions."""
    if case.authority.rule_set not in services.RULE_SETS_WITH_CORE_ASSESSMENT:
        return ""
    core = selectors.core_assessment_in_progress(case)
    if core is not None:
        return f"Through the core assessment in progress, started {core.start_date:%-d %B %Y}"
    return (
        "A core assessment starts on the same date, straight from the strategy discussion: "
        "no initial assessment is needed first"
    )


@login_required
@require_http_methods(["GET", "POST"])
def section47_new(request, discussion_id: UUID):
    discussion = selectors.access_strategy_discussion(
        user=request.user, discussion_id=discussion_id, request=request, action=Action.RECORD
    )
    case = discussion.case
    form = Section47StartForm(
        posted(request),
        initial={"start_date": timezone.localdate()},
        core_assessment_help=_core_assessment_help(case),
    )
    if submission.submit(
        request,
        form,
        lambda data: services.section47_start(
            by=request.user, case=case, strategy_discussion=discussion, **data
        ),
        success="Section 47 enquiry started",
    ):
        return redirect(case_url(case))
    return _page(request, "section47_start.html", form, case, discussion=discussion)


@login_required
@require_http_methods(["GET", "POST"])
def section47_conclude(request, enquiry_id: UUID):
    enquiry = selectors.access_section47(
        user=request.user, enquiry_id=enquiry_id, request=request, action=Action.RECORD
    )
    form = Section47ConcludeForm(posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, enquiry)
    if submission.submit(
        request,
        form,
        lambda data: services.section47_conclude(by=request.user, enquiry=enquiry, **data),
        success=lambda made: (
            "Outcome of the section 47 enquiry recorded"
            if made is enquiry or getattr(made, "end_date", None)
            else "Outcome sent to the case's manager to authorise: the enquiry stays open "
            "until then"
        ),
    ):
        return redirect(case_url(enquiry.case))
    return _page(request, "section47_conclude.html", form, enquiry.case, enquiry=enquiry)


@login_required
@require_http_methods(["GET", "POST"])
def icpc_new(request, enquiry_id: UUID):
    enquiry = selectors.access_section47(
        user=request.user, enquiry_id=enquiry_id, request=request, action=Action.CONFERENCE
    )
    form = ICPCForm(
        posted(request),
        authority=enquiry.case.authority,
        initial={"conference_date": timezone.localdate(), **_chair_initial(request.user)},
    )
    if submission.submit(
        request,
        form,
        lambda data: services.icpc_record(by=request.user, section47=enquiry, **data),
        success="Initial child protection conference recorded",
    ):
        return redirect(case_url(enquiry.case))
    return _page(request, "icpc_form.html", form, enquiry.case, enquiry=enquiry)


@login_required
@require_http_methods(["GET", "POST"])
def core_group_new(request, plan_id: UUID):
    plan = selectors.access_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    form = CoreGroupForm(
        posted(request),
        authority=plan.case.authority,
        initial={"meeting_date": timezone.localdate(), "attendees": [_user_row(request.user)]},
    )
    if submission.submit(
        request,
        form,
        lambda data: services.core_group_record(by=request.user, plan=plan, **data),
        success="Core group meeting recorded: record the progress on each action",
    ):
        return redirect(plan_url(plan) + "#actions")
    return _page(request, "core_group_form.html", form, plan.case, plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def review_conference_new(request, plan_id: UUID):
    plan = selectors.access_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.CONFERENCE
    )
    form = ReviewConferenceForm(
        posted(request),
        authority=plan.case.authority,
        initial={
            "conference_date": timezone.localdate(),
            "category": plan.latest_category,
            **_chair_initial(request.user),
        },
    )
    versioned(form, plan)
    if submission.submit(
        request,
        form,
        lambda data: services.review_conference_record(by=request.user, plan=plan, **data),
        success="Review child protection conference recorded",
    ):
        return redirect(case_url(plan.case))
    return _page(request, "review_conference_form.html", form, plan.case, plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_end(request, plan_id: UUID):
    plan = selectors.access_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    form = PlanEndForm(posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, plan)
    if submission.submit(
        request,
        form,
        lambda data: services.plan_end_without_conference(by=request.user, plan=plan, **data),
        success="Child protection plan ended",
    ):
        return redirect(case_url(plan.case))
    return _page(request, "plan_end_form.html", form, plan.case, plan=plan)


# The page of each step (issue 16 item 5, "nothing is write-only"): every field of the record,
# read-only. Narrative (notes, the outline plan) is shown to those who read the case file's
# narrative, as on the plan's page; others see the dates, who took part and the decisions.


def _step_page(request, template: str, case, **extra):
    return render(
        request,
        f"protection/{template}",
        {
            "case": case,
            "back_url": case_url(case),
            "can_read_narrative": case_permissions.can(
                request.user, case_permissions.Action.READ_NARRATIVE, case
            ),
            **extra,
        },
    )


@login_required
@require_http_methods(["GET"])
def strategy_discussion_detail(request, discussion_id: UUID):
    discussion = selectors.strategy_discussion_page(
        user=request.user, discussion_id=discussion_id, request=request
    )
    return _step_page(
        request, "strategy_discussion_detail.html", discussion.case, discussion=discussion
    )


@login_required
@require_http_methods(["GET"])
def section47_detail(request, enquiry_id: UUID):
    enquiry = selectors.section47_page(user=request.user, enquiry_id=enquiry_id, request=request)
    case = enquiry.case
    return _step_page(
        request,
        "section47_detail.html",
        case,
        enquiry=enquiry,
        held=enquiry.strategy_discussions_held(case.strategy_discussions.all()),
    )


@login_required
@require_http_methods(["GET"])
def conference_detail(request, conference_id: UUID):
    conference = selectors.conference_page(
        user=request.user, conference_id=conference_id, request=request
    )
    return _step_page(request, "conference_detail.html", conference.case, conference=conference)


# Plans that do something (issue 16 item 2, decision 0036).


def plan_url(plan) -> str:
    return reverse("protection:plan-detail", args=[plan.pk])


@login_required
@require_http_methods(["GET"])
def plan_detail(request, plan_id: UUID):
    """The plan: its outcomes, contingency plan, actions with their progress, and core
    groups. Narrative (outcomes, contingency, notes) is shown to those who read the case
    file's narrative; others see the actions' owners, dates and statuses."""
    plan = selectors.access_plan(user=request.user, plan_id=plan_id, request=request)
    selectors.load_plan_page(plan)
    case = plan.case
    today = timezone.localdate()
    return render(
        request,
        "protection/plan_detail.html",
        {
            "plan": plan,
            "case": case,
            "back_url": case_url(case),
            "today": today,
            "overdue": [a for a in plan.actions.all() if a.is_overdue(today)],
            "can_read_narrative": case_permissions.can(
                request.user, case_permissions.Action.READ_NARRATIVE, case
            ),
            "can_record": case.is_open
            and plan.end_date is None
            and case_permissions.can(request.user, case_permissions.Action.RECORD, case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_write(request, plan_id: UUID):
    plan = selectors.access_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    form = PlanWriteForm(
        posted(request), initial={"outcomes": plan.outcomes, "contingency": plan.contingency}
    )
    versioned(form, plan)
    if submission.submit(
        request,
        form,
        lambda data: services.plan_write(by=request.user, plan=plan, **data),
        success="Outcomes and contingency plan saved",
    ):
        return redirect(plan_url(plan))
    return render(
        request,
        "protection/plan_write_form.html",
        {"form": form, "case": plan.case, "plan": plan, "back_url": plan_url(plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_action_new(request, plan_id: UUID):
    plan = selectors.access_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    form = PlanActionForm(posted(request), authority=plan.case.authority)
    if submission.submit(
        request,
        form,
        lambda data: services.plan_action_add(by=request.user, plan=plan, **data),
        success="Action added to the plan",
    ):
        return redirect(plan_url(plan))
    return render(
        request,
        "protection/plan_action_form.html",
        {"form": form, "case": plan.case, "plan": plan, "back_url": plan_url(plan)},
    )


def _progress_form(request, step):
    """The progress form of ``step``: a child protection plan's offers its core groups, a
    child in need plan's its reviews; the latest is chosen if it met today."""
    plan = step.on_plan
    today = timezone.localdate()
    if step.is_cin:
        latest = plan.reviews.order_by("-review_date").first()
        meeting = {"cin_review": latest.pk if latest and latest.review_date == today else None}
        form_class = CINPlanActionProgressForm
    else:
        latest = plan.core_groups.order_by("-meeting_date").first()
        meeting = {"core_group": latest.pk if latest and latest.meeting_date == today else None}
        form_class = PlanActionProgressForm
    return form_class(
        posted(request),
        plan=plan,
        initial={"recorded_on": today, "status": step.status, **meeting},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_action_progress(request, action_id: UUID):
    """Progress on an action of either kind of plan: one page per action, so that the owner's
    due list leads here whichever plan it is on (decision 0068)."""
    step = selectors.access_action(
        user=request.user, action_id=action_id, request=request, action=Action.RECORD
    )
    plan = step.on_plan
    back = cin_plan_url(plan) if step.is_cin else plan_url(plan)
    form = _progress_form(request, step)
    versioned(form, step)
    if submission.submit(
        request,
        form,
        lambda data: services.plan_action_progress(by=request.user, action=step, **data),
        success="Progress recorded",
    ):
        return redirect(back)
    return render(
        request,
        "protection/plan_action_progress_form.html",
        {
            "form": form,
            "case": plan.case,
            "plan": plan,
            "step": step,
            "history": step.progress.select_related("created_by", "core_group", "cin_review"),
            "back_url": back,
        },
    )


# Child in need plans that do something (decision 0068): their outcomes, contingency plan and
# actions, with the same models and rules as a child protection plan's, reached from the
# case page. The child in need plan is casework's; its actions' pages live here, above it.


def cin_plan_url(plan) -> str:
    return reverse("protection:cin-plan-detail", args=[plan.pk])


@login_required
@require_http_methods(["GET"])
def cin_plan_detail(request, plan_id: UUID):
    """The child in need plan, every field: its summary, outcomes and contingency plan, its
    actions with their history of progress, and its reviews with the progress recorded at
    each. Narrative is shown to those who read the case file's narrative; others see the
    dates, owners and statuses."""
    plan = selectors.access_cin_plan(user=request.user, plan_id=plan_id, request=request)
    selectors.load_cin_plan_page(plan)
    case = plan.case
    today = timezone.localdate()
    return render(
        request,
        "protection/cin_plan_detail.html",
        {
            "plan": plan,
            "case": case,
            "back_url": case_url(case),
            "today": today,
            "overdue": [a for a in plan.actions.all() if a.is_overdue(today)],
            "can_read_narrative": case_permissions.can(
                request.user, case_permissions.Action.READ_NARRATIVE, case
            ),
            "can_record": case.is_open
            and plan.end_date is None
            and case_permissions.can(request.user, case_permissions.Action.RECORD, case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_write(request, plan_id: UUID):
    plan = selectors.access_cin_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    form = PlanWriteForm(
        posted(request), initial={"outcomes": plan.outcomes, "contingency": plan.contingency}
    )
    form.fields["outcomes"].help_text = "What must change for the child. One outcome a line."
    versioned(form, plan)
    if submission.submit(
        request,
        form,
        lambda data: casework_services.cin_plan_write(by=request.user, plan=plan, **data),
        success="Outcomes and contingency plan saved",
    ):
        return redirect(cin_plan_url(plan))
    return render(
        request,
        "protection/cin_plan_write_form.html",
        {"form": form, "case": plan.case, "plan": plan, "back_url": cin_plan_url(plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_action_new(request, plan_id: UUID):
    plan = selectors.access_cin_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    form = PlanActionForm(posted(request), authority=plan.case.authority)
    if submission.submit(
        request,
        form,
        lambda data: services.cin_plan_action_add(by=request.user, cin_plan=plan, **data),
        success="Action added to the plan",
    ):
        return redirect(cin_plan_url(plan))
    return render(
        request,
        "protection/cin_plan_action_form.html",
        {"form": form, "case": plan.case, "plan": plan, "back_url": cin_plan_url(plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cin_review_new(request, plan_id: UUID):
    """A review of the child in need plan, going through each of its open actions: the
    review and the progress on every action are saved together, or nothing is."""
    plan = selectors.access_cin_plan(
        user=request.user, plan_id=plan_id, request=request, action=Action.RECORD
    )
    actions = selectors.open_actions_of(plan)
    form = CINReviewForm(
        posted(request),
        actions=actions,
        show_descriptions=case_permissions.can(
            request.user, case_permissions.Action.READ_NARRATIVE, plan.case
        ),
        initial={"review_date": timezone.localdate()},
    )
    if submission.submit(
        request,
        form,
        lambda data: services.cin_review_record(by=request.user, plan=plan, **form.review_data()),
        success="Plan review recorded",
    ):
        return redirect(case_url(plan.case))
    return render(
        request,
        "protection/cin_review_form.html",
        {"form": form, "case": plan.case, "plan": plan, "actions": actions,
         "back_url": case_url(plan.case)},
    )  # fmt: skip


# Independent chairs (issue 15 item 3, decision 0043): the minutes' circulation, challenges
# and escalations. Only the authority's conference chairs (``Action.CHAIR``).


@login_required
@require_http_methods(["GET", "POST"])
def minutes_circulated(request, conference_id: UUID):
    conference = selectors.access_conference(
        user=request.user, conference_id=conference_id, request=request, action=Action.CHAIR
    )
    form = MinutesCirculatedForm(posted(request), initial={"circulated_on": timezone.localdate()})
    versioned(form, conference)
    if submission.submit(
        request,
        form,
        lambda data: services.minutes_circulated(by=request.user, conference=conference, **data),
        success="Circulation of the minutes recorded",
    ):
        return redirect(case_url(conference.case))
    return _page(request, "minutes_form.html", form, conference.case, conference=conference)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_new(request, case_id: UUID):
    case = selectors.access_case(
        user=request.user, case_id=case_id, request=request, action=Action.CHAIR
    )
    form = ChallengeForm(posted(request), case=case, initial={"raised_on": timezone.localdate()})
    if submission.submit(
        request,
        form,
        lambda data: services.challenge_raise(by=request.user, case=case, **data),
        success="Challenge recorded",
    ):
        return redirect(case_url(case))
    return _page(request, "challenge_form.html", form, case)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_resolve(request, challenge_id: UUID):
    challenge = selectors.access_challenge(
        user=request.user, challenge_id=challenge_id, request=request, action=Action.CHAIR
    )
    form = ChallengeResolveForm(posted(request), initial={"resolved_on": timezone.localdate()})
    versioned(form, challenge)
    if submission.submit(
        request,
        form,
        lambda data: services.challenge_resolve(by=request.user, challenge=challenge, **data),
        success="Resolution recorded",
    ):
        return redirect(case_url(challenge.case))
    return _page(request, "challenge_resolve_form.html", form, challenge.case, challenge=challenge)


# The most open challenges one page lists: a chair has a few dozen at most.
OPEN_CHALLENGES_SHOWN = 200


@login_required
@require_http_methods(["GET"])
def challenges_open(request):
    """The challenges and escalations the signed-in chair raised that are still open, oldest
    first, each child logged (``people.show_rows``)."""
    if request.user.role != Role.CONFERENCE_CHAIR:
        raise PermissionDenied
    rows = list(selectors.open_challenges_raised_by(request.user)[: OPEN_CHALLENGES_SHOWN + 1])
    shown = people.show_rows(
        user=request.user,
        rows=rows[:OPEN_CHALLENGES_SHOWN],
        child=lambda c: c.case.child,
        request=request,
    )
    return render(
        request,
        "protection/challenges.html",
        {
            "challenges": shown.rows,
            "hidden": shown.hidden,
            "more": len(rows) > OPEN_CHALLENGES_SHOWN,
            "today": timezone.localdate(),
        },
    )
