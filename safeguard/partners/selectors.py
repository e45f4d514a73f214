"""Reading a child's child-protection status from the live record, and the access function
every lookup goes through (``access_cp_status``).

The answer covers child protection plans (decision 0039) and periods of care, whether the
child is looked after now or was in the last 12 months (``casework.LookedAfterPeriod``,
decision 0076); nothing of the care itself (the legal status, the placement) is shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import Agency, LocalAuthority, User
from safeguard.accounts.roles import PARTNER_ROLES, RECORDING_ROLES, Role
from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import record_access
from safeguard.casework.models import Allocation, Case, LookedAfterPeriod
from safeguard.casework.permissions import Action as CaseworkAction
from safeguard.casework.selectors import access_child, team_line_manager
from safeguard.core.client_ip import client_ip
from safeguard.core.errors import ApplicationError
from safeguard.partners import permissions
from safeguard.partners.models import (
    REPORT_DUE_AT_MOST_DAYS_BEFORE,
    ApiKey,
    InformationRequest,
    InformationSharingDecision,
    Lookup,
    LookupAnswer,
    PartnerReferral,
    RequestStage,
    StepInvitation,
    StepKind,
    hash_key,
    report_due_on,
)
from safeguard.people import permissions as people_permissions
from safeguard.people.models import Person, PersonName
from safeguard.people.selectors.access import (
    ShownRows,
    access_people,
    access_person,
    request_route,
    seen_in_rows,
    show_rows,
)
from safeguard.people.selectors.search import person_search
from safeguard.protection import permissions as protection_permissions
from safeguard.protection import selectors as protection_selectors
from safeguard.protection.models import (
    OPEN_ACTION_STATUSES,
    ChildProtectionPlan,
    PlanAction,
    PlanActionProgress,
)
from safeguard.referrals.models import Contact


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
    # Periods of care (decision 0076): looked after today; a period open on any day of the
    # last 12 months; the start of the current or most recent one.
    looked_after: bool = False
    looked_after_in_last_12_months: bool = False
    looked_after_start_date: date | None = None

    @property
    def shown_answer(self) -> str:
        """What the clinician is told: a child Safeguard does not know answers exactly as a
        known child without a plan, so the lookup never reveals who is known to social care."""
        return LookupAnswer.NO_PLAN if self.answer == LookupAnswer.NOT_FOUND else self.answer

    @property
    def in_last_12_months(self) -> bool:
        """On a plan or looked after on any day of the last 12 months: a child to tell
        children's services about."""
        return self.plan_in_last_12_months or self.looked_after_in_last_12_months

    @property
    def message(self) -> str:
        if self.answer == LookupAnswer.SEVERAL:
            return self._plan_message()
        return f"{self._plan_message()} {self._care_message()}"

    def _care_message(self) -> str:
        if self.looked_after:
            return f"This child is looked after, since {self.looked_after_start_date:%-d %B %Y}."
        if self.looked_after_in_last_12_months:
            return (
                "This child is not looked after now, but was in the last 12 months (a period "
                f"of care that started on {self.looked_after_start_date:%-d %B %Y})."
            )
        return "This child is not recorded as looked after now or in the last 12 months."

    def _plan_message(self) -> str:
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
    return list(people.only("pk", "given_names", "family_name", "authority_id").order_by("pk")[:2])


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


@dataclass(frozen=True)
class Care:
    """Whether the child is looked after (decision 0076): ``now``, ``recent`` (a period of
    care open on any day of the last 12 months), the ``start_date`` of the current or most
    recent period, and its ``case``."""

    now: bool = False
    recent: bool = False
    start_date: date | None = None
    case: Case | None = None


def care_status(person: Person, *, today: date) -> Care:
    """The child's periods of care open on any day of the last 12 months, newest first, in
    one query; a child's periods never overlap, so the newest is the current one if any."""
    since = year_before(today)
    period = (
        LookedAfterPeriod.objects.filter(case__child=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=since))
        .select_related("case")
        .order_by("-start_date")
        .first()
    )
    if period is None:
        return Care()
    return Care(
        now=period.is_open_on(today), recent=True, start_date=period.start_date, case=period.case
    )


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


