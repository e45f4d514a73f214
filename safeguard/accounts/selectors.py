"""Reading staff records: who works where."""

from django.db.models import QuerySet

from safeguard.accounts.models import Agency, AgencyKind, Team


def social_care_teams(authority_id) -> QuerySet[Team]:
    """The teams of the authority's children's social care, by name."""
    return Team.objects.filter(
        agency__authority_id=authority_id, agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    ).order_by("name")


def working_agencies(authority_id) -> QuerySet[Agency]:
    """The agencies that work with the authority's children, by name: every agency but the
    inspectorate, which inspects the work and is never involved with a child."""
    return (
        Agency.objects.filter(authority_id=authority_id)
        .exclude(kind=AgencyKind.INSPECTORATE)
        .order_by("name")
    )
