"""The people policy: the one place that says who may see and change a person's record.

Children's social care staff see the people of their own authority. Partner staff (police,
health, education, voluntary sector, unscheduled care) see only people with whom they, or a
team they belong to, have an open involvement. System administrators manage accounts and see
no one's record.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguard.accounts.models import RECORDING_ROLES, SOCIAL_CARE_ROLES
from safeguard.people.models import Person


class Action(StrEnum):
    VIEW = "view"
    SEARCH = "search"
    CREATE = "create"
    EDIT = "edit"


def _open_involvement(user) -> Q:
    today = timezone.localdate()
    team_ids = list(user.teams.values_list("id", flat=True))
    by_whom = Q(involvements__worker=user)
    if team_ids:
        by_whom |= Q(involvements__team_id__in=team_ids, involvements__agency_id=user.agency_id)
    is_open = Q(involvements__start_date__lte=today) & (
        Q(involvements__end_date__isnull=True) | Q(involvements__end_date__gt=today)
    )
    return by_whom & is_open


def visible_to(user) -> QuerySet[Person]:
    """Every person whose record ``user`` may see."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return Person.objects.none()
    if user.role in SOCIAL_CARE_ROLES and user.agency.is_social_care:
        return Person.objects.filter(authority_id=user.agency.authority_id)
    if user.is_partner:
        ids = Person.objects.filter(_open_involvement(user)).values("id")
        return Person.objects.filter(id__in=ids)
    return Person.objects.none()


def can(user, action: Action, person: Person | None = None) -> bool:
    """May ``user`` do ``action`` (to ``person``, when the action concerns one)?"""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return False
    records = user.role in RECORDING_ROLES and user.agency.is_social_care
    if action == Action.CREATE:
        return records
    if action == Action.SEARCH:
        return user.is_social_care or user.is_partner
    if person is None:
        return False
    if action == Action.EDIT:
        return records and person.authority_id == user.agency.authority_id
    if action == Action.VIEW:
        return visible_to(user).filter(pk=person.pk).exists()
    return False
