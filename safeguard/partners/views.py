"""The child-protection lookup page for unscheduled-care clinicians, and partners' referrals to
the front door: sending one, the sender's list, and the front door recording it."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguard.core import submission
from safeguard.core.submission import posted
from safeguard.partners import permissions, selectors, services
from safeguard.partners.forms import NEW_CHILD, LookupForm, RecordReferralForm, ReferralForm
from safeguard.partners.models import LookupWay
from safeguard.partners.permissions import Action


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """A POST, not a GET: a lookup is logged and tells the child's worker, and the NHS number
    stays out of addresses and server logs."""
    if not permissions.can(request.user, Action.LOOKUP):
        raise PermissionDenied
    form = LookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = services.cp_lookup(
            by=request.user,
            search=form.search(),
            way=LookupWay.WEB,
            setting=form.cleaned_data["setting"],
            request=request,
        )
        form = LookupForm(initial={"setting": form.cleaned_data["setting"]})
    return render(
        request,
        "partners/lookup.html",
        {"form": form, "status": found.status if found else None},
    )


# --- Partner referrals (issue 17 item 3, decision 0050) -----------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def refer(request):
    """A partner's referral to the front door."""
    if not permissions.can(request.user, Action.REFER):
        raise PermissionDenied("Only partner staff send referrals here")
    form = ReferralForm(posted(request), initial={"referrer_role": request.user.job_title})
    referral = submission.submit(
        request,
        form,
        lambda data: services.partner_referral_send(by=request.user, **data),
        success="Referral sent to the front door",
    )
    if referral is not None:
        return redirect("partners:referral", referral_id=referral.pk)
    return render(request, "partners/refer.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def referrals(request):
    """The referrals a partner has sent, with each one's status and outcome."""
    if not permissions.can(request.user, Action.REFER):
        raise PermissionDenied("Only partner staff send referrals here")
    return render(
        request, "partners/referrals.html", {"referrals": selectors.referrals_sent(request.user)}
    )


@login_required
@require_http_methods(["GET"])
def referral(request, referral_id: UUID):
    """One referral: to its sender, what they sent and what the front door decided; to the
    front door, the same and the way to record it."""
    found = selectors.access_partner_referral(
        user=request.user, referral_id=referral_id, request=request
    )
    is_front_door = permissions.can(request.user, Action.RECORD_REFERRAL, found)
    return render(
        request,
        "partners/referral.html",
        {
            "referral": found,
            "may_record": is_front_door and found.contact_id is None,
            "is_front_door": is_front_door,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_record(request, referral_id: UUID):
    """The front door records a partner's referral as a contact about a child on record, or a
    new one, and goes on to decide it."""
    found = selectors.access_partner_referral(
        user=request.user, referral_id=referral_id, request=request
    )
    if not permissions.can(request.user, Action.RECORD_REFERRAL, found):
        raise PermissionDenied("The front door records referrals")
    if found.contact_id is not None:
        messages.info(request, "This referral has already been recorded as a contact")
        return redirect("referrals:contact-decide", contact_id=found.contact_id)
    candidates = selectors.referral_candidates(user=request.user, referral=found, request=request)
    form = RecordReferralForm(
        posted(request),
        candidates=[p for p in candidates if not p.withheld],
        initial={
            "source": services.SOURCE_BY_KIND.get(found.agency.kind, ""),
            "priority": services.URGENCY_PRIORITY[found.urgency],
            # The one match, or a new record when nothing matches; a choice among several.
            "child": str(candidates[0].pk) if len(candidates) == 1
            else (NEW_CHILD if not candidates else None),
        },
    )
    by_id = {str(p.pk): p for p in candidates}

    def record(data):
        return services.partner_referral_record(
            by=request.user,
            referral=found,
            child=None if data["child"] == NEW_CHILD else by_id[data["child"]],
            source=data["source"],
            priority=data["priority"],
            priority_reason=data["priority_reason"],
            date_of_birth=data["date_of_birth"],
            version=found.version,
        )

    contact = submission.submit(request, form, record, success="Contact recorded")
    if contact is not None:
        return redirect("referrals:contact-decide", contact_id=contact.pk)
    return render(
        request,
        "partners/referral_record.html",
        {"referral": found, "form": form, "candidates": candidates},
    )
