"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py)."""

from safeguard.assessments.tests.steps import (
    assessment_of_sam,
    case_of_sam,
    submitted_assessment_of_sam,
)
from safeguard.testing.matrix import CASE_AUTHORISE, CASE_PAGE, CASE_RECORD

MATRIX = {
    "assessments:start": ("get", "assessments.case", "", CASE_RECORD),
    "assessments:detail": ("get", "assessments.assessment", "", CASE_PAGE),
    "assessments:write": ("get", "assessments.assessment", "", CASE_RECORD),
    "assessments:seen": ("get", "assessments.assessment", "", CASE_RECORD),
    "assessments:authorise": ("get", "assessments.submitted", "", CASE_AUTHORISE),
}

TARGETS = {
    "assessments.case": lambda world: {"case_id": case_of_sam(world).pk},
    "assessments.assessment": lambda world: {"assessment_id": assessment_of_sam(world).pk},
    "assessments.submitted": lambda world: {"assessment_id": submitted_assessment_of_sam(world).pk},
}
