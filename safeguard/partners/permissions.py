"""Who may look up a child's child-protection status (issue 17, item 1).

- An unscheduled-care clinician (emergency department, urgent care, out-of-hours, maternity,
  ambulance) may look up any child of their authority: they meet children nobody has told
  them about, at any hour. The answer tells them only whether there is (or was in the last
  12 months) a plan, since when, the allocated team and whom to ring: never the record.
- An organisation's health system may ask the same through the API with a key of scope
  ``cp-lookup`` (``api.py``); the key, not a person, is authorised, and each call is logged
  against the organisation's API account.
- Nobody else: social care staff have the record itself; other partners, administrators,
  analysts and everyone of another authority never use the lookup.
- Nobody authorises a lookup, but none goes unseen: the child's allocated worker and their
  line manager are told of each one at once (``services.lookup_answer``).

A sealed child answers like any other: the lookup reveals nothing the seal protects, and a
clinician must not be told "restricted" where another child would get an answer.

Partner referrals (issue 17 item 3, decision 0050):

- Staff of a partner agency (police, health, education, voluntary sector) may send a referral
  to the front door of their authority (``REFER``), and see the referrals they sent, with
  their status and outcome (``SEE_REFERRAL``): nothing else of the child's record, and never
  another person's referrals.
- The front door (children's social care staff who record contacts: the front door's own
  policy, ``referrals.permissions``) sees every referral of its authority and records each as
  a contact (``RECORD_REFERRAL``). Nobody authorises a referral: it is an approach to the
  front door, decided there like any contact. Inspectors, analysts and administrators never
  see the referrals (analysts see the contacts they became, as figures).

Information requests (issue 17 item 4, decision 0066):

- Social care staff who record (``RECORDING_ROLES``) of the child's authority, who may see the
  child (the people policy), send a request to a partner agency (``REQUEST_INFORMATION``) and
  read their authority's requests about the children they may see, with the answers
  (``SEE_REQUEST``). Analysts see the response times (``SEE_RESPONSE_TIMES``), never the
  questions and answers, which are narrative.
- The agency asked reads the requests to it (``SEE_AGENCY_REQUESTS``, ``SEE_REQUEST``): the
  child's name, date of birth and NHS number with the question, nothing else of the record;
  never another agency's requests. A request about a sealed child is closed to it, as the
  child's record is (the people policy).
- The practitioner named answers (``ANSWER``), once; when nobody is named, any active member
  of staff of the agency asked does. Nobody in social care answers on an agency's behalf.

Contributions to steps and plans (issue 17 item 5, decision 0069):

- Social care invites a partner practitioner by name (``INVITE``, obj: the case): those who
  record on the case (its workers and managers) to any step; for a conference, also the
  authority's conference chairs (the protection policy's ``CONFERENCE``). Never to a sealed
  child's step: the practitioner could not read it (``services.invitation_send``).
- The practitioner invited sees that invitation (``SEE_INVITATION``): the child's name, date
  of birth and NHS number, the step's kind, date and purpose, and their own agency's report;
  nothing else of the record, and nothing once the child's record is sealed. They alone send
  the report (``REPORT``), once, for the agency they are in; nobody reports for an agency
  they are not in, and social care never writes an agency's report.
- Social care who may hold the conference (the protection policy's ``CONFERENCE`` on the
  case: its workers and managers, the chairs) read the invitations and reports; analysts and
  inspectors do not (reports are narrative).
- Whoever may invite to the step withdraws an invitation whose report has not been sent, with
  a reason (``WITHDRAW``, obj: the invitation; decision 0073): the case's workers and managers,
  or a chair for a conference. Never the practitioner invited. From then the practitioner no
  longer sees it (``invitations_visible_to``) and cannot report.
- Social care who may hold a conference (``RECORD_ATTENDANCE``, obj: the case) mark whether
  each practitioner invited to it attended, sent apologies or did not attend (decision 0073).
- Staff of a partner agency see the plan actions their agency owns, or they own
  (``SEE_AGENCY_ACTIONS``, ``SEE_ACTION``), and record progress on them (``UPDATE_ACTION``:
  granted to the protection policy's ``PROGRESS`` from ``apps.py``); nothing else of the plan.

Information-sharing decisions (issue 17 item 6, decision 0070):

- Social care staff who record (``RECORDING_ROLES``) of the child's authority, who may see the
  child, record social care's decisions to share or not to share (``RECORD_SHARING``) and read
  every decision about the child (``SEE_SHARING``): they are narrative, so not analysts or
  chairs.
- Staff of a partner agency who may see the child (the people policy: an open involvement of
  theirs or their team's with the child) record their own agency's decisions about that child,
  and read only those: never another agency's, nor social care's (least privilege).
- Nobody else: not administrators, inspectors, nor another authority's staff.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from safeguard.accounts.models import AgencyKind
from safeguard.accounts.roles import OVERSIGHT_ROLES, RECORDING_ROLES, Role, is_social_care_staff
from safeguard.partners.models import (
    InformationRequest,
    InformationSharingDecision,
    PartnerReferral,
    Scope,
    StepInvitation,
    StepKind,
)
from safeguard.people import permissions as people_permissions
from safeguard.people.models import Person
from safeguard.protection import permissions as protection
from safeguard.protection.models import PlanAction
from safeguard.referrals import permissions as front_door


class Action(StrEnum):
    LOOKUP = "lookup"  # the lookup page and its answer
    REFER = "refer"  # send a referral to the front door
    SEE_REFERRAL = "see_referral"  # a referral: its sender, or the front door
    RECORD_REFERRAL = "record_referral"  # record it as a contact: the front door
    REQUEST_INFORMATION = "request_information"  # ask an agency about a child: social care
    SEE_REQUEST = "see_request"  # one request: the sender's side, or the agency asked
    SEE_AGENCY_REQUESTS = "see_agency_requests"  # the requests to one's agency: partners
    ANSWER = "answer"  # answer a request: the practitioner named, or the agency's staff
    SEE_RESPONSE_TIMES = "see_response_times"  # response times by agency: oversight roles
    INVITE = "invite"  # invite a partner practitioner to a step (obj: the case)
    SEE_INVITATIONS = "see_invitations"  # one's own invitations: partner staff
    SEE_INVITATION = "see_invitation"  # one invitation: the practitioner, or social care
    REPORT = "report"  # send the agency's report: the practitioner invited, once
    WITHDRAW = "withdraw"  # withdraw an invitation with no report: whoever may invite to it
    # mark whether the invited practitioners came to a conference (obj: its case): social care
    # who may hold it (its workers and managers, the chairs)
    RECORD_ATTENDANCE = "record_attendance"
    SEE_AGENCY_ACTIONS = "see_agency_actions"  # the plan actions one's agency owns
    SEE_ACTION = "see_action"  # one plan action: its owning agency's staff (or its owner)
    UPDATE_ACTION = "update_action"  # record progress on it: the same
    RECORD_SHARING = "record_sharing"  # record a decision to share or not: obj the child
    SEE_SHARING = "see_sharing"  # the child's sharing decisions: obj the child


# The agencies whose staff refer through Safeguard: not children's social care (which records
# contacts itself), nor the inspectorate.
REFERRING_KINDS = frozenset(
    {AgencyKind.POLICE, AgencyKind.HEALTH, AgencyKind.EDUCATION, AgencyKind.VOLUNTARY}
)


def _is_partner(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.agency.kind in REFERRING_KINDS
    )


def _is_front_door(user, authority_id) -> bool:
    return front_door.can(user, front_door.Action.RECORD, authority_id=authority_id)


def referrals_visible_to(user):
    """The partner referrals ``user`` may see: their own, or their authority's for the front
    door; none for anyone else."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return PartnerReferral.objects.none()
    if _is_front_door(user, user.agency.authority_id):
        return PartnerReferral.objects.filter(authority_id=user.agency.authority_id)
    if _is_partner(user):
        return PartnerReferral.objects.filter(referrer=user)
    return PartnerReferral.objects.none()


