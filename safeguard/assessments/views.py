"""Pages that record assessments on a case. Each view: get the case or the assessment through
the access functions (``selectors``), parse the form, call one service, render or go back to
the case."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.assessments import permissions, selectors, services
from safeguard.assessments.forms import (
    AssessmentAuthoriseForm,
    AssessmentSeenForm,
    AssessmentStartForm,
    AssessmentWriteForm,
)
from safeguard.assessments.models import (
    WRITTEN_SECTIONS,
    Assessment,
    AssessmentKind,
    AuthorisationDecision,
)
from safeguard.assessments.permissions import Action
from safeguard.core import drafts, submission
from safeguard.core.concurrency import seen_version, versioned
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


def assessment_url(assessment) -> str:
    return reverse("assessments:detail", args=[assessment.pk])


@login_required
@require_http_methods(["GET"])
def assessment_detail(request, assessment_id: UUID):
    """Everything recorded on the assessment: the worker's sections, the factors in words,
    the child seen, and each manager's decision."""
    assessment = selectors.access_assessment(
        user=request.user, assessment_id=assessment_id, request=request, action=Action.VIEW
    )
    case, user = assessment.case, request.user
    decisions = selectors.decisions_on(assessment)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "case": case,
            "decisions": decisions,
            "returned": selectors.latest_return(decisions),
            "can_read_narrative": permissions.can(user, Action.READ_NARRATIVE, case),
            "can_record": case.is_open and permissions.can(user, Action.RECORD, case),
            "can_authorise": case.is_open and permissions.can(user, Action.AUTHORISE, case),
            "sections": _sections(assessment),
            "back_url": case_url(case),
        },
    )


def _sections(assessment) -> list[tuple[str, str, str]]:
    """(id, heading, text) of each written section, in the framework's order."""
    return [
        (
            name,
            _capitalised(Assessment._meta.get_field(name).verbose_name),
            getattr(assessment, name),
        )
        for name in WRITTEN_SECTIONS
    ]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@login_required
@require_http_methods(["GET", "POST"])
def assessment_write(request, assessment_id: UUID):
    """The worker's assessment, saved as often as they like, then submitted. Typing not yet
    saved is kept as a draft (decision 0004), restored here even without JavaScript."""
    assessment = selectors.access_assessment(
        user=request.user, assessment_id=assessment_id, request=request, action=Action.RECORD
    )
    if drafts.discard_requested(request):
        return redirect(request.path)
    initial = {
        name: getattr(assessment, name) for name in (*WRITTEN_SECTIONS, "primary_need", "outcome")
    }
    initial["factors"] = list(assessment.factors or ())
    draft = None
    if request.method == "POST":
        form = AssessmentWriteForm(request.POST, kind=assessment.kind, initial=initial)
    else:
        form, draft = drafts.form_with_draft(
            AssessmentWriteForm, request, kind=assessment.kind, initial=initial
        )
    versioned(form, assessment)
    submitting = "submit" in request.POST
    if submission.submit(
        request,
        form,
        lambda data: services.assessment_write(
            by=request.user,
            assessment=assessment,
            submit=submitting,
            version=seen_version(data),
            **data,
        ),
        success="Assessment submitted for authorisation" if submitting else "Assessment saved",
    ):
        return redirect(assessment_url(assessment))
    decisions = selectors.decisions_on(assessment)
    return render(
        request,
        "assessments/assessment_write.html",
        {
            "form": form,
            "case": assessment.case,
            "assessment": assessment,
            "draft": draft,
            "returned": selectors.latest_return(decisions),
            "back_url": assessment_url(assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_authorise(request, assessment_id: UUID):
    """The manager's short form: agree, or return with reasons."""
    assessment = selectors.access_assessment(
        user=request.user, assessment_id=assessment_id, request=request, action=Action.AUTHORISE
    )
    case = assessment.case
    today = timezone.localdate()
    form = versioned(
        AssessmentAuthoriseForm(posted(request), initial={"decided_on": today}), assessment
    )
    decision = request.POST.get("decision")
    if submission.submit(
        request,
        form,
        lambda data: services.assessment_authorise(
            by=request.user, assessment=assessment, version=seen_version(data), **data
        ),
        success=(
            f"{_kind_label(assessment)} authorised"
            if decision == AuthorisationDecision.AGREE
            else "Assessment returned to the worker"
        ),
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
            "is_author": request.user.pk in services.authors(assessment),
            "back_url": assessment_url(assessment),
        },
    )