def _status(
    authority: LocalAuthority, answer, start=None, team: str = "", care: Care = Care()
) -> Status:
    on_plan = answer == LookupAnswer.CURRENT_PLAN
    recent = answer in (LookupAnswer.CURRENT_PLAN, LookupAnswer.RECENT_PLAN)
    return Status(
        answer=answer,
        on_plan=on_plan,
        plan_in_last_12_months=recent,
        start_date=start if recent else None,
        allocated_team=team if recent or care.recent else "",
        authority_name=authority.name,
        daytime_phone=authority.daytime_phone,
        out_of_hours_phone=authority.out_of_hours_phone,
        looked_after=care.now,
        looked_after_in_last_12_months=care.recent,
        looked_after_start_date=care.start_date,
    )


def api_key_by_secret(key: str) -> ApiKey | None:
    """The live (unrevoked) key whose hash is that of ``key``, or None; in the same one query
    (issue 17), its organisation's authority (the answer's numbers) and its calls in the last
    minute (``recent_calls``, for the rate limit). Read afresh on every call, so that a revoked
    key is refused at once."""
    if not key:
        return None
    since = timezone.now() - timedelta(minutes=1)
    recent = (
        Lookup.objects.filter(api_key=OuterRef("pk"), at__gte=since)
        .order_by()
        .values("api_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ApiKey.objects.select_related("organisation__authority", "account")
        .annotate(recent_calls=Coalesce(Subquery(recent), 0))
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )


def calls_in_last_minute(api_key: ApiKey) -> int:
    recent = getattr(api_key, "recent_calls", None)  # read with the key (api_key_by_secret)
    if recent is not None:
        return recent
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
    if api_key is not None and "authority" in api_key.organisation._state.fields_cache:
        authority = api_key.organisation.authority  # read with the key (api_key_by_secret)
    else:
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
    care = care_status(person, today=today)
    if case is None:
        # Looked after with no plan and no open case: the period's case says whom to tell.
        case = care.case
    allocation = allocation_of(case, today=today)
    team = allocation.team.name if allocation else "Not allocated"
    to_notify = []
    if allocation is not None:
        to_notify = [allocation.worker, team_line_manager(allocation.team)]
    elif case is not None:
        # Nobody holds the case today: its team's manager is told instead.
        to_notify = [team_line_manager(case.team)]
    found = Found(
        status=_status(authority, answer, start, team, care), person=person, to_notify=to_notify
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


# --- Information requests (issue 17 item 4, decision 0066) --------------------------------

AGENCY_REQUESTS_SHOWN = 200  # an agency's list: every open request, then the newest answered


def _request_queryset(base):
    return base.select_related(
        "child", "agency", "practitioner", "requested_by", "answered_by", "case", "contact"
    )


@transaction.atomic
def access_information_request(
    *, user, request_id, request=None, purpose: str = AccessPurpose.VIEW
) -> InformationRequest:
    """One information request for ``user``, its child's read logged in this transaction.

    Social care staff who record read it through the people access function (a sealed
    child's request answers "This record is restricted"); the agency asked reads its own
    requests only (``permissions.requests_visible_to``), logged as a read of the child.
    Raises ``PermissionDenied`` for anyone else, ``Http404`` for a request not theirs."""
    social_care = permissions.can(user, permissions.Action.REQUEST_INFORMATION)
    if not (social_care or permissions.can(user, permissions.Action.SEE_AGENCY_REQUESTS)):
        raise PermissionDenied("Information requests are for social care and the agency asked")
    if social_care:
        base = InformationRequest.objects.filter(authority_id=user.authority_id)
    else:
        base = permissions.requests_visible_to(user)
    found = _request_queryset(base).filter(pk=request_id).first()
    if found is None:
        raise Http404("No such information request")
    reason = f"Information request to {found.agency.name}"
    if social_care:
        found.child = access_person(
            user=user,
            person_id=found.child_id,
            purpose=purpose,
            request=request,
            reason=reason,
            read=found.child,
        )
    else:
        record_access(
            by=user,
            person_ids=[found.child_id],
            purpose=purpose,
            route=request_route(request),
            ip_address=client_ip(request),
            reason=reason,
        )
    if not permissions.can(user, permissions.Action.SEE_REQUEST, found):
        raise Http404("No such information request")
    return found


def requests_for_agency(*, user, today: date, request=None) -> list[InformationRequest]:
    """The requests to ``user``'s agency: open ones first, soonest due first (late ones are
    the first of them), then the answered, newest answered first. Each child shown is logged
    once, in this read's transaction (the agency sees their name, date of birth and NHS
    number: nothing else)."""
    if not permissions.can(user, permissions.Action.SEE_AGENCY_REQUESTS):
        return []
    with transaction.atomic():
        rows = list(
            _request_queryset(permissions.requests_visible_to(user)).order_by(
                DbCase(When(answered_at__isnull=True, then=0), default=1),
                F("answered_at").desc(nulls_first=True),
                "due_date",
                "sent_at",
            )[:AGENCY_REQUESTS_SHOWN]
        )
        if rows:
            record_access(
                by=user,
                person_ids=[r.child_id for r in rows],
                purpose=AccessPurpose.LIST,
                route=request_route(request),
                ip_address=client_ip(request),
                reason="Information requests to the agency",
            )
    for row in rows:
        row.shown_status = row.status(today)
    return rows


def requests_sent_by(*, user, today: date, request=None) -> ShownRows:
    """The requests ``user`` sent (social care), open first with the late ones leading, then
    the newest answered; rows whose child ``user`` may no longer see (sealed since) are left
    out and counted, and each child shown is logged once (``people.selectors.show_rows``)."""
    if not permissions.can(user, permissions.Action.REQUEST_INFORMATION):
        raise PermissionDenied("Social care staff who record send information requests")
    rows = list(
        InformationRequest.objects.filter(requested_by=user)
        .select_related("child", "agency", "practitioner")
        .annotate(**people_permissions.seen_annotations(user, "child_id"))
        .order_by(
            DbCase(When(answered_at__isnull=True, then=0), default=1),
            F("answered_at").desc(nulls_first=True),
            "due_date",
        )[:AGENCY_REQUESTS_SHOWN]
    )
    shown = show_rows(
        user=user,
        rows=rows,
        request=request,
        reason="Information requests sent",
        seen=seen_in_rows(rows, attrgetter("child_id")),
    )
    for row in shown.rows:
        row.shown_status = row.status(today)
    return shown


def open_requests_count(*, user, today: date) -> dict | None:
    """How many requests are open and late: to ``user``'s agency for partner staff, or sent
    by ``user`` for social care (the requester's side sees lateness too). One query; None
    for anyone who neither sends nor answers requests."""
    if permissions.can(user, permissions.Action.SEE_AGENCY_REQUESTS):
        base = permissions.requests_visible_to(user)
    elif permissions.can(user, permissions.Action.REQUEST_INFORMATION):
        base = InformationRequest.objects.filter(requested_by=user)
    else:
        return None
    return base.filter(answered_at__isnull=True).aggregate(
        open=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today))
    )


