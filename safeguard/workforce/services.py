"""Changing an authority's caseload settings: the weight of each stage, the points a
full-time worker can carry and a newly qualified worker's share of it. Loads are worked out
on read, so every board follows the new settings at once. And each team's posts: adding a
post, a worker starting in it and leaving it (decision 0044)."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguard.accounts.models import LocalAuthority
from safeguard.accounts.roles import RECORDING_ROLES, is_social_care_staff
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.workforce import permissions
from safeguard.workforce.models import Post, PostGrade, PostHolder
from safeguard.workforce.permissions import Action
from safeguard.workforce.selectors import WEIGHT_FIELDS

# Each setting and the bounds a sensible value stays within (domain.md §6: local schemes
# give a case 4 to 10 points; one council counts a newly qualified worker as 0.6).
SETTINGS = {
    **dict.fromkeys(WEIGHT_FIELDS.values(), (0, 50)),
    "full_time_capacity": (1, 1000),
    "newly_qualified_capacity_percent": (10, 100),
}


@transaction.atomic
def caseload_settings_update(*, by, authority: LocalAuthority, **changes) -> LocalAuthority:
    """Set any of ``SETTINGS`` on ``authority``, with its change event; ``by`` is the person
    who changed them (None for the server's operator)."""
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ApplicationError(f"Unknown settings: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        low, high = SETTINGS[field]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ApplicationError(f"{field} must be a whole number from {low} to {high}")
    authority = LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    before = snapshot(authority)
    for field, value in changes.items():
        setattr(authority, field, value)
    if snapshot(authority) != before:
        authority.save()
        record_change(by=by, verb=ChangeVerb.UPDATED, obj=authority, before=before)
    return authority


# --- Posts (issue 14 item 7, decision 0044) ----------------------------------------------------

# How far from today a post's dates may be: wider is a typing slip, not a plan.
POST_WINDOW_DAYS = 5 * 366


def _require(by, action: Action, team) -> None:
    if not permissions.can(by, action, team):
        raise PermissionDenied(
            "Only the service's managers and the team's managers change its posts"
        )


def _check_day(day: date | None, *, label: str, field: str) -> None:
    if day is None:
        raise ApplicationError(f"Enter the {label}", field=field)
    if abs((day - timezone.localdate()).days) > POST_WINDOW_DAYS:
        raise ApplicationError(f"The {label} must be within five years of today", field=field)


@transaction.atomic
def post_add(*, by, team, grade: str, fte, start_date: date) -> Post:
    """A new post in ``team`` from ``start_date``, vacant until someone fills it."""
    _require(by, Action.MANAGE_POSTS, team)
    if grade not in PostGrade.values:
        raise ApplicationError("Choose the grade of the post", field="grade")
    try:
        fte = Decimal(str(fte)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            "Enter the full-time equivalent, like 1 or 0.6", field="fte"
        ) from None
    if not Decimal("0.1") <= fte <= Decimal("1"):
        raise ApplicationError("The full-time equivalent must be from 0.1 to 1", field="fte")
    _check_day(start_date, label="date the post starts", field="start_date")
    post = Post(team=team, grade=grade, fte=fte, start_date=start_date)
    save_new(post, by=by)
    return post


@transaction.atomic
def post_fill(*, by, post: Post, worker, agency: bool, start_date: date) -> PostHolder:
    """``worker`` (active social care staff of the authority who can hold cases) starts in
    ``post`` on ``start_date``, as an agency worker or the authority's own: the post must
    exist that day and nobody else be in it from then."""
    post = Post.objects.select_for_update().select_related("team__agency").get(pk=post.pk)
    _require(by, Action.MANAGE_POSTS, post.team)
    authority_id = post.team.agency.authority_id
    if worker is None or not (
        worker.is_active
        and is_social_care_staff(worker, roles=RECORDING_ROLES, authority_id=authority_id)
    ):
        raise ApplicationError("Choose a social worker or manager of the service", field="worker")
    _check_day(start_date, label="date they start in the post", field="start_date")
    if not post.is_open_on(start_date):
        raise ApplicationError(
            f"The post runs from {post.start_date:%-d %B %Y}"
            + (f" to the day before {post.end_date:%-d %B %Y}" if post.end_date else "")
            + ": choose a day within it",
            field="start_date",
        )
    later = post.holders.filter(Q(end_date__isnull=True) | Q(end_date__gt=start_date))
    if later.exists():
        raise ApplicationError(
            "Someone is in the post on that day: record that they left first", field="start_date"
        )
    holder = PostHolder(post=post, worker=worker, agency=bool(agency), start_date=start_date)
    save_new(holder, by=by)
    return holder


@transaction.atomic
def post_vacate(*, by, post: Post, last_day: date) -> PostHolder:
    """The worker in ``post`` leaves it after ``last_day`` (their last day in it)."""
    post = Post.objects.select_for_update().select_related("team__agency").get(pk=post.pk)
    _require(by, Action.MANAGE_POSTS, post.team)
    holder = post.holders.filter(end_date__isnull=True).first()
    if holder is None:
        raise ApplicationError("Nobody is in this post", field="last_day")
    _check_day(last_day, label="last day in the post", field="last_day")
    if last_day < holder.start_date:
        raise ApplicationError(
            f"They started in the post on {holder.start_date:%-d %B %Y}: the last day cannot "
            "be before it",
            field="last_day",
        )
    before = snapshot(holder)
    holder.end_date = last_day + timedelta(days=1)
    save_change(holder, by=by, before=before)
    return holder
