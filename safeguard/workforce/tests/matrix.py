"""Permission-matrix rows for the caseload boards (see safeguard/testing/matrix.py)."""

from datetime import date
from decimal import Decimal

from safeguard.accounts.models import Team
from safeguard.testing.matrix import row
from safeguard.workforce.models import Post, PostHolder

MATRIX = {
    # The list of the boards a user may see: any social care member (the analyst and the
    # service manager: every team's; the social worker and the team manager: their own
    # team's; another authority's social worker: their own authority's, here none); never
    # partners or administrators.
    "workforce:boards": (
        "get",
        None,
        "",
        row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 200, 200, 403),
    ),
    # Team A's board: its social worker and team manager, the service manager and the
    # analyst; never partners, administrators or another authority.
    "workforce:board": (
        "get",
        "workforce.team_a",
        "",
        row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403),
    ),
}


def managed_team_a(world):
    """Team A with Carol named as its manager (decision 0031)."""
    Team.objects.filter(pk=world.team_a.pk).update(manager=world.tm_carol)
    return {"team_id": world.team_a.pk}


def post(world, *, filled: bool):
    managed_team_a(world)
    found = Post.objects.filter(
        team=world.team_a, grade="senior_practitioner" if filled else "social_worker"
    ).first()
    if found is None:
        found = Post.objects.create(
            team=world.team_a, grade="senior_practitioner" if filled else "social_worker",
            fte=Decimal("1"), start_date=date(2025, 1, 6),
        )  # fmt: skip
        if filled:
            PostHolder.objects.create(post=found, worker=world.sw_amy, start_date=date(2025, 1, 6))
    return {"post_id": found.pk}


TARGETS = {
    "workforce.team_a": lambda world: {"team_id": world.team_a.pk},
    "workforce.managed_team_a": managed_team_a,
    "workforce.vacant_post": lambda world: post(world, filled=False),
    "workforce.filled_post": lambda world: post(world, filled=True),
}

# Posts (decision 0044): seen like the board; changed by the team's manager (Carol, named
# manager of Team A here) and the service manager; never the worker, an analyst, partners,
# administrators or another authority. The rates: service managers and analysts.
MANAGE_POSTS = row(302, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
MATRIX.update({
    "workforce:posts": (
        "get", "workforce.managed_team_a", "",
        row(302, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403),
    ),
    "workforce:post-new": ("get", "workforce.managed_team_a", "", MANAGE_POSTS),
    "workforce:post-fill": ("get", "workforce.vacant_post", "", MANAGE_POSTS),
    "workforce:post-vacate": ("get", "workforce.filled_post", "", MANAGE_POSTS),
    "workforce:rates": (
        "get", None, "",
        row(302, 403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403),
    ),
})  # fmt: skip
