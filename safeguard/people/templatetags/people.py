from django import template

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
    from django.utils import timezone

    from safeguard.people import permissions
    from safeguard.people.models import BreakGlass
    from safeguard.people.permissions import Action

    seal = permissions.open_seal(person)
    grant = None
    if seal is not None and not permissions.is_named(user, person):
        grant = (
            BreakGlass.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
            .order_by("-expires_at")
            .first()
        )
    return {
        "seal": seal,
        "grant": grant,
        "can_seal": permissions.can(user, Action.SEAL, person),
        "can_manage": permissions.can(user, Action.MANAGE_SEAL, person),
    }
