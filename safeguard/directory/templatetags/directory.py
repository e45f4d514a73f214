"""Template tags of the directory of services, for pages of any app (a template is not an
import: a lower app's template may ``{% load directory %}``).

- ``{% service_suggestions user child level=2 %}``: the services suggested for the child
  (``matching.suggest``), for those who may read the directory;
- ``{% person_service_referrals user person as referrals %}``: the child's referrals to
  services for the person page (None for those who may not refer the child);
- ``{% service_waits_panel service %}``: a service's referrals and waits.
"""

from django import template
from django.urls import reverse
from django.utils import timezone

from safeguard.directory import permissions
from safeguard.directory.matching import suggest
from safeguard.directory.permissions import Action
from safeguard.directory.referral_selectors import referrals_of, service_waits

register = template.Library()


def service_url(service) -> str:
    """The service's page in the directory (``/directory/<id>/``)."""
    return reverse("directory:service", args=[service.pk])


@register.inclusion_tag("directory/_suggestions.html")
def service_suggestions(user, child, level=None):
    """Services suggested for ``child`` (already read through the page's access function) at
    ``level`` (a threshold level number, or None), for ``user``."""
    shown = bool(
        child is not None
        and getattr(user, "is_authenticated", False)
        and permissions.can(user, Action.VIEW)
        and child.authority_id == user.agency.authority_id
    )
    if not shown:
        return {"shown": False}
    level = getattr(level, "number", level)
    found = suggest(child, on=timezone.localdate(), level=level or None)
    for suggestion in found:
        suggestion.url = service_url(suggestion.service)
    return {
        "shown": True,
        "child": child,
        "level": level,
        "suggestions": found,
        "can_refer": permissions.can(user, Action.REFER, child),
    }


@register.simple_tag
def person_service_referrals(user, person):
    if not getattr(user, "is_authenticated", False):
        return None
    return referrals_of(user, person)


@register.inclusion_tag("directory/_service_waits.html")
def service_waits_panel(service):
    waits = service_waits([service.pk], on=timezone.localdate())
    return {"waits": waits.get(service.pk)}
