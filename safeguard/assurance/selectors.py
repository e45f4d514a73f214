"""Reading audits: the list, one audit (its child's case read through
``casework.selectors.access_case``, which logs the access) and the results by team, heading
and grade; and the front door's dip samples (decision 0063)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.models import AgencyKind, User
from safeguard.accounts.roles import MANAGER_ROLES, RECORDING_ROLES, Role
from safeguard.assurance import permissions
from safeguard.assurance.grants import running_sample
from safeguard.assurance.models import (
    Audit,
    AuditAction,
    DipItem,
    DipSample,
    Finding,
    Grade,
    Heading,
    Inspection,
    ProgrammeLine,
    ProgrammeRun,
)
from safeguard.assurance.permissions import Action
from safeguard.audit.models import AccessEvent
from safeguard.casework.selectors import access_case
from safeguard.core.prefetch import USER_FIELDS, JSONRows
from safeguard.people import selectors as people
from safeguard.people.models import Person
from safeguard.referrals.selectors import access_contact


def audits_for(user, *, request=None):
    """The audits ``user`` may see, newest first, with their children (sealed ones left out,
    counted: ``people.show_rows``)."""
    audits = permissions.visible_to(user).select_related(
        "case__child", "team", "auditor", "moderator"
    )
    return people.show_rows(
        user=user, rows=list(audits), child=attrgetter("case.child"), request=request
    )


def access_audit(*, user, audit_id: UUID, request=None) -> Audit:
    """One audit with its findings; the child's case file is read through ``access_case``."""
    audit = (
        permissions.visible_to(user)
        .select_related("team", "auditor", "moderator")
        .filter(pk=audit_id)
        .first()
    )
    if audit is None or not permissions.can(user, Action.SEE, audit):
        raise Http404("No such audit")
    audit.case = access_case(user=user, case_id=audit.case_id, request=request)
    audit.finding_list = list(audit.findings.all())
    audit.action_list = list(audit.actions.select_related("owner", "completed_by"))
    return audit


def action_for(*, user, action_id: UUID, request=None) -> AuditAction:
    """One action of the authority's audits, with its child's case read through
    ``access_case`` (which checks the user may see it and logs the access). Its owner reaches
    it from the case file without the right to see the audit itself."""
    authority_id = getattr(user.agency, "authority_id", None) if user.agency_id else None
    action = (
        AuditAction.objects.select_related("audit", "owner")
        .filter(pk=action_id, audit__authority_id=authority_id)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    action.audit.case = access_case(user=user, case_id=action.audit.case_id, request=request)
    return action


@dataclass
class CaseAuditAction:
    """An audit's action as the child's case page shows it."""

    action: AuditAction
    audit_date: date  # when the audit was completed
    can_complete: bool
    can_see_audit: bool

    @property
    def overdue(self) -> bool:
        return self.action.completed_on is None and self.action.due_date < timezone.localdate()


def with_audit_actions(cases):
    """``cases`` annotated with the actions their audits set, each as a JSON row, read in the
    cases' own query (a case page read: ``casework.views.register_case_page_read``)."""
    columns = {
        "id": F("pk"),
        "description": F("description"),
        "due_date": F("due_date"),
        "completed_on": F("completed_on"),
        "audit_id": F("audit_id"),
        "audit_status": F("audit__status"),
        "audit_completed_on": F("audit__completed_on"),
        "audit_practitioner_id": F("audit__practitioner_id"),
        "audit_authority_id": F("audit__authority_id"),
        **{f"owner_{p}": F(f"owner__{p}") for p in USER_FIELDS},
        **{f"completed_by_{p}": F(f"completed_by__{p}") for p in USER_FIELDS},
    }
    rows = (
        AuditAction.objects.filter(audit__case=OuterRef("pk"))
        .order_by()
        .values("audit__case")
        .annotate(rows=JSONRows(JSONObject(**columns)))
        .values("rows")
    )
    return cases.annotate(audit_action_rows=Subquery(rows))


def _key(model, name: str, value):
    """A foreign key's value from a JSON row (a UUID is hex text on SQLite)."""
    return model._meta.get_field(name).target_field.to_python(value)


def _day(value) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _user(row: dict, prefix: str) -> User | None:
    if row.get(f"{prefix}_id") is None:
        return None
    named = {p: row.get(f"{prefix}_{p}") for p in USER_FIELDS if p != "id"}
    return User(id=User._meta.pk.to_python(row[f"{prefix}_id"]), **named)


def case_audit_actions(*, user, case) -> list[CaseAuditAction]:
    """The actions case-file audits set on ``case`` (read with ``with_audit_actions``), open
    ones first by due date, then those done, latest first; each with whether ``user`` may
    record it done and may open its audit. No query."""
    found = []
    for row in getattr(case, "audit_action_rows", None) or []:
        audit = Audit(
            id=Audit._meta.pk.to_python(row["audit_id"]),
            case_id=case.pk,
            authority_id=_key(Audit, "authority", row["audit_authority_id"]),
            status=row["audit_status"],
            practitioner_id=_key(Audit, "practitioner", row["audit_practitioner_id"]),
            completed_on=_day(row["audit_completed_on"]),
        )
        owner, done_by = _user(row, "owner"), _user(row, "completed_by")
        action = AuditAction(
            id=AuditAction._meta.pk.to_python(row["id"]),
            audit=audit,
            description=row["description"],
            owner=owner,
            due_date=_day(row["due_date"]),
            completed_on=_day(row["completed_on"]),
            completed_by=done_by,
        )
        found.append(
            CaseAuditAction(
                action=action,
                audit_date=audit.completed_on,
                can_complete=permissions.can(user, Action.COMPLETE_ACTION, action),
                can_see_audit=permissions.can(user, Action.SEE, audit),
            )
        )
    open_ = sorted(
        (a for a in found if a.action.completed_on is None), key=lambda a: a.action.due_date
    )
    done = sorted(
        (a for a in found if a.action.completed_on is not None),
        key=lambda a: a.action.completed_on,
        reverse=True,
    )
    return open_ + done


def mine(user, *, request=None):
    """Completed audits of ``user``'s practice, and the open actions they own."""
    audits = audits_for_practitioner(user, request=request)
    actions = (
        AuditAction.objects.filter(
            owner=user, completed_on__isnull=True, audit__authority_id=user.agency.authority_id
        )
        .select_related("audit__case__child")
        .order_by("due_date")
    )
    shown = people.show_rows(
        user=user, rows=list(actions), child=attrgetter("audit.case.child"), request=request
    )
    return audits, shown.rows


def my_open_actions(user, *, today: date | None = None) -> dict:
    """How many audit actions ``user`` owns that are open, and of those overdue (the home
    page's count, one query)."""
    today = today or timezone.localdate()
    return AuditAction.objects.filter(
        owner=user, completed_on__isnull=True, audit__authority_id=user.agency.authority_id
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))


