"""Drawing audits, recording findings, moderating (decision 0032). Each takes ``by``, the
acting user, and writes its audit row through ``audit.services``."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Team
from safeguard.accounts.roles import is_social_care_staff
from safeguard.assurance import permissions, sampling
from safeguard.assurance.models import (
    Audit,
    AuditAction,
    DipItem,
    DipSample,
    Finding,
    Grade,
    Heading,
    InspectedCase,
    Inspection,
    ProgrammeLine,
    ProgrammeRun,
    Stratum,
)
from safeguard.assurance.permissions import Action
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework import services as casework
from safeguard.casework.models import Allocation, Case, ChronologyEntry
from safeguard.core.errors import ApplicationError
from safeguard.notices.services import notify
from safeguard.people import permissions as people_permissions
from safeguard.people.models import Seal
from safeguard.referrals.models import Contact, ContactOutcome
from safeguard.timescales.selectors import STAGE_BY_CODE, with_stage

MAX_SAMPLE = 50


def candidates(authority_id, stratum: str, *, on: date | None = None) -> list[tuple]:
    """(case id, stratum key, team id, worker id) of the authority's open, allocated cases
    referred by ``on`` (today); the key is the case's team, worker or stage on ``on`` as
    ``stratum`` asks."""
    on = on or timezone.localdate()
    rows = Allocation.objects.filter(
        case__authority_id=authority_id,
        case__closure_date__isnull=True,
        case__referral_date__lte=on,
        end_date__isnull=True,
    ).values_list("case_id", "team_id", "worker_id")
    if stratum == Stratum.STAGE:
        rows = list(rows)
        stages = dict(
            with_stage(
                Case.objects.filter(authority_id=authority_id, closure_date__isnull=True), on=on
            ).values_list("pk", "stage")
        )
        return [(row[0], stages.get(row[0]), row[1], row[2]) for row in rows]
    key = {Stratum.TEAM: 1, Stratum.WORKER: 2}.get(stratum)
    return [(row[0], row[key] if key else None, row[1], row[2]) for row in rows]


def not_their_own(pool: list[tuple], auditor) -> list[tuple]:
    """The candidates (``candidates``' rows) ``auditor`` may audit: nobody audits their own
    work, so not a case they hold, nor one held in a team they manage."""
    managed = set(Team.objects.filter(manager=auditor).values_list("pk", flat=True))
    return [row for row in pool if row[3] != auditor.pk and row[2] not in managed]


@transaction.atomic
def draw_sample(
    *, by, size: int, seed: int, stratum: str = Stratum.RANDOM, auditor=None
) -> list[Audit]:
    """Draw ``size`` open case files (``size`` from each team or worker when stratified) at
    random from ``seed``, and start an audit of each for ``auditor`` (default ``by``): never
    a case of their own (``not_their_own``)."""
    if not permissions.can(by, Action.SAMPLE):
        raise PermissionDenied("You cannot draw an audit sample")
    if not 1 <= size <= MAX_SAMPLE:
        raise ValidationError(f"Choose between 1 and {MAX_SAMPLE} case files.")
    auditor = auditor or by
    if not permissions.can(auditor, Action.SAMPLE):
        raise ValidationError("The auditor must be a team or service manager of the authority.")
    authority_id = by.agency.authority_id
    pool = not_their_own(candidates(authority_id, Stratum(stratum)), auditor)
    held_by = {case_id: (team_id, worker_id) for case_id, _, team_id, worker_id in pool}
    chosen = sampling.draw(
        [(case_id, key) for case_id, key, _, _ in pool],
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
            team_id=held_by[case_id][0],
            practitioner_id=held_by[case_id][1],
            sample_seed=seed,
        )
        save_new(audit, by=by)
        audits.append(audit)
    return audits


# --- The audit programme (decision 0062) ------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def programme_line_add(
    *,
    by,
    auditor,
    cases_per_month: int,
    stratum: str = Stratum.RANDOM,
    first_month: date,
    last_month: date | None = None,
) -> ProgrammeLine:
    """Add a line to the authority's audit programme: ``auditor`` audits ``cases_per_month``
    case files a month (from each team, worker or stage when stratified), from
    ``first_month`` to ``last_month`` (or until ended). Service managers set the programme."""
    if not permissions.can(by, Action.SET_PROGRAMME):
        raise PermissionDenied("Only a service manager sets the audit programme")
    authority_id = by.agency.authority_id
    if not (
        auditor is not None
        and auditor.agency.authority_id == authority_id
        and permissions.can(auditor, Action.SAMPLE)
    ):
        raise ApplicationError(
            "The auditor must be a team or service manager of the authority", field="auditor"
        )
    if not 1 <= cases_per_month <= MAX_SAMPLE:
        raise ApplicationError(
            f"Choose between 1 and {MAX_SAMPLE} case files a month", field="cases_per_month"
        )
    first = month_start(first_month)
    last = month_start(last_month) if last_month else None
    if last is not None and last < first:
        raise ApplicationError("The last month cannot be before the first", field="last_month")
    line = ProgrammeLine(
        authority_id=authority_id,
        auditor=auditor,
        cases_per_month=cases_per_month,
        stratum=Stratum(stratum),
        first_month=first,
        last_month=last,
    )
    save_new(line, by=by)
    return line


@transaction.atomic
def programme_line_end(*, by, line: ProgrammeLine, last_month: date) -> ProgrammeLine:
    """End a programme line after ``last_month`` (its draws so far are kept)."""
    if not permissions.can(by, Action.SET_PROGRAMME, line):
        raise PermissionDenied("Only a service manager sets the audit programme")
    last = month_start(last_month)
    if last < line.first_month:
        raise ApplicationError(
            "The last month cannot be before the line's first month", field="last_month"
        )
    before = snapshot(line)
    line.last_month = last
    save_change(line, by=by, before=before)
    return line


def line_seed(seed: int, line: ProgrammeLine) -> int:
    """The seed of one line's draw: from the month's seed and the line, so that the same
    programme and seed always draw the same case files."""
    digest = hashlib.sha256(f"{seed}:{line.pk}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 2_000_000_000


@dataclass
class ProgrammeDraw:
    month: date
    drawn: dict  # line -> its audits drawn now
    already: list  # lines drawn for the month before


@transaction.atomic
def programme_draw(*, by, month: date, seed: int, on: date | None = None) -> ProgrammeDraw:
    """Draw the audits of every programme line for ``month``, reproducibly from ``seed``.

    A line already drawn for the month is left as it is (drawing the month again changes
    nothing). Nobody audits their own work: a line's auditor is never given a case they
    hold, or one held in a team they manage. A case under an audit not yet completed, or
    drawn by another line this month, is not drawn again. Each auditor is told what was
    drawn for them.
    """
    if not permissions.can(by, Action.SET_PROGRAMME):
        raise PermissionDenied("Only a service manager draws the audit programme")
    return _draw_programme(by.agency.authority_id, month=month, seed=seed, by=by, on=on)


def programme_seed(authority, month: date) -> int:
    """The seed of a month's scheduled draw: from the authority and the month, so that the
    same programme gives the same audits whenever (and however often) the job runs."""
    digest = hashlib.sha256(f"{authority.dfe_la_code}:{month:%Y-%m}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 2_000_000_000


@transaction.atomic
def programme_draw_scheduled(*, authority, month: date, on: date | None = None) -> ProgrammeDraw:
    """The nightly job's draw (``assurance.tasks``): the lines of ``authority`` not yet
    drawn for ``month``, seeded by ``programme_seed``, made by the system (no user). Lines a
    service manager drew by hand are left as they are, so a month is never drawn twice."""
    return _draw_programme(
        authority.pk, month=month, seed=programme_seed(authority, month_start(month)), by=None,
        on=on,
    )  # fmt: skip


def _draw_programme(authority_id, *, month: date, seed: int, by, on: date | None):
    month = month_start(month)
    lines = [
        line
        for line in ProgrammeLine.objects.filter(authority_id=authority_id)
        .select_related("auditor")
        .order_by("first_month", "created_at", "pk")
        if line.draws_in(month)
    ]
    done = set(
        ProgrammeRun.objects.filter(line__in=lines, month=month).values_list("line_id", flat=True)
    )
    taken = set(
        Audit.objects.filter(authority_id=authority_id, status=Audit.Status.STARTED).values_list(
            "case_id", flat=True
        )
    )
    result = ProgrammeDraw(month=month, drawn={}, already=[])
    pools: dict = {}
    for line in lines:
        if line.pk in done:
            result.already.append(line)
            continue
        stratum = Stratum(line.stratum)
        if stratum not in pools:
            pools[stratum] = candidates(authority_id, stratum, on=on)
        pool = [row for row in not_their_own(pools[stratum], line.auditor) if row[0] not in taken]
        run = ProgrammeRun(line=line, month=month, seed=line_seed(seed, line))
        save_new(run, by=by)
        held_by = {case_id: (team_id, worker_id) for case_id, _, team_id, worker_id in pool}
        chosen = sampling.draw(
            [(case_id, key) for case_id, key, _, _ in pool],
            size=line.cases_per_month,
            seed=run.seed,
            stratified=stratum != Stratum.RANDOM,
        )
        audits = []
        for case_id, _ in chosen:
            audit = Audit(
                case_id=case_id,
                authority_id=authority_id,
                auditor=line.auditor,
                team_id=held_by[case_id][0],
                practitioner_id=held_by[case_id][1],
                sample_seed=run.seed,
                programme_run=run,
            )
            save_new(audit, by=by)
            audits.append(audit)
            taken.add(case_id)
        result.drawn[line] = audits
    _tell_auditors(result)
    return result


def _tell_auditors(result: ProgrammeDraw) -> None:
    """A notice to each auditor given case files by the draw (names no child)."""
    given: dict = {}
    for line, audits in result.drawn.items():
        if audits:
            user, count = given.get(line.auditor_id, (line.auditor, 0))
            given[line.auditor_id] = (user, count + len(audits))
    for auditor, count in given.values():
        files = "case file" if count == 1 else "case files"
        notify(
            users=[auditor],
            subject=f"{count} {files} to audit in {result.month:%B %Y}",
            body=(
                f"The audit programme drew {count} {files} for you to audit in "
                f"{result.month:%B %Y}. They are on the case-file audits page."
            ),
            url=reverse("assurance:audits"),
        )


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


@transaction.atomic
def respond(*, audit: Audit, by, response: str, today: date | None = None) -> Audit:
    """The practitioner's response to the findings of a completed audit of their case."""
    if not permissions.can(by, Action.RESPOND, audit):
        raise PermissionDenied("Only the practitioner responds to a completed audit, once")
    if not response.strip():
        raise ValidationError("Write your response to the findings.")
    before = snapshot(audit)
    audit.practitioner_response = response.strip()
    audit.responded_on = today or timezone.localdate()
    save_change(audit, by=by, before=before, person_id=audit.case.child_id)
    return audit


@transaction.atomic
def add_action(
    *, audit: Audit, by, description: str, owner, due_date: date, today: date | None = None
) -> AuditAction:
    """An action on the child's case file from a completed audit, owned by a member of the
    authority's social care staff, due on a day not yet passed."""
    if not permissions.can(by, Action.ADD_ACTION, audit):
        raise PermissionDenied("A manager sets actions on a completed audit")
    if not description.strip():
        raise ValidationError("Say what is to be done.")
    if not is_social_care_staff(owner, authority_id=audit.authority_id):
        raise ValidationError("The owner must be a member of the authority's social care staff.")
    if due_date < (today or timezone.localdate()):
        raise ValidationError("The due date cannot be in the past.")
    action = AuditAction(
        audit=audit, description=description.strip(), owner=owner, due_date=due_date
    )
    save_new(action, by=by, person_id=audit.case.child_id)
    _action_on_chronology(action, by=by, on=today or timezone.localdate())
    # The notice is emailed: it names neither the child nor the action.
    notify(
        users=[owner],
        subject="A case-file audit set you an action",
        body=(
            f"{by} set you an action from a case-file audit, due {due_date:%d %B %Y}. It is "
            "on the child's case file."
        ),
        url=reverse("casework:case-detail", args=[audit.case_id]),
    )
    return action


def _action_on_chronology(action: AuditAction, *, by, on: date) -> None:
    """The action's entry on the child's chronology: set on ``on``, with its owner and due
    date, and once done, when and by whom (one entry per action, updated)."""
    case = action.audit.case
    outcome = f"Owner {action.owner}, due {action.due_date:%d %B %Y}."
    if action.completed_on is not None:
        outcome += f" Done on {action.completed_on:%d %B %Y} by {action.completed_by}."
    casework.chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=on,
        what=f"Case-file audit action: {action.description}"[:500],
        source_agency=casework.agency_name(by),
        outcome=outcome,
        source=action,
    )


