"""Reminders of overdue conference reports (decision 0073): each night, every partner
practitioner whose agency's report for a child protection conference still to be held is past
its due day (``StepInvitation.report_due_on``) is told once, in the app and by email through
the configured backend, without the child's name. ``reminded_at`` records that it was sent, so
a second run (or a second worker) sends nothing more for that invitation.

Registered as the scheduled job ``remind-partner-reports`` from ``PartnersConfig.ready()``."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from safeguard.notices.services import notify
from safeguard.partners.models import (
    REPORT_DUE_AT_MOST_DAYS_BEFORE,
    REPORT_DUE_WORKING_DAYS,
    StepInvitation,
    StepKind,
)
from safeguard.people.models import Seal


def overdue_to_remind(today: date) -> list[StepInvitation]:
    """The conference invitations whose report is overdue on ``today`` and nobody has been
    reminded of: not sent, not withdrawn, the conference not yet held (a reminder after it is
    of no use), the practitioner still active and in the agency invited, the child not sealed
    (partners lose a sealed child's invitations). One query; the due day is worked out here."""
    sealed = Seal.objects.filter(person=OuterRef("child_id"), unsealed_at__isnull=True)
    rows = (
        StepInvitation.objects.filter(
            kind=StepKind.CONFERENCE,
            reported_at__isnull=True,
            withdrawn_at__isnull=True,
            reminded_at__isnull=True,
            meeting_date__gte=today,
            meeting_date__lte=today + timedelta(days=REPORT_DUE_AT_MOST_DAYS_BEFORE),
            practitioner__is_active=True,
            practitioner__agency_id=F("agency_id"),
        )
        .exclude(Exists(sealed))
        .select_related("practitioner", "agency")
        .order_by("meeting_date", "invited_at")
    )
    return [r for r in rows if r.report_due_on() < today]


def remind_overdue_reports(today: date | None = None) -> str:
    """Tell each practitioner whose conference report is overdue, once per invitation; returns
    what it did in one line (the scheduled job's outcome)."""
    today = today or timezone.localdate()
    sent = 0
    for invitation in overdue_to_remind(today):
        with transaction.atomic():
            # Claimed by a conditional update: a run at the same time claims it once.
            claimed = StepInvitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True, reported_at__isnull=True,
                withdrawn_at__isnull=True,
            ).update(reminded_at=timezone.now())  # fmt: skip
            if not claimed:
                continue
            step = invitation.step_label.lower()
            notify(
                users=[invitation.practitioner],
                subject=f"Report overdue: {step}",
                body=(
                    f"Your agency's report for the {step} of "
                    f"{invitation.meeting_date:%-d %B %Y} was due by "
                    f"{invitation.report_due_on():%-d %B %Y} ({REPORT_DUE_WORKING_DAYS} working "
                    "days before it, so that the chair and the family can read it). Please sign "
                    "in to Safeguard and send it as soon as you can."
                ),
                url=reverse("partners:contribution", kwargs={"invitation_id": invitation.pk}),
            )
            sent += 1
    return f"{sent} reminder{'' if sent == 1 else 's'} of overdue conference reports sent"
