"""``safeguard retention-rules [--authority-code C] [--set TYPE=YEARS ...]``: show the retention
rules in force for an authority, or change one (a local choice, kept in its change history)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.core.errors import ApplicationError
from safeguard.privacy import retention
from safeguard.privacy.commandline import acting_user, authority
from safeguard.privacy.models import RecordType
from safeguard.privacy.services import retention_rule_set


class Command(BaseCommand):
    help = "Show or change the authority's retention rules."

    def add_arguments(self, parser):
        parser.add_argument("--authority-code", help="DfE LA code (default: the only authority)")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="TYPE=YEARS",
            help=f"Change one rule; TYPE is one of {', '.join(RecordType.values)}",
        )
        parser.add_argument("--by", metavar="USERNAME", help="The service manager changing it")

    def handle(self, *args, authority_code=None, by=None, **options):
        user = acting_user(by)
        la = authority(authority_code, user)
        for item in options["set"]:
            record_type, _, years = item.partition("=")
            if not years.strip().isdigit():
                raise CommandError(f"{item!r}: give TYPE=YEARS, like child_protection=35")
            try:
                retention_rule_set(
                    by=user,
                    authority_id=la.pk,
                    record_type=record_type.strip(),
                    years=int(years),
                )
            except ApplicationError as error:
                raise CommandError(error.message) from error
        self.stdout.write(f"Retention rules at {la.name}")
        for rule in retention.rules_for(la.pk).values():
            self.stdout.write(f"  {rule.record_type}: {rule.describe} ({rule.source})")
