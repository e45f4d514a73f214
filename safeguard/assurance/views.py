"""Case-file audits: the list and results (with a CSV and a PDF), drawing a sample, one
audit with its findings, grading and moderating it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safeguard.assurance import documents, permissions, selectors, services
from safeguard.assurance.forms import (
    ActionForm,
    AuditForm,
    DipCheckForm,
    DipSampleForm,
    InspectionForm,
    InspectionSampleForm,
    ModerationForm,
    ProgrammeDrawForm,
    ProgrammeLineForm,
    ResponseForm,
    SampleForm,
)
from safeguard.assurance.models import Grade
from safeguard.assurance.permissions import Action
from safeguard.core.csv import csv_response
from safeguard.core.downloads import attachment
from safeguard.core.errors import ApplicationError
from safeguard.core.submission import posted, submit
from safeguard.timescales.selectors import STAGES


def _labels(rows, field, choices):
    labels = dict(choices)
    return [{**r, f"{field}_label": labels.get(r[field], r[field])} for r in rows]


@login_required
@require_http_methods(["GET", "POST"])
def audit_list(request):
    user = request.user
    if not permissions.can(user, Action.SEE):
        raise PermissionDenied
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drawn = services.draw_sample(
                by=user,
                size=form.cleaned_data["size"],
                seed=form.cleaned_data["seed"],
                stratum=form.cleaned_data["stratum"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{len(drawn)} case files drawn for you to audit.")
            return redirect("assurance:audits")
    by_team = _labels(selectors.results_by_team(user), "grade", Grade.choices)
    themes = selectors.theme_results(user)
    actions = selectors.action_results(user)
    wanted = request.GET.get("format")
    if wanted == "csv":
        return _results_csv(request.GET.get("table", ""), by_team, themes, actions)
    if wanted == "pdf":
        content = documents.results_pdf(
            authority=user.agency.authority.name,
            by_team=selectors.team_results(by_team),
            themes=themes,
            actions=actions,
            at=timezone.localtime(),
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = attachment("case-file-audit-results.pdf")
        return response
    shown = selectors.audits_for(user, request=request)
    context = {
        "audits": shown.rows,
        "restricted": shown.hidden,
        "by_team": selectors.team_results(by_team),
        "themes": themes,
        "actions": actions,
        "grades": Grade.choices,
        "form": form,
    }
    return render(request, "assurance/list.html", context, status=400 if form.errors else 200)


def _results_csv(table: str, by_team: list[dict], themes, actions):
    """The results as CSV: by team, month and grade (the default); ``table=themes``: the
    findings under each heading by quarter and grade; ``table=actions``: the actions by team."""
    if table == "themes":
        grades = dict(Grade.choices)
        rows = [
            (row.label, quarter_label, grades[grade], n)
            for row in themes.rows
            for quarter_label, counts in zip(themes.quarter_labels, row.quarters, strict=True)
            for grade, n in zip(Grade.values, counts.by_grade, strict=True)
        ]
        return csv_response(
            "case-file-audit-themes.csv",
            header=["heading", "quarter", "grade", "findings"],
            rows=rows,
        )
    if table == "actions":
        return csv_response(
            "case-file-audit-actions.csv",
            header=["team", "set", "done", "done_late", "open", "overdue"],
            rows=[(a.team, a.set, a.done, a.done_late, a.open, a.overdue) for a in actions],
        )
    return csv_response(
        "case-file-audit-results.csv",
        header=["team", "month", "grade", "audits"],
        rows=[(r["team"], r["month"], r["grade_label"], r["audits"]) for r in by_team],
    )


def _audit_page(request, audit, form, status=200, *, response_form=None, action_form=None):
    user = request.user
    can_respond = permissions.can(user, Action.RESPOND, audit)
    can_add_action = permissions.can(user, Action.ADD_ACTION, audit)
    if can_respond and response_form is None:
        response_form = ResponseForm()
    if can_add_action and action_form is None:
        action_form = ActionForm(staff=selectors.action_owners(audit.authority_id))
    context = {
        "audit": audit,
        "child": audit.case.child,
        "form": form,
        "can_grade": permissions.can(user, Action.GRADE, audit),
        "can_moderate": permissions.can(user, Action.MODERATE, audit),
        "response_form": response_form if can_respond else None,
        "action_form": action_form if can_add_action else None,
        "completable": {
            a.pk for a in audit.action_list if permissions.can(user, Action.COMPLETE_ACTION, a)
        },
    }
    return render(request, "assurance/audit.html", context, status=status)


@login_required
@require_GET
def audit_detail(request, audit_id):
    audit = selectors.access_audit(user=request.user, audit_id=audit_id, request=request)
    if permissions.can(request.user, Action.GRADE, audit):
        form = AuditForm()
    elif permissions.can(request.user, Action.MODERATE, audit):
        form = ModerationForm()
    else:
        form = None
    return _audit_page(request, audit, form)


@login_required
@require_http_methods(["POST"])
def audit_grade(request, audit_id):
    audit = selectors.access_audit(user=request.user, audit_id=audit_id, request=request)
    if not permissions.can(request.user, Action.GRADE, audit):
        raise PermissionDenied
    form = AuditForm(request.POST)
    if form.is_valid():
        try:
            services.complete(
                audit=audit, by=request.user, findings=form.findings(),
                overall=form.cleaned_data["overall"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Audit completed: a second manager moderates it.")
            return redirect("assurance:audit", audit_id=audit.pk)
    return _audit_page(request, audit, form, status=400)


@login_required
@require_http_methods(["POST"])
def audit_moderate(request, audit_id):
    audit = selectors.access_audit(user=request.user, audit_id=audit_id, request=request)
    if not permissions.can(request.user, Action.MODERATE, audit):
        raise PermissionDenied
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate(
                audit=audit, by=request.user, grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Audit moderated.")
            return redirect("assurance:audit", audit_id=audit.pk)
    return _audit_page(request, audit, form, status=400)


@login_required
@require_GET
def mine(request):
    if not permissions.can(request.user, Action.SEE_MINE):
        raise PermissionDenied
    audits, actions = selectors.mine(request.user, request=request)
    checks = selectors.front_door_checks_of(request.user, request=request)
    return render(
        request,
        "assurance/mine.html",
        {"audits": audits, "actions": actions, "front_door_checks": checks},
    )


@login_required
@require_http_methods(["POST"])
def audit_respond(request, audit_id):
    audit = selectors.access_audit(user=request.user, audit_id=audit_id, request=request)
    if not permissions.can(request.user, Action.RESPOND, audit):
        raise PermissionDenied
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.respond(audit=audit, by=request.user, response=form.cleaned_data["response"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your response is recorded.")
            return redirect("assurance:audit", audit_id=audit.pk)
    return _audit_page(request, audit, None, status=400, response_form=form)


@login_required
@require_http_methods(["POST"])
def action_add(request, audit_id):
    audit = selectors.access_audit(user=request.user, audit_id=audit_id, request=request)
    if not permissions.can(request.user, Action.ADD_ACTION, audit):
        raise PermissionDenied
    form = ActionForm(request.POST, staff=selectors.action_owners(audit.authority_id))
    if form.is_valid():
        try:
            services.add_action(
                audit=audit, by=request.user, description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"], due_date=form.cleaned_data["due_date"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action added to the child's file.")
            return redirect("assurance:audit", audit_id=audit.pk)
    return _audit_page(request, audit, None, status=400, action_form=form)


@login_required
@require_http_methods(["POST"])
def action_complete(request, action_id):
    action = selectors.action_for(user=request.user, action_id=action_id, request=request)
    if not permissions.can(request.user, Action.COMPLETE_ACTION, action):
        raise PermissionDenied
    services.complete_action(action=action, by=request.user)
    messages.success(request, "Action recorded as done.")
    # Back to the case file it was done from, or to the audit (for those who may see it).
    if request.POST.get("back") == "case" or not permissions.can(
        request.user, Action.SEE, action.audit
    ):
        return redirect("casework:case-detail", case_id=action.audit.case_id)
    return redirect("assurance:audit", audit_id=action.audit_id)


# Inspections (issue 15 item 5, decision 0042).


@login_required
@require_http_methods(["GET", "POST"])
def inspections(request):
    """The inspections: set up by a service manager or system administrator; an inspector's
    own while they run, with the case files they may read."""
    user = request.user
    if not permissions.can(user, Action.SEE_INSPECTIONS):
        raise PermissionDenied
    form = None
    if permissions.can(user, Action.SET_UP_INSPECTION):
        form = InspectionForm(
            posted(request), inspectors=selectors.inspectors_of(user.agency.authority_id)
        )
        made = submit(
            request,
            form,
            lambda d: services.inspection_set_up(by=user, **d),
            success="Inspection set up: now choose or draw its sample.",
        )
        if made:
            return redirect("assurance:inspection", inspection_id=made.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "inspections": selectors.inspections_for(user),
        "form": form,
        "sample": selectors.sample_for_inspector(user=user, request=request),
        "is_inspector": permissions.is_inspector(user),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "assurance/inspections.html", context, status=status)


def _inspection_page(request, inspection, sample_form=None, status=200):
    user = request.user
    can_draw = permissions.can(user, Action.DRAW_INSPECTION_SAMPLE, inspection)
    if can_draw and sample_form is None:
        sample_form = _sample_form(None)
    shown = selectors.inspection_sample(user=user, inspection=inspection, request=request)
    context = {
        "inspection": inspection,
        "sample": shown.rows,
        "restricted": shown.hidden,
        "form": sample_form if can_draw else None,
        "can_see_reads": permissions.can(user, Action.SEE_INSPECTION_READS, inspection),
    }
    return render(request, "assurance/inspection.html", context, status=status)


def _sample_form(data):
    return InspectionSampleForm(data, stages=[(s.code, s.label) for s in STAGES])


@login_required
@require_GET
def inspection_detail(request, inspection_id):
    inspection = selectors.access_inspection(user=request.user, inspection_id=inspection_id)
    return _inspection_page(request, inspection)


@login_required
@require_http_methods(["POST"])
def inspection_sample(request, inspection_id):
    inspection = selectors.access_inspection(user=request.user, inspection_id=inspection_id)
    if not permissions.can(request.user, Action.DRAW_INSPECTION_SAMPLE, inspection):
        raise PermissionDenied
    form = _sample_form(posted(request))
    made = submit(
        request,
        form,
        lambda d: services.inspection_sample(
            by=request.user,
            inspection=inspection,
            chosen=form.cleaned_chosen(),
            size=d["size"] or 0,
            seed=d["seed"],
            stage=d["stage"],
        ),  # fmt: skip
        success=lambda added: f"Case files added to the sample: {len(added)}.",
    )
    if made:
        return redirect("assurance:inspection", inspection_id=inspection.pk)
    return _inspection_page(request, inspection, form, status=400)


@login_required
@require_GET
def inspection_reads(request, inspection_id):
    """What the inspectors read, for the authority: each read, whose record, by whom, when."""
    inspection = selectors.access_inspection(user=request.user, inspection_id=inspection_id)
    shown = selectors.inspection_reads(user=request.user, inspection=inspection, request=request)
    context = {
        "inspection": inspection,
        "reads": shown.rows,
        "restricted": shown.hidden,
        "limit": selectors.READS_SHOWN,
    }
    return render(request, "assurance/inspection_reads.html", context)


# --- The audit programme (decision 0062) -----------------------------------------------------


def _programme_page(request, *, line_form=None, draw_form=None, status=200):
    user = request.user
    today = timezone.localdate()
    may_set = permissions.can(user, Action.SET_PROGRAMME)
    if may_set:
        line_form = line_form or ProgrammeLineForm(
            managers=selectors.auditors_of(user.agency.authority_id), today=today
        )
        draw_form = draw_form or ProgrammeDrawForm(today=today)
    month = today.replace(day=1)
    context = {
        "rows": selectors.programme(user, month=month),
        "month": month,
        "line_form": line_form if may_set else None,
        "draw_form": draw_form if may_set else None,
        "may_set": may_set,
    }
    return render(request, "assurance/programme.html", context, status=status)


@login_required
@require_GET
def programme(request):
    """The audit programme: who audits how many case files each month, and this month's
    draw of each line."""
    if not permissions.can(request.user, Action.SEE_PROGRAMME):
        raise PermissionDenied
    return _programme_page(request)


@login_required
@require_http_methods(["POST"])
def programme_line_add(request):
    user = request.user
    if not permissions.can(user, Action.SET_PROGRAMME):
        raise PermissionDenied
    form = ProgrammeLineForm(
        posted(request),
        managers=selectors.auditors_of(user.agency.authority_id),
        today=timezone.localdate(),
    )
    made = submit(
        request,
        form,
        lambda d: services.programme_line_add(by=user, **d),
        success="Line added to the audit programme.",
    )
    if made:
        return redirect("assurance:programme")
    return _programme_page(request, line_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def programme_line_end(request, line_id):
    user = request.user
    line = selectors.programme_line_by_id(user=user, line_id=line_id)
    if not permissions.can(user, Action.SET_PROGRAMME, line):
        raise PermissionDenied
    last = timezone.localdate().replace(day=1)
    try:
        services.programme_line_end(by=user, line=line, last_month=max(last, line.first_month))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The line ends after this month; its audits are kept.")
    return redirect("assurance:programme")


@login_required
@require_http_methods(["POST"])
def programme_draw(request):
    user = request.user
    if not permissions.can(user, Action.SET_PROGRAMME):
        raise PermissionDenied
    form = ProgrammeDrawForm(posted(request), today=timezone.localdate())

    def said(result) -> str:
        month = result.month.strftime("%B %Y")
        drawn = sum(len(audits) for audits in result.drawn.values())
        if not result.drawn:
            return f"Every line was already drawn for {month}: nothing changed."
        already = (
            f" {len(result.already)} already drawn, left as they were." if result.already else ""
        )
        return f"{drawn} case files drawn for {month} across {len(result.drawn)} lines.{already}"

    made = submit(
        request,
        form,
        lambda d: services.programme_draw(by=user, month=d["month"], seed=d["seed"]),
        success=said,
    )
    if made:
        return redirect("assurance:programme")
    return _programme_page(request, draw_form=form, status=400)


# --- Dip samples of the front door's decisions (decision 0063) --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dip_samples(request):
    """The dip samples of the front door's decisions, with how many were checked and
    disagreed with; a service manager draws a new one here."""
    user = request.user
    if not permissions.can(user, Action.SEE_DIP):
        raise PermissionDenied
    form = None
    if permissions.can(user, Action.DRAW_DIP):
        form = DipSampleForm(posted(request))
        made = submit(
            request,
            form,
            lambda d: services.dip_sample_draw(by=user, **d),
            success=lambda sample: f"{sample.items.count()} decisions drawn for checking.",
        )
        if made:
            return redirect("assurance:dip-sample", sample_id=made.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "samples": selectors.dip_samples(user),
        "results": selectors.dip_results(user),
        "form": form,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "assurance/dip_samples.html", context, status=status)


def _check_form(item, data=None):
    return DipCheckForm(data, auto_id=f"id_{item.pk.hex[:12]}_%s")


def _dip_sample_page(request, sample, *, bound=None, status=200):
    """``bound``: the check form of one item posted with errors, shown again."""
    user = request.user
    shown = selectors.dip_items(user=user, sample=sample, request=request)
    for item in shown.rows:
        item.form = None
        if permissions.can(user, Action.CHECK_DIP, item):
            item.form = bound[1] if bound and bound[0] == item.pk else _check_form(item)
    context = {
        "sample": sample,
        "items": shown.rows,
        "restricted": shown.hidden,
        "errors": bound[1] if bound else None,
    }
    return render(request, "assurance/dip_sample.html", context, status=status)


@login_required
@require_GET
def dip_sample(request, sample_id):
    if not permissions.can(request.user, Action.SEE_DIP):
        raise PermissionDenied
    sample = selectors.access_dip_sample(user=request.user, sample_id=sample_id)
    return _dip_sample_page(request, sample)


@login_required
@require_http_methods(["POST"])
def dip_check(request, item_id):
    user = request.user
    if not permissions.can(user, Action.SEE_DIP):
        raise PermissionDenied
    item = selectors.access_dip_item(user=user, item_id=item_id, request=request)
    if not permissions.can(user, Action.CHECK_DIP, item):
        raise PermissionDenied
    form = _check_form(item, posted(request))
    made = submit(
        request,
        form,
        lambda d: services.dip_check_record(by=user, item=item, agree=d["agree"], note=d["note"]),
        success="Your check of the decision is recorded.",
    )
    if made:
        return redirect("assurance:dip-sample", sample_id=item.sample_id)
    return _dip_sample_page(request, item.sample, bound=(item.pk, form), status=400)
