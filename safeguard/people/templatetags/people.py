from django import template

from safeguard.people import permissions, selectors
from safeguard.people.permissions import Action

register = template.Library()


@register.filter
def nhs_number(value: str | None) -> str:
    """An NHS number as people read it: 943 476 5919."""
    if not value or len(value) != 10:
        return value or ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"


@register.simple_tag
def seal_status(person, user) -> dict:
    """What the person page says about a seal: whether it is sealed, whether ``user`` sees it
    through break-glass (and until when), and whether they may seal or manage the seal."""
    seal = permissions.open_seal(person)
    grant = None
    if seal is not None and not permissions.is_named(user, person):
        grant = selectors.running_grant(user=user, person=person)
    return {
        "seal": seal,
        "grant": grant,
        "can_seal": permissions.can(user, Action.SEAL, person),
        "can_manage": permissions.can(user, Action.MANAGE_SEAL, person),
    }


@register.filter
def alerts_for(alerts: dict, person) -> list:
    """The current alerts of ``person`` from ``{person id: [alert]}`` (the page's read)."""
    return alerts.get(person.pk, []) if alerts else []
