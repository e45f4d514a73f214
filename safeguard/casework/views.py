"""Pages of the case file and the child's chronology. Each view: parse input, get the case (or
child) through the access function, call one service or selector, render.

A case is only ever fetched through ``selectors.access_case``, which logs the child's access
and applies the casework policy; the chronology pages get the child through
``people.selectors.access_person`` and then apply the same policy.
"""

from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.casework import documents, permissions, selectors, services
from safeguard.casework.forms import (
    AllocateForm,
    AnnotationForm,
    CaseNoteForm,
    ChronologyEntryForm,
    CINPlanEndForm,
    CINPlanReviewForm,
    CINPlanStartForm,
    CloseForm,
    DecisionForm,
    VisitForm,
    social_care_staff,
)
from safeguard.casework.models import Case, ChronologyEntry, CINPlan
from safeguard.casework.permissions import Action
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.downloads import attachment
from safeguard.core.errors import ApplicationError
from safeguard.people import selectors as people

# What the case page shows of each step, fetched in a fixed number of queries. Steps recorded
# by higher apps are named by their reverse relation, so casework imports none of them.
CASE_PAGE_RELATIONS = [
    "allocations__worker",
    "allocations__team",
    "allocations__created_by",
    "referral__decided_by",
    "referral__contact__level",
    "referral__contact__indicators",
    "referral__contact__decided_by",
    "referral__contact__manager",
    "assessments__created_by",
    "assessments__authorised_by",
    "strategy_discussions__chaired_by",
    "section47s__created_by",
    "section47s__core_assessment",
    "conferences__chaired_by",
    "cp_plans__created_by",
    "cp_plans__core_groups__created_by",
    "cin_plans__created_by",
    "cin_plans__reviews__created_by",
    "visits__worker",
    "visits__created_by",
    "notes__created_by",
    "decisions__decided_by",
]


# Higher apps add to the case page (the timescales engine its ``timescales`` panel) without
# casework importing them: each registers, from its AppConfig.ready(), a function of the
# request and the case that returns extra context.
CasePageContext = Callable[[HttpRequest, Case], dict]
_CASE_PAGE_CONTEXT: list[CasePageContext] = []


def register_case_page_context(extra: CasePageContext) -> None:
    if extra not in _CASE_PAGE_CONTEXT:
        _CASE_PAGE_CONTEXT.append(extra)


def _form_error(form, error: ApplicationError) -> None:
    submission.form_error(form, error)


