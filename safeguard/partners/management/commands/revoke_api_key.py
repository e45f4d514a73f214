"""``safeguard revoke-api-key PREFIX``: revoke a key at once (every later call gets 401).
``safeguard revoke-api-key --list`` lists the keys by their prefixes."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError
from safeguard.partners import selectors, services


class Command(BaseCommand):
    help = "Revoke an API key, named by its prefix (or --list the keys)."

    def add_arguments(self, parser):
        parser.add_argument("prefix", nargs="?", help="The key's first characters, as listed.")
        parser.add_argument("--list", action="store_true", help="List the keys instead.")
        add_by_argument(parser)

    def handle(self, *args, **options):
        if options["list"]:
            for api_key in selectors.api_keys():
                state = f"revoked {api_key.revoked_at:%Y-%m-%d}" if api_key.is_revoked else "live"
                self.stdout.write(
                    f"{api_key.prefix}  {api_key.organisation.name}  {','.join(api_key.scopes)}  "
                    f"{api_key.rate_limit_per_minute}/min  {state}"
                )
            return
        if not options["prefix"]:
            raise CommandError("Name the key by its prefix, or give --list")
        by = acting_administrator(options)
        try:
            api_key = selectors.api_key_by_prefix(options["prefix"])
            api_key = services.api_key_revoke(by=by, api_key=api_key)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Revoked {api_key.prefix}… of {api_key.organisation.name}")