@transaction.atomic
def complete_action(*, action: AuditAction, by, today: date | None = None) -> AuditAction:
    """Record an action done (its owner, or a manager)."""
    if not permissions.can(by, Action.COMPLETE_ACTION, action):
        raise PermissionDenied("The action's owner or a manager records it done, once")
    before = snapshot(action)
    action.completed_on = today or timezone.localdate()
    action.completed_by = by
    save_change(action, by=by, before=before, person_id=action.audit.case.child_id)
    # The entry keeps the day the action was set.
    set_on = (
        ChronologyEntry.objects.filter(
            source_type=AuditAction._meta.label_lower, source_id=str(action.pk)
        )
        .values_list("event_date", flat=True)
        .first()
    )
    _action_on_chronology(action, by=by, on=set_on or action.completed_on)
    return action


# The largest sample an inspection may read (the 2009 inspectors read 57 files).
MAX_INSPECTION_SAMPLE = 120


@transaction.atomic
def inspection_set_up(*, by, name: str, start_date: date, end_date: date, inspectors) -> Inspection:
    """Name an inspection of the authority's case files, its first and last days and its
    inspectors (users with the inspector role, of an agency of the authority)."""
    if not permissions.can(by, Action.SET_UP_INSPECTION):
        raise PermissionDenied("A service manager or system administrator sets up an inspection")
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Name the inspection.", field="name")
    if end_date < start_date:
        raise ApplicationError("The inspection cannot end before it starts.", field="end_date")
    inspectors = list(inspectors)
    if not inspectors:
        raise ApplicationError("Name at least one inspector.", field="inspectors")
    authority_id = by.agency.authority_id
    for user in inspectors:
        if not permissions.is_inspector(user) or user.agency.authority_id != authority_id:
            raise ApplicationError(f"{user.get_full_name()} is not an inspector of this authority.")
    inspection = Inspection(
        authority_id=authority_id, name=name, start_date=start_date, end_date=end_date
    )
    save_new(inspection, by=by)
    before = snapshot(inspection)
    inspection.inspectors.set(inspectors)
    save_change(inspection, by=by, before=before)
    return inspection


