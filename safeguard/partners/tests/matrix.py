"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py). The API's
keyed calls are not session pages: ``test_api.py`` checks their keys."""

from safeguard.partners.tests.referrals import make_referral
from safeguard.testing.matrix import WHO, row

# The lookup: the unscheduled-care clinician only.
LOOKUP = row(302, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 302, 403, 403, 403)
# Sending a referral, and the list of one's own: staff of partner agencies (police, health,
# education, voluntary sector; the clinician works for a health trust), nobody else.
REFER = row(302, 403, 403, 403, 403, 200, 200, 200, 200, 200, 403, 302, 403, 403, 403)
# One referral, sent by the police practitioner: its sender and the front door (social
# workers and managers, who record contacts); other partners do not find it.
REFERRAL = row(302, 200, 200, 200, 403, 200, 404, 404, 404, 404, 403, 302, 404, 403, 403)
# Recording it as a contact: the front door only; its sender is refused.
RECORD = row(302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 403, 302, 404, 403, 403)


def referral_from_police(world):
    return {"referral_id": make_referral(world).pk}


TARGETS = {"referral_from_police": referral_from_police}

MATRIX = {
    "partners:lookup": ("get", None, "", LOOKUP),
    "partners:refer": ("get", None, "", REFER),
    "partners:referrals": ("get", None, "", REFER),
    "partners:referral": ("get", "referral_from_police", "", REFERRAL),
    "partners:referral-record": ("get", "referral_from_police", "", RECORD),
    # A browser session is no key: everyone, signed in or not, gets 401.
    "api:child-protection-status": ("get", None, "?nhs_number=9434765919", [401] * len(WHO)),
    "api:fhir-flag-search": ("get", None, "?nhs_number=9434765919", [401] * len(WHO)),
}
