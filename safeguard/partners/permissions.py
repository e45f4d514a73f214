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
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.models import AgencyKind
from safeguard.accounts.roles import Role
from safeguard.partners.models import PartnerReferral, Scope
from safeguard.people.models import Person
from safeguard.referrals import permissions as front_door


class Action(StrEnum):
    LOOKUP = "lookup"  # the lookup page and its answer
    REFER = "refer"  # send a referral to the front door
    SEE_REFERRAL = "see_referral"  # a referral: its sender, or the front door
    RECORD_REFERRAL = "record_referral"  # record it as a contact: the front door


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
        return bool(user.is_authenticated and user.agency_id) and _is_front_door(
            user, authority_id
        )
    return False


def key_can(api_key, action: Action) -> bool:
    """May an organisation's key do ``action``? Only an unrevoked key holding the scope."""
    if action == Action.LOOKUP:
        return not api_key.is_revoked and api_key.allows(Scope.CP_LOOKUP)
    return False
