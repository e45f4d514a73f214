"""Reading a child's child-protection status from the live record, and the access function
every lookup goes through (``access_cp_status``).

Safeguard keeps no looked-after records (no placements, no legal statuses of a child in
care), so the answer covers child protection plans only and says so (decision 0039).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import Agency, LocalAuthority
from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import record_access
from safeguard.casework.models import Allocation, Case
from safeguard.casework.selectors import team_line_manager
from safeguard.core.client_ip import client_ip
from safeguard.core.errors import ApplicationError
from safeguard.partners import permissions
from safeguard.partners.models import ApiKey, LookupAnswer, PartnerReferral, hash_key
from safeguard.people.models import Person, PersonName
from safeguard.people.selectors.access import access_people, request_route
from safeguard.people.selectors.search import person_search
from safeguard.protection.models import ChildProtectionPlan

LOOKED_AFTER_NOTE = (
    "Safeguard does not hold looked-after children's records: for whether this child is "
    "looked after, ring the numbers below."
)


@dataclass(frozen=True)
class Search:
    """What the clinician searched by: an NHS number (already checked), or a name with a
    date of birth."""

    nhs_number: str = ""
    family_name: str = ""
    given_name: str = ""
    birth_date: date | None = None

    @property
    def by_nhs_number(self) -> bool:
        return bool(self.nhs_number)


@dataclass(frozen=True)
class Status:
    """The whole answer a clinician is given: nothing else of the record."""

    answer: str  # a LookupAnswer; NOT_FOUND is shown as NO_PLAN (see ``shown_answer``)
    on_plan: bool
    plan_in_last_12_months: bool
    start_date: date | None
    allocated_team: str
    authority_name: str
    daytime_phone: str
    out_of_hours_phone: str

    @property
    def shown_answer(self) -> str:
        """What the clinician is told: a child Safeguard does not know answers exactly as a
        known child without a plan, so the lookup never reveals who is known to social care."""
        return LookupAnswer.NO_PLAN if self.answer == LookupAnswer.NOT_FOUND else self.answer

    @property
    def message(self) -> str:
        if self.answer == LookupAnswer.CURRENT_PLAN:
            return f"This child is on a child protection plan, since {self.start_date:%-d %B %Y}."
        if self.answer == LookupAnswer.RECENT_PLAN:
            return (
                "This child is not on a child protection plan now, but was in the last 12 "
                f"months (a plan that started on {self.start_date:%-d %B %Y})."
            )
        if self.answer == LookupAnswer.SEVERAL:
            return (
                "More than one child matches these details. Search by NHS number, or ring "
                "the numbers below."
            )
        return "No child protection plan is recorded for this child now or in the last 12 months."


@dataclass
class Found:
    """What the lookup found, kept on the server: the status, and whom to tell."""

    status: Status
    person: Person | None = None
    to_notify: list = field(default_factory=list)


def year_before(day: date) -> date:
    """The same date a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _given(given: str, prefix: str = "") -> Q:
    """A first given name: the whole of ``given_names``, or its first word."""
    return Q(**{f"{prefix}given_names__iexact": given}) | Q(
        **{f"{prefix}given_names__istartswith": given + " "}
    )


def matching_children(*, authority_id: int, search: Search) -> list[Person]:
    """At most two people of the authority matching ``search`` (two means "more than one").

    By name, a child matches on their current name or on any other name they are or were
    known by (a previous family name, an alias): a child on a plan under an earlier surname
    must not be answered "no plan". Another name recorded without given names keeps the
    child's current given names."""
    people = Person.objects.filter(authority_id=authority_id)
    if search.by_nhs_number:
        people = people.filter(nhs_number=search.nhs_number)
    else:
        given, family = search.given_name.strip(), search.family_name.strip()
        known_as = PersonName.objects.filter(
            Q(family_name__iexact=family),
            _given(given) | (Q(given_names="") & _given(given, "person__")),
        ).values("person_id")
        people = people.filter(
            (_given(given) & Q(family_name__iexact=family)) | Q(pk__in=known_as),
            date_of_birth=search.birth_date,
        )
    return list(
        people.only("pk", "given_names", "family_name", "authority_id").order_by("pk")[:2]
    )