def requests_about_child(*, child: Person, today: date) -> list[InformationRequest]:
    """The information requests about ``child`` (already read through an access function
    by social care), newest first, each with its status."""
    rows = list(
        InformationRequest.objects.filter(child=child)
        .select_related("agency", "practitioner", "requested_by", "answered_by")
        .order_by("-sent_at")
    )
    for row in rows:
        row.shown_status = row.status(today)
    return rows


@dataclass(frozen=True)
class AgencyResponseTimes:
    agency_id: int
    agency: str
    kind: str
    sent: int
    answered: int
    answered_on_time: int
    median_days: float | None
    open: int
    late: int

    @property
    def on_time_percent(self) -> int | None:
        if not self.answered:
            return None
        return round(100 * self.answered_on_time / self.answered)


def _middle_days(position):
    """The ``days_to_answer`` of the answered request at ``position`` (1-based, an expression
    of the window's count ``n``) in its agency's order: the median's one or two middles."""
    ranked = (
        InformationRequest.objects.filter(
            agency_id=OuterRef("agency_id"), days_to_answer__isnull=False
        )
        .annotate(
            rank=Window(RowNumber(), order_by="days_to_answer"),
            n=Window(Count("pk")),
        )
        .filter(rank=position)
        .values("days_to_answer")[:1]
    )
    return Subquery(ranked)


