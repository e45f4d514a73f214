"""What the data protection commands share: who they act as, and logging what they read.

A command is run by an operator on the server, outside the web pages' policy. With ``--by``
it acts as that member of staff, who must be a service manager of the authority. Without it,
it acts as the "command-line" account: made on first use, inactive, with no agency and an
unusable password, so that it can never sign in; it exists so that every read the command
makes still has an access event naming who made it.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.accounts.services import COMMAND_LINE_USERNAME, command_line_user
from safeguard.audit.services import record_access
from safeguard.people import selectors as people
from safeguard.privacy import permissions
from safeguard.privacy.permissions import Action


def acting_user(username: str | None):
    User = get_user_model()  # noqa: N806
    if username:
        user = User.objects.filter(username=username).select_related("agency").first()
        if user is None or not permissions.can(user, Action.MANAGE):
            raise CommandError(f"{username} is not a service manager who may do this")
        return user
    return command_line_user()


def log_reads(*, user, people_list, purpose: str, route: str, reason: str) -> None:
    """Log one access event per person read by a command."""
    if not people_list:
        return
    if user.username == COMMAND_LINE_USERNAME:
        record_access(
            by=user, person_ids=[p.pk for p in people_list], purpose=purpose, route=route,
            reason=reason,
        )  # fmt: skip
    else:
        people.access_people(user=user, people=people_list, purpose=purpose, reason=reason)


def authority(code: str | None, user) -> LocalAuthority:
    if user.agency_id:
        if code and code != user.agency.authority.dfe_la_code:
            raise CommandError("That is not the authority of the member of staff named by --by")
        return user.agency.authority
    authorities = LocalAuthority.objects.all()
    if code:
        authorities = authorities.filter(dfe_la_code=code)
    if authorities.count() != 1:
        raise CommandError("Name the authority with --authority-code (its DfE LA code)")
    return authorities.get()
