"""What early help tells the directory of services (issue 19), registered from ``ready()``:
the needs of the child's latest early help assessment, for suggestions; and that the partners
who record a child's early help may refer the child to a service."""

from safeguard.earlyhelp import permissions
from safeguard.earlyhelp.models import EarlyHelpAssessment


def early_help_needs(child) -> dict[str, str]:
    """The needs identified on the child's latest early help assessment, each "from the early
    help assessment of 3 March". One query."""
    latest = (
        EarlyHelpAssessment.objects.filter(child_id=child.pk)
        .order_by("-start_date", "-created_at")
        .values("start_date", "identified_needs")
        .first()
    )
    if latest is None:
        return {}
    why = f"from the early help assessment of {latest['start_date']:%-d %B %Y}"
    return dict.fromkeys(latest["identified_needs"] or (), why)


def may_refer(user, child) -> bool:
    """Those who record the child's early help may refer the child to a service."""
    return permissions.can(user, permissions.Action.RECORD, child)
