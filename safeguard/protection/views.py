"""Pages that record child protection steps on a case. Each view: get the record and its
case through the access function, parse the form, call one service, render or go back to
the case."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.assessments.models import AssessmentKind
from safeguard.audit.models import AccessPurpose
from safeguard.casework.permissions import Action
from safeguard.casework.selectors import access_case
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.errors import ApplicationError
from safeguard.protection import services
from safeguard.protection.forms import (
    CoreGroupForm,
    ICPCForm,
    PlanEndForm,
    ReviewConferenceForm,
    Section47ConcludeForm,
    Section47StartForm,
    StrategyDiscussionForm,
)
from safeguard.protection.models import (
    ChildProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)


def _form_error(form, error: ApplicationError) -> None:
    submission.form_error(form, error)


def case_url(case) -> str:
    """The case page: where each step's form starts from and leads back to."""
    return reverse("casework:case-detail", args=[case.pk])


def _case(request, case_id: UUID):
    return access_case(
        user=request.user,
        case_id=case_id,
        purpose=AccessPurpose.EDIT,
        request=request,
        action=Action.RECORD,
    )


def _step(request, model, pk: UUID):
    """A recorded step, with its case got (and the child's access logged) by ``access_case``:
    a step on a case the user may not see is not found."""
    item = model.objects.filter(pk=pk).first()
    if item is None:
        raise Http404(f"No such {model._meta.verbose_name}")
    item.case = _case(request, item.case_id)
    return item


def _posted(request):
    # An empty POST is still a submission: it must show what is missing, not a fresh form.
    return request.POST if request.method == "POST" else None


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


@login_required
@require_http_methods(["GET", "POST"])
def strategy_discussion_new(request, case_id: UUID):
    case = _case(request, case_id)
    form = StrategyDiscussionForm(
        _posted(request),
        authority=case.authority,
        initial={"discussion_date": timezone.localdate(), "attendees": [_user_row(request.user)]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_discussion_record(by=request.user, case=case, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Strategy discussion recorded")
            return redirect(case_url(case))
    return _page(request, "strategy_discussion_form.html", form, case)


def _core_assessment_help(case) -> str:
    """Under Working Together 2006 and 2010, which core assessment the enquiry would be carried
    out through; nothing under later editions."""
    if case.authority.rule_set not in services.RULE_SETS_WITH_CORE_ASSESSMENT:
        return ""
    core = case.assessments.filter(kind=AssessmentKind.CORE, completed_date__isnull=True).first()
    if core is not None:
        return f"Through the core assessment in progress, started {core.start_date:%-d %B %Y}"
    return (
        "A core assessment starts on the same date, straight from the strategy discussion: "
        "no initial assessment is needed first"
    )


@login_required
@require_http_methods(["GET", "POST"])
def section47_new(request, discussion_id: UUID):
    discussion = _step(request, StrategyDiscussion, discussion_id)
    case = discussion.case
    form = Section47StartForm(
        _posted(request),
        initial={"start_date": timezone.localdate()},
        core_assessment_help=_core_assessment_help(case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section47_start(
                by=request.user, case=case, strategy_discussion=discussion, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Section 47 enquiry started")
            return redirect(case_url(case))
    return _page(request, "section47_start.html", form, case, discussion=discussion)


@login_required
@require_http_methods(["GET", "POST"])
def section47_conclude(request, enquiry_id: UUID):
    enquiry = _step(request, Section47Enquiry, enquiry_id)
    form = Section47ConcludeForm(_posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, enquiry)
    if request.method == "POST" and form.is_valid():
        try:
            services.section47_conclude(by=request.user, enquiry=enquiry, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Outcome of the section 47 enquiry recorded")
            return redirect(case_url(enquiry.case))
    return _page(request, "section47_conclude.html", form, enquiry.case, enquiry=enquiry)


@login_required
@require_http_methods(["GET", "POST"])
def icpc_new(request, enquiry_id: UUID):
    enquiry = _step(request, Section47Enquiry, enquiry_id)
    form = ICPCForm(
        _posted(request),
        authority=enquiry.case.authority,
        initial={"conference_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.icpc_record(by=request.user, section47=enquiry, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Initial child protection conference recorded")
            return redirect(case_url(enquiry.case))
    return _page(request, "icpc_form.html", form, enquiry.case, enquiry=enquiry)


@login_required
@require_http_methods(["GET", "POST"])
def core_group_new(request, plan_id: UUID):
    plan = _step(request, ChildProtectionPlan, plan_id)
    form = CoreGroupForm(
        _posted(request),
        authority=plan.case.authority,
        initial={"meeting_date": timezone.localdate(), "attendees": [_user_row(request.user)]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.core_group_record(by=request.user, plan=plan, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Core group meeting recorded")
            return redirect(case_url(plan.case))
    return _page(request, "core_group_form.html", form, plan.case, plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def review_conference_new(request, plan_id: UUID):
    plan = _step(request, ChildProtectionPlan, plan_id)
    form = ReviewConferenceForm(
        _posted(request),
        initial={"conference_date": timezone.localdate(), "category": plan.latest_category},
    )
    versioned(form, plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_conference_record(by=request.user, plan=plan, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Review child protection conference recorded")
            return redirect(case_url(plan.case))
    return _page(request, "review_conference_form.html", form, plan.case, plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def plan_end(request, plan_id: UUID):
    plan = _step(request, ChildProtectionPlan, plan_id)
    form = PlanEndForm(_posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_end_without_conference(by=request.user, plan=plan, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Child protection plan ended")
            return redirect(case_url(plan.case))
    return _page(request, "plan_end_form.html", form, plan.case, plan=plan)
