"""Procedures and learning: the list, one procedure, acknowledging it, publishing, and the
report of who has not acknowledged."""

import contextlib
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.core.csv import csv_response
from safeguard.procedures import forms, permissions, selectors, services
from safeguard.procedures.permissions import Action


def _require(user, action, obj=None):
    if not permissions.can(user, action, obj):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def procedure_list(request):
    _require(request.user, Action.LIST)
    rows = selectors.procedures_for(user=request.user)
    return render(
        request,
        "procedures/list.html",
        {
            "procedures": rows,
            "awaiting": [p for p in rows if p.in_audience and not p.acknowledged],
            "can_publish": permissions.can(request.user, Action.PUBLISH),
            "can_report": permissions.can(request.user, Action.REPORT),
        },
    )


@login_required
@require_http_methods(["GET"])
def procedure_detail(request, procedure_id: UUID):
    procedure = selectors.procedure_for(user=request.user, procedure_id=procedure_id)
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "paragraphs": [p for p in procedure.body.replace("\r", "").split("\n\n") if p.strip()],
            "can_publish": permissions.can(request.user, Action.PUBLISH, procedure),
            "can_report": permissions.can(request.user, Action.REPORT, procedure),
        },
    )


@login_required
@require_http_methods(["POST"])
def procedure_acknowledge(request, procedure_id: UUID):
    procedure = selectors.procedure_for(user=request.user, procedure_id=procedure_id)
    # Someone outside the audience is refused: the page says it is not addressed to them and
    # offers no button, so nothing is written.
    with contextlib.suppress(ValidationError):
        services.procedure_acknowledge(by=request.user, procedure=procedure)
    return redirect("procedures:detail", procedure_id=procedure.pk)


@login_required
@require_http_methods(["GET", "POST"])
def procedure_publish(request):
    _require(request.user, Action.PUBLISH)
    form = forms.ProcedureForm(request.POST or None, authority_id=request.user.authority_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        procedure = services.procedure_publish(
            by=request.user,
            kind=d["kind"],
            title=d["title"],
            body=d["body"],
            step=d["step"],
            roles=d["roles"],
            teams=d["teams"],
        )
        return redirect("procedures:detail", procedure_id=procedure.pk)
    return render(request, "procedures/form.html", {"form": form, "title": "Publish a procedure"})


@login_required
@require_http_methods(["GET", "POST"])
def procedure_revise(request, procedure_id: UUID):
    procedure = selectors.procedure_for(user=request.user, procedure_id=procedure_id)
    _require(request.user, Action.PUBLISH, procedure)
    initial = {
        "title": procedure.title,
        "body": procedure.body,
        "roles": procedure.roles,
        "teams": list(procedure.teams.all()),
    }
    form = forms.ReviseForm(
        request.POST or None, initial=initial, authority_id=request.user.authority_id
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.procedure_revise(
            by=request.user,
            procedure=procedure,
            title=d["title"],
            body=d["body"],
            change_summary=d["change_summary"],
            roles=d["roles"],
            teams=d["teams"],
        )
        return redirect("procedures:detail", procedure_id=procedure.pk)
    return render(
        request,
        "procedures/form.html",
        {"form": form, "title": "Publish a new version", "procedure": procedure},
    )


@login_required
@require_http_methods(["GET"])
def procedure_report(request, procedure_id: UUID):
    procedure = selectors.procedure_for(user=request.user, procedure_id=procedure_id)
    _require(request.user, Action.REPORT, procedure)
    report = selectors.report(user=request.user, procedure=procedure)
    return render(request, "procedures/report.html", {"procedure": procedure, "report": report})


@login_required
@require_http_methods(["GET"])
def procedure_report_csv(request, procedure_id: UUID):
    procedure = selectors.procedure_for(user=request.user, procedure_id=procedure_id)
    _require(request.user, Action.REPORT, procedure)
    report = selectors.report(user=request.user, procedure=procedure)
    rows = (
        [
            r.user.get_full_name() or r.user.username,
            r.user.get_role_display(),
            "; ".join(r.teams),
            procedure.edition,
            r.acknowledged_at.isoformat() if r.acknowledged_at else "",
            r.last_edition or "",
        ]
        for r in report.rows
    )
    # Through core.csv: a member of staff's name cannot run as a formula in a spreadsheet.
    return csv_response(
        "acknowledgements.csv",
        rows,
        ["name", "role", "teams", "version", "acknowledged_at", "last_version_acknowledged"],
    )
