"""The user's notices: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.notices import selectors, services


@login_required
@require_http_methods(["GET"])
def notice_list(request):
    return render(
        request,
        "notices/list.html",
        {
            "notices": selectors.notices_for(user=request.user),
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_http_methods(["POST"])
def notice_read(request, notice_id: int):
    notice = selectors.notice_for(user=request.user, notice_id=notice_id)
    services.notice_mark_read(by=request.user, notice=notice)
    return redirect("notices:list")


@login_required
@require_http_methods(["POST"])
def notice_read_all(request):
    services.notices_mark_all_read(by=request.user)
    return redirect("notices:list")
