"""Reads of the case file. A page or API call gets a case, a child in need plan, a chronology
entry or the child of a case-file page only through the ``access_*`` functions here: they
log the access to the child through the people access function and apply the casework
policy, answering 404 to those who may not know of the record and 403 to those who may see
it but not act. Higher apps (referrals, assessments, protection) build their own ``access_*``
functions on ``access_case`` and ``access_child``."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import Team, User
from safeguard.accounts.selectors import social_care_teams
from safeguard.audit.models import AccessPurpose
from safeguard.casework import permissions
from safeguard.casework.models import (
    Absence,
    Allocation,
    AuthorisationRequest,
    AuthorisationStatus,
    Case,
    CaseSummary,
    ChronologyEntry,
    CINPlan,
    DutySpell,
    LookedAfterPeriod,
)
from safeguard.casework.permissions import Action
from safeguard.core.prefetch import unpack_rows, with_rows
from safeguard.people import permissions as people_permissions
from safeguard.people import selectors as people
from safeguard.people.models import Person
from safeguard.people.permissions import sealed_from_q


def purpose_of(action) -> str:
    """What the child's access is logged as: viewing, or reading to change something."""
    return AccessPurpose.VIEW if action == Action.VIEW else AccessPurpose.EDIT


@transaction.atomic
def access_case(
    *,
    user,
    case_id: UUID,
    purpose: str | None = None,
    request=None,
    action: Action = Action.VIEW,
    related: tuple[str, ...] = (),
    reads: tuple = (),
) -> Case:
    """The case, for ``user`` to ``action``; its child's access is logged (as ``purpose``,
    by default what ``action`` is). Raises Http404 when the user may not know of it,
    PermissionDenied when they may see but not act. ``related``: more single records to
    read with the case in the same query (the case page's referral and contact); ``reads``:
    functions that annotate the query of cases with what else the page shows."""
    action = Action(action)
    cases = Case.objects.select_related("child", "authority", "priority_set_by", *related)
    # Whether the user may see the child is asked in the case's own query.
    cases = cases.annotate(**people_permissions.seen_annotations(user, "child_id"))
    for annotate in reads:
        cases = annotate(cases)
    case = cases.filter(pk=case_id).first()
    if case is None or not permissions.can(user, Action.VIEW, case):
        raise Http404("No such case")
    people.access_person(
        user=user,
        person_id=case.child_id,
        purpose=purpose or purpose_of(action),
        request=request,
        read=case.child,
        seen=people_permissions.seen_in(case, case.child_id),
    )
    if action != Action.VIEW and not permissions.can(user, action, case):
        raise PermissionDenied("You cannot do this on this case")
    return case


@transaction.atomic
def access_case_for(policy, *, user, case_id: UUID, request=None, action) -> Case:
    """The case, for ``user`` to do a higher app's ``action`` on it (assessments, protection).

    The case is read through ``access_case`` (the casework policy; the child's access is
    logged), then ``policy.can(user, action, case)`` is asked for anything but viewing: 403
    for those who may see the case but not do that."""
    case = access_case(user=user, case_id=case_id, purpose=purpose_of(action), request=request)
    if action != Action.VIEW and not policy.can(user, action, case):
        raise PermissionDenied("You cannot do this on this case")
    return case


def access_on_case(model, pk: UUID, read_case, *, related: tuple[str, ...] = ()):
    """A record of ``model`` that belongs to a case, with its case read by ``read_case``
    (``read_case(case_id)``, an access function): 404 if there is no such record.
    ``related``: single records to read with it in the same query (its chair, its author)."""
    item = model.objects.select_related(*related).filter(pk=pk).first()
    if item is None:
        raise Http404(f"No such {model._meta.verbose_name}")
    item.case = read_case(item.case_id)
    return item


