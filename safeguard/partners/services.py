"""Answering a child-protection lookup, issuing and revoking the organisations' API keys,
partners' referrals to the front door (sent, recorded as a contact, and the outcome told), and
information requests (sent by social care to a partner agency, answered by it once)."""

import secrets
from datetime import date
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from safeguard.accounts.models import Agency, AgencyKind, User
from safeguard.accounts.roles import PARTNER_ROLES, RECORDING_ROLES, Role
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.casework.codes import Priority, ReferralSource
from safeguard.casework.models import Case
from safeguard.casework.services import agency_name, check_date, chronology_add
from safeguard.core.concurrency import expect_version
from safeguard.core.errors import ApplicationError
from safeguard.notices.services import notify
from safeguard.partners import permissions, selectors
from safeguard.partners.models import (
    AgencyProgress,
    ApiKey,
    Article6Basis,
    Article9Condition,
    Attendance,
    ConferenceKind,
    Consent,
    InformationAnswer,
    InformationRequest,
    InformationSharingDecision,
    InvitationReport,
    Lookup,
    LookupWay,
    PartnerReferral,
    RequestStage,
    Scope,
    Setting,
    SharingConsent,
    SharingDecision,
    StatutoryGateway,
    StepInvitation,
    StepKind,
    Urgency,
    hash_key,
)
from safeguard.partners.permissions import Action
from safeguard.partners.selectors import Found, Search
from safeguard.people import identifiers
from safeguard.people import permissions as people_permissions
from safeguard.people.models import Person
from safeguard.people.services import person_create
from safeguard.protection import permissions as protection_permissions
from safeguard.protection import services as protection_services
from safeguard.protection.models import ActionStatus, PlanAction, PlanActionProgress
from safeguard.referrals.models import Contact, ContactOutcome
from safeguard.referrals.services import contact_record

KEY_PREFIX = "sgk_"
MAX_RATE_LIMIT = 120_000  # 2,000 calls a second: a whole region's systems through one key


def _who(*, by, api_key, clinician_name: str) -> str:
    if api_key is None:
        agency = by.agency.name if by.agency_id else ""
        return f"{by.get_full_name() or by.username} ({agency})" if agency else str(by)
    name = clinician_name.strip() or "A clinician"
    return f"{name} of {api_key.organisation.name} (through the API, key {api_key.prefix})"


def _tell(found: Found, *, by, api_key, setting: str, clinician_name: str) -> int:
    """Tell the child's allocated worker and line manager, at once, who looked them up."""
    people = [u for u in found.to_notify if u is not None]
    if not people:
        return 0
    child = found.person
    if setting:
        label = Setting(setting).label.lower()
        where = f"{'an' if label[0] in 'aeiou' else 'a'} {label}"
    else:
        where = "an unscheduled-care setting"
    when = timezone.localtime()
    body = (
        f"{_who(by=by, api_key=api_key, clinician_name=clinician_name)} looked up "
        f"{child.full_name} in {where} at "
        f"{when:%H:%M} on {when:%-d %B %Y}, in the child-protection lookup for unscheduled "
        f"care. They were told: {found.status.message}"
    )
    sent = notify(
        users=people,
        subject=f"Child-protection lookup: {child.full_name}",
        body=body,
        url=reverse("people:detail", kwargs={"person_id": child.pk}),
    )
    return len(sent)


@transaction.atomic
def cp_lookup(
    *,
    by,
    search: Search,
    way: str = LookupWay.WEB,
    setting: str = "",
    api_key: ApiKey | None = None,
    clinician_name: str = "",
    request=None,
) -> Found:
    """Look up a child's child-protection status for ``by`` (a clinician, or the API account
    of ``api_key``): the access is logged (``selectors.access_cp_status``), the child's
    allocated worker and line manager are notified in the app and by email, and the lookup
    itself is recorded (never its search terms). Raises what ``access_cp_status`` raises."""
    reason = "Child-protection lookup" + (f" ({Setting(setting).label})" if setting else "")
    if api_key is not None:
        reason += f" by {api_key.organisation.name}, key {api_key.prefix}"
        if clinician_name.strip():
            reason += f", for {clinician_name.strip()}"

    def tell_and_record(found: Found) -> None:
        notified = 0
        if found.person is not None:
            notified = _tell(
                found, by=by, api_key=api_key, setting=setting, clinician_name=clinician_name
            )
        Lookup.objects.create(
            user=by,
            api_key=api_key,
            way=way,
            by_nhs_number=search.by_nhs_number,
            setting=setting,
            answer=found.status.answer,
            person_id=found.person.pk if found.person else None,
            notified=notified,
        )

    return selectors.access_cp_status(
        user=by,
        search=search,
        api_key=api_key,
        request=request,
        reason=reason,
        then=tell_and_record,
    )


