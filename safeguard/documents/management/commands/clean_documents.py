"""``safeguard clean-documents [--older-than MINUTES]``: remove stored document files that no
document record names (left by a transaction that failed after the file was placed, or a
process that died), and unfinished uploads. Files younger than the age given (60 minutes by
default) are left alone: their upload may still be saving."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.documents import services


class Command(BaseCommand):
    help = "Remove document files that no record names (orphans)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, metavar="MINUTES")

    def handle(self, *args, older_than=60, **options):
        if older_than < 5:
            raise CommandError("--older-than must be at least 5 minutes")
        removed = services.orphans_remove(older_than_seconds=older_than * 60)
        self.stdout.write(f"Removed {len(removed)} orphaned file{'s' if len(removed) != 1 else ''}")
