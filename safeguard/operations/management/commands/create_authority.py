"""``safeguard create-authority --la-code NNN --name NAME [--by ADMIN]``: the authority, with
the default rule set, local standards, threshold of need and retention rules
(``operations.services.authority_create``). Run again, it changes nothing and says so."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError
from safeguard.operations.services import authority_create


class Command(BaseCommand):
    help = (
        "Create the authority (its DfE LA code and name) with the default rule set, local "
        "standards, threshold of need and retention rules. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la-code", required=True, help="The three-digit DfE LA code.")
        parser.add_argument("--name", required=True, help="The authority's name.")
        add_by_argument(parser)

    def handle(self, *args, **options):
        by = acting_administrator(options)
        try:
            outcome = authority_create(by=by, la_code=options["la_code"], name=options["name"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in outcome.lines():
            self.stdout.write(line)
