"""The directory of services: search and browse, a service's page, keeping entries (add,
change, mark as checked, end), the directory editors, and the Open Referral UK export and
import. Thin views: parse, access, one service or selector, render."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.core.concurrency import seen_version, versioned
from safeguard.core.downloads import attachment
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import form_error, posted, submit
from safeguard.directory import forms, oruk, permissions, selectors, services
from safeguard.directory.permissions import Action


def _require(user, action: Action, obj=None) -> None:
    if not permissions.can(user, action, obj):
        raise PermissionDenied


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@login_required
@require_http_methods(["GET"])
def search(request):
    _require(request.user, Action.VIEW)
    today = timezone.localdate()
    levels = selectors.level_names(request.user.authority_id)
    form = forms.SearchForm(request.GET or None, levels=levels)
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.Filters(
            text=d["text"], kind=d["kind"], age=d["age"], district=d["district"],
            level=d["level"], need=d["need"], currency=d["currency"],
        )  # fmt: skip
    page = selectors.directory_search(request.user, filters, on=today, number=_page_number(request))
    query = {k: v for k, v in request.GET.items() if k != "page" and v} if form.is_valid() else {}
    return render(
        request,
        "directory/service_search.html",
        {
            "form": form,
            "page": page,
            "searched": bool(query),
            "previous_query": urlencode(query | {"page": page.number - 1})
            if page.has_previous
            else "",
            "next_query": urlencode(query | {"page": page.number + 1}) if page.has_next else "",
            "can_edit": permissions.can(request.user, Action.EDIT),
            "can_appoint": permissions.can(request.user, Action.APPOINT),
        },
    )


@login_required
@require_http_methods(["GET"])
def service_detail(request, service_id: UUID):
    today = timezone.localdate()
    service = selectors.access_service(request.user, service_id, on=today)
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "history": selectors.service_history(service),
            "can_edit": permissions.can(request.user, Action.EDIT, service),
            "check_form": versioned(forms.CheckForm(), service),
        },
    )


def _service_values(data: dict) -> dict:
    return {name: data.get(name) for name in services.FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request):
    _require(request.user, Action.EDIT)
    levels = selectors.level_names(request.user.authority_id)
    form = forms.ServiceForm(posted(request), levels=levels, initial={"accepting_referrals": True})
    made = submit(
        request, form,
        lambda d: services.service_add(by=request.user, **_service_values(d)),
        success="The service has been added to the directory",
    )  # fmt: skip
    if made:
        return redirect("directory:service", service_id=made.pk)
    return render(request, "directory/service_form.html", {"form": form, "title": "Add a service"})


@login_required
@require_http_methods(["GET", "POST"])
def service_change(request, service_id: UUID):
    service = selectors.access_service(request.user, service_id)
    _require(request.user, Action.EDIT, service)
    levels = selectors.level_names(request.user.authority_id)
    form = versioned(
        forms.ServiceForm(
            posted(request), levels=levels, initial=forms.ServiceForm.initial_for(service)
        ),
        service,
    )

    def save(d):
        version = seen_version(d)
        return services.service_change(
            by=request.user, service=service, version=version, **_service_values(d)
        )

    if submit(request, form, save, success="The service's details have been changed"):
        return redirect("directory:service", service_id=service.pk)
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "title": "Change the service's details", "service": service},
    )


@login_required
@require_POST
def service_check(request, service_id: UUID):
    service = selectors.access_service(request.user, service_id)
    _require(request.user, Action.EDIT, service)
    form = versioned(forms.CheckForm(request.POST), service)
    if form.is_valid():
        try:
            services.service_check(
                by=request.user, service=service, version=seen_version(form.cleaned_data)
            )
            messages.success(request, "The service has been marked as checked today")
        except ApplicationError as error:
            messages.error(request, error.message)
    return redirect("directory:service", service_id=service.pk)


@login_required
@require_http_methods(["GET", "POST"])
def service_end(request, service_id: UUID):
    service = selectors.access_service(request.user, service_id)
    _require(request.user, Action.EDIT, service)
    form = versioned(forms.EndForm(posted(request)), service)

    def save(d):
        return services.service_end(
            by=request.user, service=service, version=seen_version(d),
            ended_on=d["ended_on"], reason=d["reason"],
        )  # fmt: skip

    if submit(request, form, save, success="The service has been ended"):
        return redirect("directory:service", service_id=service.pk)
    return render(request, "directory/service_end.html", {"form": form, "service": service})


@login_required
@require_http_methods(["GET", "POST"])
def editors(request):
    _require(request.user, Action.APPOINT)
    form = forms.AppointForm(posted(request), staff=selectors.appointable_staff(request.user))
    made = submit(
        request, form,
        lambda d: services.editor_appoint(by=request.user, user=d["user"]),
        success=lambda e: f"{e.user.get_full_name() or e.user.username} is now a directory editor",
    )  # fmt: skip
    if made:
        return redirect("directory:editors")
    return render(
        request,
        "directory/editors.html",
        {"form": form, "editors": selectors.editors(request.user), "me": request.user},
    )


@login_required
@require_POST
def editor_end(request, editor_id: int):
    editor = selectors.access_editor(request.user, editor_id)
    try:
        services.editor_end(by=request.user, editor=editor)
        messages.success(request, "The appointment has ended")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("directory:editors")


@login_required
@require_http_methods(["GET"])
def export(request):
    _require(request.user, Action.EDIT)
    authority_id = request.user.authority_id
    document = oruk.export(
        selectors.all_services(authority_id), selectors.level_names(authority_id)
    )
    response = HttpResponse(oruk.dumps(document), content_type="application/json")
    response["Content-Disposition"] = attachment(f"directory-{timezone.localdate():%Y-%m-%d}.json")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    _require(request.user, Action.EDIT)
    form = forms.ImportForm(posted(request), request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"] or form.cleaned_data["text"]
        confirmed = not form.cleaned_data["file"]
        try:
            outcome = services.directory_import(
                by=request.user,
                authority=request.user.agency.authority,
                text=text,
                dry_run=not confirmed,
            )
        except oruk.FileRefused as refused:
            form_error(form, refused)
            context["reasons"] = refused.reasons
            return render(request, "directory/import.html", context, status=400)
        except ApplicationError as error:
            form_error(form, error)
            return render(request, "directory/import.html", context, status=400)
        if confirmed:
            messages.success(
                request,
                f"Imported: {len(outcome.added)} added, {len(outcome.changed)} changed, "
                f"{outcome.unchanged} unchanged",
            )
            return redirect("directory:search")
        context |= {
            "outcome": outcome,
            "confirm_form": forms.ImportForm(initial={"text": text}),
        }
        return render(request, "directory/import_preview.html", context)
    return render(request, "directory/import.html", context)