def _with_answered_day(requests):
    """``requests`` with the local day each was answered (``answered_day``), which
    ``ANSWERED_ON_TIME`` compares with the due date."""
    return requests.annotate(answered_day=TruncDate("answered_at"))


# Answered on time: answered on or before the due date, by the local day of the answer
# (answered on the due date is on time: ``InformationRequest.answered_on_time``). The one
# definition, in SQL, of the response times by agency and the partner figures
# (``performance.partners``); over a query made by ``_with_answered_day``.
ANSWERED_ON_TIME = Q(answered_at__isnull=False, answered_day__lte=F("due_date"))


@dataclass(frozen=True)
class AgencyOnTime:
    agency_id: int
    agency: str
    on_time: int
    due: int


def requests_on_time_by_agency(
    *, authority_id: int, start: date, end: date, today: date
) -> list[AgencyOnTime]:
    """The information requests of the authority due from ``start`` to ``end`` (inclusive),
    by agency asked: how many were answered on time (``ANSWERED_ON_TIME``, as the response
    times count them) out of how many were due. A request still open and not yet past its
    due date on ``today`` is not counted either way: it may yet be answered on time. One
    aggregate query; an agency with no request due is not listed. A figure, not a read of
    any child: callers check who may see it (``performance``)."""
    rows = (
        _with_answered_day(
            InformationRequest.objects.filter(
                authority_id=authority_id, due_date__gte=start, due_date__lte=end
            )
        )
        .filter(Q(answered_at__isnull=False) | Q(due_date__lt=today))
        .values("agency_id", "agency__name")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=ANSWERED_ON_TIME))
        .order_by("agency__name", "agency_id")
    )
    return [
        AgencyOnTime(
            agency_id=row["agency_id"],
            agency=row["agency__name"],
            on_time=row["on_time"],
            due=row["due"],
        )
        for row in rows
    ]


def reports_on_time_by_agency(
    *, authority_id: int, start: date, end: date, today: date
) -> list[AgencyOnTime]:
    """Agencies' reports to child protection conferences due from ``start`` to ``end``
    (inclusive), by agency invited: how many were sent on or before their due day
    (``StepInvitation.report_due_on``: working days before the conference, on the project's
    calendar) out of how many were due. A report never sent counts as late once its due day
    has passed; one not sent and not yet past its due day on ``today`` is not counted either
    way. A withdrawn invitation asks for no report and is not counted.

    The due day is a working-day count, which SQL cannot do: the candidate invitations
    (conferences from ``start`` to a little after ``end``) are read in one query of four plain
    columns each and counted here. One query whatever the data; an agency with no report due
    is not listed. A figure, not a read of any child: callers check who may see it."""
    rows = (
        StepInvitation.objects.filter(
            authority_id=authority_id,
            kind=StepKind.CONFERENCE,
            withdrawn_at__isnull=True,
            meeting_date__gte=start,
            meeting_date__lte=end + timedelta(days=REPORT_DUE_AT_MOST_DAYS_BEFORE),
        )
        .values_list("agency_id", "agency__name", "meeting_date", "reported_at")
        .order_by()
    )
    counts: dict[tuple[str, int], list[int]] = {}
    for agency_id, agency, meeting_date, reported_at in rows:
        due_on = report_due_on(StepKind.CONFERENCE, meeting_date)
        if not start <= due_on <= end:
            continue
        if reported_at is None and due_on >= today:
            continue  # not yet late: it may yet be sent on time
        count = counts.setdefault((agency, agency_id), [0, 0])
        count[1] += 1
        if reported_at is not None and timezone.localdate(reported_at) <= due_on:
            count[0] += 1
    return [
        AgencyOnTime(agency_id=agency_id, agency=agency, on_time=on_time, due=due)
        for (agency, agency_id), (on_time, due) in sorted(counts.items())
    ]