def front_door_checks_of(user, *, request=None) -> list[DipItem]:
    """The checks managers made, in dip samples, of the front-door decisions ``user`` made or
    agreed as manager: disagreements first, newest first, each with its child (shown and
    logged through ``people.show_rows``). One query whatever their number."""
    checked = (
        DipItem.objects.filter(
            Q(contact__decided_by=user) | Q(contact__manager=user),
            sample__authority_id=user.agency.authority_id,
            agrees__isnull=False,
        )
        .select_related("contact__child", "checked_by")
        .order_by("agrees", "-checked_at", "pk")
    )
    return people.show_rows(
        user=user,
        rows=list(checked),
        child=attrgetter("contact.child"),
        request=request,
        reason="Checks of my front-door decisions",
    ).rows


@dataclass
class DipKind:
    """How the decisions of one kind fared across the authority's dip samples."""

    why: str
    label: str
    drawn: int
    checked: int
    disagreed: int

    @property
    def disagreed_percent(self) -> int | None:
        return round(100 * self.disagreed / self.checked) if self.checked else None


def dip_results(user) -> list[DipKind]:
    """Across every dip sample of the authority: how many decisions of each kind were drawn,
    checked and disagreed with. One query."""
    if not permissions.can(user, Action.SEE_DIP):
        return []
    counts = {
        row["why"]: row
        for row in DipItem.objects.filter(sample__authority_id=user.agency.authority_id)
        .order_by()
        .values("why")
        .annotate(
            drawn=Count("pk"),
            checked=Count("pk", filter=Q(agrees__isnull=False)),
            disagreed=Count("pk", filter=Q(agrees=False)),
        )
    }
    return [
        DipKind(
            why=why,
            label=label,
            drawn=counts.get(why, {}).get("drawn", 0),
            checked=counts.get(why, {}).get("checked", 0),
            disagreed=counts.get(why, {}).get("disagreed", 0),
        )
        for why, label in DipItem.Why.choices
    ]


def audits_for_practitioner(user, *, request=None) -> list:
    audits = (
        permissions.visible_to(user)
        .filter(practitioner=user)
        .exclude(status=Audit.Status.STARTED)
        .select_related("case__child", "team", "auditor")
    )
    return people.show_rows(
        user=user, rows=list(audits), child=attrgetter("case.child"), request=request
    ).rows


