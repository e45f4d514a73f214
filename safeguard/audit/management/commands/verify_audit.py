"""``safeguard verify-audit``: check both audit hash chains, the append-only triggers and the
chains' heads against the checkpoints kept outside the database; when all is intact, record a
new checkpoint (run it nightly: docs/decisions/0006)."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.audit import checkpoints
from safeguard.audit.integrity import checkpoint, verify_all


class Command(BaseCommand):
    help = (
        "Check the hash chains of the access log and the change history from the first row to "
        "the last, that the append-only triggers are in place and that the chains agree with "
        "the latest checkpoint kept outside the database; then record a new checkpoint. Exits "
        "non-zero at a break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--no-checkpoint",
            action="store_false",
            dest="checkpoint",
            help="do not record the chains' heads in the checkpoint file when they are intact",
        )

    def handle(self, *args, **options):
        result = verify_all(options["database"])
        for line in result.lines():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError(result.failure(), returncode=1)
        if options["checkpoint"]:
            checkpoint(result, note="verify-audit")
            self.stdout.write(f"Checkpoint written to {checkpoints.path()}")
        self.stdout.write(self.style.SUCCESS("Audit verified: both chains intact."))
