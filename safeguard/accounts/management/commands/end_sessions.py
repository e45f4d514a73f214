"""``safeguard end_sessions USERNAME``: sign a user out everywhere, at once."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import User
from safeguard.accounts.sessions import end_sessions


class Command(BaseCommand):
    help = (
        "End every session of one user (for example a lost laptop or a suspected misuse). "
        "They must sign in again, with both factors."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user name of the account.")

    def handle(self, *args, **options):
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        count = end_sessions(user, reason="ended by an administrator (end_sessions)")
        self.stdout.write(
            f"Ended {count} session{'' if count == 1 else 's'} of {username}."
        )
