"""Permission-matrix rows for the documents app (see safeguard/testing/matrix.py).

Sam Smith's documents: those who work with him (social workers and managers) list and
download them and add to them; performance analysts and conference chairs are told the
documents are not for them; partners, administrators, inspectors and another authority's
staff find nothing.
"""

from datetime import date

from safeguard.documents import samples
from safeguard.documents.models import Document
from safeguard.testing.matrix import CASE_NARRATIVE, CASE_RECORD


def sam_letter(world):
    from safeguard.documents.services import document_add

    found = Document.objects.filter(child=world.child_sam).first()
    if found is None:
        found = document_add(
            by=world.sw_amy,
            child=world.child_sam,
            content=samples.pdf(["Attendance this term: 82%."], title="School letter"),
            title="Letter from school about attendance",
            document_date=date(2025, 3, 3),
            category="letter",
            source="school",
        )
    return {"document_id": found.pk}


TARGETS = {"documents.sam_letter": sam_letter}

MATRIX = {
    "documents:list": ("get", "child_sam", "", CASE_NARRATIVE),
    "documents:upload": ("get", "child_sam", "", CASE_RECORD),
    "documents:download": ("get", "documents.sam_letter", "", CASE_NARRATIVE),
}
