"""``safeguard timescale_standards``: show or change an authority's rule set and local standards."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.core.errors import ApplicationError
from safeguard.timescales.rules import RULE_SETS
from safeguard.timescales.services import STANDARDS, standards_update


class Command(BaseCommand):
    help = "Show or change an authority's Working Together rule set and local standards."

    def add_arguments(self, parser):
        parser.add_argument("--authority-code", help="DfE LA code (default: the only authority)")
        parser.add_argument("--rule-set", choices=sorted(RULE_SETS))
        for field in STANDARDS:
            parser.add_argument(f"--{field.replace('_', '-')}", type=int, dest=field)

    def handle(self, *args, authority_code=None, **options):
        authorities = LocalAuthority.objects.all()
        if authority_code:
            authorities = authorities.filter(dfe_la_code=authority_code)
        if authorities.count() != 1:
            raise CommandError("Name the authority with --authority-code (its DfE LA code)")
        authority = authorities.get()
        changes = {f: options[f] for f in ("rule_set", *STANDARDS) if options.get(f) is not None}
        if changes:
            try:
                authority = standards_update(by=None, authority=authority, **changes)
            except ApplicationError as error:
                raise CommandError(error.message) from error
        self.stdout.write(f"{authority.name} ({authority.dfe_la_code})")
        self.stdout.write(f"  rule set: {authority.get_rule_set_display()} ({authority.rule_set})")
        for field in STANDARDS:
            self.stdout.write(f"  {field}: {getattr(authority, field)}")
