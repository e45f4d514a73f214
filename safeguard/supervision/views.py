"""Supervision pages: the staff a manager supervises (overdue first), a worker's supervision
record, a session, the new-session form (pre-filled from the worker's caseload and
performance), signing, and a worker's frequency."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.core.submission import posted, submit
from safeguard.people import selectors as people
from safeguard.supervision import permissions, selectors, services
from safeguard.supervision.forms import FrequencyForm, SessionForm, SignForm
from safeguard.supervision.permissions import Action


def _action_child(action):
    return action.discussion.case.child


def _shown_actions(request, actions):
    """Open actions, those about a child the user may not see left out and counted."""
    about = [a for a in actions if a.discussion_id is not None]
    shown = people.show_rows(user=request.user, rows=about, child=_action_child, request=request)
    visible = {a.pk for a in shown.rows}
    return [a for a in actions if a.discussion_id is None or a.pk in visible], shown.hidden


@login_required
@require_GET
def overdue(request):
    if not permissions.can(request.user, Action.SEE_STAFF):
        raise PermissionDenied
    today = timezone.localdate()
    found = selectors.staff_statuses(request.user, today)
    return render(
        request,
        "supervision/overdue.html",
        {
            "today": today,
            "overdue": [s for s in found if s.overdue],
            "in_time": [s for s in found if not s.overdue],
        },
    )


@login_required
@require_GET
def record(request, worker_id: int):
    worker = selectors.access_worker(user=request.user, worker_id=worker_id)
    today = timezone.localdate()
    actions, hidden = _shown_actions(request, selectors.open_actions(worker))
    return render(
        request,
        "supervision/record.html",
        {
            "worker": worker,
            "today": today,
            "status": selectors.statuses([worker], today)[0],
            "sessions": selectors.sessions_of(worker),
            "actions": actions,
            "restricted": hidden,
            "can_record": permissions.can(request.user, Action.RECORD, worker),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request, worker_id: int):
    worker = selectors.access_worker(user=request.user, worker_id=worker_id, action=Action.RECORD)
    today = timezone.localdate()
    start = selectors.prefill(worker, on=today)
    # Every child named on the page is logged once; a child the user may not see is left out.
    shown = people.show_rows(user=request.user, rows=start.cases, request=request)
    cases = shown.rows
    visible = {c.child.pk for c in cases}
    overdue_items = [r for r in start.overdue_items if r.child.pk in visible]
    carried, _ = _shown_actions(request, start.carried)
    form = SessionForm(
        posted(request),
        cases=cases,
        carried=carried,
        initial={"session_date": today, "duration_minutes": 90},
    )

    def save(_data):
        return services.session_record(
            by=request.user,
            supervisee=worker,
            **form.service_arguments(supervisor=request.user, supervisee=worker),
        )

    made = submit(request, form, save, success="Supervision session recorded and signed by you")
    if made:
        return redirect("supervision:session", session_id=made.pk)
    return render(
        request,
        "supervision/session_form.html",
        {
            "worker": worker,
            "start": start,
            "form": form,
            "overdue_items": overdue_items,
            "unseen": [c for c in start.unseen if c.child.pk in visible],
            "errors": [e for e in start.errors if e.person_id in visible],
            "restricted": shown.hidden,
            "today": today,
        },
    )


@login_required
@require_GET
def session_detail(request, session_id: UUID):
    session = selectors.session_page(
        selectors.access_session(user=request.user, session_id=session_id)
    )
    shown = people.show_rows(
        user=request.user,
        rows=session.discussion_list,
        child=lambda d: d.case.child,
        request=request,
    )
    done, _ = _shown_actions(request, session.done_here)
    return render(
        request,
        "supervision/session.html",
        {
            "session": session,
            "discussions": shown.rows,
            "restricted": shown.hidden,
            "done_here": done,
            "can_sign": permissions.can(request.user, Action.SIGN, session),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_sign(request, session_id: UUID):
    session = selectors.access_session(user=request.user, session_id=session_id, action=Action.SIGN)
    form = SignForm(posted(request))
    if submit(
        request,
        form,
        lambda d: services.session_sign(by=request.user, session=session, **d),
        success="You have signed the session",
    ):
        return redirect("supervision:session", session_id=session.pk)
    return render(request, "supervision/sign.html", {"session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def frequency(request, worker_id: int):
    worker = selectors.access_worker(user=request.user, worker_id=worker_id, action=Action.RECORD)
    today = timezone.localdate()
    form = FrequencyForm(posted(request), initial={"start_date": today})
    if submit(
        request,
        form,
        lambda d: services.frequency_set(by=request.user, worker=worker, **d),
        success="Supervision frequency set",
    ):
        return redirect("supervision:record", worker_id=worker.pk)
    return render(
        request,
        "supervision/frequency.html",
        {"worker": worker, "form": form, "status": selectors.statuses([worker], today)[0]},
    )
