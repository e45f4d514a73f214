"""``safeguard reset_two_factor USERNAME [--by ADMIN]``: for a user who lost their phone and
backup codes.

Recorded as a change to the account, by the system administrator named with ``--by`` or,
without it, by the inactive command-line account (decision 0024)."""

from safeguard.accounts import services
from safeguard.accounts.commandline import AccountCommand


class Command(AccountCommand):
    help = (
        "Remove a user's authenticator and backup codes and end their sessions. At their next "
        "sign-in (with their password) they set up a new authenticator. Check who is asking "
        "first: this is how an account would be taken over."
    )

    def change(self, user, by) -> str:
        services.reset_second_factor(user, by=by)
        return (
            f"Removed the authenticator and backup codes of {user.username}; their next "
            "sign-in sets up a new authenticator."
        )
