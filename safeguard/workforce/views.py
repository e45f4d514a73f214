"""Caseload boards: the teams whose board a user may see, and one team's board."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguard.casework.selectors import team_line_manager
from safeguard.people import selectors as people
from safeguard.workforce import permissions, selectors
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
