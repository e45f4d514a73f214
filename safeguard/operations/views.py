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
from safeguard.accounts.models import AgencyKind, LocalAuthority, Role
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import form_error
from safeguard.operations import checks, permissions, selectors
from safeguard.operations import health as health_checks
from safeguard.operations.forms import (
    AgencyForm,
    IndicatorAction,
    IndicatorForm,
    NewAccountForm,
    NewAgencyForm,
    NewTeamForm,
    RetentionRuleForm,
    RetireLevelForm,
    RoleAndTeamsForm,
    StaffAction,
    StaffActionForm,
    StandardsForm,
    TeamForm,
    ThresholdLevelForm,
)
from safeguard.operations.jobs import job_states
from safeguard.operations.permissions import Action
from safeguard.privacy import retention
from safeguard.privacy import services as privacy
from safeguard.privacy.models import RecordType
from safeguard.referrals import selectors as referrals_selectors
from safeguard.referrals import services as referrals
from safeguard.referrals.models import ContactOutcome
from safeguard.timescales import services as timescales


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
        request,
        "operations/teams.html",
        {
            "teams": selectors.authority_teams(authority_id),
            "agencies": selectors.authority_agencies(authority_id),
        },
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
def agency(request, agency_id: int):
    """Rename an agency or change its kind (decision 0077)."""
    authority_id = _administrator_authority(request)
    found = selectors.authority_agency(authority_id, agency_id)
    if found is None:  # another authority's, or none: the same answer
        raise Http404
    if found.kind == AgencyKind.INSPECTORATE:
        kinds = [(AgencyKind.INSPECTORATE.value, AgencyKind.INSPECTORATE.label)]
    else:
        kinds = [(k.value, k.label) for k in AgencyKind if k != AgencyKind.INSPECTORATE]
    form = AgencyForm(
        request.POST or None, initial={"name": found.name, "kind": found.kind}, kinds=kinds
    )
    if request.method == "POST" and form.is_valid():
        try:
            accounts.agency_update(
                found, by=request.user, name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )  # fmt: skip
        except IntegrityError:  # the same name saved by someone else a moment ago
            form.add_error("name", "The authority already has an agency of that name")
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{found.name}: saved")
            return redirect("operations:teams")
    return render(request, "operations/agency.html", {"agency": found, "form": form})


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
    initial = {"name": found.name, "manager": found.manager, "parent": found.parent}
    form = TeamForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.team_update(
                found,
                by=request.user,
                name=form.cleaned_data["name"],
                manager=form.cleaned_data["manager"],
                parent=form.cleaned_data["parent"],
            )
        except IntegrityError:  # the same name saved by someone else a moment ago
            form.add_error("name", "The agency already has a team of that name")
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


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request):
    """A new account of one of the authority's agencies, with no password: the next step is
    the invitation, one button on the account's page."""
    authority_id = _administrator_authority(request)
    form = NewAccountForm(
        request.POST or None,
        agencies=selectors.authority_agencies(authority_id),
        roles=[("", "Choose the role"), *Role.choices],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = accounts.account_create(
                by=request.user, username=data["username"], agency=data["agency"],
                role=data["role"], first_name=data["first_name"], last_name=data["last_name"],
                email=data["email"], job_title=data["job_title"],
            )  # fmt: skip
        except IntegrityError:  # the same username saved by someone else a moment ago
            form.add_error("username", "There is already an account with that username")
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"{made}: added. Name their teams, then email them an invitation."
            )
            return redirect("operations:account", user_id=made.pk)
    return render(request, "operations/account_new.html", {"form": form})


# --- The threshold of need (decision 0074) ---------------------------------------------------

OUTCOMES = ContactOutcome.choices


