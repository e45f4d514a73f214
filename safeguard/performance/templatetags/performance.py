from django import template

register = template.Library()


@register.simple_tag
def url_query(choice, **more) -> str:
    """The period and scope of ``choice`` as a query string, with ``more`` added."""
    return choice.query(**more)


@register.inclusion_tag("performance/_data_quality.html")
def data_quality(indicator, choice, full=False):
    """How many children behind the figure have open data-quality errors, and "Validated"
    only when none do."""
    from safeguard.performance.selectors import children_with_errors

    numerator = children_with_errors(indicator.id, choice.period, choice.scope, "numerator")
    denominator = children_with_errors(indicator.id, choice.period, choice.scope, "denominator")
    return {
        "numerator": numerator,
        "denominator": denominator,
        "validated": not numerator and not denominator,
        "full": full,
    }
