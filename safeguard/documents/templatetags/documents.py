"""``{% load documents %}``: lower apps' pages (the person page, the case page) link to a
child's documents through ``documents/_links.html``, which asks this policy; they import
nothing from this app."""

from django import template

from safeguard.documents import permissions
from safeguard.documents.permissions import Action

register = template.Library()


@register.simple_tag
def document_rights(user, authority_id) -> dict:
    """What ``user`` may do with the documents of the authority: ``view``, ``upload``. No
    query: the child's own sight is asked again by the documents pages."""
    return {
        action.value: permissions.can(user, action, authority_id=authority_id) for action in Action
    }


@register.filter
def step_reference(record) -> str:
    """The reference by which a step's page names it to the upload form (``?step=``):
    ``app_label.model:id``, as ``documents.selectors.find_step`` reads it."""
    return f"{record._meta.app_label}.{record._meta.model_name}:{record.pk}"