def _is_agency_staff(user) -> bool:
    """Active staff of a partner agency (any role outside children's social care): those an
    information request may be sent to."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.is_partner
        and not user.agency.is_social_care
    )


def is_agency_staff(user) -> bool:
    """Active staff of a partner agency, outside children's social care."""
    return _is_agency_staff(user)


def requests_visible_to(user) -> QuerySet[InformationRequest]:
    """The information requests ``user`` may read: their authority's about the children they
    may see, for social care staff who record; those to their agency about children whose
    record is not sealed, for the agency's staff; none for anyone else."""
    if is_social_care_staff(user, roles=RECORDING_ROLES):
        return InformationRequest.objects.filter(
            people_permissions.visible_q(user, "child_id"), authority_id=user.authority_id
        )
    if _is_agency_staff(user):
        # The people policy says which records are sealed: a sealed child's request is
        # closed to partners, as the child's record is.
        return (
            InformationRequest.objects.filter(agency_id=user.agency_id)
            .annotate(**people_permissions.seen_annotations(user, "child_id"))
            .filter(seen_sealed=False)
        )
    return InformationRequest.objects.none()


def _request_can(user, action: Action, obj) -> bool:
    if action == Action.REQUEST_INFORMATION:
        # ``obj``: the child (or None: may the user send requests at all?).
        authority_id = obj.authority_id if obj is not None else None
        if not is_social_care_staff(user, roles=RECORDING_ROLES, authority_id=authority_id):
            return False
        return obj is None or people_permissions.can(user, people_permissions.Action.VIEW, obj)
    if action == Action.SEE_AGENCY_REQUESTS:
        return _is_agency_staff(user)
    if action == Action.SEE_RESPONSE_TIMES:
        return is_social_care_staff(user, roles=OVERSIGHT_ROLES)
    if obj is None:
        return False
    if action == Action.SEE_REQUEST:
        if _is_agency_staff(user):
            return obj.agency_id == user.agency_id
        return is_social_care_staff(
            user, roles=RECORDING_ROLES, authority_id=obj.authority_id
        ) and people_permissions.can(user, people_permissions.Action.VIEW, obj.child)
    if action == Action.ANSWER:
        if obj.is_answered or not _is_agency_staff(user) or user.agency_id != obj.agency_id:
            return False
        return obj.practitioner_id is None or obj.practitioner_id == user.pk
    return False


