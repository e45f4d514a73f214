"""``safeguard end_sessions USERNAME [--by ADMIN]``: sign a user out everywhere, at once.

Recorded as a change to the account, by the system administrator named with ``--by`` or,
without it, by the inactive command-line account (decision 0024)."""

from safeguard.accounts import services
from safeguard.accounts.commandline import AccountCommand


class Command(AccountCommand):
    help = (
        "End every session of one user (for example a lost laptop or a suspected misuse). "
        "They must sign in again, with both factors."
    )

    def change(self, user, by) -> str:
        count = services.end_sessions(
            user, by=by, reason="ended by an administrator (end_sessions)"
        )
        return f"Ended {count} session{'' if count == 1 else 's'} of {user.username}."
