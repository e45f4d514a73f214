"""``{% procedure_for "initial_conference" %}``: on a step's page and form, a link to the
procedure in force for that step (one query; nothing if there is none)."""

from django import template

from safeguard.procedures import selectors

register = template.Library()


@register.inclusion_tag("procedures/_for_step.html", takes_context=True)
def procedure_for(context, step: str):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"procedures": []}
    return {"procedures": selectors.for_step(user=user, step=step)}
