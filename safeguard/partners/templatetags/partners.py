"""Template tags for the parts of other apps' pages that the partners app fills."""

from django import template

from safeguard.partners import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def conference_reports(context, conference):
    """The agencies' reports for ``conference`` and who was invited and has not reported, for
    the conference page (one query), or None for those who may not read them."""
    return selectors.conference_reports(user=context["request"].user, conference=conference)
