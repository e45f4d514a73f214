"""The child-protection lookup page for unscheduled-care clinicians, partners' referrals to
the front door (sending one, the sender's list, and the front door recording it), and
information requests (social care asks, the agency answers, response times by agency)."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguard.audit.services import one_access_append
from safeguard.casework.permissions import Action as CaseworkAction
from safeguard.casework.selectors import access_child
from safeguard.core import submission
from safeguard.core.csv import csv_response
from safeguard.core.submission import posted
from safeguard.partners import permissions, selectors, services
from safeguard.partners.forms import (
    NEW_CHILD,
    AgencyProgressForm,
    AgencyReportForm,
    ConferenceAttendanceForm,
    InformationAnswerForm,
    InformationRequestForm,
    InvitationForm,
    InvitationWithdrawForm,
    LookupForm,
    RecordReferralForm,
    ReferralForm,
    SharingDecisionForm,
)
from safeguard.partners.models import LookupWay, SharingConsent
from safeguard.partners.permissions import Action
from safeguard.protection import selectors as protection_selectors
from safeguard.protection.permissions import Action as ProtectionAction


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """A POST, not a GET: a lookup is logged and tells the child's worker, and the NHS number
    stays out of addresses and server logs."""
    if not permissions.can(request.user, Action.LOOKUP):
        raise PermissionDenied
    form = LookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = services.cp_lookup(
            by=request.user,
            search=form.search(),
            way=LookupWay.WEB,
            setting=form.cleaned_data["setting"],
            request=request,
        )
        form = LookupForm(initial={"setting": form.cleaned_data["setting"]})
    return render(
        request,
        "partners/lookup.html",
        {"form": form, "status": found.status if found else None},
    )


# --- Partner referrals (issue 17 item 3, decision 0050) -----------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def refer(request):
    """A partner's referral to the front door."""
    if not permissions.can(request.user, Action.REFER):
        raise PermissionDenied("Only partner staff send referrals here")
    form = ReferralForm(posted(request), initial={"referrer_role": request.user.job_title})
    referral = submission.submit(
        request,
        form,
        lambda data: services.partner_referral_send(by=request.user, **data),
        success="Referral sent to the front door",
    )
    if referral is not None:
        return redirect("partners:referral", referral_id=referral.pk)
    return render(request, "partners/refer.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def referrals(request):
    """The referrals a partner has sent, with each one's status and outcome."""
    if not permissions.can(request.user, Action.REFER):
        raise PermissionDenied("Only partner staff send referrals here")
    return render(
        request, "partners/referrals.html", {"referrals": selectors.referrals_sent(request.user)}
    )


@login_required
@require_http_methods(["GET"])
def referral(request, referral_id: UUID):
    """One referral: to its sender, what they sent and what the front door decided; to the
    front door, the same and the way to record it."""
    found = selectors.access_partner_referral(
        user=request.user, referral_id=referral_id, request=request
    )
    is_front_door = permissions.can(request.user, Action.RECORD_REFERRAL, found)
    return render(
        request,
        "partners/referral.html",
        {
            "referral": found,
            "may_record": is_front_door and found.contact_id is None,
            "is_front_door": is_front_door,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_record(request, referral_id: UUID):
    """The front door records a partner's referral as a contact about a child on record, or a
    new one, and goes on to decide it."""
    found = selectors.access_partner_referral(
        user=request.user, referral_id=referral_id, request=request
    )
    if not permissions.can(request.user, Action.RECORD_REFERRAL, found):
        raise PermissionDenied("The front door records referrals")
    if found.contact_id is not None:
        messages.info(request, "This referral has already been recorded as a contact")
        return redirect("referrals:contact-decide", contact_id=found.contact_id)
    candidates = selectors.referral_candidates(user=request.user, referral=found, request=request)
    form = RecordReferralForm(
        posted(request),
        candidates=[p for p in candidates if not p.withheld],
        initial={
            "source": services.SOURCE_BY_KIND.get(found.agency.kind, ""),
            "priority": services.URGENCY_PRIORITY[found.urgency],
            # The one match, or a new record when nothing matches; a choice among several.
            "child": str(candidates[0].pk)
            if len(candidates) == 1
            else (NEW_CHILD if not candidates else None),
        },
    )
    by_id = {str(p.pk): p for p in candidates}

    def record(data):
        return services.partner_referral_record(
            by=request.user,
            referral=found,
            child=None if data["child"] == NEW_CHILD else by_id[data["child"]],
            source=data["source"],
            priority=data["priority"],
            priority_reason=data["priority_reason"],
            date_of_birth=data["date_of_birth"],
            version=found.version,
        )

    contact = submission.submit(request, form, record, success="Contact recorded")
    if contact is not None:
        return redirect("referrals:contact-decide", contact_id=contact.pk)
    return render(
        request,
        "partners/referral_record.html",
        {"referral": found, "form": form, "candidates": candidates},
    )


# --- Information requests (issue 17 item 4, decision 0066) --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def information_request_new(request, person_id: UUID):
    """Social care asks a partner agency about a child, from the child's case (``?case=``)
    or the front door's contact (``?contact=``), by a due date."""
    child = access_child(
        user=request.user, person_id=person_id, request=request, action=CaseworkAction.RECORD
    )
    if not permissions.can(request.user, Action.REQUEST_INFORMATION, child):
        raise PermissionDenied("Social care staff who work with the child send requests")
    at = selectors.requested_at(
        child=child, case_id=request.GET.get("case"), contact_id=request.GET.get("contact")
    )
    form = InformationRequestForm(
        posted(request),
        agencies=selectors.askable_agencies(child.authority_id),
        practitioners=selectors.askable_practitioners(child.authority_id),
        initial={"stage": at.stage},
    )
    made = submission.submit(
        request,
        form,
        lambda data: services.information_request_send(
            by=request.user, child=child, case=at.case, contact=at.contact, **data
        ),
        success=lambda made: f"Request sent to {made.agency.name}",
    )
    if made is not None:
        return redirect("partners:child-requests", person_id=child.pk)
    return render(
        request,
        "partners/information_request_form.html",
        {"child": child, "form": form, "at": at},
    )


@login_required
@require_http_methods(["GET"])
def child_requests(request, person_id: UUID):
    """The information requests about a child, with their status and answers: social care."""
    child = access_child(
        user=request.user,
        person_id=person_id,
        request=request,
        action=CaseworkAction.READ_NARRATIVE,
    )
    today = timezone.localdate()
    rows = selectors.requests_about_child(child=child, today=today)
    return render(
        request,
        "partners/child_requests.html",
        {
            "child": child,
            "rows": rows,
            "open": sum(1 for r in rows if not r.is_answered),
            "late": sum(1 for r in rows if r.shown_status == "late"),
            "may_request": permissions.can(request.user, Action.REQUEST_INFORMATION, child),
        },
    )


@login_required
@require_http_methods(["GET"])
def agency_requests(request):
    """The requests to the partner's agency: open first, late ones marked, then answered."""
    if not permissions.can(request.user, Action.SEE_AGENCY_REQUESTS):
        raise PermissionDenied("Requests for information are answered by partner agencies")
    today = timezone.localdate()
    rows = selectors.requests_for_agency(user=request.user, today=today, request=request)
    return render(
        request,
        "partners/agency_requests.html",
        {
            "rows": rows,
            "open": sum(1 for r in rows if not r.is_answered),
            "late": sum(1 for r in rows if r.shown_status == "late"),
            "shown": selectors.AGENCY_REQUESTS_SHOWN,
        },
    )


@login_required
@require_http_methods(["GET"])
@one_access_append()
def sent_requests(request):
    """The requests a member of social care sent, open first with the late ones leading."""
    today = timezone.localdate()
    shown = selectors.requests_sent_by(user=request.user, today=today, request=request)
    return render(
        request,
        "partners/sent_requests.html",
        {
            "rows": shown.rows,
            "hidden": shown.hidden,
            "open": sum(1 for r in shown.rows if not r.is_answered),
            "late": sum(1 for r in shown.rows if r.shown_status == "late"),
            "shown": selectors.AGENCY_REQUESTS_SHOWN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_request(request, request_id: UUID):
    """One request: to the agency asked, the child's identity, the question and the answer
    form; to social care, the same with the answer once given."""
    found = selectors.access_information_request(
        user=request.user, request_id=request_id, request=request
    )
    may_answer = permissions.can(request.user, Action.ANSWER, found)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied("The practitioner asked, or their agency, answers a request")
    form = InformationAnswerForm(posted(request)) if may_answer else None
    if form is not None and submission.submit(
        request,
        form,
        lambda data: services.information_request_answer(
            by=request.user, request=found, version=found.version, **data
        ),
        success="Answer sent",
    ):
        return redirect("partners:information-request", request_id=found.pk)
    return render(
        request,
        "partners/information_request.html",
        {
            "req": found,
            "form": form,
            "status": found.status(timezone.localdate()),
            "is_agency": permissions.can(request.user, Action.SEE_AGENCY_REQUESTS),
        },
    )


RESPONSE_TIMES_HEADER = [
    "Agency", "Kind", "Sent", "Answered", "Answered on time", "Answered on time (%)",
    "Median days to answer", "Open now", "Late now",
]  # fmt: skip


@login_required
@require_http_methods(["GET"])
def response_times(request):
    """Response times to information requests by agency: managers and analysts."""
    rows = selectors.response_times(user=request.user, today=timezone.localdate())
    return render(request, "partners/response_times.html", {"rows": rows})


@login_required
@require_http_methods(["GET"])
def response_times_csv(request):
    today = timezone.localdate()
    rows = selectors.response_times(user=request.user, today=today)
    return csv_response(
        f"information-request-response-times-{today:%Y-%m-%d}.csv",
        (
            [
                r.agency, r.kind, r.sent, r.answered, r.answered_on_time,
                "" if r.on_time_percent is None else r.on_time_percent,
                "" if r.median_days is None else f"{r.median_days:g}", r.open, r.late,
            ]
            for r in rows
        ),
        RESPONSE_TIMES_HEADER,
    )  # fmt: skip


# --- Contributions to steps and plans (issue 17 item 5, decision 0069) ----------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_new(request, case_id: UUID):
    """Social care invites a partner practitioner by name to a step of the case: its workers
    and managers to any step, the authority's chairs to a conference."""
    case = protection_selectors.access_case(
        user=request.user, case_id=case_id, request=request, action=ProtectionAction.CONFERENCE
    )
    if not permissions.can(request.user, Action.INVITE, case):
        raise PermissionDenied("The case's social workers and managers invite partners")
    form = InvitationForm(
        posted(request),
        practitioners=selectors.invitable_practitioners(case.authority_id),
        initial={"kind": request.GET.get("kind", "")},
    )
    made = submission.submit(
        request,
        form,
        lambda data: services.invitation_send(by=request.user, case=case, **data),
        success=lambda made: f"{made.practitioner.get_full_name()} invited",
    )
    if made is not None:
        return redirect("partners:case-invitations", case_id=case.pk)
    return render(request, "partners/invitation_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET"])
def case_invitations(request, case_id: UUID):
    """The partners invited to the case's steps, with their reports: social care who may
    hold the case's conferences."""
    case = protection_selectors.access_case(
        user=request.user, case_id=case_id, request=request, action=ProtectionAction.CONFERENCE
    )
    today = timezone.localdate()
    rows = selectors.invitations_on_case(case=case, today=today)
    kinds = permissions.invitable_kinds(request.user, case)
    for row in rows:
        row.may_withdraw = permissions.may_withdraw(request.user, row, kinds)
    return render(
        request,
        "partners/case_invitations.html",
        {"case": case, "rows": rows, "shown": selectors.INVITATIONS_SHOWN},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request, invitation_id: UUID):
    """Withdraw an invitation whose report has not been sent, saying why: whoever may invite
    to the step (decision 0073). Read through the invitations' access function."""
    found = selectors.access_invitation(
        user=request.user, invitation_id=invitation_id, request=request
    )
    if not permissions.can(request.user, Action.WITHDRAW, found):
        raise PermissionDenied(
            "Whoever may invite to the step withdraws an invitation whose report is not sent"
        )
    form = InvitationWithdrawForm(posted(request))
    if submission.submit(
        request,
        form,
        lambda data: services.invitation_withdraw(
            by=request.user, invitation=found, version=found.version, **data
        ),
        success=f"Invitation of {found.practitioner.get_full_name()} withdrawn",
    ):
        return redirect("partners:case-invitations", case_id=found.case_id)
    return render(request, "partners/invitation_withdraw.html", {"inv": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def conference_attendance(request, conference_id: UUID):
    """Mark whether the practitioners invited to a conference attended: social care who may
    hold it (decision 0073). The conference is read through its access function."""
    conference = protection_selectors.access_conference(
        user=request.user,
        conference_id=conference_id,
        request=request,
        action=ProtectionAction.CONFERENCE,
    )
    if not permissions.can(request.user, Action.RECORD_ATTENDANCE, conference.case):
        raise PermissionDenied("Social care who hold the conference record who attended")
    invitations = selectors.conference_invitations(conference=conference)
    form = ConferenceAttendanceForm(posted(request), invitations=invitations)
    if submission.submit(
        request,
        form,
        lambda data: services.conference_attendance_record(
            by=request.user, conference=conference, marks=form.marks()
        ),
        success=lambda changed: (
            f"Attendance recorded for {changed} practitioner" + ("" if changed == 1 else "s")
        ),
    ):
        return redirect("protection:conference-detail", conference_id=conference.pk)
    return render(
        request,
        "partners/conference_attendance.html",
        {"conference": conference, "form": form, "invitations": invitations},
    )


@login_required
@require_http_methods(["GET"])
def contributions(request):
    """A partner practitioner's invitations: those to come, then the past ones, each with
    its report's status."""
    if not permissions.can(request.user, Action.SEE_INVITATIONS):
        raise PermissionDenied("Invitations are for partner practitioners")
    today = timezone.localdate()
    rows = selectors.invitations_for(user=request.user, today=today, request=request)
    return render(
        request,
        "partners/contributions.html",
        {"rows": rows, "shown": selectors.INVITATIONS_SHOWN, "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution(request, invitation_id: UUID):
    """One invitation: to the practitioner invited, the child's identity, the step and what
    it is for, and their agency's report (the form until sent); to social care, the same."""
    found = selectors.access_invitation(
        user=request.user, invitation_id=invitation_id, request=request
    )
    may_report = permissions.can(request.user, Action.REPORT, found)
    if request.method == "POST" and not may_report:
        raise PermissionDenied("The practitioner invited sends their agency's report")
    form = AgencyReportForm(posted(request)) if may_report else None
    if form is not None and submission.submit(
        request,
        form,
        lambda data: services.report_submit(
            by=request.user, invitation=found, version=found.version, **data
        ),
        success="Report sent",
    ):
        return redirect("partners:contribution", invitation_id=found.pk)
    return render(
        request,
        "partners/contribution.html",
        {
            "inv": found,
            "form": form,
            "status": found.report_status(timezone.localdate()),
            "is_partner": permissions.can(request.user, Action.SEE_INVITATIONS),
            "may_withdraw": permissions.can(request.user, Action.WITHDRAW, found),
        },
    )


@login_required
@require_http_methods(["GET"])
def agency_actions(request):
    """The plan actions the partner's agency owns (or they own): open first, overdue
    leading."""
    if not permissions.can(request.user, Action.SEE_AGENCY_ACTIONS):
        raise PermissionDenied("Plan actions are shown to the agency that owns them")
    rows = selectors.agency_actions(user=request.user, today=timezone.localdate(), request=request)
    return render(
        request,
        "partners/agency_actions.html",
        {
            "rows": rows,
            "shown": selectors.ACTIONS_SHOWN,
            "open": sum(1 for r in rows if r.is_open),
            "overdue": sum(1 for r in rows if r.overdue),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_action(request, action_id: UUID):
    """One plan action the agency owns, its progress, and the form to record more."""
    found = selectors.access_agency_action(user=request.user, action_id=action_id, request=request)
    may_update = found.is_open and permissions.can(request.user, Action.UPDATE_ACTION, found)
    if request.method == "POST" and not may_update:
        raise PermissionDenied("Progress is recorded on an open action by its owning agency")
    form = AgencyProgressForm(posted(request)) if may_update else None
    if form is not None and submission.submit(
        request,
        form,
        lambda data: services.agency_action_progress(
            by=request.user, action=found, version=found.version, **data
        ),
        success="Progress recorded",
    ):
        return redirect("partners:agency-action", action_id=found.pk)
    return _action_page(request, found, form)


@login_required
@require_http_methods(["GET"])
def progress(request, progress_id: UUID):
    """The page a partner's progress links to from the child's chronology: its action and
    every progress on it, for the owning agency or social care who see the case."""
    found = selectors.access_progress(user=request.user, progress_id=progress_id, request=request)
    return _action_page(request, found, None, progress_id=progress_id)


def _action_page(request, action, form, progress_id=None):
    return render(
        request,
        "partners/agency_action.html",
        {
            "action": action,
            "child": action.on_plan.case.child,
            "form": form,
            "overdue": action.is_overdue(timezone.localdate()),
            "progress_id": progress_id,
            "is_partner": permissions.can(request.user, Action.SEE_AGENCY_ACTIONS),
        },
    )


# --- Information-sharing decisions (issue 17 item 6, decision 0070) -------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sharing_decisions(request, person_id: UUID):
    """The child's decisions to share or not to share information, newest first, and the
    form to record one: social care who work with the child see every decision; a partner
    agency involved with the child sees, and records, its own."""
    recording = request.method == "POST"
    child = selectors.access_sharing_child(
        user=request.user, person_id=person_id, request=request, recording=recording
    )
    may_record = permissions.can(request.user, Action.RECORD_SHARING, child)
    case = selectors.case_of_child(child=child, case_id=request.GET.get("case"))
    form = None
    if may_record:
        agency = request.user.agency
        form = SharingDecisionForm(
            posted(request),
            recipients=selectors.sharing_recipients(
                authority_id=child.authority_id, excluding=agency.pk
            ),
            deciders=selectors.sharing_deciders(agency=agency),
            initial={"decided_by": str(request.user.pk), "decided_on": timezone.localdate()},
        )
        made = submission.submit(
            request,
            form,
            lambda data: services.sharing_decision_record(
                by=request.user, child=child, case=case, **data
            ),
            success="Decision recorded",
        )
        if made is not None:
            return redirect("partners:sharing-decisions", person_id=child.pk)
    return render(
        request,
        "partners/sharing_decisions.html",
        {
            "child": child,
            "rows": selectors.sharing_decisions_about(user=request.user, child=child),
            "form": form,
            "case": case,
            "not_sought": SharingConsent.NOT_SOUGHT,
            "is_agency": permissions.is_agency_staff(request.user),
        },
    )