def _saved(request, form, save: Callable[[dict], object], success: str) -> bool:
    """Call ``save`` with a valid POST's data. False when the form must be shown again, with
    the service's refusal on it."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ApplicationError as error:
        _form_error(form, error)
        return False
    messages.success(request, success)
    return True


def _case(request, case_id: UUID, action: Action = Action.RECORD) -> Case:
    purpose = AccessPurpose.VIEW if action == Action.VIEW else AccessPurpose.EDIT
    return selectors.access_case(
        user=request.user, case_id=case_id, purpose=purpose, request=request, action=action
    )


def _plan(request, plan_id: UUID) -> CINPlan:
    """The plan, reached through its case's access function."""
    case_id = CINPlan.objects.filter(pk=plan_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404("No such plan")
    case = _case(request, case_id)
    plan = case.cin_plans.get(pk=plan_id)
    plan.case = case
    return plan


def _child(request, person_id: UUID, action: Action = Action.VIEW):
    """The child, for a page of their case file. Partners may see the child but not the case
    file: they are turned away before the read is logged, as ``access_case`` does; so are
    analysts from a page of narrative (the chronology)."""
    user = request.user
    if not permissions.can(user, Action.VIEW, authority_id=user.authority_id):
        raise Http404("No such case file")
    if action == Action.READ_NARRATIVE:
        if not permissions.can(user, action, authority_id=user.authority_id):
            raise PermissionDenied("The chronology is for staff working with the child")
        action = Action.VIEW
    purpose = AccessPurpose.VIEW if action == Action.VIEW else AccessPurpose.EDIT
    child = people.access_person(user=user, person_id=person_id, purpose=purpose, request=request)
    if not permissions.can(user, Action.VIEW, authority_id=child.authority_id):
        raise Http404("No such case file")
    if action != Action.VIEW and not permissions.can(user, action, authority_id=child.authority_id):
        raise PermissionDenied("You cannot record on this child's file")
    return child


def _to_case(case: Case):
    return redirect("casework:case-detail", case_id=case.pk)


def _step_page(request, form, case: Case, *, title: str, button: str = "Save", **extra):
    context = {"form": form, "case": case, "child": case.child, "title": title, "button": button}
    return render(request, "casework/step_form.html", context | extra)


# --- The case page --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def case_detail(request, case_id: UUID):
    case = _case(request, case_id, Action.VIEW)
    prefetch_related_objects([case], *CASE_PAGE_RELATIONS)
    user = request.user
    context = {
        "case": case,
        "child": case.child,
        "today": timezone.localdate(),
        "can_record": permissions.can(user, Action.RECORD, case),
        "can_authorise": permissions.can(user, Action.AUTHORISE, case),
        # Analysts see the dates and codes, not what is written (issue 11, item 12).
        "can_read_narrative": permissions.can(user, Action.READ_NARRATIVE, case),
    }
    for extra in _CASE_PAGE_CONTEXT:
        context.update(extra(request, case))
    return render(request, "casework/case_detail.html", context)


# --- Steps on the case ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_allocate(request, case_id: UUID):
    case = _case(request, case_id)
    user = request.user
    initial = {"start_date": timezone.localdate()}
    if user.teams.exists():
        initial["worker"] = user.pk
    form = AllocateForm(request.POST or None, authority=case.authority, initial=initial)
    versioned(form, case)

    def save(data):
        services.case_allocate(by=user, case=case, **data)

    if _saved(request, form, save, "Case allocated"):
        return _to_case(case)
    return _step_page(request, form, case, title="Allocate the case", button="Allocate")


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request, case_id: UUID):
    case = _case(request, case_id)
    user = request.user
    if case.cp_plans.filter(end_date__isnull=True).exists():
        kind = "cp"
    elif case.cin_plans.filter(end_date__isnull=True).exists():
        kind = "cin"
    else:
        kind = "other"
    allocation = case.allocations.filter(end_date__isnull=True).first()
    staff = social_care_staff(case.authority)
    worker = user if staff.filter(pk=user.pk).exists() else getattr(allocation, "worker", None)
    initial = {"kind": kind, "visit_date": timezone.localdate(), "worker": worker}
    form = VisitForm(request.POST or None, authority=case.authority, initial=initial)

    def save(data):
        services.visit_record(by=user, case=case, **data)

    if _saved(request, form, save, "Visit recorded"):
        return _to_case(case)
    return _step_page(request, form, case, title="Record a visit")


