"""Reading staff records: who works where."""

from django.db.models import Q, QuerySet

from safeguard.accounts.models import Agency, AgencyKind, Team, User
from safeguard.accounts.roles import Role


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


def conference_chairs(authority_id) -> QuerySet[User]:
    """The authority's active conference chairs (independent reviewing officers), by name:
    who a child protection conference may name as its chair."""
    return User.objects.filter(
        role=Role.CONFERENCE_CHAIR,
        is_active=True,
        agency__authority_id=authority_id,
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    ).order_by("last_name", "first_name")


# How many levels above a team its managers may be (team, service, directorate...).
MANAGEMENT_LEVELS = 4


def managed_by(user) -> Q:
    """The ``Q`` of the teams ``user`` manages, or that sit (up to ``MANAGEMENT_LEVELS``
    deep) inside a team or service they manage (``Team.manager``, ``Team.parent``)."""
    q = Q()
    path = "manager"
    for _ in range(MANAGEMENT_LEVELS):
        q |= Q(**{path: user})
        path = "parent__" + path
    return q
