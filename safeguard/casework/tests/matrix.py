"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py).

The targets build Sam Smith's (child_sam's) case file with the casework services, so that
each page has a case, a child in need plan and a chronology entry to show. They are
idempotent: a second call finds what the first made.
"""

from datetime import date

from safeguard.casework import services
from safeguard.casework.models import Case
from safeguard.testing.matrix import CASE_AUTHORISE, CASE_NARRATIVE, CASE_PAGE, CASE_RECORD

REFERRED = date(2025, 1, 6)


def sam_case(world) -> Case:
    case = Case.objects.filter(child=world.child_sam, closure_date__isnull=True).first()
    if case is None:
        case = services.case_open(
            by=world.sw_amy, child=world.child_sam, referral_date=REFERRED, referral_source="6"
        )
    return case


def case_target(world):
    return {"case_id": sam_case(world).pk}


def cin_plan_target(world):
    case = sam_case(world)
    plan = case.cin_plans.filter(end_date__isnull=True).first()
    if plan is None:
        plan = services.cin_plan_start(by=world.sw_amy, case=case, start_date=date(2025, 2, 3))
    return {"plan_id": plan.pk}


def child_with_case_target(world):
    sam_case(world)
    return {"person_id": world.child_sam.pk}


def chronology_entry_target(world):
    case = sam_case(world)
    entry = case.chronology.filter(source_type="").first()
    if entry is None:
        entry = services.chronology_entry_add(
            by=world.sw_amy,
            case=case,
            event_date=date(2025, 1, 20),
            what="Police attended a domestic incident at the home",
            source_agency="Police",
        )
    return {"entry_id": entry.pk}


TARGETS = {
    "casework.case": case_target,
    "casework.cin_plan": cin_plan_target,
    "casework.child_with_case": child_with_case_target,
    "casework.chronology_entry": chronology_entry_target,
}

MATRIX = {
    "casework:case-detail": ("get", "casework.case", "", CASE_PAGE),
    "casework:allocate": ("get", "casework.case", "", CASE_RECORD),
    "casework:visit-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:direct-work-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:note-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:decision-new": ("get", "casework.case", "", CASE_AUTHORISE),
    # A manager's review of a case nobody holds (issue 14).
    "casework:unallocated-review-new": ("get", "casework.case", "", CASE_AUTHORISE),
    "casework:cin-plan-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:cin-plan-review-new": ("get", "casework.cin_plan", "", CASE_RECORD),
    "casework:cin-plan-end": ("get", "casework.cin_plan", "", CASE_RECORD),
    "casework:close": ("get", "casework.case", "", CASE_RECORD),
    # The case summary (decision 0048): written by those who record; its history is narrative.
    "casework:summary-edit": ("get", "casework.case", "", CASE_RECORD),
    "casework:summary-history": ("get", "casework.case", "", CASE_NARRATIVE),
    # Managers, and the worker the case is allocated to (Sam's case is not allocated to Amy:
    # the allocated worker is tested in casework/tests/test_priority.py).
    "casework:priority": ("get", "casework.case", "", CASE_AUTHORISE),
    "casework:chronology": ("get", "casework.child_with_case", "", CASE_NARRATIVE),
    "casework:chronology-pdf": ("get", "casework.child_with_case", "", CASE_NARRATIVE),
    "casework:chronology-entry-new": ("get", "casework.child_with_case", "", CASE_RECORD),
    "casework:chronology-annotate": ("get", "casework.chronology_entry", "", CASE_RECORD),
}
