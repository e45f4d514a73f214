"""The timescales panel on a case page. A template tag, so that the case page (in casework,
below this app) can show it without casework importing the engine."""

from django import template
from django.utils import timezone

from safeguard.timescales.engine import case_timescales
from safeguard.timescales.selectors import last_seen

register = template.Library()


@register.inclusion_tag("timescales/_case_panel.html")
def case_timescales_panel(case):
    today = timezone.localdate()
    items = sorted(case_timescales(case, on=today), key=lambda i: (i.due_date, i.rule.label))
    return {
        "outstanding": [i for i in items if i.is_outstanding],
        "history": [i for i in items if not i.is_outstanding],
        "rule_set": case.authority.get_rule_set_display(),
        # When and by whom the child was last seen, whatever the stage (one query).
        "last_seen": last_seen(case),
        "today": today,
    }


@register.filter
def days_ago(seen, today) -> int:
    """Calendar days from a ``LastSeen`` to ``today``."""
    return seen.days_ago(today)
