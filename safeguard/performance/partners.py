"""Partner figures by agency (issue 17 item 7, decision 0070): for the authority and a period,
each figure is a share, by agency, of a numerator over a denominator, both counted in one
aggregate query per figure (a fixed number of queries whatever the data).

- **Conference attendance**: child protection conferences held in the period (by
  ``conference_date``) that each agency attended, out of those where it was expected. A
  conference's attendance record (``ChildProtectionConference.attendance``: agency →
  attended) names the agencies expected there, attended or not; an agency it does not name
  was not expected (a baby has no school) and the conference is not counted for it. The
  agencies are those the conference form lists, but the family, which is not an agency.
- **Plan actions on time**: child protection plan actions due in the period, owned by the
  agency (``owner_agency``) or by one of its staff (``owner_user``), closed as done on or
  before their due date (``closed_on``), out of those due. An action closed as no longer needed
  by its due date is not counted (it was withdrawn in time); one closed so after its due date,
  or still open after it, was late. One still open and not yet past its due date is not
  counted either way: it may yet be done on time.
- **Information requests answered on time**: the response times' definition
  (``partners.selectors.ANSWERED_ON_TIME``: answered on or before the due date), over the
  requests due in the period, by agency asked (``partners.selectors.requests_on_time_by_agency``).

- **Conference attendance by named agency**: practitioners invited to conferences held in the
  period who attended, of those whose attendance was recorded, by the agency invited
  (``partners.selectors.attendance_by_agency``; decision 0073).
- **Conference reports sent on time**: agencies' reports to child protection conferences due
  in the period (``REPORT_DUE_WORKING_DAYS`` working days before the conference), by agency
  invited, sent on or before their due day; a report never sent is late once its due day has
  passed (``partners.selectors.reports_on_time_by_agency``: the due day is a working-day
  count, so the period's invitations are read in one query and counted in Python).

A further figure is one more ``PartnerFigure`` in ``FIGURES``: a title, what it counts, and a
function from the authority, period and day to its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from safeguard.core.workdays import add_months
from safeguard.partners.models import REPORT_DUE_WORKING_DAYS
from safeguard.partners.selectors import (
    attendance_by_agency,
    reports_on_time_by_agency,
    requests_on_time_by_agency,
)
from safeguard.performance.indicators import Period
from safeguard.performance.selectors import round_half_up
from safeguard.protection.forms import CONFERENCE_AGENCIES
from safeguard.protection.models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    ChildProtectionConference,
    PlanAction,
)

# Those a conference's attendance names who are not agencies.
NOT_AGENCIES = frozenset({"Family", "Parents"})
ATTENDING_AGENCIES = tuple(a for a in CONFERENCE_AGENCIES if a not in NOT_AGENCIES)


def twelve_months_to(today: date) -> Period:
    """The partner figures' usual period: the twelve months ending ``today``."""
    return Period(add_months(today, -12) + timedelta(days=1), today)


@dataclass(frozen=True)
class AgencyRow:
    """One agency's figure: ``numerator`` of ``denominator``."""

    agency: str
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        """The share, exact to four places (half up), or None with nothing counted."""
        return round_half_up(self.numerator, self.denominator) if self.denominator else None


@dataclass(frozen=True)
class PartnerFigure:
    id: str
    title: str
    numerator: str  # what the numerator counts, in words
    denominator: str  # what the denominator counts
    definition: str
    rows: Callable[[int, Period, date], list[AgencyRow]]


def conference_attendance(authority_id: int, period: Period, today: date) -> list[AgencyRow]:
    """Conferences held in the period each agency attended, of those naming it. One query."""
    conferences = ChildProtectionConference.objects.filter(
        case__authority_id=authority_id,
        conference_date__gte=period.start,
        conference_date__lte=period.end,
    )
    counts = conferences.aggregate(
        **{
            f"expected_{i}": Count("pk", filter=Q(attendance__has_key=agency))
            for i, agency in enumerate(ATTENDING_AGENCIES)
        },
        **{
            f"attended_{i}": Count("pk", filter=Q(**{f"attendance__{agency}": True}))
            for i, agency in enumerate(ATTENDING_AGENCIES)
        },
    )
    return [
        AgencyRow(agency, counts[f"attended_{i}"], counts[f"expected_{i}"])
        for i, agency in enumerate(ATTENDING_AGENCIES)
        if counts[f"expected_{i}"]
    ]


# An action counted: done (on time or not); closed as no longer needed after its due date
# (late); or still open after its due date (late).
_ACTION_COUNTED = (
    Q(status=ActionStatus.DONE)
    | Q(status=ActionStatus.NOT_DONE, closed_on__gt=F("due_date"))
    | Q(status__in=OPEN_ACTION_STATUSES)
)
_ACTION_ON_TIME = Q(status=ActionStatus.DONE, closed_on__lte=F("due_date"))


