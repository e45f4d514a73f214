"""Retention review reminders (decision 0071): on the first of each month, each authority's
service managers (who keep the retention report, ``privacy.permissions``) are told how many
records have passed their retention period and wait for review, with a link to the report.
The notice names nobody: the report, read by a manager, does (and logs it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.models import AgencyKind, LocalAuthority, User
from safeguard.accounts.roles import Role
from safeguard.notices.services import notify
from safeguard.privacy import retention


def remind_every_authority() -> str:
    """The scheduled job ``retention-reminders``: one notice to each service manager of each
    authority with records due for review; nothing is sent where none are."""
    today = timezone.localdate()
    lines = []
    for authority in LocalAuthority.objects.order_by("dfe_la_code"):
        report = retention.report(authority_id=authority.pk, as_at=today)
        due, held = len(report.due), len(report.held)
        if due:
            managers = User.objects.filter(
                is_active=True,
                role=Role.SERVICE_MANAGER,
                agency__authority=authority,
                agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            )
            notify(
                users=managers,
                subject=f"{due} record{'s' if due != 1 else ''} due for retention review",
                body=(
                    f"On {today:%d %B %Y}, {due} record{'s have' if due != 1 else ' has'} "
                    "passed the retention period and wait for review"
                    + (f" ({held} more under a legal hold)" if held else "")
                    + ". Nothing is deleted until someone reviews them."
                ),
                url=reverse("privacy:retention-report"),
            )
        lines.append(f"{authority.name}: {due} due for review, {held} held")
    return "; ".join(lines) or "No authority"
