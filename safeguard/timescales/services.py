"""Changing an authority's timescale rule set and local standards. Due dates are derived on
read, so every case follows the new settings at once."""

from django.db import transaction

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.timescales import projection
from safeguard.timescales.rules import RULE_SETS

# Local standards and the bounds a sensible one stays within.
STANDARDS = {
    "cp_visit_interval_wd": (1, 40),
    "cin_visit_interval_wd": (1, 65),
    "core_group_interval_wd": (1, 65),
    "cin_plan_review_months": (1, 12),
    # Clock hours, not working days: the front door's red contacts (referrals.Contact).
    "red_contact_decision_hours": (1, 72),
    "unallocated_seen_wd": (1, 20),
    "section47_seen_wd": (1, 20),
    "assessment_seen_wd": (1, 45),
    # The next step each decision sets (issue 13, item 1).
    "referral_record_wd": (1, 10),
    "assessment_start_wd": (1, 10),
    "referral_seen_wd": (1, 20),
    "strategy_discussion_wd": (1, 10),
    "section47_start_wd": (1, 10),
    "cin_plan_start_wd": (1, 45),
    "early_help_start_wd": (1, 45),
    # Early help's own clocks, read by the early help queue and the team around the family's
    # next review (issue 19 item 5).
    "early_help_assessment_wd": (1, 130),
    "taf_review_weeks": (1, 26),
    # A manager's review of a case waiting unallocated (issue 14).
    "unallocated_review_wd": (1, 20),
    # A conference's minutes circulated by its chair (issue 15 item 3).
    "conference_minutes_wd": (1, 40),
}


@transaction.atomic
def standards_update(*, by, authority: LocalAuthority, **changes) -> LocalAuthority:
    """Set the rule set (``rule_set``) and any local standard of ``STANDARDS``.

    ``by`` is the person who changed them, or None for the server's operator.
    """
    unknown = set(changes) - set(STANDARDS) - {"rule_set"}
    if unknown:
        raise ApplicationError(f"Unknown settings: {', '.join(sorted(unknown))}")
    if "rule_set" in changes and changes["rule_set"] not in RULE_SETS:
        raise ApplicationError(f"The rule set must be one of {', '.join(sorted(RULE_SETS))}")
    for field, value in changes.items():
        if field in STANDARDS:
            low, high = STANDARDS[field]
            if not isinstance(value, int) or not low <= value <= high:
                raise ApplicationError(f"{field} must be a whole number from {low} to {high}")
    authority = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    before = snapshot(authority)
    for field, value in changes.items():
        setattr(authority, field, value)
    if snapshot(authority) != before:
        authority.save()
        record_change(by=by, verb=ChangeVerb.UPDATED, obj=authority, before=before)
        # Every due date may have moved: work out the authority's items again, in the same
        # transaction (decision 0028).
        projection.rebuild(authority=authority)
    return authority
