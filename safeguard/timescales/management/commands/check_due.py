"""``safeguard check-due [--authority-code C]``: work out every outstanding item from the
records and compare it with the table the due lists read (decision 0028). Changes nothing;
exits with status 1 if anything differs, listing what."""

import sys

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.timescales import projection

SHOWN = 20  # differences listed of each kind; the counts say how many there are


def _describe(row: dict) -> str:
    on = f"case {row['case_id']}" if row["case_id"] else f"contact {row['contact_id']}"
    return f"{row['rule_id']} on {on} from {row['start_date']}, due {row['due_date']}"


def _describe_clock(row: dict) -> str:
    return f"days since seen on case {row['case_id']}: {row['stage']} since {row['seen_since']}"


class Command(BaseCommand):
    help = "Compare the due lists' table with what the records give; exit 1 on a difference."

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority-code", help="DfE LA code of the authority (default: every authority)."
        )

    def handle(self, *args, authority_code=None, **options):
        authority = None
        if authority_code:
            authority = LocalAuthority.objects.filter(dfe_la_code=authority_code).first()
            if authority is None:
                raise CommandError(f"No authority has the DfE LA code {authority_code}")
        found = projection.check(authority=authority)
        clocks = found.clocks
        self.stdout.write(f"{found.checked} outstanding items worked out from the records.")
        self.stdout.write(f"{clocks.checked} open cases' days since seen worked out.")
        if not found:
            self.stdout.write("The due lists match the records: no difference.")
            return
        self._report(found, _describe, "Missing from the lists", "Not due")
        self._report(clocks, _describe_clock, "Days since seen missing", "Days since seen not open")
        self.stdout.write(
            "Run `safeguard rebuild-due` to bring the lists in line with the records."
        )
        sys.exit(1)

    def _report(self, found, describe, missing: str, extra: str) -> None:
        for label, rows in ((missing, found.missing), (extra, found.extra)):
            if rows:
                self.stdout.write(f"{label}: {len(rows)}")
                for row in rows[:SHOWN]:
                    self.stdout.write(f"  {describe(row)}")
        if found.changed:
            label = "Different" if describe is _describe else "Days since seen different"
            self.stdout.write(f"{label}: {len(found.changed)}")
            for was, now in found.changed[:SHOWN]:
                fields = [k for k in was if was[k] != now[k]]
                changes = ", ".join(f"{k} {was[k]} -> {now[k]}" for k in fields)
                self.stdout.write(f"  {describe(now)}: {changes}")