def _open_cases(authority_id, *, stage: str = "", on: date):
    cases = Case.objects.filter(authority_id=authority_id, closure_date__isnull=True)
    cases = cases.exclude(child__in=Seal.objects.filter(unsealed_at__isnull=True).values("person"))
    if stage:
        cases = with_stage(cases, on=on).filter(stage=stage)
    return cases


@transaction.atomic
def inspection_sample(
    *,
    by,
    inspection: Inspection,
    chosen=(),
    size: int = 0,
    seed: int | None = None,
    stage: str = "",
    today: date | None = None,
) -> list[InspectedCase]:
    """Add case files to an inspection's sample: ``chosen``, the children named in advance
    (their local child ids: each child's open case, or their latest), and ``size`` more drawn
    at random from ``seed`` among the authority's other open cases (of ``stage`` only, when
    given: the inspectors' criteria). Sealed records are never sampled: an inspector may not
    read them. Raises ``ApplicationError`` and adds nothing if any of it is wrong."""
    if not permissions.can(by, Action.DRAW_INSPECTION_SAMPLE, inspection):
        raise PermissionDenied("A service manager draws an inspection's sample")
    today = today or timezone.localdate()
    chosen = list(dict.fromkeys(c.strip() for c in chosen if c.strip()))
    if not chosen and not size:
        raise ApplicationError("Name the children chosen in advance, or how many to draw.")
    if size and seed is None:
        raise ApplicationError("Give the seed to draw with.", field="seed")
    if stage and stage not in STAGE_BY_CODE:
        raise ApplicationError("Choose a stage from the list.", field="stage")
    already = set(inspection.sample.values_list("case_id", flat=True))
    if len(already) + len(chosen) + size > MAX_INSPECTION_SAMPLE:
        raise ApplicationError(f"A sample may hold at most {MAX_INSPECTION_SAMPLE} case files.")
    authority_id = inspection.authority_id
    added: list[InspectedCase] = []
    named = _chosen_cases(by, authority_id, chosen)
    for case in named:
        if case.pk in already:
            continue
        added.append(InspectedCase(inspection=inspection, case=case, how=InspectedCase.How.CHOSEN))
        already.add(case.pk)
    if size:
        pool = [
            (case_id, None)
            for case_id in _open_cases(authority_id, stage=stage, on=today)
            .exclude(pk__in=already)
            .values_list("pk", flat=True)
        ]
        drawn = sampling.draw(pool, size=size, seed=seed)
        if len(drawn) < size:
            raise ApplicationError(
                f"Only {len(drawn)} open case files can be drawn: ask for fewer.", field="size"
            )
        cases = Case.objects.in_bulk([case_id for case_id, _ in drawn])
        for case_id, _ in drawn:
            added.append(
                InspectedCase(
                    inspection=inspection, case=cases[case_id], how=InspectedCase.How.RANDOM,
                    seed=seed,
                )
            )  # fmt: skip
    for item in added:
        save_new(item, by=by, person_id=item.case.child_id)
    return added