@login_required
@require_GET
def thresholds(request):
    authority_id = _administrator_authority(request)
    return render(
        request,
        "operations/thresholds.html",
        {"levels": referrals_selectors.threshold_levels(authority_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold_level_new(request):
    authority_id = _administrator_authority(request)
    form = ThresholdLevelForm(request.POST or None, outcomes=OUTCOMES, new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = referrals.threshold_level_add(
                by=request.user, authority_id=authority_id, number=data["number"],
                name=data["name"], description=data["description"],
                implied_outcome=data["implied_outcome"],
                indicators=data["indicators"].splitlines(),
            )  # fmt: skip
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{made}: added")
            return redirect("operations:threshold-level", number=made.number)
    return render(request, "operations/threshold_level_new.html", {"form": form})


def _level_versions(authority_id, number: int):
    """The current version of level ``number`` (or None, if it was retired) and all its
    versions, newest first; no version at all is not found."""
    versions = referrals_selectors.threshold_level_versions(authority_id, number)
    if not versions:
        raise Http404
    current = versions[0] if versions[0].disabled_on is None else None
    return current, versions


@login_required
@require_GET
def threshold_level(request, number: int):
    """A level: its current wording and indicators, and every earlier version with the day it
    was replaced, so that what an older decision rested on can be read."""
    authority_id = _administrator_authority(request)
    current, versions = _level_versions(authority_id, number)
    history = []
    for index, version in enumerate(versions):
        # A version was in use from the day the one before it was replaced.
        earlier = versions[index + 1] if index + 1 < len(versions) else None
        history.append({"level": version, "from": earlier.disabled_on if earlier else None})
    return render(
        request,
        "operations/threshold_level.html",
        {"number": number, "current": current, "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold_level_change(request, number: int):
    authority_id = _administrator_authority(request)
    current, _ = _level_versions(authority_id, number)
    if current is None:  # retired: nothing to change
        raise Http404
    initial = {f: getattr(current, f) for f in ("name", "description", "implied_outcome")}
    form = ThresholdLevelForm(request.POST or None, initial=initial, outcomes=OUTCOMES, new=False)
    if request.method == "POST" and form.is_valid():
        try:
            made = referrals.threshold_level_change(
                by=request.user, level=current, **form.cleaned_data
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"{made}: saved as a new version; earlier decisions keep the old words"
            )
            return redirect("operations:threshold-level", number=made.number)
    return render(
        request, "operations/threshold_level_change.html", {"level": current, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold_level_retire(request, number: int):
    """Stop offering a whole level, with a reason (decision 0077): a confirmation page."""
    authority_id = _administrator_authority(request)
    current, _ = _level_versions(authority_id, number)
    if current is None:  # already retired
        raise Http404
    form = RetireLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referrals.threshold_level_retire(
                by=request.user, level=current, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{current}: retired; contacts decided against it keep it")
            return redirect("operations:threshold-level", number=number)
    return render(
        request, "operations/threshold_level_retire.html", {"level": current, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold_indicator_new(request, number: int):
    authority_id = _administrator_authority(request)
    current, _ = _level_versions(authority_id, number)
    if current is None:
        raise Http404
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referrals.threshold_indicator_add(
                by=request.user, level=current, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{current}: indicator added")
            return redirect("operations:threshold-level", number=number)
    return render(
        request, "operations/threshold_indicator_new.html", {"level": current, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold_indicator(request, indicator_id: int):
    """Reword an indicator (the old words retired, a new indicator made) or retire it."""
    authority_id = _administrator_authority(request)
    found = referrals_selectors.threshold_indicator(authority_id, indicator_id)
    if found is None:  # another authority's, retired, or none: the same answer
        raise Http404
    retire = request.POST.get("action") == IndicatorAction.RETIRE
    data = None
    if request.method == "POST":
        # Retiring posts only the button: the words shown are the indicator's own.
        data = {"text": found.text} if retire else request.POST
    form = IndicatorForm(data, initial={"text": found.text})
    if request.method == "POST" and form.is_valid():
        try:
            if retire:
                referrals.threshold_indicator_retire(by=request.user, indicator=found)
                done = "indicator retired"
            else:
                referrals.threshold_indicator_reword(
                    by=request.user, indicator=found, text=form.cleaned_data["text"]
                )
                done = "indicator reworded; earlier decisions keep the old words"
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{found.level}: {done}")
            return redirect("operations:threshold-level", number=found.level.number)
    return render(
        request,
        "operations/threshold_indicator.html",
        {"indicator": found, "form": form, "actions": IndicatorAction},
    )


# --- Local standards and the rule set (decision 0074) --------------------------------------


def _standard_labels() -> dict[str, str]:
    return {
        name: str(LocalAuthority._meta.get_field(name).verbose_name)
        for name in timescales.STANDARDS
    }


@login_required
@require_http_methods(["GET", "POST"])
def standards(request):
    """The rule set and every local standard on one form. Saving works the authority's
    outstanding items out again in the same transaction (``standards_update``), so the due
    lists never show a date from the old standard beside the new one."""
    _administrator_authority(request)
    authority = request.user.agency.authority
    names = ("rule_set", *timescales.STANDARDS)
    form = StandardsForm(
        request.POST or None,
        initial={name: getattr(authority, name) for name in names},
        rule_sets=LocalAuthority._meta.get_field("rule_set").choices,
        standards=timescales.STANDARDS,
        labels=_standard_labels(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            timescales.standards_update(by=request.user, authority=authority, **form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, "Local standards saved; due dates follow them")
            return redirect("operations:standards")
    return render(request, "operations/standards.html", {"form": form, "authority": authority})


# --- Retention rules (decision 0074) ------------------------------------------------------------


@login_required
@require_GET
def retention_rules(request):
    authority_id = _administrator_authority(request)
    return render(
        request,
        "operations/retention.html",
        {"rules": list(retention.rules_for(authority_id).values())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention_rule(request, record_type: str):
    authority_id = _administrator_authority(request)
    if record_type not in RecordType.values:
        raise Http404
    rule = retention.rules_for(authority_id)[record_type]
    form = RetentionRuleForm(
        request.POST or None,
        initial={"years": rule.years, "years_after_death": rule.years_after_death},
        after_death=rule.years_after_death is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            privacy.retention_rule_set(
                by=request.user,
                authority_id=authority_id,
                record_type=record_type,
                years=form.cleaned_data["years"],
                years_after_death=form.cleaned_data.get("years_after_death"),
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{rule.label}: retention period saved")
            return redirect("operations:retention")
    return render(request, "operations/retention_rule.html", {"rule": rule, "form": form})


@never_cache
@require_safe
def health(request):
    answer = health_checks.health()
    # Degraded (a scheduled job failed or is late) still serves: 200, with the jobs named.
    return JsonResponse(answer, status=503 if answer["status"] == "failed" else 200)
