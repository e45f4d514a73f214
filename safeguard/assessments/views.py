"""Pages that record assessments on a case. Each view: get the case or the assessment through
the access functions (``selectors``), parse the form, call one service, render or go back to
the case."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.assessments import selectors, services
from safeguard.assessments.forms import (
    AssessmentAuthoriseForm,
    AssessmentSeenForm,
    AssessmentStartForm,
)
from safeguard.assessments.models import AssessmentKind
from safeguard.assessments.permissions import Action
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.submission import posted
from safeguard.core.workdays import working_days_between


def case_url(case) -> str:
    """The case page: where each step's form starts from and leads back to."""
    return reverse("casework:case-detail", args=[case.pk])


def _kind_label(assessment) -> str:
    return AssessmentKind(assessment.kind).label


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request, case_id: UUID):
    case = selectors.access_case(
        user=request.user, case_id=case_id, request=request, action=Action.RECORD
    )
    form = AssessmentStartForm(
        posted(request),
        kinds=services.KINDS_BY_RULE_SET[case.authority.rule_set],
        initial={"start_date": timezone.localdate()},
    )
    if submission.submit(
        request,
        form,
        lambda data: services.assessment_start(by=request.user, case=case, **data),
        success=lambda assessment: f"{_kind_label(assessment)} started",
    ):
        return redirect(case_url(case))
    return render(
        request,
        "assessments/assessment_start.html",
        {"form": form, "case": case, "back_url": case_url(case)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_seen(request, assessment_id: UUID):
    assessment = selectors.access_assessment(
        user=request.user, assessment_id=assessment_id, request=request, action=Action.RECORD
    )
    initial = {
        "child_seen_date": assessment.child_seen_date or timezone.localdate(),
        "child_seen_alone": assessment.child_seen_alone,
    }
    form = versioned(AssessmentSeenForm(posted(request), initial=initial), assessment)
    if submission.submit(
        request,
        form,
        lambda data: services.assessment_record_seen(
            by=request.user, assessment=assessment, **data
        ),
        success="Date the child was seen recorded",
    ):
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
    assessment = selectors.access_assessment(
        user=request.user, assessment_id=assessment_id, request=request, action=Action.AUTHORISE
    )
    case = assessment.case
    today = timezone.localdate()
    form = AssessmentAuthoriseForm(
        posted(request), kind=assessment.kind, initial={"completed_date": today}
    )
    versioned(form, assessment)
    if submission.submit(
        request,
        form,
        lambda data: services.assessment_complete(by=request.user, assessment=assessment, **data),
        success=f"{_kind_label(assessment)} authorised",
    ):
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
