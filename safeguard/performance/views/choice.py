"""What every performance page is asked for: the period and the scope (the whole authority,
a team or a worker), checked against the policy; and how a figure is written."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.http import urlencode

from safeguard.core.csv import csv_response
from safeguard.core.errors import ApplicationError
from safeguard.performance import permissions, selectors
from safeguard.performance.indicators import Period, Scope
from safeguard.performance.permissions import Action


def csv_table(filename, header, rows):
    return csv_response(filename, rows=rows, header=header)


def shown(fig) -> str:
    """A figure as the pages write it: a rate in per cent, a value to one place, a count."""
    value = fig.value
    if value is None:
        return "no data"
    if fig.indicator.kind == "rate":
        return f"{value * 100:.1f}%"
    if fig.indicator.kind == "value":
        return f"{value:.1f}"
    return f"{value:,}"


class Choice:
    """The period and scope asked for in the query string, checked."""

    def __init__(self, request, default: Period | None = None):
        self.errors: list[str] = []
        user = request.user
        default = default or selectors.last_census_year(timezone.localdate())
        self.start = self._day(request.GET.get("from"), default.start, "from")
        self.end = self._day(request.GET.get("to"), default.end, "to")
        if self.end < self.start:
            self.errors.append("The end of the period must not be before its start.")
            self.start, self.end = default.start, default.end
        self.period = Period(self.start, self.end)
        try:
            selectors.check_period(self.period, compared=True)
        except ApplicationError as error:
            self.errors.append(error.message)
            self.period = default
            self.start, self.end = default.start, default.end
        self.team = self.worker = None
        if request.GET.get("team"):
            self.team = selectors.team_by_id(request.GET["team"])
            if not permissions.can(user, Action.VIEW_TEAM, self.team):
                raise PermissionDenied
        if request.GET.get("worker"):
            self.worker = selectors.worker_by_id(request.GET["worker"])
            if not permissions.can(user, Action.VIEW_WORKER, self.worker):
                raise PermissionDenied
        self.scope = Scope(
            authority_id=selectors.authority_filter(user.agency.authority_id),
            team_id=self.team.pk if self.team else None,
            worker_id=self.worker.pk if self.worker else None,
        )

    def _day(self, text, default, name):
        if not text:
            return default
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.errors.append(f"Enter the '{name}' date as YYYY-MM-DD, like 2026-03-31.")
            return default

    @property
    def label(self) -> str:
        who = self.worker or self.team
        return f"{who}" if who else "the whole authority"

    def query(self, **more) -> str:
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.team:
            params["team"] = self.team.pk
        if self.worker:
            params["worker"] = self.worker.pk
        params.update(more)
        return urlencode(params)


def choice(request, default: Period | None = None) -> Choice:
    """The checked choice of a user who may see the dashboard; 403 for anyone else.
    ``default``: the period when none is asked for (the last complete census year)."""
    if not permissions.can(request.user, Action.VIEW):
        raise PermissionDenied
    return Choice(request, default)
