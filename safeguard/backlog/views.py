"""Backlog review exercises: the list, opening one, its page (progress per reviewer and the
cases), assigning a case, reviewing a case and the summary (a page and a PDF)."""

from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.backlog import documents, permissions, selectors, services
from safeguard.backlog.forms import AssignForm, OpenForm, ReviewForm
from safeguard.backlog.permissions import Action
from safeguard.core.downloads import attachment
from safeguard.core.submission import posted, submit


@login_required
@require_GET
def exercise_list(request):
    if not permissions.can(request.user, Action.LIST):
        raise PermissionDenied
    context = {
        "exercises": selectors.exercises_for(request.user),
        "can_open": permissions.can(request.user, Action.OPEN),
    }
    return render(request, "backlog/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_open(request):
    user = request.user
    if not permissions.can(user, Action.OPEN):
        raise PermissionDenied
    authority_id = user.agency.authority_id
    form = OpenForm(
        posted(request),
        teams=selectors.team_choices(authority_id),
        reviewers=selectors.reviewer_choices(authority_id),
    )

    def save(data):
        filters = selectors.Filters(
            unallocated=data["unallocated"],
            overdue=data["overdue"],
            unseen_days=data["unseen_days"],
            priorities=tuple(data["priorities"]),
            team=data["team"],
        )
        return services.exercise_open(
            by=user, filters=filters, reviewers=list(data["reviewers"]),
            spread=data["spread"] == "even",
        )  # fmt: skip

    made = submit(
        request, form, save,
        success=lambda e: f"Backlog review opened over {e.cases.count()} cases",
    )  # fmt: skip
    if made:
        return redirect("backlog:exercise", exercise_id=made.pk)
    return render(request, "backlog/open.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def exercise_detail(request, exercise_id: UUID):
    user = request.user
    exercise = selectors.access_exercise(user=user, exercise_id=exercise_id)
    manager = permissions.can(user, Action.OPEN)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    shown, page = selectors.exercise_cases(
        user, exercise, mine=not manager, request=request, number=number
    )
    context = {
        "exercise": exercise,
        "filters": selectors.describe(exercise.filters),
        "progress": selectors.progress(exercise),
        "rows": shown.rows,
        "page": page,
        "previous_query": urlencode({"page": page.number - 1}) if page.has_previous else "",
        "next_query": urlencode({"page": page.number + 1}) if page.has_next else "",
        "restricted": shown.hidden,
        "is_opener": exercise.opened_by_id == user.pk,
        "mine_only": not manager,
    }
    return render(request, "backlog/exercise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, exercise_id: UUID, item_id: UUID):
    item = selectors.access_exercise_case(
        user=request.user, exercise_id=exercise_id, item_id=item_id, request=request
    )
    if not permissions.can(request.user, Action.ASSIGN, item):
        raise PermissionDenied
    form = AssignForm(
        posted(request),
        reviewers=item.exercise.reviewers.order_by("last_name", "first_name", "pk"),
        initial={"reviewer": item.reviewer_id},
    )

    def save(data):
        return services.case_assign(by=request.user, item=item, reviewer=data["reviewer"])

    if submit(request, form, save, success="Case assigned"):
        return redirect("backlog:exercise", exercise_id=exercise_id)
    context = {"form": form, "item": item, "child": item.case.child}
    return render(request, "backlog/assign.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def case_review(request, exercise_id: UUID, item_id: UUID):
    item = selectors.access_exercise_case(
        user=request.user, exercise_id=exercise_id, item_id=item_id, request=request
    )
    if not permissions.can(request.user, Action.REVIEW, item):
        raise PermissionDenied
    form = ReviewForm(
        posted(request), workers=selectors.reviewer_choices(item.exercise.authority_id)
    )

    def save(data):
        return services.review_record(by=request.user, item=item, **data)

    if submit(request, form, save, success="Review recorded"):
        return redirect("backlog:exercise", exercise_id=exercise_id)
    context = {"form": form, "item": item, "child": item.case.child, "case": item.case}
    return render(request, "backlog/review.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def exercise_summary(request, exercise_id: UUID):
    exercise = selectors.access_exercise(user=request.user, exercise_id=exercise_id)
    summary = selectors.summary(exercise, on=timezone.localdate())
    filters = selectors.describe(exercise.filters)
    if request.GET.get("format") == "pdf":
        content = documents.summary_pdf(
            summary=summary,
            authority=request.user.agency.authority.name,
            filters=filters,
            at=timezone.localtime(),
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = attachment(
            f"backlog-review-{exercise.opened_on:%Y-%m-%d}.pdf"
        )
        return response
    context = {"exercise": exercise, "summary": summary, "filters": filters}
    return render(request, "backlog/summary.html", context)
