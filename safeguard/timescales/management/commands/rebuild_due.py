"""``safeguard rebuild-due [--authority-code C] [--nightly]``: work out every outstanding item
again from the records (decision 0028), or schedule the nightly run in the background worker."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.timescales import projection, tasks


class Command(BaseCommand):
    help = "Work out every outstanding item again from the records (the due lists' table)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority-code", help="DfE LA code of the authority (default: every authority)."
        )
        parser.add_argument(
            "--nightly",
            action="store_true",
            help="Do not rebuild now: schedule the nightly rebuild in the background worker "
            "(nothing happens if it is already scheduled).",
        )

    def handle(self, *args, authority_code=None, nightly=False, **options):
        if nightly:
            if tasks.schedule_nightly():
                when = tasks.next_night().strftime("%d %B %Y %H:%M")
                self.stdout.write(f"The nightly rebuild of what is due is scheduled ({when}).")
            else:
                self.stdout.write("The nightly rebuild of what is due is already scheduled.")
            return
        authority = None
        if authority_code:
            authority = LocalAuthority.objects.filter(dfe_la_code=authority_code).first()
            if authority is None:
                raise CommandError(f"No authority has the DfE LA code {authority_code}")
        made = projection.rebuild(authority=authority)
        where = authority.name if authority else "every authority"
        self.stdout.write(f"{made} outstanding item{'s' if made != 1 else ''} ({where}).")
