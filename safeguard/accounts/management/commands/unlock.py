"""``safeguard unlock USERNAME [--by ADMIN]``: lift a sign-in lockout before the cool-off.

Unlike django-axes' own ``axes_reset_username``, the unlocking is recorded as a change to the
account, by the system administrator named with ``--by`` or, without it, by the inactive
command-line account (decision 0024)."""

from safeguard.accounts import services
from safeguard.accounts.commandline import AccountCommand


class Command(AccountCommand):
    help = (
        "Lift the lockout of a user name after too many wrong passwords or codes, at every "
        "address. Check who is asking first."
    )

    def change(self, user, by) -> str:
        if services.unlock(user, by=by):
            return f"Lifted the lockout of {user.username}."
        return f"{user.username} was not locked out: nothing changed."
