"""Changes to a child's early help: starting and completing an early help assessment, and
starting, reviewing and ending a team around the family.

Every service takes ``by=``, runs in one transaction, refuses bad input or an impossible
sequence with an ``ApplicationError`` that says why (nothing is stored), and writes its change
event. Completing an assessment, starting a team around the family and ending one go on the
child's chronology, through the same ``chronology_add`` every step uses.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.casework import permissions as case_permissions
from safeguard.casework import services as casework
from safeguard.casework.models import Case
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.directory.codes import Need
from safeguard.earlyhelp import permissions
from safeguard.earlyhelp.codes import AssessmentOutcome, HandoverDirection, TAFEndReason
from safeguard.earlyhelp.models import (
    CAF_DOMAINS,
    EarlyHelpAssessment,
    Handover,
    TAFReview,
    TeamAroundFamily,
)
from safeguard.earlyhelp.permissions import Action
from safeguard.people import services as people_services
from safeguard.people.models import ADULT_AGE, Person
from safeguard.referrals.models import Contact, ContactOutcome

MAX_TEXT = 200


# --- Shared rules -------------------------------------------------------------------------------


def require(user, action: Action, child: Person) -> None:
    if not permissions.can(user, action, child):
        raise PermissionDenied("You cannot record early help for this child")


def check_child_date(child: Person, day: date | None, *, label: str, field: str) -> None:
    """A date in the child's early help: given, not in the future, not before the birth."""
    casework.check_date(day, label=label, field=field)
    if child.date_of_birth and day < child.date_of_birth:
        raise ApplicationError(
            f"The {label} cannot be before {child.full_name} was born "
            f"({child.date_of_birth:%d %B %Y})",
            field=field,
        )


def _check_is_child(child: Person, on: date, field: str) -> None:
    age = child.age_on(on)
    if age is not None and age >= ADULT_AGE:
        raise ApplicationError(
            f"Early help is for children: {child.full_name} was {age} on {on:%d %B %Y}",
            field=field,
        )