def results_by_team(user) -> list[dict]:
    """Completed audits counted by team, month completed and final grade."""
    rows = (
        permissions.visible_to(user)
        .exclude(status=Audit.Status.STARTED)
        .values(
            "team__name",
            "completed_on__year",
            "completed_on__month",
            "overall_grade",
            "moderated_grade",
        )
        .annotate(audits=Count("id"))
        .order_by("team__name", "completed_on__year", "completed_on__month")
    )
    merged: dict[tuple, int] = {}
    for r in rows:
        key = (
            r["team__name"] or "Unallocated",
            f"{r['completed_on__year']}-{r['completed_on__month']:02d}",
            r["moderated_grade"] or r["overall_grade"],
        )
        merged[key] = merged.get(key, 0) + r["audits"]
    return [
        {"team": team, "month": month, "grade": grade, "audits": n}
        for (team, month, grade), n in sorted(merged.items())
    ]


# The grades that count as "good or better" in the results (Ofsted's scale).
GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


@dataclass
class GradeCounts:
    """How many of something (audits, findings) got each grade."""

    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_grade(self) -> list[int]:
        """The counts in the scale's order, outstanding first."""
        return [self.counts.get(grade, 0) for grade in Grade.values]

    @property
    def good_or_better(self) -> int | None:
        """The share graded good or outstanding, as a whole percentage; None if none."""
        if not self.total:
            return None
        good = sum(self.counts.get(grade, 0) for grade in GOOD_OR_BETTER)
        return round(100 * good / self.total)


@dataclass
class TeamMonth:
    team: str
    month: date  # the first of the month the audits were completed in
    grades: GradeCounts


def team_results(by_team: list[dict]) -> list[TeamMonth]:
    """``results_by_team``'s rows as one row per team and month, the audits by final grade."""
    rows: dict[tuple, TeamMonth] = {}
    for r in by_team:
        year, month = (int(part) for part in r["month"].split("-"))
        key = (r["team"], year, month)
        if key not in rows:
            rows[key] = TeamMonth(team=r["team"], month=date(year, month, 1), grades=GradeCounts())
        counts = rows[key].grades.counts
        counts[r["grade"]] = counts.get(r["grade"], 0) + r["audits"]
    return [rows[key] for key in sorted(rows)]


def quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: date) -> str:
    end = date(start.year, start.month + 2, 1)
    return f"{start:%b} to {end:%b %Y}"


@dataclass
class ThemeRow:
    heading: str
    label: str
    quarters: list[GradeCounts]  # in the order of ``ThemeResults.quarters``
    all_time: GradeCounts


@dataclass
class ThemeResults:
    quarters: list[date]  # the first day of each quarter shown, oldest first
    rows: list[ThemeRow]

    @property
    def quarter_labels(self) -> list[str]:
        return [quarter_label(q) for q in self.quarters]


def theme_results(user, *, quarters: int = 4) -> ThemeResults:
    """The grades given under each heading (the themes) of the completed audits ``user`` may
    see: in each of the last ``quarters`` quarters that have any, and over all time. One
    query."""
    rows = (
        Finding.objects.filter(
            audit__in=permissions.visible_to(user).exclude(status=Audit.Status.STARTED)
        )
        .values("heading", "grade", "audit__completed_on__year", "audit__completed_on__month")
        .annotate(findings=Count("id"))
        .order_by()
    )
    by_quarter: dict[tuple, GradeCounts] = {}
    all_time: dict[str, GradeCounts] = {}
    for r in rows:
        year, month = r["audit__completed_on__year"], r["audit__completed_on__month"]
        overall = all_time.setdefault(r["heading"], GradeCounts())
        overall.counts[r["grade"]] = overall.counts.get(r["grade"], 0) + r["findings"]
        if year is None:
            continue
        key = (r["heading"], quarter_of(date(year, month, 1)))
        counts = by_quarter.setdefault(key, GradeCounts()).counts
        counts[r["grade"]] = counts.get(r["grade"], 0) + r["findings"]
    shown = sorted({quarter for _, quarter in by_quarter})[-quarters:]
    return ThemeResults(
        quarters=shown,
        rows=[
            ThemeRow(
                heading=heading,
                label=label,
                quarters=[by_quarter.get((heading, q), GradeCounts()) for q in shown],
                all_time=all_time.get(heading, GradeCounts()),
            )
            for heading, label in Heading.choices
            if heading in all_time
        ],
    )


@dataclass
class ActionCounts:
    team: str
    set: int
    done: int
    done_late: int
    open: int
    overdue: int


