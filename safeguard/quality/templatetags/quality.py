"""The data-quality panel on the person and case pages. A template tag, so that those pages
(in apps below this one) can show it without importing this app. The page itself has already
checked and logged the access to the record."""

from django import template

from safeguard.quality import permissions, selectors
from safeguard.quality.models import Severity
from safeguard.quality.permissions import Action

register = template.Library()


@register.inclusion_tag("quality/_panel.html")
def quality_panel(user, person=None, case=None):
    subject = person if person is not None else case.child
    if not permissions.can(user, Action.SEE_PANEL, subject):
        return {"shown": False}
    issues = selectors.for_case(case) if case is not None else selectors.for_person(person)
    return {
        "shown": True,
        "errors": [i for i in issues if i.severity == Severity.ERROR],
        "queries": [i for i in issues if i.severity == Severity.QUERY],
        "on_case": case is not None,
    }
