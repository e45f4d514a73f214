from datetime import date

from safeguard.testing.matrix import row

# The access history of Sam Smith (child_sam): managers and his allocated social worker (the
# social worker of the matrix); partners who may see him (the police team) are refused.
ACCESS_HISTORY = row(302, 200, 200, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404, 403, 404)
# Retention, legal holds and subject access for one person: service managers only.
PERSON_MANAGE = row(302, 403, 403, 200, 403, 403, 404, 404, 404, 404, 404, 302, 404, 403, 404)
# Service-wide data protection pages: service managers only.
SERVICE_MANAGE = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)


def sar_target(world):
    from safeguard.privacy.services import sar_create

    sar = sar_create(
        by=world.sm_dan,
        person=world.child_sam,
        requester="Sam Smith",
        received_date=date(2025, 1, 31),
    )
    return {"sar_id": sar.pk}


def hold_target(world):
    from safeguard.privacy.services import legal_hold_place

    hold = legal_hold_place(
        by=world.sm_dan, person=world.child_sam, reason="Inquiry", placed_on=date(2025, 1, 1)
    )
    return {"person_id": world.child_sam.pk, "hold_id": hold.pk}


TARGETS = {"sar": sar_target, "legal_hold": hold_target}

MATRIX = {
    "privacy:access-history": ("get", "child_sam", "", ACCESS_HISTORY),
    "privacy:access-history-csv": ("get", "child_sam", "", ACCESS_HISTORY),
    "privacy:person-retention": ("get", "child_sam", "", PERSON_MANAGE),
    "privacy:hold-place": ("get", "child_sam", "", PERSON_MANAGE),
    "privacy:hold-lift": ("get", "legal_hold", "", PERSON_MANAGE),
    "privacy:mark-add": ("get", "child_sam", "", PERSON_MANAGE),
    "privacy:sar-create": ("get", "child_sam", "", PERSON_MANAGE),
    "privacy:sar-list": ("get", None, "", SERVICE_MANAGE),
    "privacy:sar-detail": ("get", "sar", "", SERVICE_MANAGE),
    "privacy:sar-extend": ("get", "sar", "", SERVICE_MANAGE),
    "privacy:sar-close": ("get", "sar", "", SERVICE_MANAGE),
    "privacy:sar-download": ("get", "sar", "", SERVICE_MANAGE),
    "privacy:retention-report": ("get", None, "", SERVICE_MANAGE),
    "privacy:retention-report-csv": ("get", None, "", SERVICE_MANAGE),
}
