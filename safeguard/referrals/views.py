"""The front door's pages: contacts, their decisions against the threshold of need, referrals
and the list of contacts awaiting a decision. Each view: parse input, get the child or the
contact through the access functions (``selectors``), call one service or selector, render."""

from datetime import timedelta
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.casework import selectors as casework
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.submission import posted
from safeguard.referrals import permissions, selectors, services
from safeguard.referrals.forms import ContactForm, DecideForm, ReferralForm
from safeguard.referrals.models import ContactOutcome, ReferralDecision
from safeguard.referrals.permissions import Action
from safeguard.referrals.selectors import FRONT_DOOR_LIMIT

# What higher apps add to the front door's page: a function of the request returning extra
# context (the partners' referrals still to record: ``partners/apps.py``; decision 0050).
_FRONT_DOOR_CONTEXT: list = []


def register_front_door_context(extra) -> None:
    if extra not in _FRONT_DOOR_CONTEXT:
        _FRONT_DOOR_CONTEXT.append(extra)


def _earlier_referrals(child, on):
    # Up to and including ``on``: a referral the same day is still an earlier one to see.
    return list(selectors.earlier_referrals(child, before=on + timedelta(days=1)))


@login_required
@require_http_methods(["GET"])
def front_door(request):
    user = request.user
    if not permissions.can(user, Action.VIEW, authority_id=user.authority_id):
        raise PermissionDenied("The front door is for children's social care")
    waiting = selectors.awaiting_decision(user=user, request=request)
    hours = user.agency.authority.red_contact_decision_hours
    rows = selectors.front_door_rows(waiting, hours=hours, now=timezone.now())
    context = {
        "rows": rows,
        "red_hours": hours,
        "limit": FRONT_DOOR_LIMIT,
        "can_record": permissions.can(user, Action.RECORD, authority_id=user.authority_id),
        # Analysts see who waits and for how long, not why (issue 11, item 12).
        "can_read_narrative": permissions.can(
            user, Action.READ_NARRATIVE, authority_id=user.authority_id
        ),
    }
    for extra in _FRONT_DOOR_CONTEXT:
        context.update(extra(request))
    return render(request, "referrals/front_door.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request, person_id: UUID):
    # The front door is part of the case file: partners are turned away before the read.
    child = casework.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.RECORD
    )
    form = ContactForm(posted(request), initial={"contact_date": timezone.localdate()})
    contact = submission.submit(
        request,
        form,
        lambda data: services.contact_record(by=request.user, child=child, **data),
        success="Contact recorded",
    )
    if contact is not None:
        return redirect("referrals:contact-decide", contact_id=contact.pk)
    return render(request, "referrals/contact_form.html", {"form": form, "child": child})


@login_required
@require_http_methods(["GET", "POST"])
def contact_decide(request, contact_id: UUID):
    contact = selectors.access_contact(
        user=request.user, contact_id=contact_id, request=request, action=Action.RECORD
    )
    context = {
        "contact": contact,
        "child": contact.child,
        "earlier": _earlier_referrals(contact.child, contact.contact_date),
        "can_read_narrative": permissions.can(request.user, Action.READ_NARRATIVE, contact),
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
        posted(request),
        levels=levels,
        authority=contact.authority_id,
        initial={"decision_date": timezone.localdate(), "priority": contact.priority},
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
            priority=data["priority"],
            priority_reason=data["priority_reason"],
        )

    if submission.submit(request, form, save, success="Decision recorded"):
        return redirect("referrals:contact-decide", contact_id=contact.pk)
    return render(request, "referrals/contact_decide.html", context | {"form": form})


@login_required
@require_http_methods(["GET"])
def contact_detail(request, contact_id: UUID):
    """One contact, read-only (issue 16 item 5): what was received, the decision with its
    rationale, and what followed. The reasons are for those who read narrative; analysts see
    the dates, source, level and outcome."""
    contact = selectors.contact_page(user=request.user, contact_id=contact_id, request=request)
    return render(
        request,
        "referrals/contact_detail.html",
        {
            "contact": contact,
            "child": contact.child,
            "can_read_narrative": permissions.can(request.user, Action.READ_NARRATIVE, contact),
            "can_decide": not contact.is_decided
            and permissions.can(request.user, Action.RECORD, contact),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, person_id: UUID):
    # The front door is part of the case file: partners are turned away before the read.
    child = casework.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.RECORD
    )
    contact = None
    if raw_contact_id := request.GET.get("contact"):
        try:
            contact_id = UUID(raw_contact_id)
        except ValueError:
            raise Http404("No such contact") from None
        contact = selectors.contact_of_child(child, contact_id)
    today = timezone.localdate()
    initial = {
        "received_date": contact.contact_date if contact else today,
        "source": contact.source if contact else "",
        "decision_date": today,
        "priority": contact.priority if contact else "",
    }
    form = ReferralForm(posted(request), initial=initial)
    referral = submission.submit(
        request,
        form,
        lambda data: services.referral_record(
            by=request.user, child=child, contact=contact, **data
        ),
        success=lambda made: (
            "Referral recorded: no further action is sent to your manager to authorise, "
            "and the case stays open until then"
            if made.decision == ReferralDecision.NO_FURTHER_ACTION and not made.case.referral_nfa
            else "Referral recorded: the case is open"
        ),
    )
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
