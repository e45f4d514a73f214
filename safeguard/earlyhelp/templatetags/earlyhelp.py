"""Template helpers for early help: ``{% load earlyhelp %}``.

The person page (a lower app) shows a child's early help through these, so that it asks the
early help policy without importing early help.
"""

from django import template
from django.utils import timezone

from safeguard.earlyhelp import permissions, selectors
from safeguard.earlyhelp.permissions import Action

register = template.Library()


@register.simple_tag
def early_help_rights(user, person) -> dict:
    """What ``user`` may do with ``person``'s early help: ``view`` and ``record``; and
    ``child``: whether early help can start for them (a child, born or unborn, today)."""
    rights = {action.value: permissions.can(user, action, person) for action in Action}
    rights["child"] = person.is_child_on(timezone.localdate()) or person.date_of_birth is None
    return rights


@register.filter
def open_taf(person):
    """The person's current team around the family, or None."""
    return next((t for t in person.teams_around_family.all() if t.end_date is None), None)


@register.filter
def open_assessment(person):
    """The person's early help assessment in progress, or None."""
    return next((a for a in person.early_help_assessments.all() if a.completed_date is None), None)


@register.simple_tag
def handovers_for(user, child, contact=None) -> list:
    """The handovers of a contact's page (decision 0081), for those who see the child's
    early help."""
    if child is None:
        return []
    return selectors.handovers_shown(user, child, contact=contact or None)


@register.simple_tag
def may_acknowledge(user, handover, child) -> bool:
    return permissions.may_acknowledge(user, handover, child)