def _chosen_cases(by, authority_id, local_ids: list[str]) -> list[Case]:
    """Each named child's open case (or their latest), checked: every id a child the user
    may see, with a case, and not a sealed record."""
    if not local_ids:
        return []
    visible = people_permissions.visible_to(by).filter(la_child_id__in=local_ids)
    children = {p.la_child_id: p for p in visible}
    unknown = [i for i in local_ids if i not in children]
    if unknown:
        raise ApplicationError(f"No child with the local id {', '.join(unknown)}.", field="chosen")
    sealed = set(
        Seal.objects.filter(
            unsealed_at__isnull=True, person__in=list(children.values())
        ).values_list("person__la_child_id", flat=True)
    )
    if sealed:
        raise ApplicationError(
            f"{', '.join(sorted(sealed))}: a restricted record, which inspectors may not read.",
            field="chosen",
        )
    cases = {}
    newest_first = Case.objects.filter(
        authority_id=authority_id, child__in=children.values()
    ).order_by("-referral_date", "pk")
    for case in newest_first:
        # The newest open case, or else the newest case.
        best = cases.get(case.child_id)
        if best is None or (best.closure_date is not None and case.closure_date is None):
            cases[case.child_id] = case
    missing = [i for i in local_ids if children[i].pk not in cases]
    if missing:
        raise ApplicationError(f"No case file for {', '.join(missing)}.", field="chosen")
    return [cases[children[i].pk] for i in local_ids]