def action_results(user, *, today: date | None = None) -> list[ActionCounts]:
    """The actions audits set on children's files, by the team audited: how many were set,
    done (and of those, done after their due date), still open, and overdue; a last row for
    all teams. One query."""
    today = today or timezone.localdate()
    rows = (
        AuditAction.objects.filter(audit__in=permissions.visible_to(user))
        .values("audit__team__name")
        .annotate(
            set=Count("pk"),
            done=Count("pk", filter=Q(completed_on__isnull=False)),
            done_late=Count("pk", filter=Q(completed_on__gt=F("due_date"))),
            open=Count("pk", filter=Q(completed_on__isnull=True)),
            overdue=Count("pk", filter=Q(completed_on__isnull=True, due_date__lt=today)),
        )
        .order_by("audit__team__name")
    )
    names = ("set", "done", "done_late", "open", "overdue")
    found = [
        ActionCounts(team=r["audit__team__name"] or "Unallocated", **{n: r[n] for n in names})
        for r in rows
    ]
    if len(found) > 1:
        found.append(
            ActionCounts(team="All teams", **{n: sum(getattr(a, n) for a in found) for n in names})
        )
    return found


def action_owners(authority_id):
    """Who may own an audit action: the authority's active social workers and managers."""
    return User.objects.filter(
        agency__authority_id=authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        role__in=RECORDING_ROLES,
        is_active=True,
    ).order_by("last_name", "first_name")


# The most reads the page lists at once (the newest).
READS_SHOWN = 1000


def inspections_for(user):
    """The inspections ``user`` may see, newest first, with their inspectors."""
    return list(
        permissions.inspections_visible_to(user)
        .prefetch_related("inspectors")
        .annotate(sampled=Count("sample"))
    )


