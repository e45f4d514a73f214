"""Template helpers for the front door: ``{% load referrals %}``.

The person page (a lower app) lists a child's contacts through these, so that it asks the
front door's policy without importing the front door.
"""

from django import template

from safeguard.referrals import permissions
from safeguard.referrals.permissions import Action

register = template.Library()


@register.simple_tag
def contacts_seen(user, person) -> dict:
    """The contacts about ``person`` that ``user`` may see, newest first, from the person
    page's prefetched ``person.contacts`` (no query), and whether ``user`` reads their
    reasons (``read_narrative``). ``view`` is False for those who may not see the front
    door of the child's authority (partners): the page then shows no contacts at all."""
    if not getattr(user, "is_authenticated", False) or not permissions.can(
        user, Action.VIEW, authority_id=person.authority_id
    ):
        return {"view": False, "contacts": [], "read_narrative": False}
    return {
        "view": True,
        "contacts": [c for c in person.contacts.all() if permissions.can(user, Action.VIEW, c)],
        "read_narrative": permissions.can(
            user, Action.READ_NARRATIVE, authority_id=person.authority_id
        ),
    }