def plan_actions_on_time(authority_id: int, period: Period, today: date) -> list[AgencyRow]:
    """Plan actions due in the period done by their due date, by owning agency. One query."""
    rows = (
        PlanAction.objects.filter(
            plan__case__authority_id=authority_id,
            due_date__gte=period.start,
            due_date__lte=period.end,
        )
        .filter(_ACTION_COUNTED)
        .exclude(status__in=OPEN_ACTION_STATUSES, due_date__gte=today)
        .annotate(
            owning_agency=Coalesce("owner_agency_id", "owner_user__agency_id"),
            owning_name=Coalesce("owner_agency__name", "owner_user__agency__name"),
        )
        .values("owning_agency", "owning_name")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=_ACTION_ON_TIME))
        .order_by("owning_name", "owning_agency")
    )
    return [
        AgencyRow(row["owning_name"] or "No agency", row["on_time"], row["due"]) for row in rows
    ]


def requests_answered_on_time(authority_id: int, period: Period, today: date) -> list[AgencyRow]:
    """Information requests due in the period answered on time, by agency asked. One query."""
    return [
        AgencyRow(row.agency, row.on_time, row.due)
        for row in requests_on_time_by_agency(
            authority_id=authority_id, start=period.start, end=period.end, today=today
        )
    ]


def invited_attendance(authority_id: int, period: Period, today: date) -> list[AgencyRow]:
    """Practitioners invited to conferences held in the period who attended, of those whose
    attendance was recorded, by named agency. One query."""
    return [
        AgencyRow(row.agency, row.attended, row.recorded)
        for row in attendance_by_agency(
            authority_id=authority_id, start=period.start, end=period.end
        )
    ]


def reports_sent_on_time(authority_id: int, period: Period, today: date) -> list[AgencyRow]:
    """Agencies' conference reports due in the period sent by their due day, by agency
    invited. One query."""
    return [
        AgencyRow(row.agency, row.on_time, row.due)
        for row in reports_on_time_by_agency(
            authority_id=authority_id, start=period.start, end=period.end, today=today
        )
    ]


CONFERENCE_ATTENDANCE = PartnerFigure(
    id="conference-attendance",
    title="Conference attendance",
    numerator="Conferences attended",
    denominator="Conferences expected at",
    definition=(
        "Child protection conferences held in the period that the agency attended, out of "
        "those whose attendance record names it (attended or not). A conference that does not "
        "name an agency did not expect it and is not counted for it."
    ),
    rows=conference_attendance,
)
PLAN_ACTIONS_ON_TIME = PartnerFigure(
    id="plan-actions",
    title="Plan actions done on time",
    numerator="Done by the due date",
    denominator="Actions due",
    definition=(
        "Child protection plan actions due in the period, owned by the agency or one of its "
        "staff, done on or before their due date. An action withdrawn (no longer needed) by "
        "its due date is not counted; one still open and not yet past its due date is not "
        "counted yet."
    ),
    rows=plan_actions_on_time,
)
REQUESTS_ON_TIME = PartnerFigure(
    id="information-requests",
    title="Information requests answered on time",
    numerator="Answered by the due date",
    denominator="Requests due",
    definition=(
        "Information requests due in the period, answered by the agency on or before the due "
        "date (as the response times count them). A request still open and not yet past its "
        "due date is not counted yet."
    ),
    rows=requests_answered_on_time,
)
INVITED_ATTENDANCE = PartnerFigure(
    id="invited-attendance",
    title="Conference attendance by named agency",
    numerator="Attended",
    denominator="Invited, attendance recorded",
    definition=(
        "Practitioners invited by name to child protection conferences held in the period who "
        "attended, out of those whose attendance social care or the chair recorded (attended, "
        "sent apologies, or did not attend), by the agency they were invited for. Apologies "
        "are not attendance. A withdrawn invitation is not counted."
    ),
    rows=invited_attendance,
)
REPORTS_ON_TIME = PartnerFigure(
    id="conference-reports",
    title="Conference reports sent on time",
    numerator="Sent by the due day",
    denominator="Reports due",
    definition=(
        "Reports to child protection conferences due in the period from the agencies invited, "
        f"sent on or before their due day ({REPORT_DUE_WORKING_DAYS} working days before the "
        "conference, bank holidays skipped). A report never sent is late once its due day has "
        "passed; one not sent and not yet due is not counted yet."
    ),
    rows=reports_sent_on_time,
)
# The figures, in the order shown.
FIGURES: tuple[PartnerFigure, ...] = (
    CONFERENCE_ATTENDANCE,
    INVITED_ATTENDANCE,
    REPORTS_ON_TIME,
    PLAN_ACTIONS_ON_TIME,
    REQUESTS_ON_TIME,
)


def partner_figures(
    *, authority_id: int, period: Period, today: date
) -> list[tuple[PartnerFigure, list[AgencyRow]]]:
    """Every figure for the authority and period, each with its rows by agency: one query a
    figure."""
    return [(figure, figure.rows(authority_id, period, today)) for figure in FIGURES]