@login_required
@require_http_methods(["GET", "POST"])
def note_new(request, case_id: UUID):
    case = _case(request, case_id)
    form = CaseNoteForm(request.POST or None, initial={"note_date": timezone.localdate()})

    def save(data):
        services.case_note_add(by=request.user, case=case, **data)

    if _saved(request, form, save, "Case note added"):
        return _to_case(case)
    return _step_page(request, form, case, title="Add a case note")


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, case_id: UUID):
    case = _case(request, case_id, Action.AUTHORISE)
    form = DecisionForm(request.POST or None, initial={"decision_date": timezone.localdate()})

    def save(data):
        services.decision_record(by=request.user, case=case, **data)

    if _saved(request, form, save, "Management decision recorded"):
        return _to_case(case)
    return _step_page(request, form, case, title="Record a management decision")


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_new(request, case_id: UUID):
    case = _case(request, case_id)
    form = CINPlanStartForm(request.POST or None, initial={"start_date": timezone.localdate()})

    def save(data):
        services.cin_plan_start(by=request.user, case=case, **data)

    if _saved(request, form, save, "Child in need plan started"):
        return _to_case(case)
    return _step_page(request, form, case, title="Start a child in need plan", button="Start plan")


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_review_new(request, plan_id: UUID):
    plan = _plan(request, plan_id)
    form = CINPlanReviewForm(request.POST or None, initial={"review_date": timezone.localdate()})

    def save(data):
        services.cin_plan_review_record(by=request.user, plan=plan, **data)

    if _saved(request, form, save, "Plan review recorded"):
        return _to_case(plan.case)
    title = "Review the child in need plan"
    return _step_page(request, form, plan.case, title=title, plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_end(request, plan_id: UUID):
    plan = _plan(request, plan_id)
    form = CINPlanEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    versioned(form, plan)

    def save(data):
        services.cin_plan_end(by=request.user, plan=plan, **data)

    if _saved(request, form, save, "Child in need plan ended"):
        return _to_case(plan.case)
    title = "End the child in need plan"
    return _step_page(request, form, plan.case, title=title, button="End plan", plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, case_id: UUID):
    case = _case(request, case_id)
    today = timezone.localdate()
    form = CloseForm(request.POST or None, initial={"closure_date": today})
    versioned(form, case)

    def save(data):
        services.case_close(by=request.user, case=case, **data)

    if _saved(request, form, save, "Case closed"):
        return _to_case(case)
    # Said before the worker fills in the form, so that they know what to finish first.
    still_open = [] if case.closure_date else services.open_work(case, today)
    return _step_page(
        request, form, case, title="Close the case", button="Close case", still_open=still_open
    )


# --- The chronology ---------------------------------------------------------------------------


def _chronology_case(user, child) -> Case | None:
    """The case new entries belong to: the open one, else the latest."""
    case = selectors.open_case_of(child)
    if case is None:
        cases = selectors.cases_of_child(user=user, child=child)
        case = cases[0] if cases else None
    return case


@login_required
@require_http_methods(["GET"])
def chronology(request, person_id: UUID):
    child = _child(request, person_id, Action.READ_NARRATIVE)
    context = {
        "child": child,
        "entries": selectors.chronology_of(child),
        "can_record": permissions.can(request.user, Action.RECORD, authority_id=child.authority_id),
        "printing": request.GET.get("print") == "1",
        "today": timezone.localdate(),
    }
    return render(request, "casework/chronology.html", context)


@login_required
@require_http_methods(["GET"])
def chronology_pdf(request, person_id: UUID):
    child = _child(request, person_id, Action.READ_NARRATIVE)
    content = documents.chronology_pdf(
        child=child,
        entries=selectors.chronology_of(child),
        by=request.user,
        at=timezone.localtime(),
        compress=getattr(settings, "SAFEGUARD_PDF_COMPRESSION", True),
    )
    response = HttpResponse(content, content_type="application/pdf")
    # The file name carries no name of the child: downloads folders are not confidential.
    response["Content-Disposition"] = attachment(f"chronology-{child.la_child_id or child.pk}.pdf")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry_new(request, person_id: UUID):
    child = _child(request, person_id, Action.RECORD)
    case = _chronology_case(request.user, child)
    if case is None:
        return render(request, "casework/chronology_no_case.html", {"child": child})
    form = ChronologyEntryForm(request.POST or None, initial={"event_date": timezone.localdate()})

    def save(data):
        services.chronology_entry_add(by=request.user, case=case, **data)

    if _saved(request, form, save, "Chronology entry added"):
        return redirect("casework:chronology", person_id=child.pk)
    return render(
        request, "casework/chronology_entry_form.html", {"form": form, "child": child, "case": case}
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_annotate(request, entry_id: UUID):
    entry = ChronologyEntry.objects.select_related("case", "created_by").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry")
    child = _child(request, entry.child_id, Action.RECORD)
    entry.child = child
    form = AnnotationForm(request.POST or None)

    def save(data):
        services.chronology_annotate(by=request.user, entry=entry, **data)

    if _saved(request, form, save, "Annotation added"):
        return redirect("casework:chronology", person_id=child.pk)
    return render(
        request, "casework/chronology_annotate.html", {"form": form, "child": child, "entry": entry}
    )
