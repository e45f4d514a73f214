"""Who may open, run, review and see backlog review exercises (issue 14 item 6, decision 0045).

A team or service manager of the authority opens an exercise and chooses its reviewers among
the authority's social workers and managers (those who record on a child's file). The manager
who opened it assigns cases by hand and follows its progress; the authority's other managers
see it too. Each reviewer sees the exercise and reviews only the cases assigned to them, once:
nobody reviews a case given to someone else, and the opener does not change a review. What a
review decides is done through the casework services, under their own rules. Performance
analysts, chairs, partners, administrators and other authorities see no exercise.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from safeguard.accounts.roles import MANAGER_ROLES, RECORDING_ROLES, is_social_care_staff
from safeguard.backlog.models import Exercise, ExerciseCase


class Action(StrEnum):
    LIST = "list"  # the list of exercises (each sees the ones they may)
    OPEN = "open"  # open a new exercise
    SEE = "see"  # one exercise: its progress and summary (obj: the exercise)
    ASSIGN = "assign"  # give a case to a reviewer (obj: the exercise case)
    REVIEW = "review"  # record the review of a case (obj: the exercise case)


def _recorder(user) -> bool:
    return is_social_care_staff(user, roles=RECORDING_ROLES)


def _manager(user) -> bool:
    return is_social_care_staff(user, roles=MANAGER_ROLES)


def _sees(user, exercise: Exercise) -> bool:
    if exercise.authority_id != user.agency.authority_id:
        return False
    return _manager(user) or any(r.pk == user.pk for r in exercise.reviewers.all())


def can(user, action: Action, obj=None) -> bool:
    if not _recorder(user):
        return False
    match action:
        case Action.LIST:
            return True
        case Action.OPEN:
            return _manager(user)
        case Action.SEE:
            return obj is not None and _sees(user, obj)
        case Action.ASSIGN:
            return (
                obj is not None
                and obj.exercise.opened_by_id == user.pk
                and obj.exercise.authority_id == user.agency.authority_id
                and not obj.reviewed
            )
        case Action.REVIEW:
            return (
                obj is not None
                and obj.reviewer_id == user.pk
                and obj.exercise.authority_id == user.agency.authority_id
                and not obj.reviewed
            )
    return False


def visible_to(user) -> QuerySet[Exercise]:
    """Every exercise of the authority for its managers; those a social worker reviews in."""
    if not _recorder(user):
        return Exercise.objects.none()
    exercises = Exercise.objects.filter(authority_id=user.agency.authority_id)
    if _manager(user):
        return exercises
    return exercises.filter(Q(reviewers=user)).distinct()


def cases_visible_to(user) -> QuerySet[ExerciseCase]:
    return ExerciseCase.objects.filter(exercise__in=visible_to(user).values("pk"))
