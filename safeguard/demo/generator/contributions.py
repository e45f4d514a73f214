"""Contributions to steps and plans (issue 17 item 5, decision 0069): the demo's well-known
social worker (``sw1``) has invited the police, health and a school (``police1``,
``health1``, ``school1``) to child protection conferences, a strategy discussion and a core
group on children of their caseload. For a conference already held, the police report was
sent on time, the health visitor's late and the school's is missing (the officer and the
school attended, health sent apologies); for one to come, one is
sent, the others waiting. The three agencies have recorded progress on plan actions they own.
The health visitor's invitation to a core group was withdrawn (decision 0073): it moved, and
the school nurse will report instead. The police report for a conference the day after
tomorrow is overdue, and the nightly job has reminded the officer.

Made through the real services (``partners.services``), so that every invitation, report and
progress has its change event, chronology entry and notice; the dates are then set back
around the demo's day. Deterministic: the children are chosen in a fixed order and the texts
are fixed. Building the borough sends no email."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from random import Random

from django.db.models import Exists, OuterRef
from django.test.utils import override_settings
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.casework.models import Allocation, ChronologyEntry
from safeguard.demo.generator.common import seeded_ids
from safeguard.partners import services
from safeguard.partners.models import (
    AgencyProgress,
    ConferenceKind,
    InvitationReport,
    StepInvitation,
    StepKind,
)
from safeguard.partners.reminders import remind_overdue_reports
from safeguard.people.models import Seal
from safeguard.protection.models import (
    OPEN_ACTION_STATUSES,
    ChildProtectionConference,
    PlanAction,
    PlanActionProgress,
)

INVITED = ("police1", "health1", "school1")
PURPOSES = {
    StepKind.CONFERENCE: (
        "Review child protection conference: is the plan working, and does the child still "
        "need it? Please report on your agency's part in the plan since the last conference."
    ),
    StepKind.STRATEGY: (
        "Strategy discussion after a new disclosure at school: please bring what your agency "
        "holds on the household and be ready to plan a joint visit."
    ),
    StepKind.CORE_GROUP: (
        "Core group meeting: progress on the plan's actions. Please bring your agency's "
        "update on the actions it owns."
    ),
}
REPORTS = {
    "police1": {
        "known": "One domestic incident since the last conference (a verbal argument, no "
        "arrest). The mother's former partner has not been seen at the address.",
        "concerns": "The former partner's bail conditions end next month.",
        "strengths": "The mother called the police herself and used the safety plan.",
        "recommendation": "The plan should continue until the bail conditions have ended.",
    },
    "health1": {
        "known": "Seen at home four times; growth steady on the 25th centile; immunisations "
        "up to date. One missed appointment.",
        "concerns": "The home was cold on two visits and there was little food.",
        "strengths": "Warm, responsive care of the baby seen at every visit.",
        "recommendation": "The plan should continue, with the food bank referral followed up.",
    },
    "school1": {
        "known": "Attendance 91% this term, up from 82%. Breakfast club every day.",
        "concerns": "Still arrives hungry on Mondays.",
        "strengths": "Settled in class and talks warmly about home.",
        "recommendation": "The plan could end at the next review if attendance holds.",
    },
}
WITHDRAWAL_REASON = (
    "The core group has been brought forward to a day the health visitor cannot attend; the "
    "school nurse will give health's update instead."
)
PROGRESS = {
    "police1": ("in_progress", "Officer visited with the social worker; safety plan reviewed."),
    "health1": ("done", "Health visitor checks completed weekly for six weeks; growth steady."),
    "school1": ("in_progress", "Attendance reported to the social worker every Friday."),
}


def make_contributions(authority, *, seed: int, as_at) -> dict[str, int]:
    """Invite, report and record progress; returns how many invitations, reports and
    progress entries there are."""
    none = {"invitations": 0, "agency_reports": 0, "agency_progress": 0}
    partners = {u.username: u for u in User.objects.filter(username__in=INVITED)}
    worker = User.objects.filter(username="sw1").first()
    if len(partners) != len(INVITED) or worker is None:
        return none
    sealed = Seal.objects.filter(person=OuterRef("case__child"), unsealed_at__isnull=True)
    open_cases = (
        Allocation.objects.filter(Allocation.open_on(as_at), worker=worker)
        .exclude(Exists(sealed))
        .filter(case__closure_date__isnull=True)
        .values("case_id")
    )
    # A conference already held on one of sw1's open cases: its page shows the reports.
    held = (
        ChildProtectionConference.objects.filter(case_id__in=open_cases, conference_date__lt=as_at)
        .select_related("case__child")
        .order_by("-conference_date", "case__child__la_child_id")
        .first()
    )
    cases = list(
        {a.case.child_id: a.case for a in Allocation.objects.filter(
            Allocation.open_on(as_at), worker=worker, case_id__in=open_cases
        ).select_related("case__child").order_by("case__child__la_child_id", "case_id")}.values()
    )[:3]  # fmt: skip
    if not cases:
        return none
    end = timezone.make_aware(datetime.combine(as_at, time(9, 0)))
    counts = {"invitations": 0, "agency_reports": 0, "agency_progress": 0}
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        seeded_ids(Random(f"contribution-ids-{seed}")),
    ):
        if held is not None:
            # Held: the police on time, the health visitor late, the school missing.
            for username in INVITED:
                invitation = _invite(worker, held.case, partners[username], StepKind.CONFERENCE)
                invitation = _moved(invitation, held.conference_date, end)
                counts["invitations"] += 1
                if username == "police1":
                    counts["agency_reports"] += _report(invitation, partners[username], -2, end)
                elif username == "health1":
                    counts["agency_reports"] += _report(invitation, partners[username], 1, end)
            # Who came (decision 0073): the officer and the school; health sent apologies.
            services.conference_attendance_record(
                by=worker, conference=held, marks=_attendance(held)
            )
        # To come: a review conference in eight days (the school has sent its report early),
        # a strategy discussion with the police and a core group with the school.
        coming = cases[0]
        for username in INVITED:
            invitation = _invite(worker, coming, partners[username], StepKind.CONFERENCE)
            _moved(invitation, as_at + timedelta(days=8), end)
            counts["invitations"] += 1
            if username == "school1":
                counts["agency_reports"] += _report(invitation, partners[username], None, end)
        for username, kind, case in (
            ("police1", StepKind.STRATEGY, cases[-1]),
            ("school1", StepKind.CORE_GROUP, cases[len(cases) // 2]),
        ):
            invitation = _invite(worker, case, partners[username], kind)
            _moved(invitation, as_at + timedelta(days=3), end)
            counts["invitations"] += 1
        for username in INVITED:
            counts["agency_progress"] += _progress(partners[username], as_at=as_at)
        # Withdrawn the day before the demo's day: the case's invitations show who and why.
        invitation = _invite(worker, coming, partners["health1"], StepKind.CORE_GROUP)
        invitation = _moved(invitation, as_at + timedelta(days=5), end)
        services.invitation_withdraw(by=worker, invitation=invitation, reason=WITHDRAWAL_REASON)
        StepInvitation.objects.filter(pk=invitation.pk).update(withdrawn_at=end - timedelta(days=1))
        counts["invitations"] += 1
        # A conference the day after tomorrow whose police report is overdue: the nightly
        # reminder (decision 0073) has told the officer, early this morning.
        invitation = _invite(worker, cases[-1], partners["police1"], StepKind.CONFERENCE)
        _moved(invitation, as_at + timedelta(days=2), end)
        counts["invitations"] += 1
        remind_overdue_reports(today=as_at)
        StepInvitation.objects.filter(reminded_at__isnull=False).update(
            reminded_at=end - timedelta(hours=2, minutes=30)
        )
    return counts


ATTENDANCE = {"police1": "attended", "health1": "apologies", "school1": "attended"}


def _attendance(conference) -> dict[str, str]:
    return {
        str(pk): ATTENDANCE[username]
        for pk, username in StepInvitation.objects.filter(
            case_id=conference.case_id,
            kind=StepKind.CONFERENCE,
            meeting_date=conference.conference_date,
        ).values_list("pk", "practitioner__username")
    }


def _invite(worker, case, practitioner, kind) -> StepInvitation:
    return services.invitation_send(
        by=worker,
        case=case,
        kind=kind,
        conference_kind=ConferenceKind.REVIEW if kind == StepKind.CONFERENCE else "",
        meeting_date=timezone.localdate() + timedelta(days=30),
        purpose=PURPOSES[kind],
        practitioner=practitioner,
    )


def _moved(invitation: StepInvitation, day, end) -> StepInvitation:
    """The invitation as made for ``day``, sent a fortnight before it (or before the demo's
    day, if that is sooner)."""
    invited = min(
        timezone.make_aware(datetime.combine(day - timedelta(days=14), time(11, 0))),
        end - timedelta(hours=2),
    )
    StepInvitation.objects.filter(pk=invitation.pk).update(meeting_date=day, invited_at=invited)
    invitation.refresh_from_db()
    return invitation


def _report(invitation: StepInvitation, practitioner, days_after_due, end) -> int:
    """Send ``practitioner``'s report, then date it ``days_after_due`` days after its due day
    (negative: before it, on time; None: an hour before the demo's day began, sent early)."""
    services.report_submit(by=practitioner, invitation=invitation, **REPORTS[practitioner.username])
    due = invitation.report_due_on()
    if days_after_due is None:
        sent = end - timedelta(hours=1)
    else:
        sent = timezone.make_aware(
            datetime.combine(due + timedelta(days=days_after_due), time(16, 30))
        )
    sent_on = timezone.localdate(sent)
    StepInvitation.objects.filter(pk=invitation.pk).update(reported_at=sent)
    ChronologyEntry.objects.filter(
        source_type=InvitationReport._meta.label_lower, source_id=str(invitation.pk)
    ).update(
        event_date=sent_on,
        what=(
            f"Report from {invitation.agency.name} for the {invitation.step_label.lower()} of "
            f"{invitation.meeting_date:%-d %B %Y}" + (" (late)" if sent_on > due else "")
        ),
    )
    return 1


def _progress(practitioner, *, as_at) -> int:
    """Progress by ``practitioner`` on the first open action of a current plan their agency
    owns (of a child not sealed), dated two days before the demo's day."""
    sealed = Seal.objects.filter(person=OuterRef("plan__case__child"), unsealed_at__isnull=True)
    action = (
        PlanAction.objects.filter(
            owner_agency_id=practitioner.agency_id,
            status__in=OPEN_ACTION_STATUSES,
            plan__end_date__isnull=True,
            plan__case__closure_date__isnull=True,
        )
        .exclude(Exists(sealed))
        .select_related("plan__case__child")
        .order_by("due_date", "plan__case__child__la_child_id", "pk")
        .first()
    )
    if action is None:
        return 0
    status, note = PROGRESS[practitioner.username]
    progress = services.agency_action_progress(
        by=practitioner, action=action, status=status, note=note
    )
    day = as_at - timedelta(days=2)
    PlanActionProgress.objects.filter(pk=progress.pk).update(recorded_on=day)
    if status not in OPEN_ACTION_STATUSES:
        PlanAction.objects.filter(pk=action.pk).update(closed_on=day)
    ChronologyEntry.objects.filter(
        source_type=AgencyProgress._meta.label_lower, source_id=str(progress.pk)
    ).update(event_date=day)
    return 1
