"""Data protection pages: a person's access history, subject access requests, retention and
legal holds. Thin: parse, read through the access function, call one service, render."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.core import submission
from safeguard.core.csv import csv_response
from safeguard.core.downloads import attachment
from safeguard.core.submission import posted
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


def _person_page(request, person, form, title: str, save, success: str, extra=None):
    """A form about one person's retention (a hold, a mark): saved, back to the person's
    retention page; else shown again."""
    if submission.submit(request, form, save, success=success):
        return redirect("privacy:person-retention", person_id=person.pk)
    context = {"person": person, "form": form, "title": title, **(extra or {})}
    return render(request, "privacy/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hold_place(request, person_id: UUID):
    person = _managed_person(request, person_id, "Legal hold")
    return _person_page(
        request,
        person,
        LegalHoldForm(posted(request)),
        "Place a legal hold",
        lambda d: services.legal_hold_place(by=request.user, person=person, **d),
        "Legal hold placed",
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_lift(request, person_id: UUID, hold_id: UUID):
    person = _managed_person(request, person_id, "Legal hold")
    hold = selectors.open_legal_hold(person, hold_id)
    if hold is None:
        raise Http404("No such hold")
    return _person_page(
        request,
        person,
        LiftHoldForm(posted(request)),
        "Lift a legal hold",
        lambda d: services.legal_hold_lift(
            by=request.user, hold=hold, reason=d["lift_reason"], lifted_on=d["lifted_on"]
        ),
        "Legal hold lifted",
        {"hold": hold},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mark_add(request, person_id: UUID):
    person = _managed_person(request, person_id, "Retention")
    return _person_page(
        request,
        person,
        RecordMarkForm(posted(request)),
        "Mark the record",
        lambda d: services.record_mark_add(by=request.user, person=person, **d),
        "Record marked",
    )


# --- Subject access requests ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sar_create(request, person_id: UUID):
    person = _managed_person(request, person_id, "Subject access request")
    form = SARForm(posted(request))
    if sar := submission.submit(
        request,
        form,
        lambda d: services.sar_create(by=request.user, person=person, **d),
        success=lambda sar: f"Subject access request recorded: due {sar.due_date:%-d %B %Y}",
    ):
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
    # (sealed) stays on the list as a restricted row: so ``access_people``, which withholds
    # such a row, not ``show_rows``, which would drop it.
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
    form = SARExtendForm(posted(request))
    if extended := submission.submit(
        request,
        form,
        lambda d: services.sar_extend(by=request.user, sar=sar, **d),
        success=lambda extended: f"Extended: now due {extended.extended_to:%-d %B %Y}",
    ):
        return redirect("privacy:sar-detail", sar_id=extended.pk)
    return render(
        request,
        "privacy/person_form.html",
        {"person": person, "form": form, "title": "Extend by two months", "sar": sar},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sar_close(request, sar_id: UUID):
    sar, person = _sar(request, sar_id, "Subject access request")
    form = SARCloseForm(posted(request))
    if submission.submit(
        request,
        form,
        lambda d: services.sar_close(by=request.user, sar=sar, **d),
        success="Request closed",
    ):
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
    named = selectors.people_named(person, export.third_party_ids(data))
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
    # Every record due for review must be on the report, sealed or not: a sealed one is
    # withheld to a restricted row (``access_people``), never dropped (``show_rows``).
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
