"""Template helpers for casework: ``{% load casework %}``.

Templates of lower apps (the person page) show a child's cases through these, so that they
ask the casework policy without importing casework.
"""

from django import template

from safeguard.casework import permissions, selectors
from safeguard.casework.permissions import Action

register = template.Library()


@register.simple_tag
def case_rights(user, authority_id) -> dict:
    """What ``user`` may do with cases of the authority: ``view``, ``record``, ``authorise``."""
    return {
        action.value: permissions.can(user, action, authority_id=authority_id) for action in Action
    }


@register.simple_tag
def child_status(user, person) -> list[dict]:
    """The child's current status (on a plan, child in need, early help: decision 0048) for
    those who may see case files of the child's authority; nothing for partners, who see the
    child's identity only. From the person page's prefetched cases and plans."""
    if not permissions.can(user, Action.VIEW, authority_id=person.authority_id):
        return []
    return selectors.child_status(person)


@register.filter
def case_status(case) -> list[dict]:
    return selectors.case_status(case)


@register.filter
def current_allocation(case):
    """The case's open allocation, or None when it is unallocated."""
    # Read through .all() so that a page that prefetched the allocations asks no more.
    return next((a for a in case.allocations.all() if a.end_date is None), None)


@register.filter
def open_cin_plan(case):
    """The case's open child in need plan, or None."""
    return next((p for p in case.cin_plans.all() if p.end_date is None), None)


@register.filter
def looked_after_now(case):
    """The case's period of care that has not ended, or None (decision 0076)."""
    return next((p for p in case.looked_after_periods.all() if p.end_date is None), None)


@register.filter
def views_last_recorded(case):
    """The date the child's views in their own words were last recorded on ``case`` (at a
    visit or in direct work), or None: from the case page's prefetched visits and direct
    work, no query of its own (decision 0036)."""
    days = [v.visit_date for v in case.visits.all() if v.child_views]
    days += [w.work_date for w in case.direct_work.all()]
    return max(days, default=None)


@register.filter
def step_url(entry) -> str:
    """The page of the step a chronology entry came from, or "" (``register_step_page``)."""
    return selectors.step_page_url(entry)
