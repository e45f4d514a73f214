"""``safeguard check-setup``: what stands between this installation and safe live use
(``operations.checks``); exits 1 while anything does. The same list is on the set-up page."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.operations.checks import setup_problems


class Command(BaseCommand):
    help = (
        "List what stands between this installation and safe live use (secrets, HTTPS, email, "
        "the authority, its thresholds and staff, backups and nightly checks); exit 1 while "
        "anything is missing."
    )

    def handle(self, *args, **options):
        problems = setup_problems()
        for problem in problems:
            self.stdout.write(f"✗ {problem.what}\n    {problem.fix}")
        if problems:
            raise CommandError(
                f"{len(problems)} thing{'' if len(problems) == 1 else 's'} to put right "
                "before live use",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Ready for live use: nothing missing."))
