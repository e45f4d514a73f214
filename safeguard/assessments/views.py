"""Pages that record assessments on a case. Each view: get the record and its case through
the access function, parse the form, call one service, render or go back to the case."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.assessments import services
from safeguard.assessments.forms import (
    AssessmentAuthoriseForm,
    AssessmentSeenForm,
    AssessmentStartForm,
)
from safeguard.assessments.models import Assessment, AssessmentKind
from safeguard.audit.models import AccessPurpose
from safeguard.casework.permissions import Action
from safeguard.casework.selectors import access_case
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import working_days_between


def _form_error(form, error: ApplicationError) -> None:
    submission.form_error(form, error)


def case_url(case) -> str:
    """The case page: where each step's form starts from and leads back to."""
    return reverse("casework:case-detail", args=[case.pk])


def _case(request, case_id: UUID, action: Action):
    return access_case(
        user=request.user,
        case_id=case_id,
        purpose=AccessPurpose.EDIT,
        request=request,
        action=action,
    )


def _assessment(request, assessment_id: UUID, action: Action) -> Assessment:
    """The assessment, with its case got (and the child's access logged) by ``access_case``:
    an assessment on a case the user may not see is not found."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404("No such assessment")
    assessment.case = _case(request, assessment.case_id, action)
    return assessment


def _posted(request):
    # An empty POST is still a submission: it must show what is missing, not a fresh form.
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request, case_id: UUID):
    case = _case(request, case_id, Action.RECORD)
    form = AssessmentStartForm(
        _posted(request),
        kinds=services.KINDS_BY_RULE_SET[case.authority.rule_set],
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(by=request.user, case=case, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{AssessmentKind(assessment.kind).label} started")
            return redirect(case_url(case))
    return render(
        request,
        "assessments/assessment_start.html",
        {"form": form, "case": case, "back_url": case_url(case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_seen(request, assessment_id: UUID):
    assessment = _assessment(request, assessment_id, Action.RECORD)
    initial = {
        "child_seen_date": assessment.child_seen_date or timezone.localdate(),
        "child_seen_alone": assessment.child_seen_alone,
    }
    form = versioned(AssessmentSeenForm(_posted(request), initial=initial), assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record_seen(
                by=request.user, assessment=assessment, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Date the child was seen recorded")
            return redirect(case_url(assessment.case))
    return render(
        request,
        "assessments/assessment_seen.html",
        {
            "form": form,
            "case": assessment.case,
            "assessment": assessment,
            "back_url": case_url(assessment.case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_authorise(request, assessment_id: UUID):
    assessment = _assessment(request, assessment_id, Action.AUTHORISE)
    case = assessment.case
    today = timezone.localdate()
    form = AssessmentAuthoriseForm(
        _posted(request), kind=assessment.kind, initial={"completed_date": today}
    )
    versioned(form, assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_complete(
                by=request.user, assessment=assessment, **form.cleaned_data
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{AssessmentKind(assessment.kind).label} authorised")
            return redirect(case_url(case))
    # Timeliness as the manager authorises: Working Together counts a single assessment from
    # the referral; the census also measures from the assessment's own start (domain.md §3b).
    durations = {
        "from_referral": working_days_between(case.referral_date, today),
        "from_start": working_days_between(assessment.start_date, today),
    }
    return render(
        request,
        "assessments/assessment_authorise.html",
        {
            "form": form,
            "case": case,
            "assessment": assessment,
            "today": today,
            "durations": durations,
            "back_url": case_url(case),
        },
    )
