"""``safeguard draw-audits [--month YYYY-MM] [--nightly]``: draw the audit programme's lines
not yet drawn for the month, for every authority (decision 0062), or schedule the nightly draw
in the background worker."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.assurance import tasks
from safeguard.assurance.services import month_start


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise CommandError(
            f"--month must be a year and month, like 2026-12 (not {text!r})"
        ) from error


class Command(BaseCommand):
    help = "Draw the audit programme's case files for the month (lines not yet drawn)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to draw, as YYYY-MM (default: this month).")
        parser.add_argument(
            "--nightly",
            action="store_true",
            help="Do not draw now: schedule the nightly draw in the background worker "
            "(nothing happens if it is already scheduled).",
        )

    def handle(self, *args, month=None, nightly=False, **options):
        if nightly:
            if month:
                raise CommandError("--nightly draws each night's month: leave out --month")
            if tasks.schedule_nightly():
                when = tasks.next_night().strftime("%d %B %Y %H:%M")
                self.stdout.write(f"The nightly draw of the audit programme is scheduled ({when}).")
            else:
                self.stdout.write("The nightly draw of the audit programme is already scheduled.")
            return
        chosen = _month(month) if month else month_start(timezone.localdate())
        drawn = tasks.draw_every_authority(month=chosen)
        files = "case file" if drawn == 1 else "case files"
        self.stdout.write(f"{drawn} {files} drawn to audit in {chosen:%B %Y}.")
