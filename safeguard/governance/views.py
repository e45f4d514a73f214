"""Improvement plans, their actions, highlight reports and the risk register (decision 0083)."""

from datetime import date
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.core.concurrency import stale_in_request, versioned
from safeguard.core.downloads import safe_filename
from safeguard.core.submission import posted, submit
from safeguard.governance import evidence_files, forms, permissions, selectors, services
from safeguard.governance.models import ActionStatus
from safeguard.governance.permissions import Action


def _require(user, action, obj=None):
    if not permissions.can(user, action, obj):
        raise PermissionDenied


def _form_page(request, form, title, *, back, button="Save", caption="", **extra):
    context = {"form": form, "title": title, "back": back, "button": button, "caption": caption}
    # A stale save is answered 409 by the middleware, from a 200; other refusals are 400.
    status = 400 if form.errors and not stale_in_request.get() else 200
    return render(request, "governance/form.html", context | extra, status=status)


@login_required
@require_GET
def plan_list(request):
    _require(request.user, Action.LIST)
    context = selectors.plans_page(user=request.user, on=timezone.localdate())
    context["can_create"] = permissions.can(request.user, Action.CREATE_PLAN)
    return render(request, "governance/plans.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    _require(request.user, Action.CREATE_PLAN)
    form = forms.PlanForm(
        posted(request), authority_id=request.user.authority_id, initial={"status": "draft"}
    )
    made = submit(
        request, form, lambda d: services.plan_create(by=request.user, **d), success="Plan started"
    )
    if made:
        return redirect("governance:plan", plan_id=made.pk)
    return _form_page(request, form, "Start an improvement plan", back="governance:plans")


@login_required
@require_GET
def plan_detail(request, plan_id: UUID):
    plan = selectors.plan_for(user=request.user, plan_id=plan_id)
    context = selectors.plan_page(plan=plan, on=timezone.localdate())
    context |= {"plan": plan, "can_change": permissions.can(request.user, Action.CHANGE_PLAN, plan)}
    return render(request, "governance/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id: UUID):
    plan = selectors.plan_for(user=request.user, plan_id=plan_id)
    _require(request.user, Action.CHANGE_PLAN, plan)
    initial = {
        name: getattr(plan, name)
        for name in ("title", "owner_body", "lead", "agency", "start_date", "end_date", "status")
    } | {"incorporated_into": plan.incorporated_into}
    form = forms.PlanForm(
        posted(request), authority_id=request.user.authority_id, exclude=plan, initial=initial
    )
    versioned(form, plan)
    if submit(
        request,
        form,
        lambda d: services.plan_update(by=request.user, plan=plan, **d),
        success="Plan saved",
    ):
        return redirect("governance:plan", plan_id=plan.pk)
    return _form_page(request, form, "Change the plan", back="governance:plans", caption=plan.title)


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request, plan_id: UUID):
    plan = selectors.plan_for(user=request.user, plan_id=plan_id)
    _require(request.user, Action.CHANGE_PLAN, plan)
    form = forms.ObjectiveForm(posted(request))
    if submit(
        request,
        form,
        lambda d: services.objective_add(by=request.user, plan=plan, **d),
        success="Objective added",
    ):
        return redirect("governance:plan", plan_id=plan.pk)
    return _form_page(
        request, form, "Add an objective", back="governance:plans", caption=plan.title
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request, plan_id: UUID):
    plan = selectors.plan_for(user=request.user, plan_id=plan_id)
    _require(request.user, Action.CHANGE_PLAN, plan)
    form = forms.ActionForm(
        posted(request),
        plan=plan,
        initial={"status": ActionStatus.NOT_STARTED, "rag": "green", "agency": request.user.agency},
    )
    made = submit(
        request,
        form,
        lambda d: services.action_add(by=request.user, **d),
        success="Action added",
    )
    if made:
        return redirect("governance:action", action_id=made.pk)
    return _form_page(request, form, "Add an action", back="governance:plans", caption=plan.title)


@login_required
@require_GET
def action_detail(request, action_id: UUID):
    action = selectors.action_for(user=request.user, action_id=action_id)
    context = selectors.action_page(action=action)
    context |= {
        "action": action,
        "late": action.is_late(timezone.localdate()),
        "can_update": permissions.can(request.user, Action.UPDATE_ACTION, action),
        "can_sign_off": action.status == ActionStatus.AWAITING_SIGN_OFF
        and permissions.can(request.user, Action.SIGN_OFF, action),
        "can_serve": permissions.can(request.user, Action.CREATE_PLAN),
    }
    return render(request, "governance/action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request, action_id: UUID):
    action = selectors.action_for(user=request.user, action_id=action_id)
    _require(request.user, Action.UPDATE_ACTION, action)
    status = ActionStatus.DONE if action.status == ActionStatus.AWAITING_SIGN_OFF else action.status
    initial = {
        "status": status,
        "due_date": action.due_date,
        "rag": action.rag,
        "rag_reason": action.rag_reason,
        "indicators": action.indicators,
    }
    form = forms.ActionUpdateForm(posted(request), initial=initial)
    versioned(form, action)
    if submit(
        request,
        form,
        lambda d: services.action_update(by=request.user, action=action, **d),
        success="Progress recorded",
    ):
        return redirect("governance:action", action_id=action.pk)
    return _form_page(
        request, form, "Record progress", back="governance:plans", caption=action.title
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_sign_off(request, action_id: UUID):
    action = selectors.action_for(user=request.user, action_id=action_id)
    _require(request.user, Action.SIGN_OFF, action)
    form = versioned(forms.GovukForm(posted(request)), action)
    if submit(
        request,
        form,
        lambda d: services.action_sign_off(by=request.user, action=action, **d),
        success="Action signed off as done",
    ):
        return redirect("governance:action", action_id=action.pk)
    return _form_page(
        request,
        form,
        "Sign the action off as done",
        back="governance:plans",
        caption=action.title,
        button="Sign off as done",
        no_draft=True,  # nothing typed: a confirmation
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_serve(request, action_id: UUID):
    """Let the action serve one more objective, of this plan or another."""
    action = selectors.action_for(user=request.user, action_id=action_id)
    _require(request.user, Action.CREATE_PLAN)
    form = forms.ServeForm(posted(request), authority_id=request.user.authority_id)
    if submit(
        request,
        form,
        lambda d: services.action_serve(by=request.user, action=action, **d),
        success="The action now serves that objective too",
    ):
        return redirect("governance:action", action_id=action.pk)
    return _form_page(
        request,
        form,
        "Add the action to another plan",
        back="governance:plans",
        caption=action.title,
        no_draft=True,  # one choice, nothing typed
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request, action_id: UUID):
    action = selectors.action_for(user=request.user, action_id=action_id)
    _require(request.user, Action.UPDATE_ACTION, action)
    form = forms.EvidenceForm(posted(request), request.FILES if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda d: services.evidence_add(
            by=request.user, action=action, title=d["title"], url=d["url"], file=d.get("file")
        ),
        success="Evidence added",
    ):
        return redirect("governance:action", action_id=action.pk)
    return _form_page(
        request, form, "Add evidence", back="governance:plans", caption=action.title,
        multipart=True,
        no_draft=True,  # a file cannot be kept in a draft (as the documents' upload)
        hint="Give a link, upload a file, or both. Files up to "
        f"{evidence_files.megabytes(settings.SAFEGUARD_DOCUMENT_MAX_BYTES)}.",
    )  # fmt: skip


@login_required
@require_GET
def evidence_file(request, evidence_id: UUID):
    """Download an evidence file: whoever may see the action (decision 0086)."""
    evidence = selectors.evidence_for(user=request.user, evidence_id=evidence_id)
    try:
        handle = evidence_files.open_file(evidence.file_key)
    except FileNotFoundError:
        raise Http404("The evidence file is missing: tell your system administrator") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(evidence.download_name, default="evidence"),
        content_type=evidence.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def highlights(request, plan_id: UUID):
    plan = selectors.plan_for(user=request.user, plan_id=plan_id)
    try:
        on = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = timezone.localdate()
    report = selectors.highlight_report(plan, on)
    return render(request, "governance/highlights.html", {"plan": plan, "report": report})


@login_required
@require_GET
def risk_list(request):
    _require(request.user, Action.LIST)
    context = selectors.risks_page(user=request.user, on=timezone.localdate())
    context["can_add"] = permissions.can(request.user, Action.ADD_RISK)
    context["can_change_any"] = permissions.can(request.user, Action.CREATE_PLAN)
    return render(request, "governance/risks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def risk_new(request):
    _require(request.user, Action.ADD_RISK)
    form = forms.RiskForm(posted(request), authority_id=request.user.authority_id)
    if submit(
        request,
        form,
        lambda d: services.risk_add(by=request.user, **d),
        success="Risk added to the register",
    ):
        return redirect("governance:risks")
    return _form_page(request, form, "Add a risk or issue", back="governance:risks")


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request, risk_id: UUID):
    risk = selectors.risk_for(user=request.user, risk_id=risk_id)
    _require(request.user, Action.CHANGE_RISK, risk)
    initial = {
        name: getattr(risk, name)
        for name in (
            "kind", "title", "likelihood", "impact", "owner", "mitigation", "review_date", "status",
        )
    } | {"plans": list(risk.plans.all())}  # fmt: skip
    form = forms.RiskUpdateForm(
        posted(request), authority_id=request.user.authority_id, initial=initial
    )
    versioned(form, risk)
    if submit(
        request,
        form,
        lambda d: services.risk_update(by=request.user, risk=risk, **d),
        success="Risk reviewed",
    ):
        return redirect("governance:risks")
    history = selectors.history({"governance.risk": [str(risk.pk)]})
    return _form_page(
        request, form, "Review the risk", back="governance:risks", caption=risk.title,
        history=history,
    )  # fmt: skip
