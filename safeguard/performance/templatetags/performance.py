from django import template

register = template.Library()


@register.simple_tag
def url_query(choice, **more) -> str:
    """The period and scope of ``choice`` as a query string, with ``more`` added."""
    return choice.query(**more)


@register.inclusion_tag("performance/_data_quality.html", takes_context=True)
def data_quality(context, indicator, choice, full=False):
    """How many children behind the figure have open data-quality errors, and "Validated"
    only when none do. The children with errors are read once per page."""
    from safeguard.performance.calendar import ensure_calendar
    from safeguard.performance.selectors import children_with_errors
    from safeguard.quality.selectors import open_issue_children

    key = ("data_quality_children", choice.scope)
    if key not in context.render_context:
        ensure_calendar()
        context.render_context[key] = open_issue_children(choice.scope.authority_id)
    children = context.render_context[key]
    numerator, denominator = (
        children_with_errors(indicator.id, choice.period, choice.scope, part, children)
        for part in ("numerator", "denominator")
    )
    return {
        "numerator": numerator,
        "denominator": denominator,
        "validated": not numerator and not denominator,
        "full": full,
    }