# --- Dip samples of the front door's decisions (decision 0063) --------------------------------


def dip_why(outcome: str, suggested: str) -> str:
    """Why a decided contact may be dip-sampled: its outcome was no further action, or it
    departed from what its threshold level suggests (the manager agreed it); "" otherwise.
    No level suggests no further action, so every such decision is counted as that kind."""
    if outcome == ContactOutcome.NO_FURTHER_ACTION:
        return DipItem.Why.NO_FURTHER_ACTION
    if (
        outcome
        and suggested
        and outcome != suggested
        and outcome != ContactOutcome.PASSED_TO_WORKER
    ):
        return DipItem.Why.DEPARTURE
    return ""


def dip_candidates(authority_id, first_day: date, last_day: date) -> list[tuple]:
    """(contact id, why) of the authority's contacts decided from ``first_day`` to
    ``last_day`` that were no further action or a departure from the threshold, and not
    already drawn into one of its dip samples (a decision is checked once)."""
    drawn = DipItem.objects.filter(sample__authority_id=authority_id).values("contact_id")
    rows = (
        Contact.objects.filter(
            authority_id=authority_id, decision_date__range=(first_day, last_day)
        )
        .exclude(outcome="")
        .exclude(pk__in=drawn)
        .values_list("pk", "outcome", "suggested_outcome")
    )
    pairs = [(pk, dip_why(outcome, suggested)) for pk, outcome, suggested in rows]
    return [pair for pair in pairs if pair[1]]


