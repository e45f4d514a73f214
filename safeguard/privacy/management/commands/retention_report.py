"""``safeguard retention-report [--as-at DATE] [--csv FILE]``: records whose retention period
has passed, with the rule applied and its date; those under a legal hold are listed apart.
Review only: nothing is deleted."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from safeguard.core.csv import write_rows
from safeguard.privacy import retention
from safeguard.privacy.commandline import acting_user, authority, log_reads


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date like 2026-03-31") from None


class Command(BaseCommand):
    help = "List the records due for retention review (nothing is deleted)."

    def add_arguments(self, parser):
        parser.add_argument("--as-at", metavar="DATE", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--csv", metavar="FILE", help="Also write the list to a CSV file")
        parser.add_argument("--authority-code", help="DfE LA code (default: the only authority)")
        parser.add_argument("--by", metavar="USERNAME", help="The service manager asking")

    def handle(self, *args, as_at=None, csv=None, authority_code=None, by=None, **options):
        day = _date(as_at) if as_at else timezone.localdate()
        if csv and not Path(csv).parent.is_dir():
            raise CommandError(f"There is no folder {Path(csv).parent}")
        user = acting_user(by)
        la = authority(authority_code, user)
        with transaction.atomic():
            rep = retention.report(authority_id=la.pk, as_at=day)
            log_reads(
                user=user,
                people_list=[r.person for r in [*rep.due, *rep.held]],
                purpose="list",
                route="command retention-report",
                reason="Retention report",
            )
        self.stdout.write(f"Records due for review at {la.name} as at {day.isoformat()}")
        self.stdout.write(f"Due for review: {len(rep.due)}")
        for row in rep.due:
            self._row(row)
        self.stdout.write(f"Under a legal hold (not for review): {len(rep.held)}")
        for row in rep.held:
            self._row(row)
        if csv:
            with open(csv, "w", newline="", encoding="utf-8") as stream:
                write_rows(stream, retention.report_rows(rep), retention.REPORT_HEADER)
            self.stdout.write(f"Wrote {csv}")

    def _row(self, row) -> None:
        o = row.outcome
        self.stdout.write(
            f"  {row.person.pk}  {row.person.full_name}  {o.rule.label}: "
            f"{o.review_date.isoformat()} ({o.why})"
        )
