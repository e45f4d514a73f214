"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py).

The front door is part of the case file: partners, who may see the child, get 404 on its
pages as on the case's, and the list of contacts is for children's social care.
"""

from datetime import date

from safeguard.referrals.models import Contact, ContactGroup
from safeguard.referrals.services import contact_group_record, contact_record
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


def contact_group_target(world):
    """A contact about Sam and his sister Sally, not yet decided (decision 0065)."""
    group = ContactGroup.objects.filter(contacts__child=world.child_sam).first()
    if group is None:
        group = contact_group_record(
            by=world.sw_amy,
            children=[world.child_sam, world.child_sally],
            contact_date=date(2025, 6, 2),
            source="2A",
            reason="The school reports both children hungry and unwashed all week",
        )
    return {"group_id": group.pk}


TARGETS = {"referrals.contact": contact_target, "referrals.contact_group": contact_group_target}

MATRIX = {
    "referrals:front-door": ("get", None, "", SOCIAL_CARE_PAGE),
    "referrals:contact-new": ("get", "child_sam", "", CASE_RECORD),
    "referrals:contact-decide": ("get", "referrals.contact", "", CASE_RECORD),
    # A contact's read-only page (issue 16 item 5): whoever sees the child's case file;
    # analysts without the reasons.
    "referrals:contact-detail": ("get", "referrals.contact", "", CASE_PAGE),
    "referrals:referral-new": ("get", "child_sam", "", CASE_RECORD),
    # A contact about several children of a family: as a single contact (decision 0065).
    "referrals:contact-group-new": ("get", "child_sam", "", CASE_RECORD),
    "referrals:contact-group-decide": ("get", "referrals.contact_group", "", CASE_RECORD),
}