def _api_account(organisation: Agency) -> User:
    """The organisation's API account: named in the access log for its keys' calls, with the
    role of those the key serves (unscheduled care). It is inactive and has no password, so it
    can never sign in, and it counts as nobody's colleague (no active user of the role)."""
    account = User.objects.filter(
        agency=organisation, username__startswith="api-", is_active=False
    ).first()
    if account is None:
        # Named after the authority and the organisation, not a database id, so that the
        # same organisation gets the same account name on every installation (and in every
        # demo built from one seed); the id only where two organisations would share a name.
        la_code = organisation.authority.dfe_la_code
        username = f"api-{la_code}-{slugify(organisation.name)}"[:150]
        if User.objects.filter(username=username).exists():
            username = f"api-{la_code}-{organisation.pk}"
        account = User(
            username=username,
            first_name="API",
            last_name=organisation.name[:150],
            agency=organisation,
            role=Role.UNSCHEDULED_CARE_CLINICIAN,
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
    return account


@transaction.atomic
def api_key_create(
    *, by, organisation: Agency, scopes: list[str], rate_limit_per_minute: int = 60
) -> tuple[ApiKey, str]:
    """Issue a key to ``organisation``: returns the key record and the key itself, which is
    shown once and never stored (only its hash). ``by``: who issued it, or None for the
    server's operator."""
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ApplicationError(f"The scope must be one of: {', '.join(Scope.values)}")
    if organisation.is_social_care:
        raise ApplicationError("Keys are for partner organisations, not children's social care")
    if not 1 <= rate_limit_per_minute <= MAX_RATE_LIMIT:
        raise ApplicationError(f"The rate limit must be from 1 to {MAX_RATE_LIMIT} calls a minute")
    secret = secrets.token_urlsafe(32)
    key = KEY_PREFIX + secret
    api_key = ApiKey.objects.create(
        organisation=organisation,
        account=_api_account(organisation),
        prefix=key[:12],
        key_hash=hash_key(key),
        scopes=sorted(set(scopes)),
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=by,
    )
    record_change(by=by, verb=ChangeVerb.CREATED, obj=api_key, before=None)
    return api_key, key


@transaction.atomic
def api_key_revoke(*, by, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once: every later call with it gets 401."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.is_revoked:
        raise ApplicationError(f"The key {api_key.prefix} was already revoked")
    before = snapshot(api_key)
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = by
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    record_change(by=by, verb=ChangeVerb.ENDED, obj=api_key, before=before)
    return api_key


@transaction.atomic
def lookup_numbers_set(*, by, authority, daytime_phone: str, out_of_hours_phone: str):
    """Set the numbers every lookup answer gives (the authority's settings)."""
    for label, value in (("daytime", daytime_phone), ("out-of-hours", out_of_hours_phone)):
        if not value.strip() or len(value) > 40:
            raise ApplicationError(f"Give the {label} number, at most 40 characters")
    before = snapshot(authority)
    authority.daytime_phone = daytime_phone.strip()
    authority.out_of_hours_phone = out_of_hours_phone.strip()
    authority.save(update_fields=["daytime_phone", "out_of_hours_phone"])
    record_change(by=by, verb=ChangeVerb.UPDATED, obj=authority, before=before)
    return authority


# --- Partner referrals (issue 17 item 3, decision 0050) -----------------------------------

# The contact's priority each urgency starts from: the front door may change it, with a reason.
URGENCY_PRIORITY = {
    Urgency.IMMEDIATE: Priority.RED,
    Urgency.SOON: Priority.AMBER,
    Urgency.ROUTINE: Priority.GREEN,
}
# The census source (CIN census, who made the referral) each kind of agency starts from; the
# front door confirms it (a health visitor and an emergency department are both "health").
SOURCE_BY_KIND = {
    AgencyKind.POLICE: ReferralSource.POLICE,
    AgencyKind.HEALTH: ReferralSource.OTHER_HEALTH,
    AgencyKind.EDUCATION: ReferralSource.SCHOOLS,
    AgencyKind.VOLUNTARY: ReferralSource.OTHER,
}


def _required(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field=field)
    return value


@transaction.atomic
def partner_referral_send(
    *,
    by,
    given_names: str,
    family_name: str,
    worries: str,
    consent: str,
    urgency: str,
    referrer_phone: str,
    referrer_role: str,
    date_of_birth: date | None = None,
    nhs_number: str = "",
    address: str = "",
    postcode: str = "",
    consent_note: str = "",
) -> PartnerReferral:
    """Send a referral to the front door of ``by``'s authority, time-stamped now. Partner
    staff only (``permissions.Action.REFER``); the referral carries the child as the referrer
    knows them and is recorded as a contact by the front door (``partner_referral_record``)."""
    if not permissions.can(by, Action.REFER):
        raise PermissionDenied("Only partner staff send referrals here")
    referral = PartnerReferral(
        authority_id=by.agency.authority_id,
        referrer=by,
        agency_id=by.agency_id,
        received_at=timezone.now(),
        given_names=_required(given_names, "Enter the child's first name", "given_names"),
        family_name=_required(family_name, "Enter the child's last name", "family_name"),
        date_of_birth=date_of_birth,
        nhs_number=identifiers.clean_nhs_number(nhs_number) if nhs_number.strip() else "",
        address=address.strip(),
        postcode=postcode.strip().upper(),
        worries=_required(worries, "Enter what you are worried about", "worries"),
        consent=consent,
        consent_note=consent_note.strip(),
        urgency=urgency,
        referrer_phone=_required(referrer_phone, "Enter a telephone number", "referrer_phone"),
        referrer_role=_required(referrer_role, "Enter your role", "referrer_role"),
    )
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise ApplicationError(
            "The date of birth cannot be in the future: for an unborn baby, leave it empty "
            "and give the expected date in what you are worried about",
            field="date_of_birth",
        )
    if consent not in Consent.values:
        raise ApplicationError("Select whether the family agreed to the referral", field="consent")
    if consent != Consent.GIVEN and not referral.consent_note:
        raise ApplicationError(
            "Say why consent was not asked for, or what the family said", field="consent_note"
        )
    if urgency not in Urgency.values:
        raise ApplicationError("Select how urgent this is", field="urgency")
    save_new(referral, by=by)
    return referral


@transaction.atomic
def partner_referral_record(
    *,
    by,
    referral: PartnerReferral,
    child: Person | None,
    source: str,
    priority: str,
    priority_reason: str = "",
    date_of_birth: date | None = None,
    version: int | None = None,
) -> Contact:
    """Record a partner's referral as a contact about ``child`` (one on record, found by the
    front door), or about a new record made from the referral's details (``child`` None), with
    its time received kept: the decision's clock runs from when the partner sent it. A new
    record takes ``date_of_birth`` when the referral gives none."""
    referral = PartnerReferral.objects.select_for_update().get(pk=referral.pk)
    expect_version(referral, version)
    if referral.contact_id is not None:
        raise ApplicationError("This referral has already been recorded as a contact")
    if child is None:
        born = referral.date_of_birth or date_of_birth
        if born is None:
            raise ApplicationError(
                "Enter the child's date of birth for a new record: the referral does not give it",
                field="date_of_birth",
            )
        child = person_create(
            by=by,
            given_names=referral.given_names,
            family_name=referral.family_name,
            date_of_birth=born,
            nhs_number=referral.nhs_number or None,
        )
    elif child.authority_id != referral.authority_id or not people_permissions.can(
        by, people_permissions.Action.VIEW, child
    ):
        raise ApplicationError("Choose a child from the list", field="child")
    received = timezone.localtime(referral.received_at)
    consent = Consent(referral.consent).label
    if referral.consent_note:
        consent += f" ({referral.consent_note})"
    reason = (
        f"{referral.worries}\n\nReferred by {referral.referrer.get_full_name()} "
        f"({referral.referrer_role}, {referral.agency.name}, {referral.referrer_phone}) through "
        f"Safeguard. Consent: {consent}. Urgency: {Urgency(referral.urgency).label}."
    )
    contact = contact_record(
        by=by,
        child=child,
        contact_date=received.date(),
        received_time=received.time(),
        source=source,
        reason=reason,
        priority=priority,
        priority_reason=priority_reason,
    )
    before = snapshot(referral)
    referral.contact = contact
    save_change(referral, by=by, before=before, person_id=child.pk)
    return contact


def tell_referrer(contact: Contact) -> bool:
    """Tell the partner who sent ``contact`` what the front door decided, once (Working
    Together asks for feedback to referrers): in the app and by email, with the outcome and
    nothing more of the record. Called when a contact is decided (``apps.py``)."""
    referral = (
        PartnerReferral.objects.filter(contact=contact, outcome_told_at__isnull=True)
        .select_related("referrer")
        .first()
    )
    if referral is None or not contact.outcome:
        return False
    notify(
        users=[referral.referrer],
        subject=f"Your referral about {referral.child_name}: decided",
        body=(
            f"The front door decided your referral of "
            f"{timezone.localtime(referral.received_at):%-d %B %Y at %H:%M} on "
            f"{contact.decision_date:%-d %B %Y}: {ContactOutcome(contact.outcome).label}."
        ),
        url=reverse("partners:referral", kwargs={"referral_id": referral.pk}),
    )
    PartnerReferral.objects.filter(pk=referral.pk).update(outcome_told_at=timezone.now())
    return True


def contact_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    """On a change event about a contact that now has an outcome and came from a partner's
    referral, tell the referrer (``tell_referrer``): once, in the decision's transaction."""
    if raw or not created or instance.target_type != "referrals.contact":
        return
    if not (instance.after or {}).get("outcome"):
        return
    try:
        contact_id = UUID(instance.target_id)
    except ValueError:  # not a contact's id: nothing to tell
        return
    contact = Contact.objects.filter(pk=contact_id, partner_referral__isnull=False).first()
    if contact is not None:
        tell_referrer(contact)


# --- Information requests (issue 17 item 4, decision 0066) --------------------------------

# The agencies a request may be sent to: partners, never social care nor the inspectorate.
ASKED_KINDS = permissions.REFERRING_KINDS


def _asked_staff(request: InformationRequest) -> list[User]:
    """Who is told of a new request: the practitioner named, or else the agency's active
    partner staff."""
    if request.practitioner_id is not None:
        return [request.practitioner]
    return list(
        User.objects.filter(agency_id=request.agency_id, is_active=True, role__in=PARTNER_ROLES)
    )


@transaction.atomic
def information_request_send(
    *,
    by,
    child: Person,
    agency: Agency | None,
    question: str,
    due_date: date | None,
    stage: str = RequestStage.OTHER,
    practitioner: User | None = None,
    case: Case | None = None,
    contact: Contact | None = None,
) -> InformationRequest:
    """Ask ``agency`` (a partner agency of the child's authority; its ``practitioner`` by name,
    if given) what it knows of ``child`` by ``due_date``, at ``stage`` (of ``case`` or
    ``contact``). The practitioner, or else the agency's staff, is told in the app and by
    email, without the child's name (emails leave the system); the child's chronology says
    "Information requested from <agency>". Raises ``PermissionDenied`` for anyone but social
    care staff who record and may see the child, and ``ApplicationError`` for bad input,
    storing nothing."""
    if not permissions.can(by, Action.REQUEST_INFORMATION, child):
        raise PermissionDenied("Social care staff who work with the child send requests")
    if (
        agency is None
        or agency.authority_id != child.authority_id
        or agency.kind not in ASKED_KINDS
    ):
        raise ApplicationError(
            "Choose a partner agency of the authority (police, health, a school or the "
            "voluntary sector), not children's social care",
            field="agency",
        )
    if practitioner is not None and not (
        practitioner.agency_id == agency.pk
        and practitioner.is_active
        and practitioner.role in PARTNER_ROLES
    ):
        raise ApplicationError(
            f"Choose a practitioner of {agency.name}, or nobody by name", field="practitioner"
        )
    question = (question or "").strip()
    if not question:
        raise ApplicationError("Enter what you are asking the agency", field="question")
    today = timezone.localdate()
    if due_date is None:
        raise ApplicationError("Enter the date the answer is due", field="due_date")
    if due_date < today:
        raise ApplicationError("The due date cannot be in the past", field="due_date")
    if stage not in RequestStage.values:
        raise ApplicationError("Select the stage the request is made at", field="stage")
    if (case is not None and case.child_id != child.pk) or (
        contact is not None and contact.child_id != child.pk
    ):
        raise ApplicationError("The case or contact is another child's")
    if people_permissions.open_seal(child) is not None:
        # The agency could not read it: a sealed record is closed to partners.
        raise ApplicationError(
            "This child's record is sealed, so no partner agency can read a request about "
            "them in Safeguard: ask the agency by another secure route"
        )
    request = InformationRequest(
        authority_id=child.authority_id,
        child=child,
        case=case,
        contact=contact,
        stage=stage,
        agency=agency,
        practitioner=practitioner,
        requested_by=by,
        sent_at=timezone.now(),
        question=question,
        due_date=due_date,
    )
    save_new(request, by=by, person_id=child.pk)
    chronology_add(
        by=by,
        child=child,
        case=case,
        event_date=today,
        what=f"Information requested from {agency.name}",
        source_agency=agency_name(by),
        outcome=f"Due by {due_date:%-d %B %Y}",
        source=request,
    )
    notify(
        users=_asked_staff(request),
        subject="Information request from children's social care",
        body=(
            f"Children's social care ({by.get_full_name() or by.username}) asks "
            f"{'you' if practitioner else agency.name} for information about a child, by "
            f"{due_date:%-d %B %Y}. Sign in to Safeguard to read the request and answer it."
        ),
        url=reverse("partners:information-request", kwargs={"request_id": request.pk}),
    )
    return request


@transaction.atomic
def information_request_answer(
    *, by, request: InformationRequest, answer: str, version: int | None = None
) -> InformationRequest:
    """Answer ``request``, once: the practitioner named, or else any active member of the
    agency asked (``Action.ANSWER``); never social care on the agency's behalf. The answer
    joins the child's chronology marked with the agency, and whoever asked is told."""
    request = (
        # Only the request is locked: its case is an outer join, which PostgreSQL cannot lock.
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "child", "case", "requested_by")
        .get(pk=request.pk)
    )
    expect_version(request, version)
    if request.is_answered:
        raise ApplicationError("This request has already been answered")
    if not permissions.can(by, Action.ANSWER, request):
        raise PermissionDenied("The practitioner asked, or their agency, answers a request")
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError("Enter your answer", field="answer")
    before = snapshot(request)
    now = timezone.now()
    request.answer = answer
    request.answered_by = by
    request.answered_at = now
    request.days_to_answer = (timezone.localdate(now) - timezone.localdate(request.sent_at)).days
    save_change(request, by=by, before=before, person_id=request.child_id)
    agency = request.agency
    chronology_add(
        by=by,
        child=request.child,
        case=request.case,
        event_date=timezone.localdate(now),
        what=(
            f"Information from {agency.name}, answering the request of "
            f"{timezone.localdate(request.sent_at):%-d %B %Y}"
        ),
        source_agency=agency.name,
        outcome=answer,
        source=InformationAnswer(pk=request.pk),
    )
    notify(
        users=[request.requested_by],
        subject=f"{agency.name} answered your information request",
        body=(
            f"{by.get_full_name() or by.username} of {agency.name} answered your information "
            f"request of {timezone.localdate(request.sent_at):%-d %B %Y}"
            f"{' (late)' if not request.answered_on_time else ''}. Sign in to Safeguard to "
            "read the answer."
        ),
        url=reverse("partners:information-request", kwargs={"request_id": request.pk}),
    )
    return request


# --- Contributions to steps and plans (issue 17 item 5, decision 0069) ----------------------


@transaction.atomic
def invitation_send(
    *,
    by,
    case: Case,
    kind: str,
    meeting_date: date | None,
    purpose: str,
    practitioner: User | None,
    conference_kind: str = "",
) -> StepInvitation:
    """Invite ``practitioner`` (a partner practitioner of the case's authority) by name to a
    step of ``case`` on ``meeting_date``, saying what it is for. They are told in the app and
    by email, without the child's name. Raises ``PermissionDenied`` for anyone who may not
    invite to that step, and ``ApplicationError`` for bad input, storing nothing; a sealed
    child's step is refused (the practitioner could not read it)."""
    if kind not in StepKind.values:
        raise ApplicationError("Choose the step you are inviting them to", field="kind")
    if not permissions.can(by, Action.INVITE, case):
        raise PermissionDenied("The case's social workers and managers invite partners")
    if kind != StepKind.CONFERENCE and not protection_permissions.can(
        by, protection_permissions.Action.RECORD, case
    ):
        # A chair invites to conferences only.
        raise PermissionDenied("The case's social workers and managers invite to this step")
    if kind == StepKind.CONFERENCE:
        if conference_kind not in ConferenceKind.values:
            raise ApplicationError(
                "Choose whether it is an initial or a review conference", field="conference_kind"
            )
    else:
        conference_kind = ""
    if practitioner is None or not (
        practitioner.is_active
        and practitioner.role == Role.PARTNER_PRACTITIONER
        and practitioner.agency_id
        and practitioner.agency.kind in permissions.REFERRING_KINDS
        and practitioner.agency.authority_id == case.authority_id
    ):
        raise ApplicationError(
            "Choose a practitioner of one of the authority's partner agencies",
            field="practitioner",
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise ApplicationError(
            "Enter what the step is for and what you ask of the agency", field="purpose"
        )
    if meeting_date is None:
        raise ApplicationError("Enter the date", field="meeting_date")
    if meeting_date < timezone.localdate():
        raise ApplicationError("The date cannot be in the past", field="meeting_date")
    if case.closure_date is not None:
        raise ApplicationError("The case is closed")
    child = case.child
    if people_permissions.open_seal(child) is not None:
        raise ApplicationError(
            "This child's record is sealed, so no partner can read an invitation about them "
            "in Safeguard: invite them by another secure route"
        )
    if StepInvitation.objects.filter(
        case=case,
        kind=kind,
        meeting_date=meeting_date,
        practitioner=practitioner,
        withdrawn_at__isnull=True,
    ).exists():
        raise ApplicationError(
            f"{practitioner.get_full_name()} is already invited to this step", field="practitioner"
        )
    invitation = StepInvitation(
        authority_id=case.authority_id,
        case=case,
        child=child,
        kind=kind,
        conference_kind=conference_kind,
        meeting_date=meeting_date,
        purpose=purpose,
        agency_id=practitioner.agency_id,
        practitioner=practitioner,
        invited_by=by,
        invited_at=timezone.now(),
    )
    save_new(invitation, by=by, person_id=child.pk)
    notify(
        users=[practitioner],
        subject=f"Invitation: {invitation.step_label.lower()}",
        body=(
            f"Children's social care ({by.get_full_name() or by.username}) invites you to a "
            f"{invitation.step_label.lower()} on {meeting_date:%-d %B %Y}. Your agency's report "
            f"is due by {invitation.report_due_on():%-d %B %Y}. Sign in to Safeguard to read "
            "the invitation."
        ),
        url=reverse("partners:contribution", kwargs={"invitation_id": invitation.pk}),
    )
    return invitation


@transaction.atomic
def invitation_withdraw(
    *, by, invitation: StepInvitation, reason: str, version: int | None = None
) -> StepInvitation:
    """Withdraw ``invitation``, whose report has not been sent, saying why: whoever may invite
    to the step (``Action.WITHDRAW``), never the practitioner invited. From the commit the
    practitioner no longer sees the step (``permissions.invitations_visible_to``); they are
    told in the app and by email, without the child's name, and the change event keeps who,
    when and why. Raises ``PermissionDenied`` or ``ApplicationError``, storing nothing."""
    invitation = (
        StepInvitation.objects.select_for_update(of=("self",))
        .select_related("agency", "case", "practitioner")
        .get(pk=invitation.pk)
    )
    expect_version(invitation, version)
    if invitation.is_withdrawn:
        raise ApplicationError("This invitation has already been withdrawn")
    if invitation.is_reported:
        raise ApplicationError(
            "The agency's report has been sent, so the invitation cannot be withdrawn"
        )
    if not permissions.can(by, Action.WITHDRAW, invitation):
        raise PermissionDenied("Whoever may invite to the step withdraws an invitation")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Enter why the invitation is withdrawn", field="reason")
    before = snapshot(invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = by
    invitation.withdrawal_reason = reason
    save_change(invitation, by=by, before=before, person_id=invitation.child_id)
    notify(
        users=[invitation.practitioner],
        subject=f"Invitation withdrawn: {invitation.step_label.lower()}",
        body=(
            f"Children's social care ({by.get_full_name() or by.username}) has withdrawn your "
            f"invitation to the {invitation.step_label.lower()} of "
            f"{invitation.meeting_date:%-d %B %Y}: no report is needed from you for it. "
            "Ask the social worker if you need to know more."
        ),
        url=reverse("partners:contributions"),
    )
    return invitation


@transaction.atomic
def conference_attendance_record(*, by, conference, marks: dict[str, str]) -> int:
    """Mark whether each practitioner invited to ``conference`` (held: it is recorded) came:
    ``marks`` maps an invitation's id to an ``Attendance`` value, or "" to leave it as it is.
    Social care who may hold the conference (``Action.RECORD_ATTENDANCE``); each change saved
    with its change event. Returns how many changed; raises ``PermissionDenied`` or
    ``ApplicationError``, storing nothing."""
    if not permissions.can(by, Action.RECORD_ATTENDANCE, conference.case):
        raise PermissionDenied("Social care who hold the conference record who attended")
    invitations = list(
        StepInvitation.objects.select_for_update(of=("self",))
        .filter(
            case_id=conference.case_id,
            kind=StepKind.CONFERENCE,
            meeting_date=conference.conference_date,
            withdrawn_at__isnull=True,
        )
        .select_related("practitioner")
        .order_by("agency__name", "invited_at")
    )
    changed = 0
    for invitation in invitations:
        value = marks.get(str(invitation.pk)) or ""
        if value and value not in Attendance.values:
            raise ApplicationError(
                f"Choose whether {invitation.practitioner.get_full_name()} attended",
                field=f"attendance_{invitation.pk}",
            )
        if not value or value == invitation.attendance:
            continue
        before = snapshot(invitation)
        invitation.attendance = value
        save_change(invitation, by=by, before=before, person_id=invitation.child_id)
        changed += 1
    return changed


@transaction.atomic
def report_submit(
    *,
    by,
    invitation: StepInvitation,
    known: str,
    concerns: str,
    strengths: str,
    recommendation: str,
    version: int | None = None,
) -> StepInvitation:
    """Send the agency's report for ``invitation``, once: the practitioner invited only, for
    the agency they are in (``Action.REPORT``). Its time is kept (on time or late is worked
    out from the due day); it joins the child's chronology marked with the agency, linking to
    the invitation's page, and whoever invited is told."""
    invitation = (
        StepInvitation.objects.select_for_update(of=("self",))
        .select_related("agency", "child", "case", "invited_by")
        .get(pk=invitation.pk)
    )
    expect_version(invitation, version)
    if invitation.is_reported:
        raise ApplicationError("Your agency's report has already been sent")
    if invitation.is_withdrawn:
        raise ApplicationError("This invitation has been withdrawn: no report is needed")
    if not permissions.can(by, Action.REPORT, invitation):
        raise PermissionDenied("The practitioner invited sends their agency's report")
    if people_permissions.open_seal(invitation.child) is not None:
        raise PermissionDenied("This child's record is sealed")
    known, concerns = (known or "").strip(), (concerns or "").strip()
    strengths, recommendation = (strengths or "").strip(), (recommendation or "").strip()
    if not known:
        raise ApplicationError(
            "Enter what your agency knows of the child and family", field="known"
        )
    if not recommendation:
        raise ApplicationError("Enter your agency's recommendation", field="recommendation")
    before = snapshot(invitation)
    now = timezone.now()
    invitation.known, invitation.concerns = known, concerns
    invitation.strengths, invitation.recommendation = strengths, recommendation
    invitation.reported_by, invitation.reported_at = by, now
    save_change(invitation, by=by, before=before, person_id=invitation.child_id)
    agency = invitation.agency
    late = "" if invitation.reported_on_time else " (late)"
    chronology_add(
        by=by,
        child=invitation.child,
        case=invitation.case,
        event_date=timezone.localdate(now),
        what=(
            f"Report from {agency.name} for the {invitation.step_label.lower()} of "
            f"{invitation.meeting_date:%-d %B %Y}{late}"
        ),
        source_agency=agency.name,
        outcome=recommendation,
        source=InvitationReport(pk=invitation.pk),
    )
    notify(
        users=[invitation.invited_by],
        subject=f"{agency.name} sent its report",
        body=(
            f"{by.get_full_name() or by.username} of {agency.name} sent their agency's report "
            f"for the {invitation.step_label.lower()} of {invitation.meeting_date:%-d %B %Y}"
            f"{late}. Sign in to Safeguard to read it."
        ),
        url=reverse("partners:contribution", kwargs={"invitation_id": invitation.pk}),
    )
    return invitation


@transaction.atomic
def agency_action_progress(
    *, by, action: PlanAction, status: str, note: str, version: int | None = None
) -> PlanActionProgress:
    """Record progress today on a plan action ``by``'s partner agency owns (or they own),
    through the protection service (its rules, its change events): the protection policy
    grants ``PROGRESS`` to the owning agency's staff (``apps.py``), nothing more. The progress
    joins the child's chronology marked with the agency, linking to its page."""
    if not permissions.can(by, Action.UPDATE_ACTION, action):
        raise PermissionDenied("Staff of the agency that owns an action record its progress")
    today = timezone.localdate()
    progress = protection_services.plan_action_progress(
        by=by, action=action, recorded_on=today, status=status, note=note, version=version
    )
    case = action.on_plan.case
    agency = by.agency
    chronology_add(
        by=by,
        child=case.child,
        case=case,
        event_date=today,
        what=(f"Progress on a plan action by {agency.name}: {ActionStatus(status).label.lower()}"),
        source_agency=agency.name,
        outcome=progress.note,
        source=AgencyProgress(pk=progress.pk),
    )
    return progress


# --- Information-sharing decisions (issue 17 item 6, decision 0070) -------------------------


def may_decide(user, agency: Agency) -> bool:
    """May ``user`` be named as having decided for ``agency``? Its active staff: for children's
    social care, those who record on a child's file; for a partner agency, its partner staff."""
    roles = RECORDING_ROLES if agency.is_social_care else PARTNER_ROLES
    return bool(user.is_active and user.agency_id == agency.pk and user.role in roles)


@transaction.atomic
def sharing_decision_record(
    *,
    by,
    child: Person,
    decision: str,
    information: str,
    reason: str,
    consent: str,
    decided_by: User | None,
    decided_on: date | None,
    recipient_agency: Agency | None = None,
    recipient_name: str = "",
    article_6_basis: str = "",
    article_9_condition: str = "",
    statutory_gateway: str = "",
    consent_not_sought_reason: str = "",
    case: Case | None = None,
) -> InformationSharingDecision:
    """Record a decision of ``by``'s agency to share, or not to share, information about
    ``child`` with ``recipient_agency`` (an agency of the child's authority) or a recipient
    named in words (``recipient_name``), decided by ``decided_by`` (staff of the same agency)
    on ``decided_on``. Saved with its change event; the child's chronology says what was
    decided, with whom, and on what basis. Raises ``PermissionDenied`` for anyone but social
    care who record and see the child, or a partner agency's staff who see the child
    (``permissions.Action.RECORD_SHARING``), and ``ApplicationError`` for bad input, storing
    nothing."""
    if not permissions.can(by, Action.RECORD_SHARING, child):
        raise PermissionDenied(
            "Social care staff who work with the child, or an agency involved with them, "
            "record decisions to share"
        )
    agency = by.agency
    if decision not in SharingDecision.values:
        raise ApplicationError("Select whether the information was shared", field="decision")
    information = _required(
        information, "Enter what information was shared, or not shared", "information"
    )
    if recipient_agency is not None and recipient_name.strip():
        raise ApplicationError(
            "Choose an agency or name the recipient, not both", field="recipient_name"
        )
    if recipient_agency is not None:
        if recipient_agency.authority_id != child.authority_id:
            raise ApplicationError(
                "Choose an agency of the authority from the list", field="recipient_agency"
            )
        if recipient_agency.pk == agency.pk:
            raise ApplicationError(
                f"Sharing within {agency.name} is not a decision to share: choose another "
                "agency, or name the recipient",
                field="recipient_agency",
            )
    elif not recipient_name.strip():
        raise ApplicationError(
            "Choose the agency the information was shared with (or not), or name the recipient",
            field="recipient_agency",
        )
    reason = _required(reason, "Enter why you decided this", "reason")
    if article_6_basis and article_6_basis not in Article6Basis.values:
        raise ApplicationError("Choose the Article 6 basis from the list", field="article_6_basis")
    if decision == SharingDecision.SHARED and not article_6_basis:
        raise ApplicationError(
            "Choose the lawful basis (UK GDPR Article 6) the information was shared on",
            field="article_6_basis",
        )
    if article_9_condition not in Article9Condition.values:
        raise ApplicationError(
            "Choose the Article 9 condition from the list", field="article_9_condition"
        )
    if statutory_gateway not in StatutoryGateway.values:
        raise ApplicationError(
            "Choose the statutory gateway from the list", field="statutory_gateway"
        )
    if consent not in SharingConsent.values:
        raise ApplicationError("Select whether consent was sought", field="consent")
    consent_not_sought_reason = (consent_not_sought_reason or "").strip()
    if consent == SharingConsent.NOT_SOUGHT and not consent_not_sought_reason:
        raise ApplicationError(
            "Say why consent was not sought (for example, asking would put the child at "
            "risk of significant harm, or would prejudice a police investigation)",
            field="consent_not_sought_reason",
        )
    if consent != SharingConsent.NOT_SOUGHT and consent_not_sought_reason:
        raise ApplicationError(
            "Consent was sought: leave the reason it was not sought empty",
            field="consent_not_sought_reason",
        )
    if decided_by is None or not may_decide(decided_by, agency):
        raise ApplicationError(
            f"Choose who decided: a member of staff of {agency.name}", field="decided_by"
        )
    check_date(decided_on, label="date of the decision", field="decided_on")
    if case is not None and case.child_id != child.pk:
        raise ApplicationError("The case is another child's")
    made = InformationSharingDecision(
        authority_id=child.authority_id,
        child=child,
        case=case,
        agency=agency,
        decision=decision,
        information=information,
        recipient_agency=recipient_agency,
        recipient_name=recipient_name.strip(),
        reason=reason,
        article_6_basis=article_6_basis,
        article_9_condition=article_9_condition,
        statutory_gateway=statutory_gateway,
        consent=consent,
        consent_not_sought_reason=consent_not_sought_reason,
        decided_by=decided_by,
        decided_on=decided_on,
        recorded_by=by,
    )
    save_new(made, by=by, person_id=child.pk)
    shared = decision == SharingDecision.SHARED
    basis = [Article6Basis(article_6_basis).label] if article_6_basis else []
    if statutory_gateway:
        basis.append(StatutoryGateway(statutory_gateway).label)
    chronology_add(
        by=by,
        child=child,
        case=case,
        event_date=decided_on,
        what=(
            f"{agency.name} "
            f"{'shared' if shared else 'decided not to share'} information with {made.recipient}"
        ),
        source_agency=agency.name,
        outcome="Lawful basis: " + "; ".join(basis) if basis else "",
        source=made,
    )
    return made
