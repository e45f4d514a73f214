"""Template helpers for the workforce pages: ``{% load workforce %}``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def places(value, digits: int = 1) -> str:
    """``value`` to ``digits`` decimal places, halves rounded up: what ``floatformat:N``
    shows for these figures, without its look-up of the locale's number format for every
    cell (the rates page shows thousands of figures; docs/performance.md)."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        step = Decimal(1).scaleb(-int(digits))
        return str(number.quantize(step, rounding=ROUND_HALF_UP))
    except (InvalidOperation, TypeError, ValueError):
        return ""
