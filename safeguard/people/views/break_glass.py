"""Break-glass: asking for sight of a sealed record, and managers' review of its uses."""

from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from safeguard.core import submission
from safeguard.core.client_ip import client_ip
from safeguard.core.submission import posted
from safeguard.people import permissions, selectors, services
from safeguard.people.forms import BreakGlassForm, BreakGlassReviewForm
from safeguard.people.permissions import Action


def _safe_next(request, url: str | None, fallback: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def _granted(use) -> str:
    until = timezone.localtime(use.expires_at)
    return (
        f"Break-glass access granted until {until:%H:%M}. The record's owners have "
        "been told and a manager will review your reason."
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request, person_id: UUID):
    person = selectors.person_for_break_glass(user=request.user, person_id=person_id)
    if person is None:
        # Already visible (named, or a grant still running): nothing to break.
        return redirect("people:detail", person_id=person_id)
    form = BreakGlassForm(posted(request))
    if submission.submit(
        request,
        form,
        lambda d: services.break_glass(
            by=request.user,
            person=person,
            reason=d["reason"],
            password=d["password"],
            otp_token=d["otp_token"],
            ip_address=client_ip(request),
            request=request,
        ),
        success=_granted,
    ):
        fallback = reverse("people:detail", kwargs={"person_id": person.pk})
        return redirect(_safe_next(request, form.cleaned_data.get("next"), fallback))
    return render(
        request,
        "people/restricted.html",
        {
            "reference": person.reference,
            "person_id": person.pk,
            "form": form,
            "minutes": settings.SAFEGUARD_BREAK_GLASS_MINUTES,
        },
    )


@login_required
@require_http_methods(["GET"])
def break_glass_reviews(request):
    if not permissions.can(request.user, Action.REVIEW_BREAK_GLASS):
        raise PermissionDenied
    today = timezone.localdate()
    awaiting = list(selectors.break_glass_awaiting_review(user=request.user))
    return render(
        request,
        "people/break_glass_reviews.html",
        {
            "awaiting": awaiting,
            "overdue": sum(1 for u in awaiting if u.is_overdue_on(today)),
            "reviewed": selectors.break_glass_reviewed(user=request.user),
            "refusals": selectors.break_glass_refusals(user=request.user),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request, use_id: UUID):
    if not permissions.can(request.user, Action.REVIEW_BREAK_GLASS):
        raise PermissionDenied
    use = selectors.break_glass_for_review(user=request.user, use_id=use_id)
    form = BreakGlassReviewForm(posted(request)) if use.reviewed_at is None else None
    if form is not None and submission.submit(
        request,
        form,
        lambda d: services.break_glass_review(by=request.user, use=use, **d),
        success="Review recorded",
    ):
        return redirect("people:break-glass-reviews")
    return render(
        request,
        "people/break_glass_review.html",
        {"use": use, "form": form, "today": timezone.localdate()},
    )