REQUEST_ACTIONS = frozenset(
    {
        Action.REQUEST_INFORMATION,
        Action.SEE_REQUEST,
        Action.SEE_AGENCY_REQUESTS,
        Action.ANSWER,
        Action.SEE_RESPONSE_TIMES,
    }
)


def invitations_visible_to(user) -> QuerySet[StepInvitation]:
    """The invitations ``user`` may read: their own as the practitioner invited, while in the
    agency invited and while the child's record is not sealed; for social care, their
    authority's on the cases whose conferences they may hold (``_holds_step``, per row)."""
    if _is_agency_staff(user):
        return (
            StepInvitation.objects.filter(
                practitioner=user, agency_id=user.agency_id, withdrawn_at__isnull=True
            )
            .annotate(**people_permissions.seen_annotations(user, "child_id"))
            .filter(seen_sealed=False)
        )
    if is_social_care_staff(user):
        return StepInvitation.objects.filter(
            people_permissions.visible_q(user, "child_id"), authority_id=user.authority_id
        )
    return StepInvitation.objects.none()


def _holds_step(user, case) -> bool:
    """Social care who may hold a conference on ``case``: who records on it, or a chair."""
    return protection.can(user, protection.Action.CONFERENCE, case)


def _owns_action(user, action) -> bool:
    """Is ``user`` staff of the partner agency that owns ``action`` (or its owner), of the
    plan's authority, and may they see the child (no seal)?"""
    if not _is_agency_staff(user):
        return False
    owned = (action.owner_agency_id is not None and action.owner_agency_id == user.agency_id) or (
        action.owner_user_id is not None and action.owner_user_id == user.pk
    )
    if not owned:
        return False
    case = action.on_plan.case
    return case.authority_id == user.agency.authority_id and not people_permissions.sealed_from(
        user, [case.child_id]
    )


def actions_visible_to(user) -> QuerySet[PlanAction]:
    """The actions of child protection and child in need plans (decision 0068) that
    ``user``'s partner agency owns, or they own, of their authority, about children whose
    record is not sealed; none for anyone else."""
    if not _is_agency_staff(user):
        return PlanAction.objects.none()
    authority_id = user.agency.authority_id
    return (
        PlanAction.objects.filter(
            Q(owner_agency_id=user.agency_id) | Q(owner_user=user),
            Q(plan__case__authority_id=authority_id) | Q(cin_plan__case__authority_id=authority_id),
        )
        .annotate(action_child_id=Coalesce("plan__case__child_id", "cin_plan__case__child_id"))
        .annotate(**people_permissions.seen_annotations(user, "action_child_id"))
        .filter(seen_sealed=False)
    )


def invitable_kinds(user, case) -> frozenset[str]:
    """The kinds of step ``user`` may invite to (and withdraw invitations from) on ``case``:
    every kind for who records on the case; a conference only for a chair
    (``services.invitation_send`` asks the same); none for anyone else. Asked once for a
    page's rows."""
    if not _contribution_can(user, Action.INVITE, case):
        return frozenset()
    if protection.can(user, protection.Action.RECORD, case):
        return frozenset(StepKind.values)
    return frozenset({StepKind.CONFERENCE})


def may_withdraw(user, invitation, kinds: frozenset[str]) -> bool:
    """``WITHDRAW`` with the kinds ``user`` may invite to on the invitation's case already
    known (``invitable_kinds``): a report not sent, not withdrawn, not their own invitation."""
    return (
        not invitation.is_reported
        and not invitation.is_withdrawn
        and invitation.practitioner_id != user.pk
        and invitation.kind in kinds
    )


