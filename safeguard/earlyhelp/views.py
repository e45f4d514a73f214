"""Early help pages: start and complete an early help assessment; start, review and end a team
around the family. Each view: get the child (or the record and its child) through the access
function in ``selectors``, parse the form, call one service, render or redirect."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.casework import permissions as case_permissions
from safeguard.casework.selectors import open_case_of
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.submission import posted
from safeguard.directory.codes import Need
from safeguard.earlyhelp import permissions, selectors, services
from safeguard.earlyhelp.codes import AssessmentOutcome, TAFEndReason
from safeguard.earlyhelp.forms import (
    AssessmentCompleteForm,
    AssessmentStartForm,
    ChildSearchForm,
    HandoverAcknowledgeForm,
    NewChildAssessmentForm,
    TAFEndForm,
    TAFReviewForm,
    TAFStartForm,
)
from safeguard.earlyhelp.permissions import Action
from safeguard.people.models import Person
from safeguard.referrals import permissions as referral_permissions


def _sees_case_file(user, child) -> bool:
    """Whether the user may see the child's front door and case file (social care)."""
    return case_permissions.can(user, case_permissions.Action.VIEW, authority_id=child.authority_id)


def _can_refer(user, child) -> bool:
    """Whether the user may record a contact for the front door (children's social care)."""
    return referral_permissions.can(user, referral_permissions.Action.RECORD, child)


def _user_lead(user) -> dict:
    return {"lead_user": user.pk}


def _page(request, template: str, **context):
    return render(request, f"earlyhelp/{template}", context)


def _person_url(child) -> str:
    return reverse("people:detail", args=[child.pk])


def _taf_url(taf) -> str:
    return reverse("earlyhelp:taf-detail", args=[taf.pk])


# --- Early help assessments ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def eha_new(request, person_id: UUID):
    user = request.user
    child = selectors.access_child(
        user=user, person_id=person_id, request=request, action=Action.RECORD
    )
    sees_cases = _sees_case_file(user, child)
    contacts = selectors.early_help_contacts(child) if sees_cases else None
    cases = selectors.cases_of(child) if sees_cases else None
    initial = {
        "start_date": timezone.localdate(),
        "consent_date": timezone.localdate(),
        "organisation": user.agency_id,
    }
    leads = selectors.possible_leads(child)
    if leads.filter(pk=user.pk).exists():
        initial |= _user_lead(user)
    if contacts is not None and (raw := request.GET.get("contact")):
        try:
            chosen = contacts.filter(pk=UUID(raw)).first()
        except ValueError:
            chosen = None
        if chosen is None:
            raise Http404("No such contact")
        initial["contact"] = chosen.pk
    form = AssessmentStartForm(
        posted(request), child=child, contacts=contacts, cases=cases, initial=initial
    )

    def save(data):
        return services.eha_start(by=user, child=child, **data)

    assessment = submission.submit(request, form, save, success="Early help assessment started")
    if assessment is not None:
        return redirect("earlyhelp:eha-detail", eha_id=assessment.pk)
    return _page(request, "eha_start.html", form=form, child=child, back_url=_person_url(child))


@login_required
@require_http_methods(["GET"])
def eha_detail(request, eha_id: UUID):
    user = request.user
    assessment = selectors.access_assessment(user=user, eha_id=eha_id, request=request)
    child = assessment.child
    context = {
        "assessment": assessment,
        "child": child,
        "handovers": selectors.handovers_shown(user, child, assessment=assessment),
        "needs_identified": [
            Need(c).label for c in assessment.identified_needs if c in Need.values
        ],
        "tafs": list(assessment.teams_around_family.order_by("-start_date")),
        "can_record": permissions.can(user, Action.RECORD, child),
        "can_read_narrative": permissions.can(user, Action.READ_NARRATIVE, child),
        "sees_case_file": _sees_case_file(user, child),
        "open_taf": selectors.open_taf_of(child),
        "outcomes": AssessmentOutcome,
        "can_refer": _can_refer(user, child),
    }
    return _page(request, "eha_detail.html", **context)


