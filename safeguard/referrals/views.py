"""The front door's pages: contacts, their decisions against the threshold of need, referrals
and the list of contacts awaiting a decision. Each view: parse input, get the child or the
contact through the access functions (``selectors``), call one service or selector, render."""

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

from safeguard.casework import selectors as casework
from safeguard.core import submission
from safeguard.core.concurrency import versioned
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import form_error, posted
from safeguard.referrals import permissions, selectors, services
from safeguard.referrals.forms import (
    ContactForm,
    ContactGroupForm,
    DecideForm,
    GroupDecideForm,
    ReferralForm,
)
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


# --- A contact about several children of a family (decision 0065) ------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contact_group_new(request, person_id: UUID):
    # As a contact about one child: partners are turned away before the read.
    child = casework.access_child(
        user=request.user, person_id=person_id, request=request, action=Action.RECORD
    )
    today = timezone.localdate()
    offered, hidden = selectors.family_for_contact(
        user=request.user, child=child, on=today, request=request
    )
    form = ContactGroupForm(posted(request), offered=offered, initial={"contact_date": today})

    def save(data):
        fields = {name: value for name, value in data.items() if name != "children"}
        children = [child, *data["children"]]
        return services.contact_group_record(by=request.user, children=children, **fields)

    group = submission.submit(
        request,
        form,
        save,
        success=lambda made: f"Contact recorded for {made.contacts.count()} children",
    )
    if group is not None:
        return redirect("referrals:contact-group-decide", group_id=group.pk)
    context = {"form": form, "child": child, "offered": offered, "hidden": hidden}
    return render(request, "referrals/contact_group_form.html", context)


def _prefix(contact) -> str:
    # Each child's part of the page, named by its contact so that it keeps its name when
    # another child's contact is decided meanwhile.
    return f"c{contact.pk.hex[:12]}"


@login_required
@require_http_methods(["GET", "POST"])
def contact_group_decide(request, group_id: UUID):
    group = selectors.access_contact_group(
        user=request.user, group_id=group_id, request=request, action=Action.RECORD
    )
    today = timezone.localdate()
    children = [contact.child for contact in group.shown]
    levels = list(selectors.threshold_levels(group.authority_id))
    open_cases = selectors.open_cases_of(children)
    earlier = selectors.earlier_referrals_of(children, before=today + timedelta(days=1))
    parts, managers = [], None
    for contact in group.shown:
        # A child decided meanwhile elsewhere keeps their part when it was posted, so that
        # the refusal is shown with the typing rather than the typing dropped.
        posted_here = f"{_prefix(contact)}-version" in request.POST
        if contact.is_decided and not posted_here:
            continue
        form = GroupDecideForm(
            posted(request),
            prefix=_prefix(contact),
            levels=levels,
            authority=group.authority_id,
            initial={"decision_date": today, "priority": contact.priority},
        )
        versioned(form, contact)
        managers = form.manager_choices(managers)
        parts.append(
            {
                "contact": contact,
                "child": contact.child,
                "form": form,
                "open_case": open_cases.get(contact.child_id),
                "earlier": earlier.get(contact.child_id, []),
            }
        )
    refused = ""
    if request.method == "POST" and parts:
        valid = [part["form"].is_valid() for part in parts]
        if all(valid):
            try:
                services.contact_group_decide(
                    by=request.user, decisions=[_decision(part) for part in parts]
                )
            except services.GroupDecisionRefused as error:
                refused = error.message
                for part in parts:
                    if part["contact"].pk in error.errors:
                        form_error(part["form"], error.errors[part["contact"].pk])
            except ApplicationError as error:
                refused = error.message
            else:
                messages.success(request, "Decisions recorded")
                return redirect("referrals:contact-group-decide", group_id=group.pk)
        else:
            refused = "Nothing was saved: correct the decisions marked below"
    context = {
        "group": group,
        "parts": parts,
        "decided": [contact for contact in group.shown if contact.is_decided],
        "refused": refused,
        # Those who decide at the front door read its narrative (the reasons).
        "can_read_narrative": True,
    }
    return render(request, "referrals/contact_group_decide.html", context)


def _decision(part) -> dict:
    """One child's decision as ``services.contact_group_decide`` takes it."""
    data = part["form"].cleaned_data
    return {
        "contact": part["contact"],
        "level": data["level"],
        "indicators": list(data["indicators"]),
        "rationale": data["rationale"],
        "outcome": data["outcome"],
        "decision_date": data["decision_date"],
        "manager": data["manager"],
        "manager_reason": data["manager_reason"],
        "version": data.get("version"),
        "priority": data["priority"],
        "priority_reason": data["priority_reason"],
        "referral": {
            "decision": data["referral_decision"],
            "primary_need": data["primary_need"],
            "reason": data["referral_reason"],
        },
    }
