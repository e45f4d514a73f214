"""Pages of referrals to services (issue 19 items 3 and 4): refer a child, the referral's page
with its status changes as separate small forms, and the services' waiting times. Each view:
get the child or the referral through the access functions in ``referral_selectors``, parse
the form, call one service, render or redirect."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.casework.selectors import open_case_of
from safeguard.core import submission
from safeguard.core.concurrency import seen_version, versioned
from safeguard.core.csv import csv_response
from safeguard.core.submission import posted
from safeguard.directory import permissions
from safeguard.directory import referral_selectors as selectors
from safeguard.directory import referral_services as services
from safeguard.directory.codes import ReferralStatus
from safeguard.directory.permissions import Action
from safeguard.directory.referral_forms import (
    DecisionForm,
    EndForm,
    ReferralSendForm,
    StartForm,
    WithdrawForm,
)


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, person_id: UUID):
    user = request.user
    child = selectors.access_child_to_refer(user=user, person_id=person_id, request=request)
    today = timezone.localdate()
    choices = (
        permissions.visible_to(user)
        .current(today)
        .filter(authority_id=child.authority_id, accepting_referrals=True)
        .order_by("name")
    )
    initial = {}
    if chosen := selectors.referrable_service(user, request.GET.get("service")):
        initial["service"] = chosen.pk
    form = ReferralSendForm(posted(request), services=choices, initial=initial)
    case = open_case_of(child)

    def save(data):
        return services.service_referral_send(by=user, child=child, case=case, **data)

    referral = submission.submit(request, form, save, success="Referral sent")
    if referral is not None:
        return redirect("service_referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "directory/referral_new.html",
        {"form": form, "child": child, "case": case, "chosen": chosen},
    )


# The status changes, each its own small form (prefix: form, the statuses it applies to).
STEPS = {
    "decide": (DecisionForm, (ReferralStatus.SENT,)),
    "start": (StartForm, (ReferralStatus.ACCEPTED,)),
    "end": (EndForm, (ReferralStatus.STARTED,)),
    "withdraw": (WithdrawForm, (ReferralStatus.SENT, ReferralStatus.ACCEPTED)),
}


def _save_step(step: str, *, by, referral, data: dict):
    version = seen_version(data)
    if step == "decide":
        if data["decision"] == "declined":
            return services.service_referral_decline(
                by=by, referral=referral, decided_on=data["decided_on"], reason=data["reason"],
                version=version,
            )  # fmt: skip
        return services.service_referral_accept(
            by=by, referral=referral, decided_on=data["decided_on"], version=version
        )
    if step == "start":
        return services.service_referral_start(
            by=by, referral=referral, started_on=data["started_on"], version=version
        )
    if step == "end":
        return services.service_referral_end(
            by=by, referral=referral, ended_on=data["ended_on"], outcome=data["outcome"],
            notes=data["notes"], version=version,
        )  # fmt: skip
    return services.service_referral_withdraw(
        by=by, referral=referral, reason=data["withdrawn_reason"], version=version
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_detail(request, referral_id: UUID):
    user = request.user
    is_post = request.method == "POST"
    referral = selectors.access_service_referral(
        user=user, referral_id=referral_id, request=request, edit=is_post
    )
    # The step posted: the one whose version came with the form.
    step_posted = next((s for s in STEPS if f"{s}-version" in request.POST), None)
    if is_post and step_posted is None:
        raise Http404("No such change")
    today = timezone.localdate()
    forms = {}
    for step, (form_class, statuses) in STEPS.items():
        if step != step_posted and referral.status not in statuses:
            continue
        data = posted(request) if step == step_posted else None
        initial = (
            {}
            if step == "withdraw"
            else dict.fromkeys(("decided_on", "started_on", "ended_on"), today)
        )
        form = versioned(form_class(data, prefix=step, initial=initial), referral)
        forms[step] = form
    if step_posted is not None:

        def save(data):
            return _save_step(step_posted, by=user, referral=referral, data=data)

        if submission.submit(request, forms[step_posted], save, success="Referral updated"):
            return redirect("service_referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "directory/referral_detail.html",
        {"referral": referral, "child": referral.child, "forms": forms, "step_posted": step_posted},
    )


WAITS_HEADER = [
    "Service", "Provided by", "Referrals sent", "Accepted", "Declined",
    "Median days from sent to started", "Longest days from sent to started",
]  # fmt: skip


@login_required
@require_http_methods(["GET"])
def waiting_times(request):
    """Every service's referrals and waits over the last 12 months: figures, never a child."""
    user = request.user
    if not permissions.can(user, Action.VIEW):
        raise Http404("No such page")
    today = timezone.localdate()
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.SORTS else "name"
    descending = request.GET.get("order") == "desc"
    rows = selectors.waiting_times(user, on=today, sort=sort, descending=descending)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"service-waiting-times-{today:%Y-%m-%d}.csv",
            (
                [
                    r.service.name, r.service.organisation,
                    *(("", "", "", "", "") if r.waits is None else (
                        r.waits.sent, r.waits.accepted, r.waits.declined,
                        "" if r.waits.median_days is None else f"{r.waits.median_days:g}",
                        "" if r.waits.longest_days is None else r.waits.longest_days,
                    )),
                ]
                for r in rows
            ),
            WAITS_HEADER,
        )  # fmt: skip
    columns = [
        {"key": key, "label": label, "sorted": key == sort,
         "next": "asc" if key == sort and descending else ("desc" if key == sort else "asc")}
        for key, label in selectors.SORTS.items()
    ]  # fmt: skip
    return render(
        request,
        "directory/referral_waiting_times.html",
        {"rows": rows, "columns": columns, "sort": sort, "descending": descending, "today": today},
    )
