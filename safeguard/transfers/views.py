"""Pages of transfers between teams: asking for one (the handover), reading it, the
receiving manager's decision, and the managers' list with transfer times. Each view gets its
case or transfer through the access functions of ``selectors``."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.submission import posted
from safeguard.transfers import permissions, selectors, services
from safeguard.transfers.forms import ACCEPT, TransferDecisionForm, TransferRequestForm
from safeguard.transfers.permissions import Action


@login_required
@require_http_methods(["GET", "POST"])
def transfer_request(request, case_id: UUID):
    case = selectors.access_case_to_transfer(user=request.user, case_id=case_id, request=request)
    pending = selectors.pending_transfer(case)
    teams = selectors.receiving_teams(case)
    form = TransferRequestForm(
        posted(request), teams=teams, initial={"next_due": selectors.due_lines(case)}
    )

    def save(data):
        return services.transfer_request(by=request.user, case=case, **data)

    if made := submission.submit(request, form, save, success="Transfer requested"):
        return redirect("transfers:detail", transfer_id=made.pk)
    return render(
        request,
        "transfers/request.html",
        {"form": form, "case": case, "child": case.child, "pending": pending, "teams": teams},
    )


def _detail(request, transfer, form=None):
    can_decide = transfer.is_pending and permissions.can(request.user, Action.DECIDE, transfer)
    if can_decide and form is None:
        # The decision is made on the transfer's own page: the form posts to ``decide``.
        form = versioned(
            TransferDecisionForm(workers=selectors.receiving_staff(transfer)), transfer
        )
    return render(
        request,
        "transfers/detail.html",
        {
            "transfer": transfer,
            "case": transfer.case,
            "child": transfer.case.child,
            "can_decide": can_decide,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET"])
def transfer_detail(request, transfer_id: UUID):
    transfer = selectors.access_transfer(
        user=request.user, transfer_id=transfer_id, request=request
    )
    return _detail(request, transfer)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_decide(request, transfer_id: UUID):
    transfer = selectors.access_transfer(
        user=request.user, transfer_id=transfer_id, request=request, action=Action.DECIDE
    )
    if not transfer.is_pending:
        raise PermissionDenied("This transfer has already been decided")
    form = TransferDecisionForm(posted(request), workers=selectors.receiving_staff(transfer))
    versioned(form, transfer)

    def save(data):
        decision, version = data.pop("decision"), data.pop("version", None)
        if decision == ACCEPT:
            return services.transfer_accept(
                by=request.user, transfer=transfer, version=version, **data
            )
        return services.transfer_return(
            by=request.user, transfer=transfer, reason=data["reason"], version=version
        )

    if submission.submit(request, form, save, success="Decision on the transfer recorded"):
        return redirect("transfers:detail", transfer_id=transfer.pk)
    return _detail(request, transfer, form)


@login_required
@require_http_methods(["GET"])
def transfer_list(request):
    if not permissions.can(request.user, Action.LIST, authority_id=request.user.authority_id):
        raise PermissionDenied("The list of transfers is for team and service managers")
    shown = selectors.transfers_for(user=request.user, request=request)
    return render(request, "transfers/list.html", {"shown": shown})
