"""Pages of the case file and the child's chronology. Each view: parse input, get the case (or
child) through the access function, call one service or selector, render.

A case, a plan or a chronology entry is only ever fetched through the ``access_*`` functions
of ``selectors``, which log the child's access and apply the casework policy; the chronology
pages get the child through ``selectors.access_child``.
"""

from collections.abc import Callable
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.audit.services import one_access_append
from safeguard.casework import documents, permissions, selectors, services
from safeguard.casework.forms import (
    AbsenceEndForm,
    AbsenceForm,
    AllocateForm,
    AnnotationForm,
    AuthorisationDecisionForm,
    AuthorisationSettingsForm,
    CaseNoteForm,
    CaseSummaryForm,
    ChronologyEntryForm,
    CINPlanEndForm,
    CINPlanStartForm,
    CloseForm,
    DecisionForm,
    DirectWorkForm,
    DutyForm,
    FamilyChronologyFilter,
    LookedAfterEndForm,
    LookedAfterStartForm,
    PriorityForm,
    UnallocatedReviewForm,
    VisitForm,
    social_care_staff,
)
from safeguard.casework.models import AuthorisationRequest, Case
from safeguard.casework.permissions import Action
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.downloads import attachment
from safeguard.core.submission import posted
from safeguard.people import selectors as people

# Higher apps add to the case page (the timescales engine its ``timescales`` panel) without
# casework importing them: each registers, from its AppConfig.ready(), a function of the
# request and the case that returns extra context.
CasePageContext = Callable[[HttpRequest, Case], dict]
_CASE_PAGE_CONTEXT: list[CasePageContext] = []


def register_case_page_context(extra: CasePageContext) -> None:
    if extra not in _CASE_PAGE_CONTEXT:
        _CASE_PAGE_CONTEXT.append(extra)


# What higher apps read with the case on its page, in the case's own query (a function from
# a query of cases to the same query, annotated): timescales' "last seen" (decision 0003).
_CASE_PAGE_READS: list = []


def register_case_page_read(annotate) -> None:
    if annotate not in _CASE_PAGE_READS:
        _CASE_PAGE_READS.append(annotate)


# Apps that count caseloads (workforce) describe each candidate on the allocation form: each
# registers, from its AppConfig.ready(), a function of the team, its workers and the day that
# returns {worker pk: "what they carry"}, in a fixed number of queries.
CandidateLoads = Callable[..., dict]
_CANDIDATE_LOADS: list[CandidateLoads] = []


def register_candidate_loads(describe: CandidateLoads) -> None:
    if describe not in _CANDIDATE_LOADS:
        _CANDIDATE_LOADS.append(describe)


def _case(request, case_id: UUID, action: Action = Action.RECORD) -> Case:
    return selectors.access_case(user=request.user, case_id=case_id, request=request, action=action)


def _plan(request, plan_id: UUID):
    return selectors.access_cin_plan(user=request.user, plan_id=plan_id, request=request)


def _to_case(case: Case):
    return redirect("casework:case-detail", case_id=case.pk)


def _step_page(
    request,
    form,
    case: Case,
    *,
    title: str,
    button: str = "Save",
    template: str = "casework/step_form.html",
    **extra,
):
    context = {"form": form, "case": case, "child": case.child, "title": title, "button": button}
    return render(request, template, context | extra)


# --- The case page --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
@one_access_append()
def case_detail(request, case_id: UUID):
    case = selectors.access_case(
        user=request.user,
        case_id=case_id,
        request=request,
        action=Action.VIEW,
        related=selectors.CASE_PAGE_JOINS,
        reads=(
            selectors.with_current_summary,
            selectors.with_waiting_authorisation,
            selectors.with_case_lists,
            *_CASE_PAGE_READS,
        ),
    )
    selectors.load_case_page(case)
    user = request.user
    context = {
        "case": case,
        "child": case.child,
        "today": timezone.localdate(),
        "can_record": permissions.can(user, Action.RECORD, case),
        "can_authorise": permissions.can(user, Action.AUTHORISE, case),
        "can_change_priority": permissions.can(user, Action.CHANGE_PRIORITY, case),
        # Analysts see the dates and codes, not what is written (issue 11, item 12).
        "can_read_narrative": permissions.can(user, Action.READ_NARRATIVE, case),
        "summary": selectors.summary_read_with(case),
        "waiting": selectors.waiting_read_with(case),
        # Alert flags on the adults around the child (decision 0048).
        "adults_with_alerts": people.alerts_around(
            user=user, child=case.child, on=timezone.localdate(), request=request
        ),
    }
    for extra in _CASE_PAGE_CONTEXT:
        context.update(extra(request, case))
    return render(request, "casework/case_detail.html", context)


