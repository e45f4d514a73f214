from django import template

register = template.Library()


@register.simple_tag
def url_query(choice, **more) -> str:
    """The period and scope of ``choice`` as a query string, with ``more`` added."""
    return choice.query(**more)


@register.inclusion_tag("performance/_data_quality.html")
def data_quality(figure, checked, full=False):
    """How many children behind ``figure`` have open data-quality errors, and "Validated" only
    when none do and every child has been checked (``checked``: the authority's last full
    check, ``quality.selectors.last_full_check``); the figure is computed with
    ``errors=True``."""
    return {
        "numerator": figure.numerator_errors,
        "denominator": figure.denominator_errors,
        "quality": figure.quality(checked),
        "full": full,
    }
