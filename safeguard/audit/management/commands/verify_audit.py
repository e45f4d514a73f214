"""``safeguard verify-audit``: check both audit hash chains and the append-only triggers."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.audit.integrity import verify_all


class Command(BaseCommand):
    help = (
        "Check the hash chains of the access log and the change history from the first row to "
        "the last, and that the append-only triggers are in place. Exits non-zero at a break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        result = verify_all(options["database"])
        for line in result.lines():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError(result.failure(), returncode=1)
        self.stdout.write(self.style.SUCCESS("Audit verified: both chains intact."))