def plan_status(person: Person, *, today: date):
    """(answer, plan start date, the case to ask about): from the plans open on any day of the
    last 12 months, newest first; else the child's open case, for whom to tell."""
    since = year_before(today)
    plans = list(
        ChildProtectionPlan.objects.filter(case__child=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=since))
        .select_related("case")
        .order_by("-start_date")[:5]
    )
    current = next((p for p in plans if p.is_open_on(today)), None)
    if current is not None:
        return LookupAnswer.CURRENT_PLAN, current.start_date, current.case
    if plans:
        return LookupAnswer.RECENT_PLAN, plans[0].start_date, plans[0].case
    case = (
        Case.objects.filter(child=person, closure_date__isnull=True)
        .order_by("-referral_date")
        .first()
    )
    return LookupAnswer.NO_PLAN, None, case


def allocation_of(case: Case | None, *, today: date) -> Allocation | None:
    if case is None:
        return None
    return (
        Allocation.objects.filter(Allocation.open_on(today), case=case)
        .select_related("worker", "team__manager")
        .order_by("-start_date")
        .first()
    )


def authority_numbers(authority_id: int) -> LocalAuthority:
    return LocalAuthority.objects.only("name", "daytime_phone", "out_of_hours_phone").get(
        pk=authority_id
    )


def _status(authority: LocalAuthority, answer, start=None, team: str = "") -> Status:
    on_plan = answer == LookupAnswer.CURRENT_PLAN
    recent = answer in (LookupAnswer.CURRENT_PLAN, LookupAnswer.RECENT_PLAN)
    return Status(
        answer=answer,
        on_plan=on_plan,
        plan_in_last_12_months=recent,
        start_date=start if recent else None,
        allocated_team=team if recent else "",
        authority_name=authority.name,
        daytime_phone=authority.daytime_phone,
        out_of_hours_phone=authority.out_of_hours_phone,
    )


def api_key_by_secret(key: str) -> ApiKey | None:
    """The live (unrevoked) key whose hash is that of ``key``, or None."""
    if not key:
        return None
    return (
        ApiKey.objects.select_related("organisation", "account")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )


def calls_in_last_minute(api_key: ApiKey) -> int:
    since = timezone.now() - timedelta(minutes=1)
    return api_key.lookups.filter(at__gte=since).count()


# Without a savepoint when nested (in ``cp_lookup``): nothing inside catches an error, so
# a failure undoes the whole lookup anyway, and each savepoint costs two queries.
@transaction.atomic(savepoint=False)
def access_cp_status(
    *,
    user,
    search: Search,
    api_key: ApiKey | None = None,
    request=None,
    reason: str = "",
    then: Callable[[Found], None] | None = None,
) -> Found:
    """Answer a child-protection lookup for ``user`` (a clinician, or a key's API account
    with ``api_key``), logging the access to the child found, or raise.

    ``then(found)``, if given, runs in the same transaction just before the access event is
    written: the writes that go with the answer (the notices, the lookup's record). The
    event is the last write because appending to the access log's chain locks it until the
    transaction commits (``audit.chain``): every lookup, and every page read, waits on it.

    Raises ``PermissionDenied`` when neither the user nor the key may look up, and
    ``AccessLogUnavailable`` when the access event cannot be written (nothing is answered,
    and ``then``'s writes are undone with the rest).
    A sealed child is answered like any other: the answer holds nothing the seal protects.
    """
    if api_key is not None:
        if not permissions.key_can(api_key, permissions.Action.LOOKUP):
            raise PermissionDenied
        authority_id = api_key.organisation.authority_id
    else:
        if not permissions.can(user, permissions.Action.LOOKUP):
            raise PermissionDenied
        authority_id = user.agency.authority_id
    today = timezone.localdate()
    authority = authority_numbers(authority_id)
    children = matching_children(authority_id=authority_id, search=search)
    if len(children) != 1:
        answer = LookupAnswer.SEVERAL if children else LookupAnswer.NOT_FOUND
        found = Found(status=_status(authority, answer))
        if then is not None:
            then(found)
        if children:
            # Several children were read to give "more than one": each read is logged.
            record_access(
                by=user,
                person_ids=[child.pk for child in children],
                purpose=AccessPurpose.API if api_key else AccessPurpose.SEARCH,
                route=request_route(request),
                ip_address=client_ip(request),
                reason=reason,
            )
        return found
    (person,) = children
    answer, start, case = plan_status(person, today=today)
    allocation = allocation_of(case, today=today)
    team = allocation.team.name if allocation else "Not allocated"
    to_notify = []
    if allocation is not None:
        to_notify = [allocation.worker, team_line_manager(allocation.team)]
    elif case is not None:
        # Nobody holds the case today: its team's manager is told instead.
        to_notify = [team_line_manager(case.team)]
    found = Found(
        status=_status(authority, answer, start, team), person=person, to_notify=to_notify
    )
    if then is not None:
        then(found)
    record_access(
        by=user,
        person_ids=[person.pk],
        purpose=AccessPurpose.API if api_key else AccessPurpose.SEARCH,
        route=request_route(request),
        ip_address=client_ip(request),
        reason=reason,
    )
    return found


