"""``safeguard set-lookup-numbers --la-code NNN --daytime NUMBER --out-of-hours NUMBER``: the
numbers every child-protection lookup answer gives."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError
from safeguard.partners import selectors, services


class Command(BaseCommand):
    help = "Set the authority's daytime and out-of-hours numbers given with every lookup."

    def add_arguments(self, parser):
        parser.add_argument("--la-code", required=True)
        parser.add_argument("--daytime", required=True)
        parser.add_argument("--out-of-hours", required=True)
        add_by_argument(parser)

    def handle(self, *args, **options):
        by = acting_administrator(options)
        try:
            authority = services.lookup_numbers_set(
                by=by,
                authority=selectors.authority_by_code(options["la_code"]),
                daytime_phone=options["daytime"],
                out_of_hours_phone=options["out_of_hours"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{authority.name}: daytime {authority.daytime_phone}, "
            f"out of hours {authority.out_of_hours_phone}"
        )
