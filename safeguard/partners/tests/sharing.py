"""What the information-sharing tests share: a decision of social care to share with the
police about Sam, made through the service."""

from datetime import timedelta

from django.utils import timezone

from safeguard.partners import services
from safeguard.partners.models import (
    Article6Basis,
    SharingConsent,
    SharingDecision,
    StatutoryGateway,
)


def make_sharing_decision(world, *, by=None, child=None, **fields):
    by = by or world.sw_amy
    values = {
        "decision": SharingDecision.SHARED,
        "information": "The outcome of the strategy discussion and the plan for the visit",
        "recipient_agency": world.police if by.agency_id != world.police.pk else world.csc,
        "reason": "The police are joint investigators under section 47",
        "article_6_basis": Article6Basis.PUBLIC_TASK,
        "statutory_gateway": StatutoryGateway.CA1989_S47,
        "consent": SharingConsent.NOT_SOUGHT,
        "consent_not_sought_reason": "Asking would alert the adult suspected of harming Sam",
        "decided_by": by,
        "decided_on": timezone.localdate() - timedelta(days=1),
    } | fields
    return services.sharing_decision_record(by=by, child=child or world.child_sam, **values)
