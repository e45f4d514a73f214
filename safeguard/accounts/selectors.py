"""Reading staff records: who works where."""

from django.db.models import QuerySet

from safeguard.accounts.models import AgencyKind, Team


def social_care_teams(authority_id) -> QuerySet[Team]:
    """The teams of the authority's children's social care, by name."""
    return Team.objects.filter(
        agency__authority_id=authority_id, agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    ).order_by("name")
