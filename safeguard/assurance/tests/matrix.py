"""Permission-matrix rows for the case-file audit pages (see safeguard/testing/matrix.py)."""

from safeguard.assurance.tests.steps import (
    action_of_sam,
    audit_of_sam,
    dip_sample,
    ended_inspection_of_sam,
    programme_line,
)
from safeguard.testing.matrix import SOCIAL_CARE_PAGE, row

# Team and service managers of the authority; nobody else (not analysts, not chairs).
MANAGERS = row(302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
# An audit of Sam's case (given to Carol): managers of the authority; 404 for the rest.
AUDIT = row(302, 404, 200, 200, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)
# Grading and moderating only take a POST: a GET is refused to everyone signed in.
POST_ONLY = row(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 302, 405, 405, 405)

# Inspections (decision 0042). The list: service managers and system administrators (who set
# them up) and inspectors (their own, none here: the matrix's inspector has none under way).
INSPECTIONS = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 200, 302, 403, 403, 200, board_member=403)
# One inspection (Sam's case file in its sample; it has ended): the service manager and the
# system administrator (who sees no child: the sample's rows are withheld from them); 404 for
# everyone else, its inspector included now it is over.
INSPECTION = row(302, 404, 404, 200, 404, 404, 404, 404, 404, 404, 200, 302, 404, 404, 404)
# What its inspectors read: the service manager only.
INSPECTION_READS = row(302, 404, 404, 200, 404, 404, 404, 404, 404, 404, 403, 302, 404, 404, 404)

MATRIX = {
    "assurance:audits": ("get", None, "", MANAGERS),
    "assurance:audit": ("get", "assurance.audit", "", AUDIT),
    "assurance:audit-grade": ("get", "assurance.audit", "", POST_ONLY),
    "assurance:audit-moderate": ("get", "assurance.audit", "", POST_ONLY),
    "assurance:audit-respond": ("get", "assurance.audit", "", POST_ONLY),
    "assurance:action-add": ("get", "assurance.audit", "", POST_ONLY),
    "assurance:action-done": ("get", "assurance.action", "", POST_ONLY),
    # Audits of my practice and my actions: any social care member (each sees their own).
    "assurance:mine": ("get", None, "", SOCIAL_CARE_PAGE),
    # The audit programme (decision 0062): every manager sees it; the service manager sets it
    # and draws it, through POSTs only.
    "assurance:programme": ("get", None, "", MANAGERS),
    "assurance:programme-line-add": ("get", None, "", POST_ONLY),
    "assurance:programme-line-end": ("get", "assurance.programme_line", "", POST_ONLY),
    "assurance:programme-draw": ("get", None, "", POST_ONLY),
    # Dip samples of front-door decisions (decision 0063): every manager sees them (the service
    # manager draws, by POST to the list); nobody else, not even to know one exists. Checking a
    # decision only takes a POST.
    "assurance:dip-samples": ("get", None, "", MANAGERS),
    "assurance:dip-sample": ("get", "assurance.dip_sample", "", MANAGERS),
    "assurance:dip-check": ("get", "assurance.dip_item", "", POST_ONLY),
    "assurance:inspections": ("get", None, "", INSPECTIONS),
    "assurance:inspection": ("get", "assurance.inspection", "", INSPECTION),
    "assurance:inspection-sample": ("get", "assurance.inspection", "", POST_ONLY),
    "assurance:inspection-reads": ("get", "assurance.inspection", "", INSPECTION_READS),
}

TARGETS = {
    "assurance.audit": lambda world: {"audit_id": audit_of_sam(world).pk},
    "assurance.action": lambda world: {"action_id": action_of_sam(world).pk},
    "assurance.inspection": lambda world: {"inspection_id": ended_inspection_of_sam(world).pk},
    "assurance.programme_line": lambda world: {"line_id": programme_line(world).pk},
    "assurance.dip_sample": lambda world: {"sample_id": dip_sample(world).pk},
    "assurance.dip_item": lambda world: {"item_id": dip_sample(world).items.first().pk},
}
