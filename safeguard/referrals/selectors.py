"""Reads for the front door. Callers show people through people.selectors.access_*."""

from datetime import date

from django.db.models import QuerySet

from safeguard.core.workdays import add_months
from safeguard.referrals.models import Referral, ThresholdLevel


def threshold_levels(authority) -> QuerySet[ThresholdLevel]:
    return (
        ThresholdLevel.objects.filter(authority=authority, disabled_on__isnull=True)
        .prefetch_related("indicators")
        .order_by("number")
    )


def earlier_referrals(child, *, before: date, months: int = 12) -> QuerySet[Referral]:
    """The child's referrals in the ``months`` before ``before``, newest first, with outcomes:
    shown at the decision so that a pattern of re-referral is seen."""
    since = add_months(before, -months)
    return (
        Referral.objects.filter(
            case__child=child, received_date__gte=since, received_date__lt=before
        )
        .select_related("case", "decided_by")
        .order_by("-received_date")
    )
