"""What social care assessments tell the directory of services (issue 19), registered from
``ready()``: the census factors of the child's latest completed assessment, as needs a
service meets (``directory.codes.FACTOR_NEEDS``), for suggestions."""

from safeguard.assessments.models import Assessment
from safeguard.directory.codes import FACTOR_NEEDS


def assessment_needs(child) -> dict[str, str]:
    """The needs the factors of the child's latest completed assessment point to, each "from
    the assessment completed 3 March". One query."""
    latest = (
        Assessment.objects.filter(case__child_id=child.pk, completed_date__isnull=False)
        .order_by("-completed_date", "-created_at")
        .values("completed_date", "factors")
        .first()
    )
    if latest is None:
        return {}
    why = f"from the assessment completed {latest['completed_date']:%-d %B %Y}"
    needs: dict[str, str] = {}
    for factor in latest["factors"] or ():
        for need in FACTOR_NEEDS.get(factor, ()):
            needs[str(need)] = why
    return needs