def organisation_named(name: str, *, la_code: str = "") -> Agency:
    """The one agency called ``name`` (of the authority with DfE code ``la_code``, if given),
    or raise ``ApplicationError`` saying why not."""
    agencies = Agency.objects.select_related("authority").filter(name__iexact=name.strip())
    if la_code:
        agencies = agencies.filter(authority__dfe_la_code=la_code)
    found = list(agencies[:2])
    if not found:
        raise ApplicationError(f"No organisation is called {name!r}")
    if len(found) > 1:
        raise ApplicationError(f"More than one organisation is called {name!r}: give --la-code")
    return found[0]


def api_key_by_prefix(prefix: str) -> ApiKey:
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=prefix.strip()).first()
    if api_key is None:
        raise ApplicationError(f"No key starts {prefix!r}")
    return api_key


def api_keys():
    keys = ApiKey.objects.select_related("organisation")
    return keys.order_by("organisation__name", "-created_at")


def authority_by_code(la_code: str) -> LocalAuthority:
    authority = LocalAuthority.objects.filter(dfe_la_code=la_code).first()
    if authority is None:
        raise ApplicationError(f"No authority has the DfE LA code {la_code!r}")
    return authority


# --- Partner referrals (issue 17 item 3, decision 0050) -----------------------------------

REFERRALS_SHOWN = 100  # a partner's own referrals, newest first; the front door's waiting list


def access_partner_referral(*, user, referral_id, request=None) -> PartnerReferral:
    """One partner referral for ``user``: its sender, or the front door of its authority
    (``permissions.referrals_visible_to``). Once recorded, it names a child on record: that
    read is logged against the child, in this transaction (a partner sees the outcome)."""
    if not permissions.can(user, permissions.Action.SEE_REFERRAL):
        raise PermissionDenied
    referral = (
        permissions.referrals_visible_to(user)
        .select_related("agency", "referrer", "contact", "contact__decided_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    if referral.contact_id is not None:
        with transaction.atomic():
            record_access(
                by=user,
                person_ids=[referral.contact.child_id],
                purpose=AccessPurpose.VIEW,
                route=request_route(request) if request is not None else "",
                ip_address=client_ip(request) if request is not None else None,
                reason="Partner referral and its outcome",
            )
    return referral


def referrals_sent(user) -> list[PartnerReferral]:
    """The referrals ``user`` sent, newest first, with the contact each became: the
    partner's own list (their own typing and the outcome; no child's record is read)."""
    return list(
        PartnerReferral.objects.filter(referrer=user)
        .select_related("contact")
        .order_by("-received_at")[:REFERRALS_SHOWN]
    )


def referrals_waiting(user) -> list[PartnerReferral]:
    """The partner referrals of ``user``'s authority not yet recorded as contacts, oldest
    first: the front door's (none for anyone else)."""
    if not permissions.can(user, permissions.Action.RECORD_REFERRAL):
        return []
    return list(
        permissions.referrals_visible_to(user)
        .filter(contact__isnull=True)
        .select_related("agency", "referrer")
        .order_by("received_at")[:REFERRALS_SHOWN]
    )


def referral_candidates(*, user, referral: PartnerReferral, request=None) -> list[Person]:
    """The children on record who may be the one a referral is about: by its NHS number, and
    by its name with its date of birth (or its name alone without one), as the front door's
    own search finds them; each shown is logged as found in a search."""
    found: dict = {}
    if referral.nhs_number:
        for person in person_search(user=user, nhs_number=referral.nhs_number):
            found.setdefault(person.pk, person)
    for person in person_search(
        user=user, name=referral.child_name, date_of_birth=referral.date_of_birth
    )[:10]:
        found.setdefault(person.pk, person)
    return access_people(
        user=user,
        people=list(found.values()),
        purpose=AccessPurpose.SEARCH,
        request=request,
        reason="Matching a partner referral",
    )
