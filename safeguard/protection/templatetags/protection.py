"""Template helpers for the child protection steps on the case page: ``{% load protection %}``.

They answer from the case's enquiries and conferences through ``.all()``, so that a page
that prefetched them (``casework.selectors.load_case_page``) asks no more, however many
discussions and enquiries the case has.
"""

from django import template

from safeguard.protection import permissions

register = template.Library()


@register.filter
def started_enquiry(case, discussion) -> bool:
    """Whether ``discussion`` has started a section 47 enquiry on ``case``."""
    return any(e.strategy_discussion_id == discussion.pk for e in case.section47s.all())


@register.filter
def held_conference(case, enquiry) -> bool:
    """Whether a conference has been held on ``enquiry`` of ``case``."""
    return any(c.section47_id == enquiry.pk for c in case.conferences.all())


@register.filter
def overdue_on(action, today) -> bool:
    """Whether the plan ``action`` is still to do after its due date, on ``today``."""
    return action.is_overdue(today)


@register.filter
def overdue_actions_on(plan, today) -> list:
    """The actions of ``plan`` overdue on ``today``, from its prefetched actions."""
    if plan.end_date is not None:
        return []
    return [a for a in plan.actions.all() if a.is_overdue(today)]


@register.filter
def records_conferences(user, case) -> bool:
    """Whether ``user`` may record a child protection conference on ``case``: those who
    record on it, and the authority's conference chairs. False without a signed-in user."""
    if not getattr(user, "is_authenticated", False):
        return False
    return permissions.can(user, permissions.Action.CONFERENCE, case)


@register.filter
def chairs_on(user, case) -> bool:
    """Whether ``user`` is a conference chair who sees ``case``: who circulates minutes and
    raises challenges and escalations on it (decision 0043)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return permissions.can(user, permissions.Action.CHAIR, case)
