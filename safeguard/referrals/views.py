"""The front door's pages: contacts, their decisions against the threshold of need, referrals
and the list of contacts awaiting a decision. Each view: parse input, get the child through
the access function, call one service or selector, render."""

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.audit.models import AccessPurpose
from safeguard.casework import permissions as case_permissions
from safeguard.casework import selectors as casework
from safeguard.casework.permissions import Action
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import working_days_between
from safeguard.people import permissions as people_permissions
from safeguard.people import selectors as people
from safeguard.referrals import selectors, services
from safeguard.referrals.forms import ContactForm, DecideForm, ReferralForm
from safeguard.referrals.models import Contact, ContactOutcome

FRONT_DOOR_LIMIT = 200


def _form_error(form, error: ApplicationError) -> None:
    submission.form_error(form, error)


def _save(request, form, save: Callable[[dict], object], success: str):
    """Call ``save`` with a valid POST's data and return what it made, or None when the form
    must be shown again, with the service's refusal on it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        made = save(form.cleaned_data)
    except ApplicationError as error:
        _form_error(form, error)
        return None
    messages.success(request, success)
    return made


def _child(request, person_id: UUID, action: Action = Action.RECORD):
    """The child, for a front-door page. The front door is part of the case file: partners
    are turned away before the read is logged, as ``casework.selectors.access_case`` does."""
    user = request.user
    if not case_permissions.can(user, Action.VIEW, authority_id=user.authority_id):
        raise Http404("No such record")
    purpose = AccessPurpose.VIEW if action == Action.VIEW else AccessPurpose.EDIT
    child = people.access_person(user=user, person_id=person_id, purpose=purpose, request=request)
    if not case_permissions.can(user, Action.VIEW, authority_id=child.authority_id):
        raise Http404("No such record")
    if action != Action.VIEW and not case_permissions.can(
        user, action, authority_id=child.authority_id
    ):
        raise PermissionDenied("You cannot record at the front door")
    return child


def _earlier_referrals(child, on):
    # Up to and including ``on``: a referral the same day is still an earlier one to see.
    return list(selectors.earlier_referrals(child, before=on + timedelta(days=1)))


@login_required
@require_http_methods(["GET"])
def front_door(request):
    user = request.user
    if not case_permissions.can(user, Action.VIEW, authority_id=user.authority_id):
        raise PermissionDenied("The front door is for children's social care")
    today = timezone.localdate()
    waiting = list(
        Contact.objects.filter(authority_id=user.authority_id, outcome="")
        .select_related("child", "created_by")
        .order_by("contact_date", "created_at")[:FRONT_DOOR_LIMIT]
    )
    visible = set(
        people_permissions.visible_to(user)
        .filter(pk__in={c.child_id for c in waiting})
        .values_list("pk", flat=True)
    )
    waiting = [c for c in waiting if c.child_id in visible]
    people.access_people(
        user=user,
        people=list({c.child_id: c.child for c in waiting}.values()),
        purpose=AccessPurpose.LIST,
        request=request,
        reason="Awaiting a front-door decision",
    )
    rows = [{"contact": c, "waiting": working_days_between(c.contact_date, today)} for c in waiting]
    context = {
        "rows": rows,
        "limit": FRONT_DOOR_LIMIT,
        "can_record": case_permissions.can(user, Action.RECORD, authority_id=user.authority_id),
        # Analysts see who waits and for how long, not why (issue 11, item 12).
        "can_read_narrative": case_permissions.can(
            user, Action.READ_NARRATIVE, authority_id=user.authority_id
        ),
    }
    return render(request, "referrals/front_door.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request, person_id: UUID):
    child = _child(request, person_id)
    form = ContactForm(request.POST or None, initial={"contact_date": timezone.localdate()})

    def save(data):
        return services.contact_record(by=request.user, child=child, **data)

    contact = _save(request, form, save, "Contact recorded")
    if contact is not None:
        return redirect("referrals:contact-decide", contact_id=contact.pk)
    return render(request, "referrals/contact_form.html", {"form": form, "child": child})


@login_required
@require_http_methods(["GET", "POST"])
def contact_decide(request, contact_id: UUID):
    contact = (
        Contact.objects.select_related("level", "decided_by", "manager", "created_by")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404("No such contact")
    contact.child = _child(request, contact.child_id)
    context = {
        "contact": contact,
        "child": contact.child,
        "earlier": _earlier_referrals(contact.child, contact.contact_date),
    }
    # A decision posted after someone else decided is shown as a conflict (409), with the
    # user's entries kept, rather than dropped.
    if contact.is_decided and "version" not in request.POST:
        context["can_refer"] = contact.outcome == ContactOutcome.REFERRAL and not hasattr(
            contact, "referral"
        )
        return render(request, "referrals/contact_decided.html", context)
    levels = list(selectors.threshold_levels(contact.authority_id))
    form = DecideForm(
        request.POST or None,
        levels=levels,
        authority=contact.authority_id,
        initial={"decision_date": timezone.localdate()},
    )
    versioned(form, contact)

    def save(data):
        return services.contact_decide(
            by=request.user,
            contact=contact,
            level=data["level"],
            indicators=list(data["indicators"]),
            rationale=data["rationale"],
            outcome=data["outcome"],
            decision_date=data["decision_date"],
            manager=data["manager"],
            manager_reason=data["manager_reason"],
            version=data.get("version"),
        )

    if _save(request, form, save, "Decision recorded") is not None:
        return redirect("referrals:contact-decide", contact_id=contact.pk)
    return render(request, "referrals/contact_decide.html", context | {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, person_id: UUID):
    child = _child(request, person_id)
    contact = None
    if raw_contact_id := request.GET.get("contact"):
        try:
            contact_id = UUID(raw_contact_id)
        except ValueError:
            raise Http404("No such contact") from None
        contact = Contact.objects.filter(pk=contact_id, child_id=child.pk).first()
        if contact is None:
            raise Http404("No such contact")
    today = timezone.localdate()
    initial = {
        "received_date": contact.contact_date if contact else today,
        "source": contact.source if contact else "",
        "decision_date": today,
    }
    form = ReferralForm(request.POST or None, initial=initial)

    def save(data):
        return services.referral_record(by=request.user, child=child, contact=contact, **data)

    referral = _save(request, form, save, "Referral recorded: the case is open")
    if referral is not None:
        return redirect("casework:case-detail", case_id=referral.case_id)
    context = {
        "form": form,
        "child": child,
        "contact": contact,
        "open_case": casework.open_case_of(child),
        "earlier": _earlier_referrals(child, today),
        "action": reverse("referrals:referral-new", kwargs={"person_id": child.pk})
        + (f"?contact={contact.pk}" if contact else ""),
    }
    return render(request, "referrals/referral_form.html", context)