def response_times(*, user, today: date) -> list[AgencyResponseTimes]:
    """Response times by agency for ``user``'s authority, every request ever sent: how many
    sent, answered, answered on time (on or before the due date), the median days to answer
    (calendar days from the day sent to the day answered), and how many are open and late
    today. One aggregate query; an agency never asked is not listed."""
    if not permissions.can(user, permissions.Action.SEE_RESPONSE_TIMES):
        raise PermissionDenied("Response times are for managers and analysts")
    answered = Q(answered_at__isnull=False)
    rows = (
        _with_answered_day(InformationRequest.objects.filter(authority_id=user.authority_id))
        .values("agency_id", "agency__name", "agency__kind")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=answered),
            on_time=Count("pk", filter=ANSWERED_ON_TIME),
            open=Count("pk", filter=~answered),
            late=Count("pk", filter=~answered & Q(due_date__lt=today)),
            low=_middle_days((F("n") + 1) / 2),
            high=_middle_days((F("n") + 2) / 2),
        )
        .order_by("agency__name")
    )
    return [
        AgencyResponseTimes(
            agency_id=row["agency_id"],
            agency=row["agency__name"],
            kind=row["agency__kind"],
            sent=row["sent"],
            answered=row["answered"],
            answered_on_time=row["on_time"],
            median_days=(row["low"] + row["high"]) / 2 if row["low"] is not None else None,
            open=row["open"],
            late=row["late"],
        )
        for row in rows
    ]


def askable_agencies(authority_id: int) -> list[Agency]:
    """The partner agencies of the authority a request may be sent to, by name."""
    return list(
        Agency.objects.filter(
            authority_id=authority_id, kind__in=permissions.REFERRING_KINDS
        ).order_by("name")
    )


