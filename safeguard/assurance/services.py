"""Drawing audits, recording findings, moderating (decision 0032). Each takes ``by``, the
acting user, and writes its audit row through ``audit.services``."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.assurance import permissions, sampling
from safeguard.assurance.models import Audit, Finding, Grade, Heading, Stratum
from safeguard.assurance.permissions import Action
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework.models import Allocation

MAX_SAMPLE = 50


def candidates(authority_id, stratum: str) -> list[tuple]:
    """(case id, stratum key, team id) of the authority's open, allocated cases."""
    rows = Allocation.objects.filter(
        case__authority_id=authority_id, case__closure_date__isnull=True, end_date__isnull=True
    ).values_list("case_id", "team_id", "worker_id")
    key = {Stratum.TEAM: 1, Stratum.WORKER: 2}.get(stratum)
    return [(row[0], row[key] if key else None, row[1]) for row in rows]


@transaction.atomic
def draw_sample(
    *, by, size: int, seed: int, stratum: str = Stratum.RANDOM, auditor=None
) -> list[Audit]:
    """Draw ``size`` open case files (``size`` from each team or worker when stratified) at
    random from ``seed``, and start an audit of each for ``auditor`` (default ``by``)."""
    if not permissions.can(by, Action.SAMPLE):
        raise PermissionDenied("You cannot draw an audit sample")
    if not 1 <= size <= MAX_SAMPLE:
        raise ValidationError(f"Choose between 1 and {MAX_SAMPLE} case files.")
    auditor = auditor or by
    if not permissions.can(auditor, Action.SAMPLE):
        raise ValidationError("The auditor must be a team or service manager of the authority.")
    authority_id = by.agency.authority_id
    pool = candidates(authority_id, Stratum(stratum))
    team_of = {case_id: team_id for case_id, _, team_id in pool}
    chosen = sampling.draw(
        [(case_id, key) for case_id, key, _ in pool],
        size=size,
        seed=seed,
        stratified=Stratum(stratum) != Stratum.RANDOM,
    )
    audits = []
    for case_id, _ in chosen:
        audit = Audit(
            case_id=case_id,
            authority_id=authority_id,
            auditor=auditor,
            team_id=team_of[case_id],
            sample_seed=seed,
        )
        save_new(audit, by=by)
        audits.append(audit)
    return audits


@transaction.atomic
def complete(*, audit: Audit, by, findings: dict, overall: str, today: date | None = None) -> Audit:
    """Record a grade and evidence under every heading, and the overall grade: the audit is
    then complete. ``findings``: {heading: (grade, evidence)}, one for each heading."""
    if not permissions.can(by, Action.GRADE, audit):
        raise PermissionDenied("Only the auditor grades an audit, once")
    missing = [h.label for h in Heading if h not in findings]
    if missing:
        raise ValidationError(f"Grade every heading: {', '.join(missing)}.")
    for heading, (grade, evidence) in findings.items():
        if grade not in Grade.values or not evidence.strip():
            raise ValidationError(f"{Heading(heading).label}: a grade and its evidence.")
    if overall not in Grade.values:
        raise ValidationError("Give the overall grade.")
    for heading, (grade, evidence) in findings.items():
        save_new(
            Finding(audit=audit, heading=heading, grade=grade, evidence=evidence.strip()),
            by=by,
            person_id=audit.case.child_id,
        )
    before = snapshot(audit)
    audit.overall_grade = overall
    audit.status = Audit.Status.COMPLETED
    audit.completed_on = today or timezone.localdate()
    save_change(audit, by=by, before=before, person_id=audit.case.child_id)
    return audit


@transaction.atomic
def moderate(*, audit: Audit, by, grade: str, note: str) -> Audit:
    """A second manager agrees or changes the overall grade, saying why."""
    if not permissions.can(by, Action.MODERATE, audit):
        raise PermissionDenied("A completed audit is moderated by a manager other than its auditor")
    if grade not in Grade.values:
        raise ValidationError("Give the moderated grade.")
    if not note.strip():
        raise ValidationError("Say why you agree or differ with the auditor.")
    before = snapshot(audit)
    audit.moderator = by
    audit.moderated_grade = grade
    audit.moderation_note = note.strip()
    audit.status = Audit.Status.MODERATED
    save_change(audit, by=by, before=before, person_id=audit.case.child_id)
    return audit