def _text(value: str | None, *, label: str, field: str, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(required, field=field)
    if len(text) > MAX_TEXT:
        raise ApplicationError(f"The {label} must be {MAX_TEXT} characters or fewer", field=field)
    return text


def _lead(
    child: Person,
    *,
    lead_user,
    lead_name: str,
    lead_agency: str,
    lead_role: str,
    by=None,
    consent_given: bool = False,
    on: date | None = None,
) -> dict:
    """The lead professional's fields. A chosen user fills in whatever was left blank, and
    must be someone who may record this child's early help (so they can see their own work).

    The lead may come from any agency that leads early help (decision 0081): a practitioner
    of a school, health or voluntary sector agency not yet involved with the child becomes
    involved as the lead, when the family has consented (``by`` records it, on ``on``)."""
    if lead_user is not None:
        if (
            not permissions.can(lead_user, Action.RECORD, child)
            and by is not None
            and consent_given
            and permissions.may_become_lead(lead_user, child)
        ):
            people_services.lead_involvement_add(
                by=by, person=child, worker=lead_user, start_date=on
            )
        if not permissions.can(lead_user, Action.RECORD, child):
            raise ApplicationError(
                f"{lead_user} cannot record early help for {child.full_name}: choose someone "
                "involved with the child, or enter the lead professional's details without "
                "choosing a user",
                field="lead_user",
            )
        lead_name = (lead_name or "").strip() or str(lead_user)
        lead_agency = (lead_agency or "").strip() or lead_user.agency.name
        lead_role = (lead_role or "").strip() or (
            lead_user.job_title or lead_user.get_role_display()
        )
    return {
        "lead_user": lead_user,
        "lead_name": _text(
            lead_name,
            label="lead professional's name",
            field="lead_name",
            required="Enter the lead professional's name, or choose them from the list",
        ),
        "lead_agency": _text(
            lead_agency,
            label="lead professional's agency",
            field="lead_agency",
            required="Enter the lead professional's agency",
        ),
        "lead_role": _text(lead_role, label="lead professional's role", field="lead_role"),
    }


def _clean_members(members: Iterable[dict], lead: dict) -> list[dict]:
    """The team's members as {agency, name, role}; the lead professional is always one."""
    clean = []
    for row in members or []:
        agency = (row.get("agency") or "").strip()
        name = (row.get("name") or "").strip()
        role = (row.get("role") or "").strip()
        if not (agency or name):
            continue
        if not agency:
            raise ApplicationError(f"Enter the agency of {name}", field="members")
        if max(len(agency), len(name), len(role)) > MAX_TEXT:
            raise ApplicationError(
                f"Each member's agency, name and role must be {MAX_TEXT} characters or fewer",
                field="members",
            )
        clean.append({"agency": agency, "name": name, "role": role})
    if not any(m["name"].lower() == lead["lead_name"].lower() for m in clean):
        clean.insert(
            0, {"agency": lead["lead_agency"], "name": lead["lead_name"], "role": lead["lead_role"]}
        )
    return clean


def _check_step_down(by, child: Person, case: Case | None, day: date, field: str) -> None:
    if case is None:
        return
    if case.child_id != child.pk:
        raise ApplicationError("That case is about another child", field=field)
    if not case_permissions.can(by, case_permissions.Action.VIEW, case):
        raise PermissionDenied("You cannot see that case")
    if day < case.referral_date:
        raise ApplicationError(
            f"The case it stepped down from was referred on {case.referral_date:%d %B %Y}: "
            "early help cannot start before that",
            field=field,
        )


# --- Early help assessments ---------------------------------------------------------------------


@transaction.atomic
def eha_start(
    *,
    by,
    child: Person,
    start_date: date,
    consent_given: bool,
    consent_date: date | None,
    organisation=None,
    organisation_other: str = "",
    lead_user=None,
    lead_name: str = "",
    lead_agency: str = "",
    lead_role: str = "",
    needs: str = "",
    contact: Contact | None = None,
    stepped_down_from: Case | None = None,
    consent_by: str = "",
    consent_not_sought_reason: str = "",
    identified_needs: Iterable[str] = (),
    **domains: str,
) -> EarlyHelpAssessment:
    """Start an early help assessment: with the family's consent (its date and who gave it),
    or saying why consent was not sought. ``domains``: the strengths and needs written under
    each of the common assessment framework's domains (``CAF_DOMAINS``)."""
    require(by, Action.RECORD, child)
    check_child_date(child, start_date, label="start date", field="start_date")
    _check_is_child(child, start_date, "start_date")
    # Serialise starts for the child, so that two cannot both pass the check below.
    Person.objects.select_for_update().filter(pk=child.pk).first()
    current = EarlyHelpAssessment.objects.filter(child=child, completed_date__isnull=True).first()
    if current is not None:
        raise ApplicationError(
            f"{child.full_name} already has an early help assessment in progress (started "
            f"{current.start_date:%d %B %Y}): complete it before starting another"
        )
    if organisation is not None and organisation.authority_id != child.authority_id:
        raise ApplicationError("Choose an organisation from the list", field="organisation")
    organisation_other = _text(
        organisation_other if organisation is None else "",
        label="organisation's name",
        field="organisation_other",
    )
    if organisation is None and not organisation_other:
        raise ApplicationError(
            "Choose the organisation completing the assessment, or enter its name",
            field="organisation",
        )
    consent = _consent(
        child,
        consent_given=consent_given,
        consent_date=consent_date,
        consent_by=consent_by,
        consent_not_sought_reason=consent_not_sought_reason,
        start_date=start_date,
    )
    caf = _caf(identified_needs, domains)
    if contact is not None:
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.child_id != child.pk:
            raise ApplicationError("That contact is about another child", field="contact")
        if contact.outcome != ContactOutcome.EARLY_HELP:
            raise ApplicationError("That contact was not decided as early help", field="contact")
        if EarlyHelpAssessment.objects.filter(contact=contact).exists():
            raise ApplicationError(
                "That contact already has an early help assessment", field="contact"
            )
        diverted = contact.decision_date or contact.contact_date
        if start_date < diverted:
            raise ApplicationError(
                f"The assessment cannot start before the front door decided the contact "
                f"({diverted:%d %B %Y})",
                field="start_date",
            )
    _check_step_down(by, child, stepped_down_from, start_date, "stepped_down_from")
    lead = _lead(
        child,
        lead_user=lead_user,
        lead_name=lead_name,
        lead_agency=lead_agency,
        lead_role=lead_role,
        by=by,
        consent_given=consent["consent_given"],
        on=start_date,
    )
    assessment = EarlyHelpAssessment(
        child=child,
        authority_id=child.authority_id,
        start_date=start_date,
        organisation=organisation,
        organisation_other=organisation_other,
        needs=(needs or "").strip(),
        contact=contact,
        stepped_down_from=stepped_down_from,
        **consent,
        **caf,
        **lead,
    )
    save_new(assessment, by=by, person_id=child.pk)
    if stepped_down_from is not None:
        _hand_down(
            by=by, case=stepped_down_from, child=child, day=start_date, assessment=assessment
        )
    return assessment


def _consent(
    child: Person,
    *,
    consent_given,
    consent_date,
    consent_by: str,
    consent_not_sought_reason: str,
    start_date: date,
) -> dict:
    """Consent given (its date and who gave it), or why it was not sought (required then)."""
    if consent_given is None or consent_given == "":
        raise ApplicationError("Say whether the family has consented", field="consent_given")
    if not consent_given:
        reason = (consent_not_sought_reason or "").strip()
        if not reason:
            raise ApplicationError(
                "Say why consent was not sought: early help is voluntary, so the reason is "
                "kept with the assessment",
                field="consent_not_sought_reason",
            )
        return {
            "consent_given": False,
            "consent_date": None,
            "consent_by": "",
            "consent_not_sought_reason": reason,
        }
    check_child_date(child, consent_date, label="date consent was given", field="consent_date")
    if consent_date > start_date:
        raise ApplicationError(
            "Consent must be given before the assessment starts: check the dates",
            field="consent_date",
        )
    return {
        "consent_given": True,
        "consent_date": consent_date,
        "consent_by": _text(consent_by, label="name of who gave consent", field="consent_by"),
        "consent_not_sought_reason": "",
    }


CAF_TEXT_FIELDS = tuple(
    f"{key}_{part}" for key, _, _ in CAF_DOMAINS for part in ("strengths", "needs")
)


def _caf(identified_needs: Iterable[str], domains: dict) -> dict:
    """The assessment's domains: strengths and needs written under each, and the needs
    identified as codes of the directory's list."""
    unknown = set(domains) - set(CAF_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    codes = list(dict.fromkeys(identified_needs or ()))
    if any(code not in Need.values for code in codes):
        raise ApplicationError(
            "Choose the needs identified from the list", field="identified_needs"
        )
    return {"identified_needs": codes} | {
        field: (domains.get(field) or "").strip() for field in CAF_TEXT_FIELDS
    }


@transaction.atomic
def eha_complete(
    *,
    by,
    assessment: EarlyHelpAssessment,
    completed_date: date,
    outcome: str,
    needs: str | None = None,
    version: int | None = None,
) -> EarlyHelpAssessment:
    """Complete the assessment with its outcome; it goes on the child's chronology."""
    child = assessment.child
    require(by, Action.RECORD, child)
    assessment = EarlyHelpAssessment.objects.select_for_update().get(pk=assessment.pk)
    expect_version(assessment, version)
    assessment.child = child
    if assessment.is_complete:
        raise ApplicationError(
            f"This assessment was already completed on {assessment.completed_date:%d %B %Y}"
        )
    check_child_date(child, completed_date, label="completion date", field="completed_date")
    if completed_date < assessment.start_date:
        raise ApplicationError(
            f"The assessment cannot be completed before it started "
            f"({assessment.start_date:%d %B %Y})",
            field="completed_date",
        )
    if outcome not in AssessmentOutcome.values:
        raise ApplicationError("Choose the outcome of the assessment", field="outcome")
    needs = (assessment.needs if needs is None else needs).strip()
    if not needs:
        raise ApplicationError("Enter the summary of the child's and family's needs", field="needs")
    before = snapshot(assessment)
    assessment.completed_date = completed_date
    assessment.outcome = outcome
    assessment.needs = needs
    save_change(assessment, by=by, before=before, verb=ChangeVerb.ENDED, person_id=child.pk)
    casework.chronology_add(
        by=by,
        child=child,
        event_date=completed_date,
        what=(
            f"Early help assessment completed by {assessment.organisation_name}: "
            f"{AssessmentOutcome(outcome).label.lower()}"
        ),
        source_agency=assessment.organisation_name,
        outcome=AssessmentOutcome(outcome).label,
        source=casework.EndMarker(assessment),
    )
    if outcome == AssessmentOutcome.STEP_UP:
        _hand_up(by=by, child=child, day=completed_date, assessment=assessment)
    return assessment


# --- Teams around the family ----------------------------------------------------------------


@transaction.atomic
def taf_start(
    *,
    by,
    child: Person,
    start_date: date,
    lead_user=None,
    lead_name: str = "",
    lead_agency: str = "",
    lead_role: str = "",
    plan: str = "",
    members: Iterable[dict] = (),
    assessment: EarlyHelpAssessment | None = None,
    stepped_down_from: Case | None = None,
) -> TeamAroundFamily:
    """Start a team around the family. A child has one at a time, and none while children's
    social care has the child's case open: a step-down starts once the case has closed."""
    require(by, Action.RECORD, child)
    check_child_date(child, start_date, label="start date", field="start_date")
    _check_is_child(child, start_date, "start_date")
    Person.objects.select_for_update().filter(pk=child.pk).first()
    current = TeamAroundFamily.objects.filter(child=child, end_date__isnull=True).first()
    if current is not None:
        raise ApplicationError(
            f"{child.full_name} already has a team around the family (since "
            f"{current.start_date:%d %B %Y}): end it before starting another"
        )
    if (
        TeamAroundFamily.objects.filter(child=child)
        .filter(Q(end_date__gt=start_date) | Q(start_date__gt=start_date))
        .exists()
    ):
        raise ApplicationError(
            "The start date falls inside or before an earlier team around the family",
            field="start_date",
        )
    open_case = Case.objects.filter(child=child, closure_date__isnull=True).first()
    if open_case is not None:
        # Partners may not see the case file: they are told only that there is a case.
        referred = (
            f" (referred {open_case.referral_date:%d %B %Y})"
            if case_permissions.can(by, case_permissions.Action.VIEW, open_case)
            else ""
        )
        raise ApplicationError(
            f"{child.full_name} has an open children's social care case{referred}: step down "
            "to a team around the family when it closes"
        )
    if stepped_down_from is not None:
        _check_step_down(by, child, stepped_down_from, start_date, "stepped_down_from")
        latest = (
            Case.objects.filter(child=child, closure_date__isnull=False)
            .order_by("-closure_date", "-referral_date")
            .first()
        )
        if latest is None or latest.pk != stepped_down_from.pk:
            raise ApplicationError(
                "A team around the family steps down only from the child's latest closed case",
                field="stepped_down_from",
            )
        if start_date < latest.closure_date:
            raise ApplicationError(
                f"The team around the family cannot start before the case closed "
                f"({latest.closure_date:%d %B %Y})",
                field="start_date",
            )
    if assessment is not None:
        if assessment.child_id != child.pk:
            raise ApplicationError("That assessment is about another child", field="assessment")
        if start_date < assessment.start_date:
            raise ApplicationError(
                f"The team around the family cannot start before its assessment "
                f"({assessment.start_date:%d %B %Y})",
                field="start_date",
            )
    lead = _lead(
        child,
        lead_user=lead_user,
        lead_name=lead_name,
        lead_agency=lead_agency,
        lead_role=lead_role,
        by=by,
        consent_given=bool(assessment is not None and assessment.consent_given),
        on=start_date,
    )
    taf = TeamAroundFamily(
        child=child,
        authority_id=child.authority_id,
        assessment=assessment,
        stepped_down_from=stepped_down_from,
        start_date=start_date,
        plan=(plan or "").strip(),
        members=_clean_members(members, lead),
        **lead,
    )
    save_new(taf, by=by, person_id=child.pk)
    if stepped_down_from is not None:
        _hand_down(by=by, case=stepped_down_from, child=child, day=start_date, taf=taf)
    casework.chronology_add(
        by=by,
        child=child,
        event_date=start_date,
        what=f"Team around the family started, led by {taf.lead_professional}",
        source_agency=lead["lead_agency"],
        source=taf,
    )
    return taf


@transaction.atomic
def taf_review_record(*, by, taf: TeamAroundFamily, review_date: date, progress: str) -> TAFReview:
    child = taf.child
    require(by, Action.RECORD, child)
    # The team as it is now (the caller's copy may predate its ending).
    taf = TeamAroundFamily.objects.select_for_update().get(pk=taf.pk)
    check_child_date(child, review_date, label="review date", field="review_date")
    if review_date < taf.start_date:
        raise ApplicationError(
            f"The review cannot be before the team around the family started "
            f"({taf.start_date:%d %B %Y})",
            field="review_date",
        )
    if taf.end_date is not None and review_date > taf.end_date:
        raise ApplicationError(
            f"The team around the family ended on {taf.end_date:%d %B %Y}", field="review_date"
        )
    if not (progress or "").strip():
        raise ApplicationError("Enter the progress made and what the team agreed", field="progress")
    review = TAFReview(taf=taf, review_date=review_date, progress=progress.strip())
    save_new(review, by=by, person_id=child.pk)
    return review


@transaction.atomic
def taf_end(
    *,
    by,
    taf: TeamAroundFamily,
    end_date: date,
    end_reason: str,
    end_notes: str = "",
    version: int | None = None,
) -> TeamAroundFamily:
    """End the team around the family. Ending it to step up does not refer the child: the
    front door still needs a contact (the page says so)."""
    child = taf.child
    require(by, Action.RECORD, child)
    taf = TeamAroundFamily.objects.select_for_update().get(pk=taf.pk)
    expect_version(taf, version)
    taf.child = child
    if taf.end_date is not None:
        raise ApplicationError(
            f"The team around the family already ended on {taf.end_date:%d %B %Y}"
        )
    check_child_date(child, end_date, label="end date", field="end_date")
    if end_date < taf.start_date:
        raise ApplicationError(
            f"The team around the family cannot end before it started ({taf.start_date:%d %B %Y})",
            field="end_date",
        )
    last = taf.reviews.order_by("-review_date").values_list("review_date", flat=True).first()
    if last is not None and end_date < last:
        raise ApplicationError(
            f"The team around the family cannot end before its last review ({last:%d %B %Y})",
            field="end_date",
        )
    if end_reason not in TAFEndReason.values:
        raise ApplicationError("Choose why the team around the family ended", field="end_reason")
    end_notes = (end_notes or "").strip()
    if end_reason == TAFEndReason.OTHER and not end_notes:
        raise ApplicationError("Say why the team around the family ended", field="end_notes")
    before = snapshot(taf)
    taf.end_date, taf.end_reason, taf.end_notes = end_date, end_reason, end_notes
    save_change(taf, by=by, before=before, verb=ChangeVerb.ENDED, person_id=child.pk)
    casework.chronology_add(
        by=by,
        child=child,
        event_date=end_date,
        what=f"Team around the family ended: {TAFEndReason(end_reason).label.lower()}",
        source_agency=taf.lead_agency,
        outcome=end_notes,
        source=casework.EndMarker(taf),
    )
    if end_reason == TAFEndReason.STEPPED_UP:
        _hand_up(by=by, child=child, day=end_date, assessment=taf.assessment, taf=taf)
    return taf


# --- A partner starts early help for a child new to Safeguard ---------------------------------


class PossiblyKnown(ApplicationError):
    """The child may already have a record the partner may not see: nothing is created, and
    the front door is asked to link the partner to the child (decision 0081)."""


CHILD_FIELDS = ("given_names", "family_name", "date_of_birth", "sex", "nhs_number")


def eha_start_for_new_child(*, by, child: dict, **assessment) -> EarlyHelpAssessment:
    """Create the child's record, record ``by``'s involvement with them, and start their early
    help assessment: all three or none.

    The duplicate check runs across the whole authority, not only the children ``by`` may
    see. A possible match refuses the creation (``PossiblyKnown``) with one sentence that
    says nothing of the match, and the front door's managers are told, so that they link the
    partner to the child (an involvement) if it is the same child. That notice is sent in its
    own transaction, so that it stands though the creation is refused."""
    from safeguard.people import selectors as people_selectors

    unknown = set(child) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child fields: {sorted(unknown)}")
    if not permissions.starts_for_new_child(by):
        raise PermissionDenied("You cannot create records")
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in child.items()}
    for field, message in (
        ("given_names", "Enter the child's first name"),
        ("family_name", "Enter the child's last name"),
        ("date_of_birth", "Enter the child's date of birth"),
    ):
        if not fields.get(field):
            raise ApplicationError(message, field=field)
    if people_selectors.known_elsewhere(
        user=by,
        family_name=fields["family_name"],
        date_of_birth=fields["date_of_birth"],
        nhs_number=fields.get("nhs_number") or "",
    ):
        _ask_front_door_to_link(by, fields)
        raise PossiblyKnown(
            "A child with these details may already be known to children's social care, so no "
            "new record was made. The front door has been asked to check and link you to the "
            "child: you will be able to start the assessment from their record once they have."
        )
    start_date = assessment.get("start_date")
    if start_date is None:
        raise ApplicationError("Enter the start date", field="start_date")
    with transaction.atomic():
        if permissions.is_partner(by):
            person = people_services.person_create_involved(
                by=by,
                involvement_role=by.job_title or "Early help",
                start_date=start_date,
                **fields,
            )
        else:  # social care sees every child of its authority: no involvement needed
            person = people_services.person_create(by=by, **fields)
        return eha_start(by=by, child=person, **assessment)


def _ask_front_door_to_link(by, fields: dict) -> None:
    """Tell the team managers of the authority's children's social care (the front door's
    deciders) that a partner asks to be linked to a child who may be known. The notice holds
    only what the partner typed."""
    from safeguard.accounts.models import AgencyKind, Role, User
    from safeguard.notices.services import notify

    managers = User.objects.filter(
        is_active=True,
        role=Role.TEAM_MANAGER,
        agency__authority_id=by.agency.authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    )
    born = fields["date_of_birth"]
    nhs = f", NHS number {fields['nhs_number']}" if fields.get("nhs_number") else ""
    notify(
        users=list(managers),
        subject="A partner asks to be linked to a child for early help",
        body=(
            f"{by.get_full_name() or by}, {by.agency.name}, wants to start an early help "
            f"assessment for {fields['given_names']} {fields['family_name']}, born "
            f"{born:%d %B %Y}{nhs}. A record with similar details already exists. If it is the "
            "same child, record their agency's involvement on the child's record so that they "
            "can start the assessment; if not, tell them to create the record."
        ),
        url="/people/search/",
    )


# --- Handovers at step-up and step-down ----------------------------------------------------------


def _hand_up(*, by, child: Person, day: date, assessment=None, taf=None) -> Handover:
    """Early help steps up to the front door: the assessment and the team's plan are handed
    over, for the front door to acknowledge and link to its contact."""
    parts = []
    if assessment is not None:
        parts.append(
            f"Early help assessment started {assessment.start_date:%d %B %Y} by "
            f"{assessment.organisation_name}"
            + (f". Needs: {assessment.needs}" if assessment.needs else "")
        )
    if taf is not None:
        parts.append(
            f"Team around the family from {taf.start_date:%d %B %Y}, led by "
            f"{taf.lead_professional}" + (f". The plan: {taf.plan}" if taf.plan else "")
        )
    lead = taf or assessment
    handover = Handover(
        child=child,
        authority_id=child.authority_id,
        direction=HandoverDirection.STEP_UP,
        handover_date=day,
        from_side=f"Early help: {lead.lead_professional}" if lead else "Early help",
        to_side="Children's social care front door",
        handed_over="\n\n".join(parts) or "Early help records",
        assessment=assessment,
        taf=taf,
    )
    save_new(handover, by=by, person_id=child.pk)
    return handover


def _hand_down(*, by, case: Case, child: Person, day: date, assessment=None, taf=None) -> Handover:
    """Social care steps down to early help: the case's latest summary (the worries, what
    is working well, what needs to happen) and its latest child in need plan are handed to
    the early help lead."""
    summary = case.summaries.order_by("-number").first()
    plan = case.cin_plans.order_by("-start_date").first()
    parts = []
    if summary is not None:
        parts.append(
            f"Case summary (version {summary.number}). What we are worried about: "
            f"{summary.worries}\nWhat is working well: {summary.working_well}\n"
            f"What needs to happen: {summary.next_steps}"
        )
    if plan is not None:
        parts.append(
            f"Child in need plan from {plan.start_date:%d %B %Y}: "
            + (plan.summary or plan.outcomes or "no summary written")
        )
    lead = assessment or taf
    handover = Handover(
        child=child,
        authority_id=child.authority_id,
        direction=HandoverDirection.STEP_DOWN,
        handover_date=day,
        from_side=f"Children's social care: case referred {case.referral_date:%d %B %Y}",
        to_side=f"Early help: {lead.lead_professional}",
        to_user=lead.lead_user,
        handed_over="\n\n".join(parts) or "The case had no summary nor plan written",
        assessment=assessment,
        taf=taf,
        case=case,
    )
    save_new(handover, by=by, person_id=child.pk)
    return handover


@transaction.atomic
def handover_acknowledge(
    *, by, handover: Handover, contact: Contact | None = None, version: int | None = None
) -> Handover:
    """The receiving side acknowledges a handover. A step-up is acknowledged by the front
    door (who record contacts), naming the contact it is deciding; a step-down by those who
    record the child's early help."""
    from safeguard.referrals import permissions as referral_permissions

    child = handover.child
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    expect_version(handover, version)
    if not permissions.may_acknowledge(by, handover, child):
        raise PermissionDenied("You cannot acknowledge this handover")
    if handover.is_acknowledged:
        raise ApplicationError(
            f"This handover was already acknowledged on {handover.acknowledged_at:%d %B %Y}"
        )
    before = snapshot(handover)
    if handover.direction == HandoverDirection.STEP_UP:
        if contact is None:
            raise ApplicationError(
                "Choose the contact the front door is deciding about this step-up", field="contact"
            )
        if contact.child_id != child.pk:
            raise ApplicationError("That contact is about another child", field="contact")
        if not referral_permissions.can(by, referral_permissions.Action.VIEW, child):
            raise PermissionDenied("You cannot see that contact")
        handover.contact = contact
    handover.acknowledged_by = by
    handover.acknowledged_at = timezone.now()
    handover.child = child
    save_change(handover, by=by, before=before, person_id=child.pk)
    return handover
