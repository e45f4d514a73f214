"""``safeguard import-staff FILE.csv [--authority-code C] [--disable-missing] [--invite]
[--by ADMIN]``: the authority's staff from a CSV file.

Columns: ``username, given_name, family_name, email, role, agency, agency_kind, team,
job_title``; one row per team for a person in several. The work is
``accounts.services.staff_import``: every change is an audited account change (decision 0024),
a bad row refuses the whole file, and a second import changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts import services
from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Create or update the authority's agencies, teams and staff accounts from a CSV file "
        "(columns: " + ", ".join(services.STAFF_COLUMNS) + "). A bad row refuses the whole "
        "file; nobody is disabled unless --disable-missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument("--authority-code", help="DfE LA code (default: the only authority)")
        parser.add_argument(
            "--disable-missing",
            action="store_true",
            help="Disable every active account of the authority that is not in the file "
            "(except the one named with --by).",
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Email each new account an invitation to set its password.",
        )
        add_by_argument(parser)

    def handle(self, *args, **options):
        path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error.reason}") from error
        by = acting_administrator(options)
        try:
            authority = services.authority_named(options["authority_code"])
            outcome = services.staff_import(
                by=by, authority=authority, text=text,
                disable_missing=options["disable_missing"],
            )  # fmt: skip
        except services.StaffFileRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{path.name}, {problem}")
            raise CommandError(refused.message) from refused
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in outcome.lines():
            self.stdout.write(line)
        if options["invite"]:
            for username in outcome.created:
                user = services.account_named(username)
                try:
                    link, emailed = services.invitation_send(user, by=by)
                except ApplicationError as error:
                    self.stderr.write(f"{username}: {error.message}")
                    continue
                self.stdout.write(
                    f"Invited {username}" + (f" at {user.email}" if emailed else f": {link}")
                )
