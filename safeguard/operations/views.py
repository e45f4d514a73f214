"""The set-up page (system administrators), the administration pages (an authority's own
system administrators: its teams' management line and the history of its administration,
decision 0037) and ``/health/`` (anyone: no login, nothing sensitive)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from safeguard.accounts import services as accounts
from safeguard.accounts.models import AgencyKind, Role
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import form_error
from safeguard.operations import checks, permissions, selectors
from safeguard.operations import health as health_checks
from safeguard.operations.forms import (
    NewAgencyForm,
    NewTeamForm,
    RoleAndTeamsForm,
    StaffAction,
    StaffActionForm,
    TeamForm,
)
from safeguard.operations.jobs import job_states
from safeguard.operations.permissions import Action


@login_required
@require_GET
def setup(request):
    if not permissions.can(request.user, Action.VIEW_SETUP):
        raise PermissionDenied
    return render(request, "operations/setup.html", {"problems": checks.setup_problems()})


def _administrator_authority(request) -> int:
    """The authority the signed-in administrator administers; anyone else is refused."""
    if not permissions.can(request.user, Action.ADMINISTER):
        raise PermissionDenied
    return request.user.agency.authority_id


@login_required
@require_GET
def teams(request):
    authority_id = _administrator_authority(request)
    return render(
        request, "operations/teams.html", {"teams": selectors.authority_teams(authority_id)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_new(request):
    authority_id = _administrator_authority(request)
    form = NewTeamForm(request.POST or None, agencies=selectors.authority_agencies(authority_id))
    if request.method == "POST" and form.is_valid():
        try:
            made = accounts.team_create(
                by=request.user, agency=form.cleaned_data["agency"], name=form.cleaned_data["name"]
            )
        except IntegrityError:  # the same name saved by someone else a moment ago
            form.add_error("name", "The agency already has a team of that name")
        else:
            messages.success(request, f"{made.name}: added. Now name its manager.")
            return redirect("operations:team", team_id=made.pk)
    return render(request, "operations/team_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agency_new(request):
    authority_id = _administrator_authority(request)
    form = NewAgencyForm(
        request.POST or None,
        # The inspectorate comes with an inspection, never added by the authority.
        kinds=[(k.value, k.label) for k in AgencyKind if k != AgencyKind.INSPECTORATE],
        existing=selectors.authority_agencies(authority_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = accounts.agency_create(
                by=request.user,
                authority=request.user.agency.authority,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except IntegrityError:  # the same name saved by someone else a moment ago
            form.add_error("name", "The authority already has an agency of that name")
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{made.name}: added. Now add its teams.")
            return redirect("operations:teams")
    return render(request, "operations/agency_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team(request, team_id: int):
    authority_id = _administrator_authority(request)
    found = selectors.authority_team(authority_id, team_id)
    if found is None:  # another authority's, or none: the same answer
        raise Http404
    choices = {
        "managers": selectors.possible_managers(authority_id),
        "teams": selectors.authority_teams(authority_id).exclude(pk=found.pk),
    }
    initial = {"manager": found.manager, "parent": found.parent}
    form = TeamForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.team_update(
                found,
                by=request.user,
                manager=form.cleaned_data["manager"],
                parent=form.cleaned_data["parent"],
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{found.name}: saved")
            return redirect("operations:teams")
    return render(request, "operations/team.html", {"team": found, "form": form})


@login_required
@require_GET
def jobs(request):
    """The scheduled jobs (decision 0071): each one's schedule, last run and outcome, and
    whether its next run is waiting. Installation-wide, for system administrators."""
    if not permissions.can(request.user, Action.VIEW_SETUP):
        raise PermissionDenied
    return render(request, "operations/jobs.html", {"states": job_states()})


@login_required
@require_GET
def history(request):
    authority_id = _administrator_authority(request)
    return render(
        request,
        "operations/history.html",
        {
            "events": selectors.administration_history(authority_id),
            "length": selectors.HISTORY_LENGTH,
        },
    )


@login_required
@require_GET
def staff(request):
    authority_id = _administrator_authority(request)
    return render(
        request, "operations/staff.html", {"accounts": selectors.authority_staff(authority_id)}
    )


def _act(action: str, account, *, by) -> str:
    """Do ``action`` to ``account`` through the account services; says what was done."""
    if action == StaffAction.DISABLE:
        accounts.disable_account(account, by=by)
        return "disabled: it can no longer sign in and its sessions have ended"
    if action == StaffAction.ENABLE:
        accounts.enable_account(account, by=by)
        return "enabled"
    if action == StaffAction.RESET_SECOND_FACTOR:
        accounts.reset_second_factor(account, by=by)
        return "second factor reset: it sets up a new authenticator at its next sign-in"
    if action == StaffAction.INVITE:
        if not account.email:  # the link is never shown to the administrator
            raise ApplicationError(
                f"{account} has no email address: add one to the staff file and import it"
            )
        accounts.invitation_send(account, by=by)
        return f"an invitation was emailed to {account.email}"
    count = accounts.end_sessions(account, by=by, reason="ended by an administrator")
    return f"signed out of {count} session{'s' if count != 1 else ''}"


@login_required
@require_http_methods(["GET", "POST"])
def account(request, user_id: int):
    authority_id = _administrator_authority(request)
    found = selectors.authority_account(authority_id, user_id)
    if found is None:  # another authority's, or none: the same answer
        raise Http404
    own = found.pk == request.user.pk
    form = StaffActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if own:  # nobody administers their own account: another administrator does
            form.add_error(None, "You cannot change your own account: ask another administrator")
        else:
            try:
                done = _act(form.cleaned_data["action"], found, by=request.user)
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, f"{found}: {done}")
                return redirect("operations:account", user_id=found.pk)
    return render(
        request,
        "operations/account.html",
        {"account": found, "form": form, "own": own, "actions": StaffAction},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_role(request, user_id: int):
    authority_id = _administrator_authority(request)
    found = selectors.authority_account(authority_id, user_id)
    if found is None:
        raise Http404
    if found.pk == request.user.pk:
        raise PermissionDenied  # nobody changes their own role: another administrator does
    form = RoleAndTeamsForm(
        request.POST or None,
        initial={"role": found.role, "teams": list(found.teams.all())},
        roles=Role.choices,
        teams=selectors.agency_teams(found.agency_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts.update_account(
                found, by=request.user, role=form.cleaned_data["role"],
                teams=form.cleaned_data["teams"],
            )  # fmt: skip
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{found}: role and teams saved")
            return redirect("operations:account", user_id=found.pk)
    return render(request, "operations/account_role.html", {"account": found, "form": form})


@never_cache
@require_safe
def health(request):
    answer = health_checks.health()
    # Degraded (a scheduled job failed or is late) still serves: 200, with the jobs named.
    return JsonResponse(answer, status=503 if answer["status"] == "failed" else 200)
