"""Permission-matrix rows for this app's URLs (see safeguard/testing/matrix.py).

The targets build Sam Smith's (child_sam's) case file with the casework services, so that
each page has a case, a child in need plan and a chronology entry to show. They are
idempotent: a second call finds what the first made.
"""

from datetime import date

from safeguard.accounts.models import Team
from safeguard.casework import services
from safeguard.casework.models import Absence, Case
from safeguard.testing.matrix import (
    CASE_AUTHORISE,
    CASE_NARRATIVE,
    CASE_PAGE,
    CASE_RECORD,
    row,
)

REFERRED = date(2025, 1, 6)

# A page of the signed-in manager's own (their queue): team and service managers only.
MANAGERS_ONLY = [302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403]
# A setting of the whole authority: its service managers only (which decisions need
# authorisation, decision 0041).
SERVICE_MANAGERS_ONLY = row(302, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)


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


def looked_after_target(world):
    case = sam_case(world)
    period = case.looked_after_periods.filter(end_date__isnull=True).first()
    if period is None:
        period = services.looked_after_start(
            by=world.sw_amy, case=case, start_date=date(2025, 2, 10), legal_status="V2"
        )
    return {"period_id": period.pk}


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


def managed_team_a(world):
    """Team A with Carol named as its manager (decision 0031), for the cover pages."""
    Team.objects.filter(pk=world.team_a.pk).update(manager=world.tm_carol)
    return {"team_id": world.team_a.pk}


def absence_target(world):
    """Amy's own annual leave, in Team A (managed by Carol)."""
    managed_team_a(world)
    absence = Absence.objects.filter(worker=world.sw_amy).first() or Absence.objects.create(
        worker=world.sw_amy, kind="annual_leave", start_date=date(2025, 8, 4),
        end_date=date(2025, 8, 16),
    )  # fmt: skip
    return {"team_id": world.team_a.pk, "absence_id": absence.pk}


def authorisation_target(world):
    """A closure of Sam's case asked for by Amy, waiting for a manager (decision 0041)."""
    from safeguard.casework.models import AuthorisationRequest

    case = sam_case(world)
    asked = case.authorisation_requests.filter(status="pending").first()
    if asked is None:
        asked = services.case_close(
            by=world.sw_amy, case=case, closure_date=date(2025, 3, 3), reason="RC7"
        )
    assert isinstance(asked, AuthorisationRequest)
    return {"request_id": asked.pk}


TARGETS = {
    "casework.managed_team_a": managed_team_a,
    "casework.absence": absence_target,
    "casework.authorisation": authorisation_target,
    "casework.case": case_target,
    "casework.cin_plan": cin_plan_target,
    "casework.looked_after": looked_after_target,
    "casework.child_with_case": child_with_case_target,
    "casework.chronology_entry": chronology_entry_target,
}

# Cover (decision 0044), on Team A managed by Carol: the cover page for its members (Amy,
# Carol), its managers and the whole service; recording an absence for its members (their
# own planned leave) and its manager; the duty rota for its manager only. Never partners,
# administrators, a conference chair or another authority.
COVER_PAGE = row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
COVER_ABSENCE = row(302, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
COVER_DUTY = row(302, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)

MATRIX = {
    "casework:team-cover": ("get", "casework.managed_team_a", "", COVER_PAGE),
    "casework:absence-new": ("get", "casework.managed_team_a", "", COVER_ABSENCE),
    # Amy's own annual leave: she and her manager may change its last day.
    "casework:absence-end": ("get", "casework.absence", "", COVER_ABSENCE),
    "casework:duty-new": ("get", "casework.managed_team_a", "", COVER_DUTY),
    "casework:case-detail": ("get", "casework.case", "", CASE_PAGE),
    "casework:allocate": ("get", "casework.case", "", CASE_RECORD),
    "casework:visit-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:direct-work-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:note-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:decision-new": ("get", "casework.case", "", CASE_AUTHORISE),
    # A manager's review of a case nobody holds (issue 14).
    "casework:unallocated-review-new": ("get", "casework.case", "", CASE_AUTHORISE),
    "casework:cin-plan-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:cin-plan-end": ("get", "casework.cin_plan", "", CASE_RECORD),
    # Periods of care (decision 0076): recorded by those who record on the case.
    "casework:looked-after-new": ("get", "casework.case", "", CASE_RECORD),
    "casework:looked-after-end": ("get", "casework.looked_after", "", CASE_RECORD),
    "casework:close": ("get", "casework.case", "", CASE_RECORD),
    # Decision rights (decision 0041): a manager's queue; a request is read by those who
    # read the case file's narrative, and decided only by the manager who may.
    "casework:authorisations": ("get", None, "", MANAGERS_ONLY),
    "casework:authorisation-settings": ("get", None, "", SERVICE_MANAGERS_ONLY),
    "casework:authorisation": ("get", "casework.authorisation", "", CASE_NARRATIVE),
    # The case summary (decision 0048): written by those who record; its history is narrative.
    "casework:summary-edit": ("get", "casework.case", "", CASE_RECORD),
    "casework:summary-history": ("get", "casework.case", "", CASE_NARRATIVE),
    # Managers, and the worker the case is allocated to (Sam's case is not allocated to Amy:
    # the allocated worker is tested in casework/tests/test_priority.py).
    "casework:priority": ("get", "casework.case", "", CASE_AUTHORISE),
    "casework:chronology": ("get", "casework.child_with_case", "", CASE_NARRATIVE),
    "casework:chronology-pdf": ("get", "casework.child_with_case", "", CASE_NARRATIVE),
    # The family's children and their one chronology (decision 0065): narrative, as the
    # chronology; Sam's sister Sally is shown beside him.
    "casework:family-children": ("get", "casework.child_with_case", "", CASE_NARRATIVE),
    "casework:chronology-entry-new": ("get", "casework.child_with_case", "", CASE_RECORD),
    "casework:chronology-annotate": ("get", "casework.chronology_entry", "", CASE_RECORD),
}
