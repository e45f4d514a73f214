"""``safeguard backup FILE``: a consistent copy of the database while the service runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.audit import backup


class Command(BaseCommand):
    help = (
        "Copy the database to FILE while the service runs (SQLite's backup API; pg_dump -Fc on "
        "PostgreSQL), then check the copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        target = options["file"].resolve()
        try:
            outcome = backup.backup(target, options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=1) from error
        for line in outcome.lines():
            self.stdout.write(line)
        if outcome.audit is not None and not outcome.audit.ok:
            raise CommandError(
                f"Backed up to {target}, but the audit trail in it is broken: "
                + outcome.audit.failure(),
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {target} in {outcome.seconds:.2f} s.")
        )
