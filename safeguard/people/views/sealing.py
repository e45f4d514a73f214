"""Sealed records: the "This record is restricted" page, and sealing a record, naming who may
see it and lifting the seal (docs/decisions/0005-sealed-records.md)."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.core import submission
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import posted
from safeguard.people import permissions, selectors, services
from safeguard.people.forms import BreakGlassForm, SealForm, SealMemberForm, UnsealForm
from safeguard.people.permissions import Action


def restricted(request, person):
    """The "This record is restricted" page, shown instead of any page about a sealed record
    the user may know of but not see (``people.middleware``). Nothing of the record is shown:
    only its neutral reference and, for social care staff, the break-glass form."""
    can_break = permissions.can(request.user, Action.BREAK_GLASS, person)
    form = BreakGlassForm(initial={"next": request.get_full_path()}) if can_break else None
    return render(
        request,
        "people/restricted.html",
        {
            "reference": person.reference,
            "person_id": person.pk,
            "form": form,
            "minutes": settings.SAFEGUARD_BREAK_GLASS_MINUTES,
        },
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seal(request, person_id: UUID):
    """Seal a record, or (once sealed) manage who may see it and lift the seal."""
    person, can_view = selectors.person_for_seal(
        user=request.user, person_id=person_id, request=request
    )
    current = permissions.open_seal(person)
    candidates = services.seal_member_candidates(person)
    data = posted(request)
    action = data.get("action", "") if data is not None else ""
    seal_form = unseal_form = member_form = None
    if current is None:
        owners = [u.pk for u in services.record_owners(person) if u.pk != request.user.pk]
        seal_form = SealForm(
            data, candidates=candidates.exclude(pk=request.user.pk), initial={"members": owners}
        )
        if submission.submit(
            request,
            seal_form,
            lambda d: services.person_seal(
                by=request.user, person=person, reason=d["reason"], members=d["members"]
            ),
            success="The record is sealed",
        ):
            return redirect("people:seal", person_id=person.pk)
    else:
        named = current.members.values("user_id")
        unseal_form = UnsealForm(data if action == "unseal" else None)
        member_form = SealMemberForm(
            data if action == "add" else None, candidates=candidates.exclude(pk__in=named)
        )
        if action == "unseal" and submission.submit(
            request,
            unseal_form,
            lambda d: services.person_unseal(by=request.user, person=person, reason=d["reason"]),
            success="The seal is lifted",
        ):
            return redirect("people:detail", person_id=person.pk)
        if action == "add" and submission.submit(
            request,
            member_form,
            lambda d: services.seal_member_add(by=request.user, person=person, user=d["user"]),
            success=lambda member: f"{member.user} may now see the record",
        ):
            return redirect("people:seal", person_id=person.pk)
        if action == "remove" and _remove_member(request, person, current):
            return redirect("people:seal", person_id=person.pk)
    members = current.members.select_related("user").order_by("user__last_name") if current else []
    return render(
        request,
        "people/seal.html",
        {
            "person": person,
            "can_view": can_view,
            "seal": current,
            "members": members,
            "seal_form": seal_form,
            "unseal_form": unseal_form,
            "member_form": member_form,
        },
    )


def _remove_member(request, person, current) -> bool:
    """Remove the member named in the POST. There is no form to show a refusal on (each
    member has a button), so a refusal is shown as an error message."""
    try:
        user = selectors.named_on_seal(current, request.POST.get("user"))
        if user is None:
            raise ApplicationError("Choose someone who is named")
        services.seal_member_remove(by=request.user, person=person, user=user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, f"{user} is no longer named")
    return True
