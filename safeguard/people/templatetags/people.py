from django import template

register = template.Library()


@register.filter
def nhs_number(value: str | None) -> str:
    """An NHS number as people read it: 943 476 5919."""
    if not value or len(value) != 10:
        return value or ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"