def access_inspection(*, user, inspection_id: UUID) -> Inspection:
    """One inspection ``user`` may see (404 otherwise), with its inspectors."""
    inspection = (
        permissions.inspections_visible_to(user)
        .prefetch_related("inspectors")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None or not permissions.can(user, Action.SEE_INSPECTION, inspection):
        raise Http404("No such inspection")
    return inspection


def _reads(inspection):
    """The access events of ``inspection``'s inspectors from its first day to its last."""
    start = timezone.make_aware(datetime.combine(inspection.start_date, time.min))
    end = timezone.make_aware(datetime.combine(inspection.end_date + timedelta(days=1), time.min))
    return AccessEvent.objects.filter(
        user__in=[u.pk for u in inspection.inspectors.all()], at__gte=start, at__lt=end
    )


def inspection_sample(*, user, inspection, request=None):
    """The sampled case files ``user`` may see (sealed ones left out and counted:
    ``people.show_rows``), the children in name order, each with how often the inspectors
    have read the child's record (for the authority's managers)."""
    rows = list(
        inspection.sample.select_related("case__child", "case__team").order_by(
            "case__child__family_name", "case__child__given_names", "case_id"
        )
    )
    shown = people.show_rows(user=user, rows=rows, child=attrgetter("case.child"), request=request)
    if permissions.can(user, Action.SEE_INSPECTION_READS, inspection):
        counts = dict(
            _reads(inspection)
            .filter(person_id__in=[r.case.child_id for r in shown.rows])
            .values_list("person_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in shown.rows:
            r.reads = counts.get(r.case.child_id, 0)
    return shown


def inspection_reads(*, user, inspection, request=None):
    """What the inspectors read during ``inspection``: each read (the newest
    ``READS_SHOWN``), whose record, by whom, when, from which page; rows about a child the
    viewer may not see are left out and counted (``people.show_rows``)."""
    if not permissions.can(user, Action.SEE_INSPECTION_READS, inspection):
        raise PermissionDenied("A service manager sees what the inspectors read")
    events = list(_reads(inspection).select_related("user").order_by("-at", "-id")[:READS_SHOWN])
    persons = Person.objects.in_bulk({e.person_id for e in events})
    rows = []
    for event in events:
        person = persons.get(event.person_id)
        if person is not None:
            event.person = person
            rows.append(event)
    return people.show_rows(user=user, rows=rows, child=attrgetter("person"), request=request)


def sample_for_inspector(*, user, request=None) -> list:
    """The case files an inspector may read today, across their running inspections, each
    with its inspection (their home page)."""
    if not permissions.is_inspector(user):
        return []
    rows = list(
        running_sample(user)
        .select_related("case__child", "inspection")
        .order_by("inspection__name", "case__child__family_name", "case__child__given_names")
    )
    return people.show_rows(
        user=user, rows=rows, child=attrgetter("case.child"), request=request
    ).rows


def inspectors_of(authority_id):
    """Who may be named on an inspection: the active inspectors of the authority's agencies."""
    return User.objects.filter(
        agency__authority_id=authority_id, role=Role.INSPECTOR, is_active=True
    ).order_by("last_name", "first_name")


@dataclass(frozen=True)
class ProgrammeRow:
    """A line of the audit programme as its page shows it: this month's draw (if made) and
    how many of its audits are completed."""

    line: ProgrammeLine
    run: ProgrammeRun | None
    drawn: int
    completed: int
    runs_so_far: int


def programme(user, *, month: date) -> list[ProgrammeRow]:
    """The authority's audit programme, each line with its draw for ``month``: three queries
    whatever the number of lines and draws."""
    if not permissions.can(user, Action.SEE_PROGRAMME):
        return []
    lines = list(
        ProgrammeLine.objects.filter(authority_id=user.agency.authority_id)
        .select_related("auditor")
        .annotate(runs_so_far=Count("runs"))
        .order_by("-last_month", "first_month", "created_at")
    )
    runs = {
        run.line_id: run
        for run in ProgrammeRun.objects.filter(line__in=lines, month=month).annotate(
            drawn=Count("audits"),
            completed=Count("audits", filter=~Q(audits__status=Audit.Status.STARTED)),
        )
    }
    rows = []
    for line in lines:
        run = runs.get(line.pk)
        rows.append(
            ProgrammeRow(
                line=line,
                run=run,
                drawn=run.drawn if run else 0,
                completed=run.completed if run else 0,
                runs_so_far=line.runs_so_far,
            )
        )
    # Lines drawing this month first, then those ended or not started yet.
    rows.sort(key=lambda r: (not r.line.draws_in(month), r.line.first_month))
    return rows


def programme_line_by_id(*, user, line_id) -> ProgrammeLine:
    line = ProgrammeLine.objects.filter(pk=line_id, authority_id=user.agency.authority_id).first()
    if line is None or not permissions.can(user, Action.SEE_PROGRAMME):
        raise Http404("No such programme line")
    return line


def auditors_of(authority_id):
    """Who may be given a programme line: the authority's active team and service managers."""
    return User.objects.filter(
        agency__authority_id=authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        role__in=MANAGER_ROLES,
        is_active=True,
    ).order_by("last_name", "first_name", "pk")


# --- Dip samples of the front door's decisions (decision 0063) --------------------------------


def dip_samples(user) -> list[DipSample]:
    """The authority's dip samples, newest first, each with how many decisions were drawn,
    checked and disagreed with: one query whatever their number."""
    if not permissions.can(user, Action.SEE_DIP):
        return []
    return list(
        DipSample.objects.filter(authority_id=user.agency.authority_id)
        .select_related("drawn_by")
        .annotate(
            drawn=Count("items"),
            checked=Count("items", filter=Q(items__agrees__isnull=False)),
            disagreements=Count("items", filter=Q(items__agrees=False)),
        )
    )


def access_dip_sample(*, user, sample_id: UUID) -> DipSample:
    """One of the authority's dip samples (404 otherwise)."""
    sample = (
        DipSample.objects.filter(pk=sample_id, authority_id=user.agency.authority_id)
        .select_related("drawn_by")
        .first()
    )
    if sample is None or not permissions.can(user, Action.SEE_DIP, sample):
        raise Http404("No such dip sample")
    return sample


def dip_items(*, user, sample: DipSample, request=None):
    """The decisions of a dip sample, each with its contact, its child, who decided it and
    who checked it: the children are shown (and each read logged) through
    ``people.show_rows``, as the front door's own lists are; sealed ones are left out and
    counted. A fixed number of queries whatever the number of decisions."""
    rows = list(
        sample.items.select_related(
            "sample", "contact__child", "contact__decided_by", "contact__manager", "checked_by"
        ).order_by("why", "contact__decision_date", "contact__created_at", "pk")
    )
    return people.show_rows(
        user=user,
        rows=rows,
        child=attrgetter("contact.child"),
        request=request,
        reason="Dip sample of front-door decisions",
    )


def access_dip_item(*, user, item_id: UUID, request=None) -> DipItem:
    """One decision of a dip sample, its contact (and child) read through the front door's
    ``access_contact``, which logs the access."""
    item = (
        DipItem.objects.select_related("sample", "checked_by")
        .filter(pk=item_id, sample__authority_id=user.agency.authority_id)
        .first()
    )
    if item is None or not permissions.can(user, Action.SEE_DIP, item.sample):
        raise Http404("No such decision in a dip sample")
    item.contact = access_contact(user=user, contact_id=item.contact_id, request=request)
    return item
