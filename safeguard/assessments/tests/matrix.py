"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py)."""

from safeguard.assessments.tests.steps import assessment_of_sam, case_of_sam
from safeguard.testing.matrix import CASE_AUTHORISE, CASE_RECORD

MATRIX = {
    "assessments:start": ("get", "assessments.case", "", CASE_RECORD),
    "assessments:seen": ("get", "assessments.assessment", "", CASE_RECORD),
    "assessments:authorise": ("get", "assessments.assessment", "", CASE_AUTHORISE),
}

TARGETS = {
    "assessments.case": lambda world: {"case_id": case_of_sam(world).pk},
    "assessments.assessment": lambda world: {"assessment_id": assessment_of_sam(world).pk},
}
