"""What the partner referral tests share: a referral sent by the police practitioner."""

from datetime import date

from safeguard.partners import services
from safeguard.partners.models import Consent, Urgency


def make_referral(world, *, by=None, **fields):
    values = {
        "given_names": "Sam",
        "family_name": "Smith",
        "date_of_birth": world.child_sam.date_of_birth or date(2015, 3, 14),
        "worries": "Sam came to the station alone at midnight with a cut lip",
        "consent": Consent.NOT_SOUGHT,
        "consent_note": "Asking his father could put Sam at risk",
        "urgency": Urgency.IMMEDIATE,
        "referrer_phone": "01632 960 001",
        "referrer_role": "Police constable",
    } | fields
    return services.partner_referral_send(by=by or world.police_pat, **values)
