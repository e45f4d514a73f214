from django import template

register = template.Library()


@register.simple_tag
def url_query(choice, **more) -> str:
    """The period and scope of ``choice`` as a query string, with ``more`` added."""
    return choice.query(**more)