def access_cin_plan(
    *, user, plan_id: UUID, request=None, action: Action = Action.RECORD
) -> CINPlan:
    """The child in need plan, reached through its case's access function."""
    case_id = CINPlan.objects.filter(pk=plan_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404("No such plan")
    case = access_case(user=user, case_id=case_id, request=request, action=action)
    plan = case.cin_plans.get(pk=plan_id)
    plan.case = case
    return plan


def access_looked_after_period(
    *, user, period_id: UUID, request=None, action: Action = Action.RECORD
) -> LookedAfterPeriod:
    """The period of care, reached through its case's access function (decision 0076)."""
    case_id = (
        LookedAfterPeriod.objects.filter(pk=period_id).values_list("case_id", flat=True).first()
    )
    if case_id is None:
        raise Http404("No such period of care")
    case = access_case(user=user, case_id=case_id, request=request, action=action)
    period = case.looked_after_periods.get(pk=period_id)
    period.case = case
    return period


def access_child(*, user, person_id: UUID, request=None, action: Action = Action.VIEW) -> Person:
    """The child, for a page of their case file or the front door.

    Partners may see the child but not the case file: they (and anyone else without sight
    of case files) are turned away before the read is logged, as ``access_case`` does; so
    are analysts from a page of narrative (``READ_NARRATIVE``: the chronology). Then the
    child is read through ``people.selectors.access_person`` (logged as viewing, or as
    reading to record for ``RECORD`` and ``AUTHORISE``) and the casework policy is asked
    again for the child's authority.
    """
    action = Action(action)
    if not permissions.can(user, Action.VIEW, authority_id=user.authority_id):
        raise Http404("No such case file")
    if action == Action.READ_NARRATIVE:
        if not permissions.can(user, action, authority_id=user.authority_id):
            raise PermissionDenied("The chronology is for staff working with the child")
        action = Action.VIEW
    child = people.access_person(
        user=user, person_id=person_id, purpose=purpose_of(action), request=request
    )
    if not permissions.can(user, Action.VIEW, authority_id=child.authority_id):
        raise Http404("No such case file")
    if action != Action.VIEW and not permissions.can(user, action, authority_id=child.authority_id):
        raise PermissionDenied("You cannot record on this child's file")
    return child


def access_chronology_entry(
    *, user, entry_id: UUID, request=None, action: Action = Action.RECORD
) -> ChronologyEntry:
    """The chronology entry, with its child read through ``access_child``."""
    entry = (
        _names_asked(ChronologyEntry.objects.select_related("case", "created_by"), user)
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404("No such entry")
    entry.child = access_child(user=user, person_id=entry.child_id, request=request, action=action)
    return entry


def cases_of_child(*, user, child) -> list[Case]:
    """The child's cases the user may see, newest first (the child is already accessed)."""
    return list(permissions.visible_to(user).filter(child=child).order_by("-referral_date"))


def _names_asked(entries: QuerySet[ChronologyEntry], user) -> QuerySet[ChronologyEntry]:
    """``entries`` with, on each, whether the other person it names is under a seal that keeps
    ``user`` out (``names_hidden``, read by ``ChronologyEntry.shown_what``), in the same query."""
    return entries.annotate(
        names_hidden=ExpressionWrapper(sealed_from_q(user, "names_id"), BooleanField())
    )


def chronology_of(child, *, user) -> list[ChronologyEntry]:
    """The child's chronology in event-date order, with annotations, as ``user`` may read it
    (a sealed person an entry names is withheld)."""
    return list(
        _names_asked(ChronologyEntry.objects.filter(child=child), user)
        .select_related("created_by", "case")
        .prefetch_related("annotations__created_by")
        .order_by("event_date", "created_at")
    )


# The page of each kind of step a chronology entry can come from (``source_type``, a model's
# ``app_label.modelname``), registered by the apps that own them (decision 0064): the
# chronology links each entry to the record it came from, so that nothing written on a step is
# reached only through its one line in the chronology.
_STEP_PAGES: dict[str, str] = {}


def register_step_page(source_type: str, url_name: str) -> None:
    """Called from an app's ``AppConfig.ready()``: entries made by a step of ``source_type``
    link to ``url_name``, which takes the step's id as its one argument."""
    _STEP_PAGES[source_type] = url_name


def step_page_url(entry: ChronologyEntry) -> str:
    """The page of the step ``entry`` came from ("" for a worker's own entry, or a step with
    no page). An ending's entry (``EndMarker``: "<id>:end") links to the step it ended."""
    url_name = _STEP_PAGES.get(entry.source_type)
    if not url_name or not entry.source_id:
        return ""
    step_id = entry.source_id.split(":", 1)[0]
    try:
        return reverse(url_name, args=[UUID(step_id)])
    except ValueError:
        return ""


def visit_kind(case: Case) -> str:
    """The kind of visit a new visit on ``case`` most likely is: to a child on a child
    protection plan, on a child in need plan, or neither."""
    if case.cp_plans.filter(end_date__isnull=True).exists():
        return "cp"
    if case.cin_plans.filter(end_date__isnull=True).exists():
        return "cin"
    return "other"


def allocated_worker(case: Case):
    """The worker the case is allocated to now, or None."""
    allocation = case.allocations.filter(end_date__isnull=True).first()
    return getattr(allocation, "worker", None)


def current_allocation(case: Case, *, on: date | None = None) -> Allocation | None:
    """The allocation holding ``case`` on ``on`` (today by default), with its worker and team,
    or None when the case is unallocated that day."""
    on = on or timezone.localdate()
    return (
        Allocation.objects.filter(Allocation.open_on(on), case=case)
        .select_related("worker", "team__manager")
        .order_by("-start_date")
        .first()
    )


# A team's management line is at most a few levels deep (team, service, directorate); the
# walk stops here so that a loop made outside ``accounts.services.team_update`` cannot hang.
MAX_MANAGEMENT_LEVELS = 10


def team_line_manager(team: Team | None):
    """The manager of ``team``, or, if it has none, of the nearest team above it that has one
    (its parent, the parent's parent...); None if nobody in the line is named."""
    for _ in range(MAX_MANAGEMENT_LEVELS):
        if team is None:
            return None
        if team.manager_id is not None:
            return team.manager
        team = Team.objects.select_related("manager").filter(pk=team.parent_id).first()
    return None


def line_manager(case: Case, *, on: date | None = None):
    """ "The right manager" for ``case``: the line manager of the team the case is allocated
    to on ``on`` (today by default), that is the team's manager, or the manager of the team
    above it when it has none; None when the case is unallocated or nobody is named.

    The one answer to "who manages this case?": oversight and authorisation build on it
    (issue 15)."""
    allocation = current_allocation(case, on=on)
    return team_line_manager(allocation.team) if allocation is not None else None


def case_holder(case: Case):
    """Who new information about the case goes to (issue 16 item 9): the allocated worker, or
    while nobody holds it, the line manager of its team (``team_line_manager``); None if the
    case has neither."""
    allocation = current_allocation(case)
    if allocation is not None:
        return allocation.worker
    team = Team.objects.select_related("manager").filter(pk=case.team_id).first()
    return team_line_manager(team)


def allocation_teams(case: Case) -> list[Team]:
    """The teams a case may be allocated in: the authority's social care teams, by name."""
    return list(social_care_teams(case.authority_id).select_related("manager"))


def allocation_team(
    teams: list[Team], *, chosen: str | None, current: Allocation | None, user
) -> Team | None:
    """Whose workers the allocation form lists: the team ``chosen`` (a team id from the
    page), else the team holding the case now, else the user's own first team, else the
    first team; None if the authority has no social care team."""
    by_id = {str(t.pk): t for t in teams}
    if chosen and chosen in by_id:
        return by_id[chosen]
    if current is not None and str(current.team_id) in by_id:
        return by_id[str(current.team_id)]
    own = {str(pk) for pk in user.teams.values_list("pk", flat=True)}
    for team in teams:
        if str(team.pk) in own:
            return team
    return teams[0] if teams else None


def open_case_of(child) -> Case | None:
    return Case.objects.filter(child=child, closure_date__isnull=True).first()


# What the case page shows of each step, fetched in a fixed number of queries: one query per
# kind of step, each joined to the people and records it names (``select_related``), so that
# a longer history means longer rows, never more queries. Steps recorded by higher apps are
# named by their reverse relation, so casework imports none of them.
CASE_PAGE_STEPS: dict[str, tuple[str, ...]] = {
    "allocations": ("worker", "team", "created_by"),
    "assessments": ("created_by", "authorised_by"),
    "strategy_discussions": ("chaired_by",),
    "section47s": ("created_by", "core_assessment"),
    "conferences": ("chaired_by",),
    "challenges": ("raised_by",),
    "cp_plans": ("created_by",),
    "cp_plans__actions": ("owner_user", "owner_agency"),
    "cin_plans": ("created_by",),
    "visits": ("worker", "created_by"),
    "direct_work": ("worker", "created_by"),
    "notes": ("created_by",),
    "decisions": ("decided_by",),
}


# Rows read inside their parent's own query (decision 0060): for each kind of step above, its
# lists: the reverse relation, the fields the case page and its timescales panel read, and the
# people (or agencies) named. A plan's core groups, and a child in need plan's reviews and
# actions (decision 0068), cost the page no query.
CASE_PAGE_INLINE: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "cp_plans": (("core_groups", ("meeting_date",), ("created_by",)),),
    "cin_plans": (
        ("reviews", ("review_date", "outcome"), ("created_by",)),
        (
            "actions",
            ("description", "due_date", "status", "closed_on", "created_at"),
            ("owner_user", "owner_agency"),
        ),
    ),
}


# The single records the case page shows, read with the case itself (``access_case``).
CASE_PAGE_JOINS = (
    "team",
    "referral__decided_by",
    "referral__contact__level",
    "referral__contact__decided_by",
    "referral__contact__manager",
)


def _related_model(path: str):
    model = Case
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


# Lists read in the case's own query (decision 0060): the managers' reviews of a case while it
# waited unallocated, and the threshold indicators of the contact that led to its referral.
CASE_LISTS = (
    ("unallocated_reviews", ("review_date", "decision"), ("reviewed_by",)),
    ("referral__contact__indicators", ("text",), ()),
    # Periods of care (decision 0076): the case page's list and the status tag.
    (
        "looked_after_periods",
        ("start_date", "end_date", "legal_status", "reason_ended"),
        ("created_by",),
    ),
    # The handovers between early help and social care at step-down (decision 0081), for
    # the early help app's partial on the case page.
    (
        "early_help_handovers",
        (
            "child",
            "direction",
            "handover_date",
            "from_side",
            "to_side",
            "handed_over",
            "assessment",
            "taf",
            "contact",
            "acknowledged_at",
            "version",
        ),
        ("acknowledged_by",),
    ),
)


def with_case_lists(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with its ``CASE_LISTS``, read in the cases' own query (for
    ``access_case(reads=)``; ``load_case_page`` puts them in place)."""
    for path, fields, named in CASE_LISTS:
        cases = with_rows(cases, path, fields, named)
    return cases


def load_case_page(case: Case) -> Case:
    """Load what the case page shows of ``case`` (read through ``access_case`` with
    ``related=CASE_PAGE_JOINS`` and ``reads=(with_case_lists, ...)``): one query per kind of
    step, whatever the length of the history."""

    def step(path: str, joins: tuple[str, ...]):
        queryset = _related_model(path)._default_manager.select_related(*joins)
        for relation, fields, named in CASE_PAGE_INLINE.get(path, ()):
            queryset = with_rows(queryset, relation, fields, named)
        return Prefetch(path, queryset=queryset)

    prefetch_related_objects([case], *(step(p, joins) for p, joins in CASE_PAGE_STEPS.items()))
    for path, lists in CASE_PAGE_INLINE.items():
        for relation, fields, named in lists:
            unpack_rows(getattr(case, path).all(), relation, fields, named)
    if not hasattr(case, "_rows_unallocated_reviews"):
        raise ValueError("load_case_page needs the case read with with_case_lists")
    for path, fields, named in CASE_LISTS:
        unpack_rows([case], path, fields, named)
    return case


# --- Status and the case summary (issue 16 item 4, decision 0048) -------------------------------

RED, BLUE = "govuk-tag--red", "govuk-tag--blue"
PURPLE, GREEN = "govuk-tag--purple", "govuk-tag--green"
ORANGE = "govuk-tag--orange"


def _current_plan_start(relation: str) -> Subquery:
    """The start of the case's current (unended) plan through ``relation``, for annotating a
    query of cases; the plans' app is higher up, so it is named by its reverse relation."""
    plans = Case._meta.get_field(relation).related_model._default_manager
    return Subquery(
        plans.filter(case=OuterRef("pk"), end_date__isnull=True)
        .order_by("start_date")
        .values("start_date")[:1]
    )


def with_plan_status(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with what ``case_status`` needs read in their own query (the person page's
    cases: decision 0048): ``open_cp_since`` and ``open_cin_since``."""
    return cases.annotate(
        open_cp_since=_current_plan_start("cp_plans"),
        open_cin_since=_current_plan_start("cin_plans"),
        looked_after_since=_current_plan_start("looked_after_periods"),
    )


def case_status(case: Case) -> list[dict]:
    """The child's current plan status on ``case``, derived from its records: on a child
    protection plan, on a child in need plan, or a child in need on an open case. Read from
    ``with_plan_status``'s annotations when the case was read with them, or else through
    ``.all()`` (so that a page that prefetched the plans asks no more). Looked after
    (decision 0076) comes first, beside any plan: a child may be both. Empty for a closed
    case."""
    if not case.is_open:
        return []
    if "open_cp_since" in case.__dict__:
        cp_since, cin_since = case.open_cp_since, case.open_cin_since
        lac_since = case.looked_after_since
    else:
        cp = [p.start_date for p in case.cp_plans.all() if p.end_date is None]
        cin = [p.start_date for p in case.cin_plans.all() if p.end_date is None]
        lac = [p.start_date for p in case.looked_after_periods.all() if p.end_date is None]
        cp_since, cin_since = (cp[0] if cp else None), (cin[0] if cin else None)
        lac_since = lac[0] if lac else None
    found = []
    if lac_since:
        found.append({"label": "Looked after", "since": lac_since, "colour": ORANGE})
    if cp_since:
        found.append({"label": "On a child protection plan", "since": cp_since, "colour": RED})
    if cin_since:
        found.append({"label": "On a child in need plan", "since": cin_since, "colour": BLUE})
    if not found:
        found.append({"label": "Child in need", "since": case.referral_date, "colour": PURPLE})
    return found


def child_status(child) -> list[dict]:
    """The child's current status across their record: each open case's status
    (``case_status``) and, with no open case, early help (a team around the family that has
    not ended, or an early help assessment not yet complete). Reads ``child.cases`` with their
    plans and the early help records through ``.all()`` (the person page prefetches them)."""
    found = []
    for case in child.cases.all():
        found += case_status(case)
    if found:
        return found
    tafs = [t for t in child.teams_around_family.all() if t.end_date is None]
    if tafs:
        return [{"label": "Early help", "since": tafs[0].start_date, "colour": GREEN}]
    assessing = [a for a in child.early_help_assessments.all() if a.completed_date is None]
    if assessing:
        return [
            {"label": "Early help assessment", "since": assessing[0].start_date, "colour": GREEN}
        ]
    return []


# --- The children of a family together (issue 16 item 7, decision 0065) -----------------------

# What the family view calls entries written by hand, and entries of no known kind.
MANUAL_KIND = "manual"
KIND_WORDS = {MANUAL_KIND: "Entries added by a worker", "people.household": "Household changes"}


def kind_label(source_type: str) -> str:
    """The plain words for a kind of chronology entry (its ``source_type``, the step's model
    label): "Contact", "Visit". Higher apps' models are named through the app registry,
    which imports nothing."""
    if source_type in KIND_WORDS:
        return KIND_WORDS[source_type]
    try:
        model = django_apps.get_model(source_type)
    except (LookupError, ValueError):
        return source_type
    name = str(model._meta.verbose_name_plural)
    return name[:1].upper() + name[1:]


@dataclass
class FamilyChild:
    child: Person
    status: list
    centre: bool = False


@dataclass
class FamilyView:
    """Every child of a family the viewer may see, each with their current status, and the
    kinds of entry in their chronologies."""

    children: list[FamilyChild]
    hidden: int  # children of the family left out: their record is closed to the viewer
    kinds: list[tuple[str, str]]  # (source type, plain words) of the family's entries

    @property
    def people(self) -> list[Person]:
        return [member.child for member in self.children]


def family_view(*, user, child: Person, on: date, request=None) -> FamilyView:
    """The children of ``child``'s family on ``on`` (``people.selectors.family_children``:
    sealed children left out and counted, each one shown logged), ``child`` first, with their
    status (``child_status``), and the kinds of entry in their chronologies. ``child`` has
    been read through ``access_child``. A fixed number of queries, whatever the size of the
    family."""
    others = people.family_children(user=user, child=child, on=on, request=request)
    everyone = [child, *others.rows]
    prefetch_related_objects(
        everyone,
        Prefetch("cases", queryset=with_plan_status(Case.objects.order_by("-referral_date"))),
        "teams_around_family",
        "early_help_assessments",
    )
    children = [
        FamilyChild(child=person, status=child_status(person), centre=person.pk == child.pk)
        for person in everyone
    ]
    sources = (
        ChronologyEntry.objects.filter(child_id__in=[person.pk for person in everyone])
        .order_by()
        .values_list("source_type", flat=True)
        .distinct()
    )
    kinds = sorted(
        {(source or MANUAL_KIND, kind_label(source or MANUAL_KIND)) for source in sources},
        key=lambda pair: pair[1],
    )
    return FamilyView(children=children, hidden=others.hidden, kinds=kinds)


def family_chronology(
    family: FamilyView,
    *,
    user,
    child: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[ChronologyEntry]:
    """The chronologies of ``family``'s children as one, in event-date order, filtered by one
    of them (``child``: the id of one of them), a kind of entry (a ``source_type``, or
    ``MANUAL_KIND``) and dates; each entry names its child as read through the access
    functions. Two queries, whatever the size of the family."""
    names = {str(person.pk): person for person in family.people}
    ids = [names[child]] if child else list(names.values())
    entries = _names_asked(ChronologyEntry.objects.filter(child__in=ids), user)
    if kind:
        entries = entries.filter(source_type="" if kind == MANUAL_KIND else kind)
    if date_from is not None:
        entries = entries.filter(event_date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(event_date__lte=date_to)
    found = list(
        entries.select_related("created_by", "case")
        .prefetch_related("annotations__created_by")
        .order_by("event_date", "created_at")
    )
    for entry in found:
        entry.child = names[str(entry.child_id)]
    return found


def load_case_summary(case: Case) -> Case:
    """Read the case's summary versions with it (for the summary's form)."""
    prefetch_related_objects([case], "summaries")
    return case


# The current version of the case summary, read in the case page's own query
# (``with_current_summary``): its text, number, when and by whom.
SUMMARY_FIELDS = ("worries", "working_well", "next_steps", "risk_statement")
_SUMMARY_READ = (
    *SUMMARY_FIELDS,
    "number",
    "created_at",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__username",
)


def _summary_name(field: str) -> str:
    return "summary_" + field.replace("__", "_")


def with_current_summary(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with the current version of each one's summary read in the same query (one
    indexed look-up per column: the case page's one case), for ``summary_read_with``."""
    latest = CaseSummary.objects.filter(case=OuterRef("pk")).order_by("-number")
    return cases.annotate(
        **{_summary_name(f): Subquery(latest.values(f)[:1]) for f in _SUMMARY_READ}
    )