@transaction.atomic
def dip_sample_draw(
    *, by, first_day: date, last_day: date, size: int, seed: int, today: date | None = None
) -> DipSample:
    """Draw ``size`` of the front door's no-further-action decisions and ``size`` of its
    departures from the threshold (all of a kind, when fewer), decided from ``first_day`` to
    ``last_day``, at random from ``seed``: the same decisions and seed always draw the same
    contacts. A service manager draws; refused (nothing saved) for a period in the wrong order
    or not over yet, a size outside 1 to 50, or a period with nothing to draw."""
    if not permissions.can(by, Action.DRAW_DIP):
        raise PermissionDenied("A service manager draws a dip sample of the front door")
    today = today or timezone.localdate()
    if first_day is None:
        raise ApplicationError("Enter the first day of the period", field="first_day")
    if last_day is None:
        raise ApplicationError("Enter the last day of the period", field="last_day")
    if last_day < first_day:
        raise ApplicationError("The last day cannot be before the first", field="last_day")
    if last_day > today:
        raise ApplicationError("The period cannot end in the future", field="last_day")
    if size is None or not 1 <= size <= MAX_SAMPLE:
        raise ApplicationError(
            f"Choose between 1 and {MAX_SAMPLE} decisions of each kind", field="size"
        )
    authority_id = by.agency.authority_id
    chosen = sampling.draw(
        dip_candidates(authority_id, first_day, last_day), size=size, seed=seed, stratified=True
    )
    if not chosen:
        earlier = DipItem.objects.filter(
            sample__authority_id=authority_id,
            contact__decision_date__range=(first_day, last_day),
        ).exists()
        raise ApplicationError(
            "Every decision of the period that could be drawn is already in a dip sample"
            if earlier
            else "No decision of the period was no further action or a threshold departure",
            field="first_day",
        )
    sample = DipSample(
        authority_id=authority_id,
        first_day=first_day,
        last_day=last_day,
        size=size,
        seed=seed,
        drawn_by=by,
        drawn_at=timezone.now(),
    )
    save_new(sample, by=by)
    children = dict(
        Contact.objects.filter(pk__in=[pk for pk, _ in chosen]).values_list("pk", "child_id")
    )
    for contact_id, why in chosen:
        item = DipItem(sample=sample, contact_id=contact_id, why=why)
        save_new(item, by=by, person_id=children[contact_id])
    return sample


@transaction.atomic
def dip_check_record(*, by, item: DipItem, agree: bool, note: str = "") -> DipItem:
    """A manager's check of one decision drawn: agree or disagree with it (saying why when
    disagreeing). Nobody checks a decision they made or authorised; each is checked once."""
    item = DipItem.objects.select_for_update().select_related("sample", "contact").get(pk=item.pk)
    if permissions.made_the_decision(by, item.contact):
        raise PermissionDenied("Nobody checks a decision they made or authorised")
    if not permissions.can(by, Action.CHECK_DIP, item):
        if item.is_checked and permissions.can(by, Action.SEE_DIP, item.sample):
            raise ApplicationError("This decision has already been checked")
        raise PermissionDenied("A manager of the authority checks the front door's decisions")
    if agree not in (True, False):
        raise ApplicationError("Say whether you agree with the decision", field="agree")
    note = (note or "").strip()
    if not agree and not note:
        raise ApplicationError("Say why you disagree with the decision", field="note")
    before = snapshot(item)
    item.agrees = agree
    item.note = note
    item.checked_by = by
    item.checked_at = timezone.now()
    save_change(item, by=by, before=before, person_id=item.contact.child_id)
    if not agree:
        # Fed back to whoever made the decision and the manager who agreed it; the notice is
        # emailed, so it says only where to read why.
        notify(
            users=[item.contact.decided_by, item.contact.manager],
            subject="A manager disagreed with a front-door decision",
            body=(
                f"{by} checked a front-door decision of {item.contact.decision_date:%d %B %Y} "
                "that you made or agreed, in a dip sample, and disagreed with it. Their "
                "reasons are on your page of audits of your practice."
            ),
            url=reverse("assurance:mine") + "#front-door-checks",
        )
    return item
