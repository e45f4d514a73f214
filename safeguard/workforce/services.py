"""Changing an authority's caseload settings: the weight of each stage, the points a
full-time worker can carry and a newly qualified worker's share of it. Loads are worked out
on read, so every board follows the new settings at once."""

from django.db import transaction

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.workforce.selectors import WEIGHT_FIELDS

# Each setting and the bounds a sensible value stays within (domain.md §6: local schemes
# give a case 4 to 10 points; one council counts a newly qualified worker as 0.6).
SETTINGS = {
    **dict.fromkeys(WEIGHT_FIELDS.values(), (0, 50)),
    "full_time_capacity": (1, 1000),
    "newly_qualified_capacity_percent": (10, 100),
}


@transaction.atomic
def caseload_settings_update(*, by, authority: LocalAuthority, **changes) -> LocalAuthority:
    """Set any of ``SETTINGS`` on ``authority``, with its change event; ``by`` is the person
    who changed them (None for the server's operator)."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ApplicationError(f"Unknown settings: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        low, high = SETTINGS[field]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ApplicationError(f"{field} must be a whole number from {low} to {high}")
    authority = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    before = snapshot(authority)
    for field, value in changes.items():
        setattr(authority, field, value)
    if snapshot(authority) != before:
        authority.save()
        record_change(by=by, verb=ChangeVerb.UPDATED, obj=authority, before=before)
    return authority
