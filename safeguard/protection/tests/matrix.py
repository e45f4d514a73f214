"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py)."""

from safeguard.protection.tests.steps import (
    case_of_sam,
    discussion_of_sam,
    enquiry_of_sam,
    plan_of_sam,
)
from safeguard.testing.matrix import CASE_RECORD, row

# A conference form: those who record on the case, and the authority's conference chairs.
CONFERENCE_RECORD = row(302, 200, 200, 200, 403, 404, 404, 404, 404, 404, 404, 302, 404, 200, 404)

MATRIX = {
    "protection:strategy-new": ("get", "protection.case", "", CASE_RECORD),
    "protection:s47-new": ("get", "protection.discussion", "", CASE_RECORD),
    "protection:s47-conclude": ("get", "protection.enquiry", "", CASE_RECORD),
    "protection:icpc-new": ("get", "protection.enquiry", "", CONFERENCE_RECORD),
    "protection:core-group-new": ("get", "protection.plan", "", CASE_RECORD),
    "protection:review-new": ("get", "protection.plan", "", CONFERENCE_RECORD),
    "protection:plan-end": ("get", "protection.plan", "", CASE_RECORD),
}

TARGETS = {
    "protection.case": lambda world: {"case_id": case_of_sam(world).pk},
    "protection.discussion": lambda world: {"discussion_id": discussion_of_sam(world).pk},
    "protection.enquiry": lambda world: {"enquiry_id": enquiry_of_sam(world).pk},
    "protection.plan": lambda world: {"plan_id": plan_of_sam(world).pk},
}