def _contribution_can(user, action: Action, obj) -> bool:
    if action == Action.INVITE:
        if obj is None:
            return is_social_care_staff(user, roles=RECORDING_ROLES | {Role.CONFERENCE_CHAIR})
        return protection.can(user, protection.Action.RECORD, obj) or _holds_step(user, obj)
    if action in (Action.SEE_INVITATIONS, Action.SEE_AGENCY_ACTIONS):
        return _is_agency_staff(user)
    if obj is None:
        return False
    if action == Action.SEE_INVITATION:
        if _is_agency_staff(user):
            return (
                obj.practitioner_id == user.pk
                and obj.agency_id == user.agency_id
                and not obj.is_withdrawn
            )
        return _holds_step(user, obj.case)
    if action == Action.WITHDRAW:
        return may_withdraw(user, obj, invitable_kinds(user, obj.case))
    if action == Action.RECORD_ATTENDANCE:
        return _holds_step(user, obj)
    if action == Action.REPORT:
        return (
            not obj.is_reported
            and not obj.is_withdrawn
            and _is_agency_staff(user)
            and obj.practitioner_id == user.pk
            and obj.agency_id == user.agency_id
        )
    if action in (Action.SEE_ACTION, Action.UPDATE_ACTION):
        return _owns_action(user, obj)
    return False


CONTRIBUTION_ACTIONS = frozenset(
    {
        Action.INVITE,
        Action.SEE_INVITATIONS,
        Action.SEE_INVITATION,
        Action.REPORT,
        Action.WITHDRAW,
        Action.RECORD_ATTENDANCE,
        Action.SEE_AGENCY_ACTIONS,
        Action.SEE_ACTION,
        Action.UPDATE_ACTION,
    }
)


SHARING_ACTIONS = frozenset({Action.RECORD_SHARING, Action.SEE_SHARING})


def _sharing_can(user, obj) -> bool:
    """Record or read decisions to share about ``obj`` (a child): social care who record and
    see the child; the staff of a partner agency who see the child (their own agency's
    decisions only: ``sharing_visible_to``). The same people record and read."""
    if obj is None:
        return is_social_care_staff(user, roles=RECORDING_ROLES) or _is_agency_staff(user)
    if is_social_care_staff(user, roles=RECORDING_ROLES, authority_id=obj.authority_id):
        return people_permissions.can(user, people_permissions.Action.VIEW, obj)
    if _is_agency_staff(user) and user.agency.authority_id == obj.authority_id:
        return people_permissions.can(user, people_permissions.Action.VIEW, obj)
    return False


def sharing_visible_to(user) -> QuerySet[InformationSharingDecision]:
    """The information-sharing decisions ``user`` may read: their authority's about the
    children they may see, for social care staff who record; their own agency's about the
    children they may see, for a partner agency's staff; none for anyone else."""
    if is_social_care_staff(user, roles=RECORDING_ROLES):
        return InformationSharingDecision.objects.filter(
            people_permissions.visible_q(user, "child_id"), authority_id=user.authority_id
        )
    if _is_agency_staff(user):
        return InformationSharingDecision.objects.filter(
            agency_id=user.agency_id,
            child__in=people_permissions.visible_to(user).values("id"),
        )
    return InformationSharingDecision.objects.none()


def _is_clinician(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.UNSCHEDULED_CARE_CLINICIAN
        and user.agency_id
    )


def visible_to(user) -> QuerySet[Person]:
    """The children ``user`` may look up: every person of their authority for a clinician,
    nobody for anyone else. Looking up shows the answer, never these records."""
    if not _is_clinician(user):
        return Person.objects.none()
    return Person.objects.filter(authority_id=user.agency.authority_id)


def can(user, action: Action, obj=None) -> bool:
    if action in REQUEST_ACTIONS:
        return _request_can(user, action, obj)
    if action in CONTRIBUTION_ACTIONS:
        return _contribution_can(user, action, obj)
    if action in SHARING_ACTIONS:
        return _sharing_can(user, obj)
    if action == Action.LOOKUP:
        return _is_clinician(user)
    if action == Action.REFER:
        return _is_partner(user)
    if action == Action.SEE_REFERRAL:
        if obj is None:
            return _is_partner(user) or (
                bool(user.is_authenticated and user.agency_id)
                and _is_front_door(user, user.agency.authority_id)
            )
        return obj.referrer_id == user.pk or _is_front_door(user, obj.authority_id)
    if action == Action.RECORD_REFERRAL:
        authority_id = obj.authority_id if obj is not None else getattr(user, "authority_id", None)
        return bool(user.is_authenticated and user.agency_id) and _is_front_door(user, authority_id)
    return False


def key_can(api_key, action: Action) -> bool:
    """May an organisation's key do ``action``? Only an unrevoked key holding the scope."""
    if action == Action.LOOKUP:
        return not api_key.is_revoked and api_key.allows(Scope.CP_LOOKUP)
    return False