def with_waiting_authorisation(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with the decisions on each waiting for its line manager's authorisation
    (decision 0041) read in the same query: how many (``waiting_count``) and the oldest one's
    id, what it asks, when and by whom (``waiting_*``), for the case page's banner."""
    pending = AuthorisationRequest.objects.filter(
        case=OuterRef("pk"), status=AuthorisationStatus.PENDING
    ).order_by("requested_at")
    return cases.annotate(
        waiting_count=Subquery(
            pending.order_by().values("case").annotate(n=Count("pk")).values("n")[:1]
        ),
        waiting_id=Subquery(pending.values("pk")[:1]),
        waiting_summary=Subquery(pending.values("summary")[:1]),
        waiting_at=Subquery(pending.values("requested_at")[:1]),
        waiting_by_first=Subquery(pending.values("requested_by__first_name")[:1]),
        waiting_by_last=Subquery(pending.values("requested_by__last_name")[:1]),
        waiting_by_username=Subquery(pending.values("requested_by__username")[:1]),
    )


def waiting_read_with(case: Case) -> dict | None:
    """The oldest decision on ``case`` waiting for authorisation, read with
    ``with_waiting_authorisation`` (None if nothing waits)."""
    if not case.waiting_id:
        return None
    by = User(
        first_name=case.waiting_by_first or "",
        last_name=case.waiting_by_last or "",
        username=case.waiting_by_username or "",
    )
    return {
        "id": case.waiting_id,
        "summary": case.waiting_summary,
        "at": case.waiting_at,
        "by": by,
        "more": (case.waiting_count or 1) - 1,
    }


def summary_read_with(case: Case) -> CaseSummary | None:
    """The current case summary of ``case`` read with ``with_current_summary`` (for showing,
    never saving), or None if none has been written."""
    read = {f: getattr(case, _summary_name(f)) for f in _SUMMARY_READ}
    if read["number"] is None:
        return None
    author = None
    if read["created_by__username"] is not None:
        author = User(
            first_name=read["created_by__first_name"],
            last_name=read["created_by__last_name"],
            username=read["created_by__username"],
        )
    return CaseSummary(
        case=case,
        created_by=author,
        **{f: read[f] for f in (*SUMMARY_FIELDS, "number", "created_at")},
    )


def current_summary(case: Case):
    """The case summary's current version, or None (from the case page's prefetch)."""
    return next(iter(case.summaries.all()), None)


def summary_history(case: Case) -> list[dict]:
    """Every version of the case summary, newest first, each with who saved it, when, and
    which parts changed from the version before: one query."""
    versions = list(CaseSummary.objects.filter(case=case).select_related("created_by"))
    labels = {f: CaseSummary._meta.get_field(f).verbose_name for f in SUMMARY_FIELDS}
    history = []
    for i, version in enumerate(versions):
        before = versions[i + 1] if i + 1 < len(versions) else None
        changed = [
            labels[f]
            for f in SUMMARY_FIELDS
            if before is None or getattr(before, f) != getattr(version, f)
        ]
        history.append({"version": version, "changed": changed, "first": before is None})
    return history


__all__ = [
    "CASE_PAGE_JOINS",
    "case_status",
    "child_status",
    "current_summary",
    "load_case_summary",
    "summary_read_with",
    "waiting_read_with",
    "with_waiting_authorisation",
    "with_current_summary",
    "with_plan_status",
    "summary_history",
    "access_case",
    "access_child",
    "access_chronology_entry",
    "access_cin_plan",
    "access_looked_after_period",
    "allocated_worker",
    "allocation_team",
    "allocation_teams",
    "case_holder",
    "cases_of_child",
    "chronology_of",
    "current_allocation",
    "line_manager",
    "team_line_manager",
    "load_case_page",
    "open_case_of",
    "purpose_of",
    "visit_kind",
    "PermissionDenied",
]


# --- Cover: who is away, who is on duty (decision 0044) ---------------------------------------


def absent_on(on: date) -> QuerySet[Absence]:
    """The absences open on ``on``."""
    return Absence.objects.filter(Absence.open_on(on))


def away_annotations(on: date, worker_ref: str = "worker_id") -> dict:
    """For ``QuerySet.annotate``: whether the worker a row names (``worker_ref``) is away on
    ``on`` (``worker_away``), and the day they are back (``worker_back``; None if not
    known), so that a list marks an absent worker's rows in its own query."""
    open_absences = absent_on(on).filter(worker_id=OuterRef(worker_ref))
    return {
        "worker_away": Exists(open_absences),
        "worker_back": Subquery(open_absences.order_by("-start_date").values("end_date")[:1]),
    }


def absences_of(worker_ids, *, on: date) -> dict[int, Absence]:
    """The absence open on ``on`` of each of ``worker_ids`` who is away: one query."""
    ids = [pk for pk in worker_ids if pk is not None]
    if not ids:
        return {}
    return {a.worker_id: a for a in absent_on(on).filter(worker_id__in=ids).order_by("start_date")}


def covered_teams(user, *, on: date) -> QuerySet[Team]:
    """The teams whose absent workers' items ``user`` covers on ``on``: those they manage
    (``Team.manager``; for a team with no manager named, the manager of the team above it)
    and those they are on duty for."""
    on_duty = DutySpell.objects.filter(DutySpell.open_on(on), worker=user).values("team_id")
    return Team.objects.filter(
        Q(manager=user) | Q(manager__isnull=True, parent__manager=user) | Q(pk__in=on_duty)
    )


def covered_work(user, *, on: date, team_field: str = "team", worker_field: str = "worker") -> Q:
    """The ``Q`` of rows (due items, cases) held by a worker who is away on ``on``, in a team
    whose cover falls to ``user`` (``covered_teams``): never ``user``'s own."""
    return (
        Q(**{f"{team_field}__in": covered_teams(user, on=on).values("pk")})
        & Q(**{f"{worker_field}__in": absent_on(on).values("worker_id")})
        & ~Q(**{worker_field: user})
    )


def on_duty(team: Team, *, on: date) -> list:
    """Who is on duty for ``team`` on ``on``, by name: one query."""
    spells = DutySpell.objects.filter(DutySpell.open_on(on), team=team).select_related("worker")
    return sorted({s.worker for s in spells}, key=lambda u: (u.last_name, u.first_name, u.pk))


def team_absences(team: Team, *, on: date) -> list[Absence]:
    """The absences of ``team``'s members that are running on ``on`` or start after it,
    soonest first: one query."""
    return list(
        Absence.objects.filter(worker__teams=team)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("worker")
        .order_by("start_date", "worker__last_name", "pk")
        .distinct()
    )


def team_rota(team: Team, *, on: date) -> list[DutySpell]:
    """``team``'s duty spells running on ``on`` or after it, soonest first: one query."""
    return list(
        DutySpell.objects.filter(team=team)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("worker")
        .order_by("start_date", "worker__last_name", "pk")
    )


def absence_of_team(team: Team, absence_id: int) -> Absence:
    """One absence of a member of ``team``; 404 if there is none."""
    absence = (
        Absence.objects.filter(pk=absence_id, worker__teams=team).select_related("worker").first()
    )
    if absence is None:
        raise Http404("No such absence")
    return absence


def cover_team(team_id: int) -> Team:
    """The team whose cover page is asked for, with its agency; 404 if none."""
    team = Team.objects.select_related("agency", "manager").filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


# --- Decision rights (issue 15 item 2, decision 0041) -----------------------------------------


def decision_team_id(case: Case, *, on: date | None = None):
    """The team whose management line authorises a decision on ``case``: the team it is
    allocated to, else its responsible team (a new referral's front door team)."""
    allocation = current_allocation(case, on=on)
    return allocation.team_id if allocation is not None else case.team_id


def management_line(team_id, teams: dict) -> list:
    """The managers' ids up the line from ``team_id``, nearest first, given ``teams`` (id ->
    (parent id, manager id)); a manager named on two levels counts once."""
    line: list = []
    for _ in range(MAX_MANAGEMENT_LEVELS):
        if team_id is None or team_id not in teams:
            break
        parent_id, manager_id = teams[team_id]
        if manager_id is not None and manager_id not in line:
            line.append(manager_id)
        team_id = parent_id
    return line


def authority_teams(authority_id) -> dict:
    """Every team of the authority's agencies as id -> (parent id, manager id): one query,
    so that a queue finds each item's manager without asking again."""
    return {
        pk: (parent, manager)
        for pk, parent, manager in Team.objects.filter(
            agency__authority_id=authority_id
        ).values_list("pk", "parent_id", "manager_id")
    }


def authoriser_id(team_id, teams: dict, excluded) -> object | None:
    """Who authorises a decision on a case held by ``team_id``: the nearest manager up its
    line who is not ``excluded`` (whoever asked, or whose work it is: nobody authorises their
    own work, so it goes to the next manager up). None when nobody in the line is named."""
    return next((m for m in management_line(team_id, teams) if m not in excluded), None)


def case_authoriser(case: Case, *, excluded):
    """The one manager who may authorise a decision on ``case`` (``authoriser_id``), or None
    when the case's line names nobody who may."""
    teams = authority_teams(case.authority_id)
    pk = authoriser_id(decision_team_id(case), teams, set(excluded))
    return User.objects.filter(pk=pk).first() if pk else None


@dataclass(frozen=True)
class WaitingDecision:
    """One item in a manager's queue: what waits, about which child, since when."""

    label: str
    summary: str
    child: Person
    case_id: object
    team_id: object
    excluded: frozenset
    since: object  # datetime
    requested_by: object
    url: str

    @property
    def days_waiting(self) -> int:
        """Calendar days since it was asked for (0 on the day)."""
        return max((timezone.localdate() - timezone.localdate(self.since)).days, 0)


@dataclass(frozen=True)
class Reach:
    """Whose queue is being read: for a source to leave out, in its own query, the items that
    can never reach this manager (``waiting_for``), so that the queue reads a manager's share
    rather than the authority's every waiting item.

    An item reaches the manager (``authoriser_id``) only if the manager is on its team's line,
    or if nobody on the line may authorise it: the line is empty (the item has no team, or its
    team no manager), or everyone on it is excluded, which needs a manager among the excluded.
    ``may_reach`` is that test as a query condition; ``waiting_for`` then decides exactly."""

    user_id: object
    teams: dict  # authority_teams

    def may_reach(self, excluded: tuple[str, ...], allocated: str = "allocated_team") -> Q:
        """For a query of items annotated with their allocated team (``allocated``) and with a
        case: those whose team (the allocation's, else the case's) has the manager on its line
        or no line, or who exclude (the fields ``excluded``) someone who manages a team."""
        teams = {
            team_id
            for team_id in self.teams
            if not (line := management_line(team_id, self.teams)) or self.user_id in line
        }
        managers = {manager for _, manager in self.teams.values() if manager is not None}
        held = Q(**{f"{allocated}__in": teams}) | Q(**{f"{allocated}__isnull": True}) & (
            Q(case__team_id__in=teams) | Q(case__team_id__isnull=True)
        )
        for field in excluded:
            held |= Q(**{f"{field}__in": managers})
        return held


# Higher apps whose own records wait for a manager (assessments, decision 0035) add them to
# the same queue: each source is one query, ``source(authority_id, reach)``, of the authority's
# waiting items that may reach the manager (all of them when ``reach`` is None).
QueueSource = Callable[..., list[WaitingDecision]]
_QUEUE_SOURCES: list[QueueSource] = []


def register_queue_source(source: QueueSource) -> None:
    if source not in _QUEUE_SOURCES:
        _QUEUE_SOURCES.append(source)


@transaction.atomic
def access_authorisation(*, user, request_id: UUID, http=None) -> AuthorisationRequest:
    """A request for authorisation, for those who read the case file's narrative (the child's
    access logged through ``access_case``); 404 for anyone else."""
    asked = (
        AuthorisationRequest.objects.select_related("requested_by", "decided_by")
        .filter(pk=request_id)
        .first()
    )
    if asked is None:
        raise Http404("No such request")
    asked.case = access_case(
        user=user, case_id=asked.case_id, request=http, action=Action.READ_NARRATIVE
    )
    return asked


def _requests_waiting(authority_id) -> list[WaitingDecision]:
    from django.urls import reverse

    from safeguard.casework.services import decision_right_label

    current_team = (
        Allocation.objects.filter(case=OuterRef("case"), end_date__isnull=True)
        .order_by("-start_date")
        .values("team_id")[:1]
    )
    rows = (
        AuthorisationRequest.objects.filter(
            authority_id=authority_id, status=AuthorisationStatus.PENDING
        )
        .select_related("child", "requested_by", "case")
        .annotate(allocated_team=Subquery(current_team))
    )
    return [
        WaitingDecision(
            label=decision_right_label(r.kind),
            summary=r.summary,
            child=r.child,
            case_id=r.case_id,
            team_id=r.allocated_team or r.case.team_id,
            excluded=frozenset(r.excluded_ids()),
            since=r.requested_at,
            requested_by=r.requested_by,
            url=reverse("casework:authorisation", args=[r.pk]),
        )
        for r in rows
    ]


def waiting_for(user) -> list[WaitingDecision]:
    """What waits for ``user``'s authorisation, oldest first: every waiting decision of their
    authority whose authoriser (``authoriser_id``) is ``user``; where a case's line names
    nobody who may, every manager of the authority but those excluded. A fixed number of queries
    however many items wait (the teams, then one per source)."""
    if not permissions.can(user, Action.AUTHORISE, authority_id=permissions.authority_of(user)):
        return []
    authority_id = user.agency.authority_id
    teams = authority_teams(authority_id)
    reach = Reach(user.pk, teams)
    # Requests exclude whoever's work they are (any number): read whole, they are few.
    items = _requests_waiting(authority_id)
    for source in _QUEUE_SOURCES:
        items.extend(source(authority_id, reach))
    mine = []
    for item in items:
        if user.pk in item.excluded:
            continue
        who = authoriser_id(item.team_id, teams, item.excluded)
        if who == user.pk or who is None:
            mine.append(item)
    return sorted(mine, key=lambda i: i.since)
