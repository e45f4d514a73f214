"""The "my work" home page: what a member of staff needs first when they sign in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguard.assurance import permissions as assurance_permissions
from safeguard.assurance import selectors as assurance
from safeguard.assurance.permissions import Action as AssuranceAction
from safeguard.audit.models import AccessPurpose
from safeguard.audit.services import one_access_append
from safeguard.backlog import permissions as backlog_permissions
from safeguard.backlog.permissions import Action as BacklogAction
from safeguard.casework import permissions as casework_permissions
from safeguard.casework import selectors as casework
from safeguard.casework.permissions import Action as CaseworkAction
from safeguard.earlyhelp import permissions as earlyhelp_permissions
from safeguard.notices import selectors as notices
from safeguard.partners import permissions as partner_permissions
from safeguard.partners import selectors as partners
from safeguard.partners.permissions import Action as PartnerAction
from safeguard.people import permissions, selectors
from safeguard.people.permissions import Action
from safeguard.procedures import selectors as procedures
from safeguard.quality import permissions as quality_permissions
from safeguard.quality.permissions import Action as QualityAction
from safeguard.supervision import permissions as supervision_permissions
from safeguard.supervision import selectors as supervision
from safeguard.supervision.permissions import Action as SupervisionAction
from safeguard.timescales import permissions as due_permissions
from safeguard.timescales import selectors as due
from safeguard.timescales.permissions import Action as DueAction
from safeguard.transfers import permissions as transfer_permissions
from safeguard.transfers import selectors as transfers
from safeguard.transfers.permissions import Action as TransferAction
from safeguard.workforce import permissions as workforce_permissions
from safeguard.workforce.permissions import Action as WorkforceAction

CASELOAD_LIMIT = 200
HOME_DUE_ITEMS = 5


@login_required
@require_http_methods(["GET"])
@one_access_append()
def home(request):
    user = request.user
    today = timezone.localdate()
    unread, latest_unread = notices.unread_summary(user=user, limit=5)
    mine = list(selectors.people_involved_with(user=user)[:CASELOAD_LIMIT])
    team_people = []
    if user.is_partner:
        # A partner sees the children their team is involved with; list those not already
        # named as theirs.
        mine_ids = {p.pk for p in mine}
        team_people = [
            p
            for p in permissions.visible_to(user).order_by("family_name", "given_names")[
                :CASELOAD_LIMIT
            ]
            if p.pk not in mine_ids
        ]
    selectors.access_people(
        user=user, people=mine + team_people, purpose=AccessPurpose.LIST, request=request
    )
    # The counts, and the first few items with a link to the form that meets each; the whole
    # list is on the "due" pages.
    my_due, next_due = None, []
    if due_permissions.can(user, DueAction.SEE_OWN):
        page, my_due = due.due_page(
            user.agency.authority,
            on=today,
            where=due.DueFilter(worker=user),
            size=HOME_DUE_ITEMS,
        )
        # The children of the caseload are logged above; any other child (a contact's next
        # step) is shown only if the user may see them, and logged.
        listed = {p.pk for p in mine + team_people}
        others = selectors.show_rows(
            user=user, rows=[r for r in page.rows if r.child.pk not in listed], request=request
        ).rows
        next_due = [r for r in page.rows if r.child.pk in listed or r in others]
    can_see_service = due_permissions.can(user, DueAction.SEE_SERVICE)
    unallocated, team_queues = None, []
    if can_see_service:
        # The service's unallocated cases, and the queues of the manager's own teams (issue
        # 14): each team's unallocated cases, counted with the service's total.
        unallocated, team_queues = due.unallocated_queues(user, on=today)
    return render(
        request,
        "work/home.html",
        {
            "today": today,
            "mine": mine,
            "team_people": team_people,
            "my_due": my_due,
            "next_due": next_due,
            "unallocated": unallocated,
            "team_queues": team_queues,
            "can_see_service": can_see_service,
            "can_see_my_errors": quality_permissions.can(user, QualityAction.SEE_OWN),
            "can_see_unseen": due_permissions.can(user, DueAction.SEE_UNSEEN),
            "can_see_early_help_queue": due_permissions.can(user, DueAction.SEE_EARLY_HELP_QUEUE),
            "can_start_early_help": earlyhelp_permissions.starts_for_new_child(user),
            "can_see_quality_summary": quality_permissions.can(user, QualityAction.SEE_SUMMARY),
            "can_see_audits": assurance_permissions.can(user, AssuranceAction.SEE),
            "my_audit_actions": (
                assurance.my_open_actions(user, today=today)
                if assurance_permissions.can(user, AssuranceAction.SEE_MINE)
                else None
            ),
            "can_see_inspections": assurance_permissions.can(user, AssuranceAction.SEE_INSPECTIONS),
            # An inspector's home: the case files of their running inspections (decision 0042).
            "inspection_sample": assurance.sample_for_inspector(user=user, request=request),
            "can_see_backlog": backlog_permissions.can(user, BacklogAction.LIST),
            "can_search": permissions.can(user, Action.SEARCH),
            "can_create": permissions.can(user, Action.CREATE),
            "unread_notices": unread,
            "latest_unread": latest_unread,
            "procedures_awaiting": procedures.awaiting_for(user=user),
            **_break_glass_reviews(user, today),
            **_caseload_boards(user),
            **_supervision(user, today),
            **_authorisations(user),
            **_incoming_transfers(user, request),
            **_information_requests(user, today),
            **_contributions(user, today),
        },
    )


def _authorisations(user) -> dict:
    """For managers: how many decisions wait for their authorisation (issue 15 item 2)."""
    if not casework_permissions.can(
        user, CaseworkAction.AUTHORISE, authority_id=casework_permissions.authority_of(user)
    ):
        return {"can_authorise": False}
    return {"can_authorise": True, "authorisations_waiting": len(casework.waiting_for(user))}
def _information_requests(user, today) -> dict:
    """Information requests (issue 17 item 4): for partner staff, those to their agency; for
    social care, those they sent; each with how many are open and late (one query). The
    response times by agency for managers and analysts (a link)."""
    return {
        "information_requests": partners.open_requests_count(user=user, today=today),
        "is_asked_agency": partner_permissions.can(user, PartnerAction.SEE_AGENCY_REQUESTS),
        "can_see_response_times": partner_permissions.can(
            user, PartnerAction.SEE_RESPONSE_TIMES
        ),
    }


def _contributions(user, today) -> dict:
    """Contributions (issue 17 item 5, decision 0069), for partner staff: their invitations
    with reports still to send, and the plan actions their agency owns (one query each)."""
    return {
        "invitations_waiting": partners.invitations_waiting_count(user=user, today=today),
        "agency_actions_count": partners.agency_actions_count(user=user, today=today),
    }


def _incoming_transfers(user, request) -> dict:
    """For managers: the transfers waiting for them to accept or return (issue 14 item 5),
    with how long each has waited, and the link to the list of transfers."""
    if not transfer_permissions.can(user, TransferAction.LIST, authority_id=user.authority_id):
        return {"can_see_transfers": False}
    return {
        "can_see_transfers": True,
        "incoming_transfers": transfers.incoming_for(user=user, request=request).rows,
    }


def _caseload_boards(user) -> dict:
    """The link to the caseload boards the user may see (no query: the page lists them)."""
    return {"can_see_caseloads": workforce_permissions.can(user, WorkforceAction.SEE_BOARDS)}


def _supervision(user, today) -> dict:
    """The link to one's own supervision record, and for managers to the staff they
    supervise or oversee, with how many are overdue (issue 15: overdue supervision shows to
    the supervisor and their manager)."""
    context = {
        "can_see_own_supervision": supervision_permissions.can(
            user, SupervisionAction.SEE_RECORD, user
        ),
        "can_see_staff_supervision": False,
    }
    if supervision_permissions.can(user, SupervisionAction.SEE_STAFF):
        context["can_see_staff_supervision"] = True
        context["supervision_overdue"] = supervision.overdue_count(user, today)
    return context


def _break_glass_reviews(user, today) -> dict:
    """For managers: break-glass uses awaiting review, and how many are overdue."""
    if not permissions.can(user, Action.REVIEW_BREAK_GLASS):
        return {"can_review_break_glass": False}
    awaiting = list(
        selectors.break_glass_awaiting_review(user=user).values_list("review_due", flat=True)
    )
    return {
        "can_review_break_glass": True,
        "break_glass_awaiting": len(awaiting),
        "break_glass_overdue": sum(1 for due in awaiting if due < today),
    }
