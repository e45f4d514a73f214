"""``safeguard kpis --from DATE --to DATE [--json]``: every indicator for a period.

The figures come from all records in the database, whatever any user may see on screen: the
command is for analysts on the server (kpis.md section 5).
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.core.db import reporting
from safeguard.core.errors import ApplicationError
from safeguard.performance.indicators import Period
from safeguard.performance.selectors import figures, last_census_year


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"Dates are written YYYY-MM-DD, like 2026-03-31 (not {text!r})"
        ) from error


def as_json(period: Period, found: dict) -> str:
    """The layout of kpis.md section 5: one indicator a line."""
    lines = [
        "{",
        '  "period": '
        + json.dumps({"from": period.start.isoformat(), "to": period.end.isoformat()})
        + ",",
        '  "kpis": {',
    ]
    items = list(found.items())
    for position, (kpi_id, fig) in enumerate(items):
        comma = "," if position < len(items) - 1 else ""
        lines.append(f"    {json.dumps(kpi_id)}: {json.dumps(fig.as_json())}{comma}")
    lines += ["  }", "}"]
    return "\n".join(lines)


def _cell(number) -> str:
    return "" if number is None else str(number)


def as_table(period: Period, found: dict) -> str:
    header = ("indicator", "numerator", "denominator", "value")
    rows = []
    for kpi_id, fig in found.items():
        if fig.indicator.kind == "count":
            rows.append((kpi_id, "", "", str(fig.denominator)))
        else:
            value = "n/a" if fig.value is None else str(fig.value)
            if fig.indicator.kind == "value":
                rows.append((kpi_id, "", "", value))
            else:
                rows.append((kpi_id, _cell(fig.numerator), _cell(fig.denominator), value))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]

    def line(row):
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [f"Performance indicators {period.start.isoformat()} to {period.end.isoformat()}", ""]
    out.append(line(header))
    out.append("  ".join("-" * w for w in widths))
    out += [line(row) for row in rows]
    return "\n".join(out)


class Command(BaseCommand):
    help = "Every performance indicator of kpis.md for a period (default: last census year)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--json", dest="json_output", action="store_true", help="print one JSON object"
        )

    def handle(self, *args, start=None, end=None, json_output=False, **options):
        default = last_census_year(timezone.localdate())
        start_day = _date(start) if start else default.start
        end_day = _date(end) if end else default.end
        if end_day < start_day:
            raise CommandError("--to is before --from")
        period = Period(start_day, end_day)
        try:
            with reporting():  # the reporting replica, if there is one (decision 0072)
                found = figures(period)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(as_json(period, found) if json_output else as_table(period, found))