@login_required
@require_http_methods(["GET", "POST"])
def eha_complete(request, eha_id: UUID):
    user = request.user
    assessment = selectors.access_assessment(
        user=user, eha_id=eha_id, request=request, action=Action.RECORD
    )
    # Completed meanwhile: a posted form is shown again as a conflict (409), entries kept.
    if assessment.is_complete and "version" not in request.POST:
        messages.info(
            request,
            f"This assessment was completed on {assessment.completed_date:%d %B %Y}",
        )
        return redirect("earlyhelp:eha-detail", eha_id=assessment.pk)
    form = AssessmentCompleteForm(
        posted(request),
        initial={"completed_date": timezone.localdate(), "needs": assessment.needs},
    )
    versioned(form, assessment)

    def save(data):
        return services.eha_complete(by=user, assessment=assessment, **data)

    if submission.submit(request, form, save, success="Early help assessment completed"):
        return redirect("earlyhelp:eha-detail", eha_id=assessment.pk)
    return _page(
        request,
        "eha_complete.html",
        form=form,
        child=assessment.child,
        assessment=assessment,
        back_url=reverse("earlyhelp:eha-detail", args=[assessment.pk]),
    )


# --- Teams around the family --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def taf_new(request, person_id: UUID):
    user = request.user
    child = selectors.access_child(
        user=user, person_id=person_id, request=request, action=Action.RECORD
    )
    assessments = selectors.assessments_of(child)
    cases = selectors.latest_closed_case_of(child) if _sees_case_file(user, child) else None
    latest = assessments.first()
    initial = {"start_date": timezone.localdate()}
    if latest is not None:
        # The team usually follows the latest assessment, led by the same professional.
        initial |= {
            "assessment": latest.pk,
            "lead_user": latest.lead_user_id,
            "lead_name": latest.lead_name,
            "lead_agency": latest.lead_agency,
            "lead_role": latest.lead_role,
        }
        if latest.stepped_down_from_id and cases is not None:
            initial["stepped_down_from"] = latest.stepped_down_from_id
    elif selectors.possible_leads(child).filter(pk=user.pk).exists():
        initial |= _user_lead(user)
    form = TAFStartForm(
        posted(request), child=child, assessments=assessments, cases=cases, initial=initial
    )

    def save(data):
        return services.taf_start(by=user, child=child, **data)

    taf = submission.submit(request, form, save, success="Team around the family started")
    if taf is not None:
        return redirect("earlyhelp:taf-detail", taf_id=taf.pk)
    context = {
        "form": form,
        "child": child,
        "open_taf": selectors.open_taf_of(child),
        "open_case": _sees_case_file(user, child) and open_case_of(child),
        "back_url": _person_url(child),
        "review_weeks": child.authority.taf_review_weeks,
    }
    return _page(request, "taf_start.html", **context)


@login_required
@require_http_methods(["GET"])
def taf_detail(request, taf_id: UUID):
    user = request.user
    taf = selectors.access_taf(user=user, taf_id=taf_id, request=request)
    context = {
        "taf": taf,
        "child": taf.child,
        "handovers": selectors.handovers_shown(user, taf.child, taf=taf),
        "reviews": list(taf.reviews.all()),
        "today": timezone.localdate(),
        "can_record": permissions.can(user, Action.RECORD, taf.child),
        "can_read_narrative": permissions.can(user, Action.READ_NARRATIVE, taf.child),
        "sees_case_file": _sees_case_file(user, taf.child),
        "can_refer": _can_refer(user, taf.child),
        "stepped_up": taf.end_reason == TAFEndReason.STEPPED_UP,
        "review_weeks": taf.review_weeks,
    }
    return _page(request, "taf_detail.html", **context)


@login_required
@require_http_methods(["GET", "POST"])
def taf_review_new(request, taf_id: UUID):
    user = request.user
    taf = selectors.access_taf(user=user, taf_id=taf_id, request=request, action=Action.RECORD)
    form = TAFReviewForm(posted(request), initial={"review_date": timezone.localdate()})

    def save(data):
        return services.taf_review_record(by=user, taf=taf, **data)

    if submission.submit(request, form, save, success="Review recorded"):
        return redirect("earlyhelp:taf-detail", taf_id=taf.pk)
    return _page(
        request, "taf_review.html", form=form, child=taf.child, taf=taf, back_url=_taf_url(taf)
    )


