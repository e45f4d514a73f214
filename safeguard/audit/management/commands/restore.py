"""``safeguard restore FILE``: replace the database with a backup, then check it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.audit import backup


class Command(BaseCommand):
    help = (
        "Replace the database with the backup in FILE (made by `safeguard backup`), then check "
        "its integrity and both audit chains. Stop the service first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        source = options["file"].resolve()
        try:
            outcome = backup.restore(source, options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=1) from error
        for line in outcome.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {source} in {outcome.seconds:.2f} s; checks passed.")
        )
