"""``safeguard create-api-key --organisation NAME --scope cp-lookup [--rate-limit N]``: a new
key for a partner organisation's system. The key is printed once and never stored (only its
hash); keep it in the organisation's secret store."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError
from safeguard.partners import selectors, services
from safeguard.partners.models import Scope


class Command(BaseCommand):
    help = "Create an API key for a partner organisation and print it (once)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="The organisation's name.")
        parser.add_argument(
            "--scope", required=True, action="append", choices=Scope.values,
            help="What the key may do (repeat for several).",
        )  # fmt: skip
        parser.add_argument("--rate-limit", type=int, default=60, help="Calls a minute.")
        parser.add_argument("--la-code", default="", help="The authority, when names repeat.")
        add_by_argument(parser)

    def handle(self, *args, **options):
        by = acting_administrator(options)
        try:
            organisation = selectors.organisation_named(
                options["organisation"], la_code=options["la_code"]
            )
            api_key, key = services.api_key_create(
                by=by,
                organisation=organisation,
                scopes=options["scope"],
                rate_limit_per_minute=options["rate_limit"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            f"Key {api_key.prefix}… for {organisation.name} ({', '.join(api_key.scopes)}, "
            f"{api_key.rate_limit_per_minute} calls a minute). It is shown only now:"
        )
        self.stdout.write(key)