# --- The case summary (issue 16 item 4, decision 0048) ----------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_summary_edit(request, case_id: UUID):
    case = _case(request, case_id)
    current = selectors.current_summary(selectors.load_case_summary(case))
    initial = {"based_on": current.number if current else None}
    if current is not None:
        initial |= {f: getattr(current, f) for f in services.CASE_SUMMARY_FIELDS}
    form = CaseSummaryForm(posted(request), initial=initial)

    def save(data):
        services.case_summary_save(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Case summary saved"):
        return _to_case(case)
    return _step_page(
        request,
        form,
        case,
        title="Update the case summary" if current else "Write the case summary",
        button="Save a new version",
        summary_current=current,
    )


@login_required
@require_http_methods(["GET"])
def case_summary_history(request, case_id: UUID):
    case = _case(request, case_id, Action.READ_NARRATIVE)
    return render(
        request,
        "casework/case_summary_history.html",
        {"case": case, "child": case.child, "history": selectors.summary_history(case)},
    )


# --- Steps on the case ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_allocate(request, case_id: UUID):
    case = _case(request, case_id)
    user = request.user
    today = timezone.localdate()
    current = selectors.current_allocation(case, on=today)
    teams = selectors.allocation_teams(case)
    team = selectors.allocation_team(
        teams,
        chosen=request.POST.get("team") or request.GET.get("team"),
        current=current,
        user=user,
    )
    if team is None:
        return _step_page(
            request,
            None,
            case,
            title="Allocate the case",
            template="casework/allocate.html",
            no_teams=True,
        )
    workers = list(social_care_staff(case.authority).filter(teams=team))
    loads = {}
    for describe in _CANDIDATE_LOADS:
        loads.update(describe(team=team, workers=workers, on=today))
    form = AllocateForm(
        posted(request),
        authority=case.authority,
        team=team,
        loads=loads,
        reallocating=current is not None,
        initial={"start_date": today},
    )
    versioned(form, case)

    def save(data):
        services.case_allocate(by=user, case=case, **data)

    if submission.submit(
        request, form, save, success="Case reallocated" if current else "Case allocated"
    ):
        return _to_case(case)
    return _step_page(
        request,
        form,
        case,
        title="Reallocate the case" if current else "Allocate the case",
        button="Reallocate" if current else "Allocate",
        template="casework/allocate.html",
        team=team,
        teams=teams,
        current=current,
        # The case's line manager (``selectors.line_manager``), from the allocation read above.
        line_manager=selectors.team_line_manager(current.team) if current else None,
        has_workers=bool(workers),
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request, case_id: UUID):
    case = _case(request, case_id)
    user = request.user
    staff = social_care_staff(case.authority)
    worker = user if staff.filter(pk=user.pk).exists() else selectors.allocated_worker(case)
    initial = {
        "kind": selectors.visit_kind(case),
        "visit_date": timezone.localdate(),
        "worker": worker,
    }
    form = VisitForm(posted(request), authority=case.authority, initial=initial)

    def save(data):
        services.visit_record(by=user, case=case, **data)

    if submission.submit(request, form, save, success="Visit recorded"):
        return _to_case(case)
    return _step_page(
        request,
        form,
        case,
        title="Record a visit",
        step="visit",
        today=timezone.localdate(),
        # Whoever visits must know of alerts on the adults they may meet (decision 0048).
        adults_with_alerts=people.alerts_around(
            user=user, child=case.child, on=timezone.localdate(), request=request
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def direct_work_new(request, case_id: UUID):
    case = _case(request, case_id)
    user = request.user
    staff = social_care_staff(case.authority)
    worker = user if staff.filter(pk=user.pk).exists() else selectors.allocated_worker(case)
    form = DirectWorkForm(
        posted(request),
        authority=case.authority,
        initial={"work_date": timezone.localdate(), "worker": worker},
    )

    def save(data):
        services.direct_work_record(by=user, case=case, **data)

    if submission.submit(request, form, save, success="Direct work recorded"):
        return _to_case(case)
    return _step_page(request, form, case, title="Record direct work with the child")


@login_required
@require_http_methods(["GET", "POST"])
def note_new(request, case_id: UUID):
    case = _case(request, case_id)
    form = CaseNoteForm(posted(request), initial={"note_date": timezone.localdate()})

    def save(data):
        services.case_note_add(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Case note added"):
        return _to_case(case)
    return _step_page(request, form, case, title="Add a case note")


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, case_id: UUID):
    case = _case(request, case_id, Action.AUTHORISE)
    form = DecisionForm(posted(request), initial={"decision_date": timezone.localdate()})

    def save(data):
        services.decision_record(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Management decision recorded"):
        return _to_case(case)
    return _step_page(request, form, case, title="Record a management decision")


@login_required
@require_http_methods(["GET", "POST"])
def unallocated_review_new(request, case_id: UUID):
    """A manager's review of a case nobody holds (due every few working days while it waits)."""
    case = _case(request, case_id, Action.AUTHORISE)
    form = UnallocatedReviewForm(posted(request), initial={"review_date": timezone.localdate()})

    def save(data):
        services.unallocated_review_record(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Review of the unallocated case recorded"):
        return _to_case(case)
    return _step_page(request, form, case, title="Review the unallocated case")


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_new(request, case_id: UUID):
    case = _case(request, case_id)
    form = CINPlanStartForm(posted(request), initial={"start_date": timezone.localdate()})

    def save(data):
        services.cin_plan_start(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Child in need plan started"):
        return _to_case(case)
    return _step_page(request, form, case, title="Start a child in need plan", button="Start plan")


@login_required
@require_http_methods(["GET", "POST"])
def cin_plan_end(request, plan_id: UUID):
    plan = _plan(request, plan_id)
    form = CINPlanEndForm(posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, plan)

    def save(data):
        services.cin_plan_end(by=request.user, plan=plan, **data)

    if submission.submit(request, form, save, success="Child in need plan ended"):
        return _to_case(plan.case)
    title = "End the child in need plan"
    return _step_page(request, form, plan.case, title=title, button="End plan", plan=plan)


@login_required
@require_http_methods(["GET", "POST"])
def looked_after_new(request, case_id: UUID):
    """The child becomes looked after: a period of care starts (decision 0076)."""
    case = _case(request, case_id)
    form = LookedAfterStartForm(posted(request), initial={"start_date": timezone.localdate()})

    def save(data):
        services.looked_after_start(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Period of care started"):
        return _to_case(case)
    title = "Record that the child is looked after"
    return _step_page(request, form, case, title=title, button="Start period of care")


@login_required
@require_http_methods(["GET", "POST"])
def looked_after_end(request, period_id: UUID):
    period = selectors.access_looked_after_period(
        user=request.user, period_id=period_id, request=request
    )
    form = LookedAfterEndForm(posted(request), initial={"end_date": timezone.localdate()})
    versioned(form, period)

    def save(data):
        services.looked_after_end(by=request.user, period=period, **data)

    if submission.submit(request, form, save, success="Period of care ended"):
        return _to_case(period.case)
    title = "End the period of care"
    return _step_page(
        request, form, period.case, title=title, button="End period of care", period=period
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, case_id: UUID):
    case = _case(request, case_id)
    today = timezone.localdate()
    form = CloseForm(posted(request), initial={"closure_date": today})
    versioned(form, case)

    def save(data):
        return services.case_close(by=request.user, case=case, **data)

    def said(made) -> str:
        if isinstance(made, AuthorisationRequest):
            return "Closure sent to the case's manager to authorise: the case stays open until then"
        return "Case closed"

    if submission.submit(request, form, save, success=said):
        return _to_case(case)
    # Said before the worker fills in the form, so that they know what to finish first.
    still_open = [] if case.closure_date else services.open_work(case, today)
    return _step_page(
        request,
        form,
        case,
        title="Close the case",
        button="Close case",
        still_open=still_open,
        step="closure",
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_priority(request, case_id: UUID):
    case = _case(request, case_id, Action.CHANGE_PRIORITY)
    form = PriorityForm(posted(request), initial={"priority": case.priority})
    versioned(form, case)

    def save(data):
        services.case_priority_change(
            by=request.user,
            case=case,
            priority=data["priority"],
            reason=data["priority_reason"],
            version=data.get("version"),
        )

    if submission.submit(request, form, save, success="Priority changed"):
        return _to_case(case)
    return _step_page(request, form, case, title="Change the priority", button="Change priority")


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
    child = selectors.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.READ_NARRATIVE
    )
    context = {
        "child": child,
        "entries": selectors.chronology_of(child, user=request.user),
        "can_record": permissions.can(request.user, Action.RECORD, authority_id=child.authority_id),
        "printing": request.GET.get("print") == "1",
        "today": timezone.localdate(),
    }
    return render(request, "casework/chronology.html", context)


@login_required
@require_http_methods(["GET"])
def family_children(request, person_id: UUID):
    """Every child of the family with their status, and one chronology of them all with its
    filters as GET parameters (issue 16 item 7, decision 0065). Narrative: as the chronology."""
    child = selectors.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.READ_NARRATIVE
    )
    today = timezone.localdate()
    family = selectors.family_view(user=request.user, child=child, on=today, request=request)
    form = FamilyChronologyFilter(request.GET or None, children=family.people, kinds=family.kinds)
    filters = form.cleaned_data if request.GET and form.is_valid() else {}
    context = {
        "child": child,
        "family": family,
        "form": form,
        "entries": selectors.family_chronology(family, user=request.user, **filters),
        "filtered": any(filters.values()),
        "can_record": permissions.can(request.user, Action.RECORD, authority_id=child.authority_id),
    }
    return render(request, "casework/family.html", context)


@login_required
@require_http_methods(["GET"])
def chronology_pdf(request, person_id: UUID):
    child = selectors.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.READ_NARRATIVE
    )
    content = documents.chronology_pdf(
        child=child,
        entries=selectors.chronology_of(child, user=request.user),
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
    child = selectors.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.RECORD
    )
    case = _chronology_case(request.user, child)
    if case is None:
        return render(request, "casework/chronology_no_case.html", {"child": child})
    form = ChronologyEntryForm(posted(request), initial={"event_date": timezone.localdate()})

    def save(data):
        services.chronology_entry_add(by=request.user, case=case, **data)

    if submission.submit(request, form, save, success="Chronology entry added"):
        return redirect("casework:chronology", person_id=child.pk)
    return render(
        request, "casework/chronology_entry_form.html", {"form": form, "child": child, "case": case}
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_annotate(request, entry_id: UUID):
    entry = selectors.access_chronology_entry(
        user=request.user, entry_id=entry_id, request=request, action=Action.RECORD
    )
    child = entry.child
    form = AnnotationForm(posted(request))

    def save(data):
        services.chronology_annotate(by=request.user, entry=entry, **data)

    if submission.submit(request, form, save, success="Annotation added"):
        return redirect("casework:chronology", person_id=child.pk)
    return render(
        request, "casework/chronology_annotate.html", {"form": form, "child": child, "entry": entry}
    )


# --- Cover: absences and the duty rota (decision 0044) -----------------------------------------


def _cover_team(request, team_id: int, action: Action):
    team = selectors.cover_team(team_id)
    if not permissions.can(request.user, action, team):
        raise PermissionDenied
    return team


def _cover_form_page(request, form, team, *, title: str, button: str):
    context = {"form": form, "team": team, "title": title, "button": button}
    return render(request, "casework/cover_form.html", context)


@login_required
@require_GET
def team_cover(request, team_id: int):
    """A team's cover: who is away (now and coming), who is on duty, and the forms."""
    team = _cover_team(request, team_id, Action.SEE_COVER)
    today = timezone.localdate()
    user = request.user
    context = {
        "team": team,
        "today": today,
        "absences": selectors.team_absences(team, on=today),
        "rota": selectors.team_rota(team, on=today),
        "on_duty": selectors.on_duty(team, on=today),
        # The kind of an absence (sickness) is for those who manage the team; colleagues see
        # only that the worker is away.
        "sees_kind": permissions.can(user, Action.SET_DUTY, team),
        "may_record": permissions.can(user, Action.RECORD_ABSENCE, team),
        "may_set_duty": permissions.can(user, Action.SET_DUTY, team),
    }
    return render(request, "casework/team_cover.html", context)


def _absence_workers(request, team):
    """Whom the user may record an absence for: the team's members if they manage it, else
    only themselves (their own planned leave)."""
    members = social_care_staff(team.agency.authority).filter(teams=team)
    if permissions.can(request.user, Action.SET_DUTY, team):
        return members
    return members.filter(pk=request.user.pk)


@login_required
@require_http_methods(["GET", "POST"])
def absence_new(request, team_id: int):
    team = _cover_team(request, team_id, Action.RECORD_ABSENCE)
    form = AbsenceForm(
        posted(request),
        workers=_absence_workers(request, team),
        initial={"start_date": timezone.localdate()},
    )

    def save(data):
        return services.absence_record(by=request.user, team=team, **data)

    if submission.submit(request, form, save, success="Absence recorded"):
        return redirect("casework:team-cover", team_id=team.pk)
    return _cover_form_page(request, form, team, title="Record an absence", button="Record")


@login_required
@require_http_methods(["GET", "POST"])
def absence_end(request, team_id: int, absence_id: UUID):
    team = _cover_team(request, team_id, Action.RECORD_ABSENCE)
    absence = selectors.absence_of_team(team, absence_id)
    if not permissions.may_record_absence(request.user, absence.worker, absence.kind, team):
        raise PermissionDenied
    form = AbsenceEndForm(posted(request), initial={"last_day": absence.last_day})

    def save(data):
        return services.absence_end(by=request.user, team=team, absence=absence, **data)

    if submission.submit(request, form, save, success="Last day of the absence recorded"):
        return redirect("casework:team-cover", team_id=team.pk)
    title = f"Last day of {absence.worker}'s absence from {absence.start_date:%-d %B %Y}"
    return _cover_form_page(request, form, team, title=title, button="Save")


@login_required
@require_http_methods(["GET", "POST"])
def duty_new(request, team_id: int):
    team = _cover_team(request, team_id, Action.SET_DUTY)
    today = timezone.localdate()
    form = DutyForm(
        posted(request),
        workers=social_care_staff(team.agency.authority).filter(teams=team),
        initial={"start_date": today, "last_day": today},
    )

    def save(data):
        return services.duty_set(by=request.user, team=team, **data)

    if submission.submit(request, form, save, success="Duty rota updated"):
        return redirect("casework:team-cover", team_id=team.pk)
    return _cover_form_page(request, form, team, title="Put a worker on duty", button="Save")


# --- Decision rights (issue 15 item 2, decision 0041) ----------------------------------------


@login_required
@require_http_methods(["GET"])
def authorisation_queue(request):
    """What waits for the signed-in manager's authorisation, oldest first, with how long."""
    if not permissions.can(
        request.user, Action.AUTHORISE, authority_id=permissions.authority_of(request.user)
    ):
        raise PermissionDenied("Only managers authorise decisions")
    items = selectors.waiting_for(request.user)
    shown = people.show_rows(user=request.user, rows=items, request=request)
    return render(
        request,
        "casework/authorisations.html",
        {
            "items": shown.rows,
            "hidden": shown.hidden,
            "today": timezone.localdate(),
            "may_set_rules": permissions.can(
                request.user,
                Action.SET_AUTHORISATION_RULES,
                authority_id=permissions.authority_of(request.user),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorisation_settings(request):
    """Which decisions need the case's line manager's authorisation in the signed-in service
    manager's authority: one box per registered decision right, ticked as the authority has it."""
    if not permissions.can(
        request.user,
        Action.SET_AUTHORISATION_RULES,
        authority_id=permissions.authority_of(request.user),
    ):
        raise PermissionDenied("Only a service manager chooses which decisions need authorisation")
    authority = request.user.agency.authority
    rights = sorted(services.decision_rights().values(), key=lambda right: right.label)
    form = AuthorisationSettingsForm(
        posted(request),
        rights=rights,
        initial={"kinds": authority.decisions_needing_authorisation or []},
    )

    def save(data):
        return services.authorisation_settings_update(
            by=request.user, authority=authority, kinds=data["kinds"]
        )

    if submission.submit(request, form, save, success="Decisions needing authorisation saved"):
        return redirect("casework:authorisation-settings")
    return render(
        request, "casework/authorisation_settings.html", {"authority": authority, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorisation_detail(request, request_id: UUID):
    """A request for authorisation: what is asked, by whom, and (for the manager who may
    decide) the form to authorise or refuse it."""
    asked = selectors.access_authorisation(user=request.user, request_id=request_id, http=request)
    form = AuthorisationDecisionForm(posted(request))
    versioned(form, asked)

    def save(data):
        return services.authorisation_decide(
            by=request.user,
            request=asked,
            authorise=data["decision"] == "authorise",
            reason=data["reason"],
            version=data.get("version"),
        )

    if submission.submit(
        request, form, save, success=lambda made: f"{made.get_status_display()}: {made.summary}"
    ):
        return redirect("casework:authorisations")
    return render(
        request,
        "casework/authorisation.html",
        {
            "asked": asked,
            "case": asked.case,
            "child": asked.case.child,
            "form": form,
            "label": services.decision_right_label(asked.kind),
            "may_decide": asked.is_pending
            and permissions.can(request.user, Action.AUTHORISE, asked.case),
        },
    )
