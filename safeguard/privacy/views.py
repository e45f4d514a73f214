"""Data protection pages: a person's access history, subject access requests, retention and
legal holds. Thin: parse, read through the access function, call one service, render."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.core.csv import csv_response
from safeguard.core.downloads import attachment
from safeguard.core.errors import ApplicationError
from safeguard.people import selectors as people
from safeguard.privacy import export, permissions, retention, selectors, services
from safeguard.privacy.forms import (
    AccessFilterForm,
    LegalHoldForm,
    LiftHoldForm,
    RecordMarkForm,
    RetentionFilterForm,
    SARCloseForm,
    SARExtendForm,
    SARForm,
)
from safeguard.privacy.permissions import Action


def _form_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _manager_only(request) -> None:
    if not permissions.can(request.user, Action.MANAGE):
        raise PermissionDenied


# --- Access history -------------------------------------------------------------------------


def _access_history(request, person_id: UUID, reason: str):
    person = selectors.person_for(
        user=request.user,
        person_id=person_id,
        action=Action.VIEW_ACCESS_HISTORY,
        request=request,
        reason=reason,
    )
    form = AccessFilterForm(request.GET or None)
    events = selectors.access_events(person)
    if request.GET and form.is_valid():
        events = selectors.access_events(
            person, from_date=form.cleaned_data["from_date"], to_date=form.cleaned_data["to_date"]
        )
    return person, form, events


@login_required
@require_http_methods(["GET"])
def access_history(request, person_id: UUID):
    person, form, events = _access_history(request, person_id, "Access history")
    total = events.count()
    return render(
        request,
        "privacy/access_history.html",
        {
            "person": person,
            "form": form,
            "events": events[: selectors.PAGE_LIMIT],
            "total": total,
            "limit": selectors.PAGE_LIMIT,
            "query": request.GET.urlencode(),
            "can_manage": permissions.can(request.user, Action.MANAGE, person),
        },
    )


@login_required
@require_http_methods(["GET"])
def access_history_csv(request, person_id: UUID):
    person, form, events = _access_history(request, person_id, "Access history download")
    if form.errors:
        return redirect(f"{request.path.removesuffix('.csv')}/?{request.GET.urlencode()}")
    return csv_response(
        f"access-history-{person.pk}.csv",
        selectors.access_rows(events),
        selectors.ACCESS_HEADER,
    )


# --- Retention and legal holds for one person -----------------------------------------------


def _managed_person(request, person_id: UUID, reason: str = ""):
    return selectors.person_for(
        user=request.user, person_id=person_id, action=Action.MANAGE, request=request, reason=reason
    )


@login_required
@require_http_methods(["GET"])
def person_retention(request, person_id: UUID):
    person = _managed_person(request, person_id, "Retention")
    found, deciding = retention.person_outcomes(person)
    today = timezone.localdate()
    holds = list(selectors.legal_holds(person))
    return render(
        request,
        "privacy/person_retention.html",
        {
            "person": person,
            "outcomes": found,
            "deciding": deciding,
            "today": today,
            "marks": selectors.record_marks(person),
            "holds": holds,
            "held": any(h.is_open_on(today) for h in holds),
        },
    )


def _person_form(request, person, form_class, template: str, title: str, save, extra=None):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, message)
            return redirect("privacy:person-retention", person_id=person.pk)
    context = {"person": person, "form": form, "title": title, **(extra or {})}
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def hold_place(request, person_id: UUID):
    person = _managed_person(request, person_id, "Legal hold")

    def save(data):
        services.legal_hold_place(by=request.user, person=person, **data)
        return "Legal hold placed"

    return _person_form(
        request, person, LegalHoldForm, "privacy/person_form.html", "Place a legal hold", save
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_lift(request, person_id: UUID, hold_id: UUID):
    person = _managed_person(request, person_id, "Legal hold")
    hold = selectors.legal_holds(person).filter(pk=hold_id, lifted_on__isnull=True).first()
    if hold is None:
        raise Http404("No such hold")

    def save(data):
        services.legal_hold_lift(by=request.user, hold=hold, reason=data["lift_reason"],
                                 lifted_on=data["lifted_on"])  # fmt: skip
        return "Legal hold lifted"

    return _person_form(
        request, person, LiftHoldForm, "privacy/person_form.html", "Lift a legal hold", save,
        {"hold": hold},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def mark_add(request, person_id: UUID):
    person = _managed_person(request, person_id, "Retention")

    def save(data):
        services.record_mark_add(by=request.user, person=person, **data)
        return "Record marked"

    return _person_form(
        request, person, RecordMarkForm, "privacy/person_form.html", "Mark the record", save
    )


# --- Subject access requests ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sar_create(request, person_id: UUID):
    person = _managed_person(request, person_id, "Subject access request")
    form = SARForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.sar_create(by=request.user, person=person, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"Subject access request recorded: due {sar.due_date:%-d %B %Y}"
            )
            return redirect("privacy:sar-detail", sar_id=sar.pk)
    return render(
        request,
        "privacy/person_form.html",
        {"person": person, "form": form, "title": "Record a subject access request"},
    )


@login_required
@require_http_methods(["GET"])
def sar_list(request):
    _manager_only(request)
    requests = list(selectors.sar_list(request.user))
    # The list names each person: log it. A request about a record the manager may not see
    # (sealed) stays on the list as a restricted row.
    people.access_people(
        user=request.user,
        people=[s.person for s in requests],
        purpose="list",
        request=request,
        reason="Subject access requests",
    )
    return render(
        request,
        "privacy/sar_list.html",
        {"requests": requests, "today": timezone.localdate()},
    )


def _sar(request, sar_id: UUID, reason: str):
    _manager_only(request)
    sar = selectors.sar_for(user=request.user, sar_id=sar_id)
    person = selectors.person_for(
        user=request.user, person_id=sar.person_id, action=Action.MANAGE, request=request,
        reason=reason,
    )  # fmt: skip
    return sar, person


@login_required
@require_http_methods(["GET"])
def sar_detail(request, sar_id: UUID):
    sar, person = _sar(request, sar_id, "Subject access request")
    return render(
        request,
        "privacy/sar_detail.html",
        {"sar": sar, "person": person, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sar_extend(request, sar_id: UUID):
    sar, person = _sar(request, sar_id, "Subject access request")
    form = SARExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.sar_extend(by=request.user, sar=sar, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Extended: now due {sar.extended_to:%-d %B %Y}")
            return redirect("privacy:sar-detail", sar_id=sar.pk)
    return render(
        request,
        "privacy/person_form.html",
        {"person": person, "form": form, "title": "Extend by two months", "sar": sar},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sar_close(request, sar_id: UUID):
    sar, person = _sar(request, sar_id, "Subject access request")
    form = SARCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sar_close(by=request.user, sar=sar, **form.cleaned_data)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Request closed")
            return redirect("privacy:sar-detail", sar_id=sar.pk)
    return render(
        request,
        "privacy/person_form.html",
        {"person": person, "form": form, "title": "Close the request", "sar": sar},
    )


@login_required
@require_http_methods(["GET"])
def sar_download(request, sar_id: UUID):
    sar, person = _sar(request, sar_id, f"Subject access export for request {sar_id}")
    data = export.gather(person)
    # Everyone named in the export has their record read: log them too.
    named = list(
        people.person_queryset().filter(
            pk__in=export.third_party_ids(data), authority_id=person.authority_id
        )
    )
    people.access_people(
        user=request.user,
        people=named,
        purpose="view",
        request=request,
        reason=f"Named in the subject access export of {person.pk}",
    )
    # Third parties whose record the manager may not see (a sealed sibling) are withheld:
    # their reference only, never their name.
    export.withhold(data, {p.pk: p.reference for p in named if p.withheld})
    response = HttpResponse(export.to_zip(data), content_type="application/zip")
    response["Content-Disposition"] = attachment(f"subject-access-{person.pk}.zip")
    return response


# --- Retention report -----------------------------------------------------------------------


def _report(request):
    _manager_only(request)
    form = RetentionFilterForm(request.GET or None)
    as_at = timezone.localdate()
    if request.GET and form.is_valid() and form.cleaned_data["as_at"]:
        as_at = form.cleaned_data["as_at"]
    rep = retention.report(authority_id=request.user.agency.authority_id, as_at=as_at)
    shown = [row.person for row in [*rep.due, *rep.held]]
    people.access_people(
        user=request.user, people=shown, purpose="list", request=request, reason="Retention report"
    )
    return form, rep


@login_required
@require_http_methods(["GET"])
def retention_report(request):
    form, rep = _report(request)
    return render(
        request,
        "privacy/retention_report.html",
        {"form": form, "report": rep, "query": request.GET.urlencode()},
    )


@login_required
@require_http_methods(["GET"])
def retention_report_csv(request):
    form, rep = _report(request)
    return csv_response(
        f"retention-review-{rep.as_at.isoformat()}.csv",
        retention.report_rows(rep),
        retention.REPORT_HEADER,
    )