@login_required
@require_http_methods(["GET", "POST"])
def taf_end(request, taf_id: UUID):
    user = request.user
    taf = selectors.access_taf(user=user, taf_id=taf_id, request=request, action=Action.RECORD)
    if not taf.is_open and "version" not in request.POST:
        messages.info(request, f"This team around the family ended on {taf.end_date:%d %B %Y}")
        return redirect("earlyhelp:taf-detail", taf_id=taf.pk)
    form = TAFEndForm(posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, taf)

    def save(data):
        return services.taf_end(by=user, taf=taf, **data)

    ended = submission.submit(request, form, save, success="Team around the family ended")
    if ended is not None:
        if ended.end_reason == TAFEndReason.STEPPED_UP:
            messages.warning(
                request,
                "Ending the team does not refer the child: children's social care needs a "
                "contact, which their front door decides",
            )
        return redirect("earlyhelp:taf-detail", taf_id=taf.pk)
    return _page(
        request, "taf_end.html", form=form, child=taf.child, taf=taf, back_url=_taf_url(taf)
    )


# --- The start page: find or create the child ---------------------------------------------------


def _may_start(user) -> None:
    if not permissions.starts_for_new_child(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def start(request):
    """Find the child: by name and date of birth, or NHS number. Only children the user may
    see are shown; otherwise "not found", and a link to create the child."""
    user = request.user
    _may_start(user)
    form = ChildSearchForm(request.GET or None)
    children, searched = [], False
    if request.GET and form.is_valid():
        searched = True
        children = selectors.children_found(user=user, request=request, **form.cleaned_data)
    return _page(
        request,
        "start.html",
        form=form,
        children=children,
        searched=searched,
        new_child_url=reverse("earlyhelp:start-new-child") + "?" + request.GET.urlencode(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def start_new_child(request):
    """Create the child and start their assessment, in one transaction (decision 0081)."""
    user = request.user
    _may_start(user)
    child = Person(authority_id=user.agency.authority_id)
    initial = {
        "start_date": timezone.localdate(),
        "consent_date": timezone.localdate(),
        "organisation": user.agency_id,
        "lead_user": user.pk,
        "nhs_number": request.GET.get("nhs_number", ""),
    }
    # The name searched for, carried over: "Given names Family".
    if (name := request.GET.get("name", "").strip()) and " " in name:
        initial["given_names"], initial["family_name"] = name.rsplit(" ", 1)
    elif name:
        initial["family_name"] = name
    form = NewChildAssessmentForm(posted(request), child=child, initial=initial)

    def save(data):
        data = dict(data)
        fields = {f: data.pop(f) for f in services.CHILD_FIELDS}
        return services.eha_start_for_new_child(by=user, child=fields, **data)

    assessment = submission.submit(request, form, save, success="Early help assessment started")
    if assessment is not None:
        return redirect("earlyhelp:eha-detail", eha_id=assessment.pk)
    return _page(
        request,
        "start_new_child.html",
        form=form,
        back_url=reverse("earlyhelp:start"),
    )


# --- Handovers ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def handover_acknowledge(request, handover_id: UUID):
    user = request.user
    handover = selectors.access_handover(user=user, handover_id=handover_id, request=request)
    child = handover.child
    step_up = handover.direction == "step_up"
    form = HandoverAcknowledgeForm(
        posted(request), contacts=selectors.contacts_of(child) if step_up else None
    )
    versioned(form, handover)

    def save(data):
        return services.handover_acknowledge(by=user, handover=handover, **data)

    if submission.submit(request, form, save, success="Handover acknowledged"):
        if step_up and handover.contact_id:
            return redirect("referrals:contact-detail", contact_id=handover.contact_id)
        if handover.assessment_id:
            return redirect("earlyhelp:eha-detail", eha_id=handover.assessment_id)
        if handover.taf_id:
            return redirect("earlyhelp:taf-detail", taf_id=handover.taf_id)
        return redirect("people:detail", person_id=child.pk)
    return _page(
        request,
        "handover_acknowledge.html",
        form=form,
        child=child,
        handover=handover,
        back_url=_person_url(child),
    )
