"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py).

The front door is part of the case file: partners, who may see the child, get 404 on its
pages as on the case's, and the list of contacts is for children's social care.
"""

from datetime import date

from safeguard.referrals.models import Contact
from safeguard.referrals.services import contact_record
from safeguard.testing.matrix import CASE_PAGE, CASE_RECORD, SOCIAL_CARE_PAGE


def contact_target(world):
    contact = Contact.objects.filter(child=world.child_sam, outcome="").first()
    if contact is None:
        contact = contact_record(
            by=world.sw_amy,
            child=world.child_sam,
            contact_date=date(2025, 6, 2),
            source="2A",
            reason="The school reports bruising on his arm and that he is often hungry",
        )
    return {"contact_id": contact.pk}


TARGETS = {"referrals.contact": contact_target}

MATRIX = {
    "referrals:front-door": ("get", None, "", SOCIAL_CARE_PAGE),
    "referrals:contact-new": ("get", "child_sam", "", CASE_RECORD),
    "referrals:contact-decide": ("get", "referrals.contact", "", CASE_RECORD),
    # A contact's read-only page (issue 16 item 5): whoever sees the child's case file;
    # analysts without the reasons.
    "referrals:contact-detail": ("get", "referrals.contact", "", CASE_PAGE),
    "referrals:referral-new": ("get", "child_sam", "", CASE_RECORD),
}
