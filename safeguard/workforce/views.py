"""Caseload boards: the teams whose board a user may see, and one team's board; a team's
posts and the service's workforce rates."""

from decimal import Decimal
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.casework.selectors import team_line_manager
from safeguard.core.submission import posted, submit
from safeguard.people import selectors as people
from safeguard.workforce import permissions, selectors, services
from safeguard.workforce.forms import PostFillForm, PostForm, PostVacateForm
from safeguard.workforce.permissions import Action


@login_required
@require_GET
def boards(request):
    if not permissions.can(request.user, Action.SEE_BOARDS):
        raise PermissionDenied
    teams = list(permissions.visible_to(request.user).select_related("parent"))
    mine = {t.pk for t in selectors.home_boards(request.user)}
    return render(
        request,
        "workforce/boards.html",
        {
            "mine": [t for t in teams if t.pk in mine],
            "others": [t for t in teams if t.pk not in mine],
            "may_see_rates": permissions.can(request.user, Action.SEE_RATES),
        },
    )


@login_required
@require_GET
def board(request, team_id: int):
    team = selectors.team_by_id(team_id)
    if not permissions.can(request.user, Action.SEE_BOARD, team):
        raise PermissionDenied
    today = timezone.localdate()
    board = selectors.team_board(team, on=today)
    # Each child shown is logged once; a child the user may not see is counted, not named.
    rows = [c for load in board.loads for c in load.cases]
    shown = people.show_rows(user=request.user, rows=rows, request=request)
    visible = {id(c) for c in shown.rows}
    context = {
        "board": board,
        "team": team,
        "today": today,
        "rows": [(load, [c for c in load.cases if id(c) in visible]) for load in board.loads],
        "restricted": shown.hidden,
        "line_manager": team_line_manager(team),
    }
    return render(request, "workforce/board.html", context)


# --- Posts and the workforce rates (decision 0044) -----------------------------------------------


def _team_for(request, team_id: int, action: Action):
    team = selectors.team_by_id(team_id)
    if not permissions.can(request.user, action, team):
        raise PermissionDenied
    return team


def _post_for(request, post_id: UUID):
    post = selectors.post_by_id(post_id)
    if not permissions.can(request.user, Action.MANAGE_POSTS, post.team):
        raise PermissionDenied
    return post


def _form_page(request, form, team, *, title: str, button: str, post=None, holder=None):
    context = {
        "form": form,
        "team": team,
        "title": title,
        "button": button,
        "post": post,
        "holder": holder,
    }
    return render(request, "workforce/post_form.html", context)


@login_required
@require_GET
def posts(request, team_id: int):
    """A team's posts: each filled (by whom, permanent or agency, newly qualified) or
    vacant, with its full-time equivalent."""
    team = _team_for(request, team_id, Action.SEE_POSTS)
    today = timezone.localdate()
    rows = selectors.team_posts(team, on=today)
    current = [r for r in rows if r.post.start_date <= today]
    context = {
        "team": team,
        "today": today,
        "rows": rows,
        "fte": sum((r.post.fte for r in current), Decimal(0)),
        "filled": sum((r.post.fte for r in current if r.holder), Decimal(0)),
        "vacant": sum(1 for r in current if r.holder is None),
        "agency": sum(1 for r in current if r.holder and r.holder.agency),
        "may_manage": permissions.can(request.user, Action.MANAGE_POSTS, team),
    }
    return render(request, "workforce/posts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_new(request, team_id: int):
    team = _team_for(request, team_id, Action.MANAGE_POSTS)
    form = PostForm(posted(request), initial={"start_date": timezone.localdate(), "fte": "1.0"})

    def save(data):
        return services.post_add(by=request.user, team=team, **data)

    if submit(request, form, save, success="Post added"):
        return redirect("workforce:posts", team_id=team.pk)
    return _form_page(request, form, team, title="Add a post", button="Add post")


@login_required
@require_http_methods(["GET", "POST"])
def post_fill(request, post_id: UUID):
    post = _post_for(request, post_id)
    form = PostFillForm(
        posted(request),
        workers=selectors.post_candidates(post),
        initial={"start_date": timezone.localdate()},
    )

    def save(data):
        return services.post_fill(by=request.user, post=post, **data)

    if submit(request, form, save, success="Post filled"):
        return redirect("workforce:posts", team_id=post.team_id)
    title = f"Fill the post: {post}"
    return _form_page(request, form, post.team, title=title, button="Save", post=post)


@login_required
@require_http_methods(["GET", "POST"])
def post_vacate(request, post_id: UUID):
    post = _post_for(request, post_id)
    holder = selectors.post_holder(post)
    form = PostVacateForm(posted(request), initial={"last_day": timezone.localdate()})

    def save(data):
        return services.post_vacate(by=request.user, post=post, **data)

    if submit(request, form, save, success="Leaver recorded: the post is vacant"):
        return redirect("workforce:posts", team_id=post.team_id)
    title = f"Leaving the post: {post}"
    return _form_page(
        request, form, post.team, title=title, button="Save", post=post, holder=holder
    )


@login_required
@require_GET
def rates(request):
    """The service's vacancy, agency and turnover rates by month, in total and per team."""
    if not permissions.can(request.user, Action.SEE_RATES):
        raise PermissionDenied
    today = timezone.localdate()
    table = selectors.workforce_rates(request.user.agency.authority, on=today)
    teams = table[1:]
    # One team's months when asked for (?team=<id>); the page lists every team's latest month.
    asked = request.GET.get("team", "")
    chosen = next((t for t in teams if str(t.team.pk) == asked), None)
    return render(
        request,
        "workforce/rates.html",
        {
            "service": table[0],
            "teams": teams,
            "chosen": chosen,
            "unknown_team": bool(asked) and chosen is None,
            "today": today,
            "move_days": selectors.MOVE_DAYS,
        },
    )
