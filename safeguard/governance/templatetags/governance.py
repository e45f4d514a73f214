from django import template

from safeguard.governance import permissions

register = template.Library()


@register.filter
def may_read_governance(user) -> bool:
    """Whether the navigation offers the improvement plans to ``user``."""
    return permissions.may_read(user)