def askable_practitioners(authority_id: int):
    """The active partner staff of the authority's partner agencies, who may be asked by
    name."""
    return list(
        User.objects.filter(
            agency__authority_id=authority_id,
            agency__kind__in=permissions.REFERRING_KINDS,
            is_active=True,
            role__in=PARTNER_ROLES,
        )
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


@dataclass(frozen=True)
class RequestedAt:
    """Where a new request is made from: the child's case or contact, and the stage they
    are at (an open section 47 enquiry, an assessment in progress, the front door)."""

    case: Case | None = None
    contact: Contact | None = None
    stage: str = RequestStage.OTHER


def requested_at(*, child: Person, case_id=None, contact_id=None) -> RequestedAt:
    """The case or contact of ``child`` a request is made from (ids from the page's address;
    another child's are ignored), and the stage that suggests."""
    if contact_id:
        contact = Contact.objects.filter(pk=_uuid(contact_id), child=child).first()
        if contact is not None:
            return RequestedAt(contact=contact, stage=RequestStage.FRONT_DOOR)
    if case_id:
        case = Case.objects.filter(pk=_uuid(case_id), child=child).first()
        if case is not None:
            if case.section47s.filter(end_date__isnull=True).exists():
                stage = RequestStage.SECTION_47
            elif case.assessments.filter(completed_date__isnull=True).exists():
                stage = RequestStage.ASSESSMENT
            else:
                stage = RequestStage.OTHER
            return RequestedAt(case=case, stage=stage)
    return RequestedAt()


def _uuid(value):
    try:
        return UUID(str(value))
    except ValueError:
        return None


# --- Contributions to steps and plans (issue 17 item 5, decision 0069) ----------------------

INVITATIONS_SHOWN = 200  # a practitioner's invitations: the coming ones, then the newest past
ACTIONS_SHOWN = 200  # an agency's plan actions: the open ones, then the newest closed

INVITATION_JOINS = (
    "child",
    "agency",
    "practitioner",
    "invited_by",
    "reported_by",
    "withdrawn_by",
)


def _log_children(*, user, child_ids, purpose, request, reason) -> None:
    if child_ids:
        record_access(
            by=user,
            person_ids=list(dict.fromkeys(child_ids)),
            purpose=purpose,
            route=request_route(request),
            ip_address=client_ip(request),
            reason=reason,
        )


@transaction.atomic
def access_invitation(*, user, invitation_id, request=None) -> StepInvitation:
    """One invitation for ``user``, its child's read logged in this transaction: the
    practitioner invited (``permissions.invitations_visible_to``: their own, the child not
    sealed), or social care who may hold the step (through ``people.selectors.access_person``,
    so a sealed child answers "This record is restricted"). Raises ``PermissionDenied`` for
    anyone else, ``Http404`` for an invitation not theirs."""
    partner = permissions.can(user, permissions.Action.SEE_INVITATIONS)
    if not (partner or permissions.can(user, permissions.Action.INVITE)):
        raise PermissionDenied("Invitations are for the practitioner invited and social care")
    base = (
        permissions.invitations_visible_to(user)
        if partner
        else StepInvitation.objects.filter(authority_id=user.authority_id)
    )
    found = base.select_related(*INVITATION_JOINS, "case").filter(pk=invitation_id).first()
    if found is None:
        raise Http404("No such invitation")
    reason = f"Invitation of {found.agency.name} to a {found.step_label.lower()}"
    if partner:
        _log_children(
            user=user,
            child_ids=[found.child_id],
            purpose=AccessPurpose.VIEW,
            request=request,
            reason=reason,
        )
    else:
        found.child = access_person(
            user=user,
            person_id=found.child_id,
            purpose=AccessPurpose.VIEW,
            request=request,
            reason=reason,
            read=found.child,
        )
    if not permissions.can(user, permissions.Action.SEE_INVITATION, found):
        raise Http404("No such invitation")
    return found


def invitations_for(*, user, today: date, request=None) -> list[StepInvitation]:
    """The practitioner's invitations: those to come (soonest first), then the past ones
    (newest first); each child shown logged once, in this read's transaction."""
    if not permissions.can(user, permissions.Action.SEE_INVITATIONS):
        return []
    with transaction.atomic():
        rows = list(
            permissions.invitations_visible_to(user)
            .select_related(*INVITATION_JOINS)
            .order_by(
                DbCase(When(meeting_date__gte=today, then=0), default=1),
                DbCase(When(meeting_date__gte=today, then=F("meeting_date"))),
                F("meeting_date").desc(),
            )[:INVITATIONS_SHOWN]
        )
        _log_children(
            user=user,
            child_ids=[r.child_id for r in rows],
            purpose=AccessPurpose.LIST,
            request=request,
            reason="Invitations to child protection steps",
        )
    for row in rows:
        row.shown_status = row.report_status(today)
    return rows


def invitations_waiting_count(*, user, today: date) -> dict | None:
    """For the practitioner's home page: invitations whose report is still to send, and how
    many of them are past their due day (one query: the due day is worked out per row)."""
    if not permissions.can(user, permissions.Action.SEE_INVITATIONS):
        return None
    waiting = list(
        permissions.invitations_visible_to(user)
        .filter(reported_at__isnull=True, meeting_date__gte=today - timedelta(days=31))
        .only("kind", "meeting_date", "conference_kind")[:INVITATIONS_SHOWN]
    )
    return {
        "waiting": len(waiting),
        "overdue": sum(1 for w in waiting if w.report_due_on() < today),
    }


@dataclass(frozen=True)
class ConferenceReports:
    """A conference's invitations: the reports sent, by agency, and who was invited and has
    not reported."""

    reported: list
    missing: list
    invited: list  # every invitation, for the attendance (decision 0073)


def conference_reports(*, user, conference) -> ConferenceReports | None:
    """The reports for ``conference`` (read already through its access function): the
    invitations to a conference on its case on its day, in one query; None for anyone who
    may not read them (social care who may hold the conference read them)."""
    if not permissions.can(user, permissions.Action.INVITE, conference.case):
        return None
    rows = list(
        StepInvitation.objects.filter(
            case_id=conference.case_id,
            kind=StepKind.CONFERENCE,
            meeting_date=conference.conference_date,
            withdrawn_at__isnull=True,
        )
        .select_related("agency", "practitioner", "reported_by")
        .order_by("agency__name", "invited_at")
    )
    return ConferenceReports(
        reported=[r for r in rows if r.is_reported],
        missing=[r for r in rows if not r.is_reported],
        invited=rows,
    )


def conference_invitations(*, conference) -> list[StepInvitation]:
    """The invitations, not withdrawn, to ``conference`` (read already through its access
    function), by agency: whose attendance social care mark. One query."""
    return list(
        StepInvitation.objects.filter(
            case_id=conference.case_id,
            kind=StepKind.CONFERENCE,
            meeting_date=conference.conference_date,
            withdrawn_at__isnull=True,
        )
        .select_related("agency", "practitioner")
        .order_by("agency__name", "invited_at")
    )


@dataclass(frozen=True)
class AgencyAttended:
    agency_id: int
    agency: str
    attended: int
    recorded: int


def attendance_by_agency(*, authority_id: int, start: date, end: date) -> list[AgencyAttended]:
    """Conferences held from ``start`` to ``end`` (inclusive) by named agency invited: how
    many of its practitioners invited attended, out of those whose attendance was recorded
    (attended, apologies or did not attend); withdrawn invitations are not counted. One
    aggregate query. A figure, not a read of any child: callers check who may see it."""
    rows = (
        StepInvitation.objects.filter(
            authority_id=authority_id,
            kind=StepKind.CONFERENCE,
            withdrawn_at__isnull=True,
            meeting_date__gte=start,
            meeting_date__lte=end,
        )
        .exclude(attendance="")
        .values("agency_id", "agency__name")
        .annotate(recorded=Count("pk"), attended=Count("pk", filter=Q(attendance="attended")))
        .order_by("agency__name", "agency_id")
    )
    return [
        AgencyAttended(
            agency_id=r["agency_id"],
            agency=r["agency__name"],
            attended=r["attended"],
            recorded=r["recorded"],
        )
        for r in rows
    ]


def _action_queryset(base):
    return base.select_related(
        "plan__case__child", "cin_plan__case__child", "owner_agency", "owner_user"
    )


def agency_actions(*, user, today: date, request=None) -> list[PlanAction]:
    """The plan actions ``user``'s agency owns (or they own): open ones first, soonest due
    first (the overdue lead), then the closed, newest due first. Each child shown logged
    once, in this read's transaction (their name, date of birth and NHS number)."""
    if not permissions.can(user, permissions.Action.SEE_AGENCY_ACTIONS):
        return []
    with transaction.atomic():
        rows = list(
            _action_queryset(permissions.actions_visible_to(user)).order_by(
                DbCase(When(status__in=OPEN_ACTION_STATUSES, then=0), default=1),
                DbCase(When(status__in=OPEN_ACTION_STATUSES, then=F("due_date"))),
                F("due_date").desc(),
            )[:ACTIONS_SHOWN]
        )
        _log_children(
            user=user,
            child_ids=[r.on_plan.case.child_id for r in rows],
            purpose=AccessPurpose.LIST,
            request=request,
            reason="Plan actions the agency owns",
        )
    for row in rows:
        row.overdue = row.is_overdue(today)
    return rows


def agency_actions_count(*, user, today: date) -> dict | None:
    """For the home page: the open actions the agency owns, and how many are overdue (one
    query)."""
    if not permissions.can(user, permissions.Action.SEE_AGENCY_ACTIONS):
        return None
    return (
        permissions.actions_visible_to(user)
        .filter(status__in=OPEN_ACTION_STATUSES)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )


def _with_progress(action: PlanAction) -> PlanAction:
    prefetch_related_objects(
        [action],
        Prefetch(
            "progress",
            queryset=PlanActionProgress.objects.select_related("created_by__agency"),
        ),
    )
    return action


@transaction.atomic
def access_agency_action(*, user, action_id, request=None) -> PlanAction:
    """One plan action with its progress, the child's read logged in this transaction: for
    the staff of the partner agency that owns it (or its owner), nothing else of the plan; for
    social care who may hold the case's conferences, through
    ``protection.selectors.access_action`` (the case policy and the seal applied; the progress
    notes are narrative, so not analysts)."""
    if not permissions.can(user, permissions.Action.SEE_AGENCY_ACTIONS):
        found = protection_selectors.access_action(
            user=user,
            action_id=action_id,
            request=request,
            action=protection_permissions.Action.CONFERENCE,
        )
        return _with_progress(found)
    found = _action_queryset(permissions.actions_visible_to(user)).filter(pk=action_id).first()
    if found is None or not permissions.can(user, permissions.Action.SEE_ACTION, found):
        raise Http404("No such action")
    _log_children(
        user=user,
        child_ids=[found.on_plan.case.child_id],
        purpose=AccessPurpose.VIEW,
        request=request,
        reason="A plan action the agency owns",
    )
    return _with_progress(found)


def access_progress(*, user, progress_id, request=None) -> PlanAction:
    """The page a partner's progress links to from the child's chronology: its action with
    every progress (``access_agency_action``)."""
    progress = PlanActionProgress.objects.filter(pk=progress_id).values_list("action_id")
    action_id = next(iter(progress.first() or ()), None)
    if action_id is None:
        raise Http404("No such progress")
    return access_agency_action(user=user, action_id=action_id, request=request)


def invitable_practitioners(authority_id: int) -> list[User]:
    """The active partner practitioners of the authority's partner agencies, who may be
    invited by name (not unscheduled-care clinicians, who meet children once)."""
    return [u for u in askable_practitioners(authority_id) if u.role == Role.PARTNER_PRACTITIONER]


def invitations_on_case(*, case, today: date) -> list[StepInvitation]:
    """The invitations on ``case`` (read already through its access function, by social care
    who may hold its conferences), newest step first, each with its report's status."""
    rows = list(
        StepInvitation.objects.filter(case=case)
        .select_related(*INVITATION_JOINS)
        .order_by("-meeting_date", "agency__name")[:INVITATIONS_SHOWN]
    )
    for row in rows:
        row.shown_status = row.report_status(today)
    return rows


# --- Information-sharing decisions (issue 17 item 6, decision 0070) -------------------------


def access_sharing_child(*, user, person_id, request=None, recording: bool = False) -> Person:
    """The child whose information-sharing decisions ``user`` reads (or records, with
    ``recording``), the read logged. Social care go through ``casework.selectors.access_child``
    (a page of the child's file: narrative, or recording); a partner agency's staff through
    ``people.selectors.access_person`` (they see the child, never the case file). Raises
    ``PermissionDenied`` or ``Http404`` as those do, and ``PermissionDenied`` for anyone the
    policy does not let record or read decisions about the child."""
    if permissions.is_agency_staff(user):
        child = access_person(
            user=user,
            person_id=person_id,
            purpose=AccessPurpose.EDIT if recording else AccessPurpose.VIEW,
            request=request,
            reason="Information-sharing decisions",
        )
    else:
        child = access_child(
            user=user,
            person_id=person_id,
            request=request,
            action=CaseworkAction.RECORD if recording else CaseworkAction.READ_NARRATIVE,
        )
    action = permissions.Action.RECORD_SHARING if recording else permissions.Action.SEE_SHARING
    if not permissions.can(user, action, child):
        raise PermissionDenied("Those who work with the child record decisions to share")
    return child


def sharing_decisions_about(*, user, child: Person) -> list[InformationSharingDecision]:
    """The decisions to share or not to share about ``child`` (already read through
    ``access_sharing_child``) that ``user`` may read, newest decision first: every one for
    social care, their own agency's for a partner."""
    return list(
        permissions.sharing_visible_to(user)
        .filter(child=child)
        .select_related("agency", "recipient_agency", "decided_by", "recorded_by", "case")
        .order_by("-decided_on", "-created_at")
    )


def sharing_recipients(*, authority_id: int, excluding: int) -> list[Agency]:
    """The agencies of the authority information may be shared with, by name: every one but
    the deciding agency itself (``excluding``)."""
    return list(
        Agency.objects.filter(authority_id=authority_id).exclude(pk=excluding).order_by("name")
    )


def sharing_deciders(*, agency: Agency) -> list[User]:
    """Who may be named as having decided for ``agency``: its active staff who record (social
    care) or its partner staff, by name."""
    roles = RECORDING_ROLES if agency.is_social_care else PARTNER_ROLES
    return list(
        User.objects.filter(agency=agency, is_active=True, role__in=roles).order_by(
            "last_name", "first_name", "username"
        )
    )


def case_of_child(*, child: Person, case_id) -> Case | None:
    """The case of ``child`` a page's address names (``?case=``), or None (another child's, or
    not an id)."""
    case_id = _uuid(case_id) if case_id else None
    return Case.objects.filter(pk=case_id, child=child).first() if case_id else None
