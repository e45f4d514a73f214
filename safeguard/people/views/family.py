"""The family network: alert flags on adults and the genogram and household view
(issue 16 item 6, decision 0048)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.core import submission
from safeguard.core.submission import posted
from safeguard.people import permissions, selectors, services
from safeguard.people.forms import AlertEndForm, AlertForm
from safeguard.people.permissions import Action


@login_required
@require_http_methods(["GET", "POST"])
def alert_add(request, person_id: UUID):
    person = selectors.person_for_edit(user=request.user, person_id=person_id, request=request)
    if not permissions.can(request.user, Action.RAISE_ALERT, person):
        raise PermissionDenied("You cannot raise an alert on this record")
    today = timezone.localdate()
    form = AlertForm(posted(request), initial={"raised_on": today})
    if submission.submit(
        request,
        form,
        lambda d: services.alert_raise(by=request.user, person=person, **d),
        success="Alert raised",
    ):
        return redirect("people:detail", person_id=person.pk)
    return render(
        request,
        "people/alert_form.html",
        {"form": form, "person": person, "title": "Raise an alert", "button": "Raise the alert"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_end(request, alert_id: UUID):
    alert = selectors.alert_for_edit(user=request.user, alert_id=alert_id, request=request)
    form = AlertEndForm(posted(request), initial={"ended_on": timezone.localdate()})
    if submission.submit(
        request,
        form,
        lambda d: services.alert_end(by=request.user, alert=alert, **d),
        success="Alert ended",
    ):
        return redirect("people:detail", person_id=alert.person_id)
    return render(
        request,
        "people/alert_form.html",
        {
            "form": form,
            "person": alert.person,
            "alert": alert,
            "title": "End an alert",
            "button": "End the alert",
        },
    )


@login_required
@require_http_methods(["GET"])
def family(request, person_id: UUID):
    person = selectors.access_person(
        user=request.user, person_id=person_id, purpose=AccessPurpose.VIEW, request=request
    )
    today = timezone.localdate()
    network = selectors.genogram(user=request.user, person=person, on=today, request=request)
    return render(
        request,
        "people/family.html",
        {"person": person, "today": today, "network": network, "node_w": 170, "node_h": 74},
    )
