"""Alert flags on adults (issue 16 item 6, decision 0048): raised with their kind, source,
details and review date, and ended with a reason; never deleted."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import save_change, save_new, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.people import permissions
from safeguard.people.codes import AlertKind
from safeguard.people.models import AdultAlert, Person
from safeguard.people.permissions import Action
from safeguard.people.services.common import check_dates

# How far ahead a review may be set: an alert is looked at again at least once a year.
LONGEST_REVIEW_DAYS = 366


@transaction.atomic
def alert_raise(
    *,
    by,
    person: Person,
    kind: str,
    details: str,
    source: str,
    raised_on: date,
    review_date: date,
) -> AdultAlert:
    """Raise an alert on an adult: what staff must know before meeting them with a child."""
    if not permissions.can(by, Action.RAISE_ALERT, person):
        raise PermissionDenied("You cannot raise an alert on this record")
    today = timezone.localdate()
    if person.is_child_on(today):
        raise ApplicationError("Alerts are raised on adults only", field="kind")
    if kind not in AlertKind.values:
        raise ApplicationError("Choose the kind of alert", field="kind")
    if not details.strip():
        raise ApplicationError("Enter what staff need to know", field="details")
    if not source.strip():
        raise ApplicationError("Enter where this came from", field="source")
    if raised_on is None:
        raise ApplicationError("Enter the date raised", field="raised_on")
    check_dates(today=today, raised_on=raised_on)
    if review_date is None:
        raise ApplicationError("Enter the review date", field="review_date")
    if review_date < raised_on:
        raise ApplicationError(
            "The review date cannot be before the date raised", field="review_date"
        )
    if (review_date - raised_on).days > LONGEST_REVIEW_DAYS:
        raise ApplicationError(
            "The review date must be within a year of the date raised", field="review_date"
        )
    alert = AdultAlert(
        person=person,
        kind=kind,
        details=details.strip(),
        source=source.strip(),
        raised_on=raised_on,
        review_date=review_date,
    )
    save_new(alert, by=by, person_id=person.pk)
    return alert


@transaction.atomic
def alert_end(*, by, alert: AdultAlert, ended_on: date, end_reason: str) -> AdultAlert:
    """End an alert that no longer applies, saying why; it stays on the record."""
    alert = AdultAlert.objects.select_for_update().select_related("person").get(pk=alert.pk)
    if not permissions.can(by, Action.RAISE_ALERT, alert.person):
        raise PermissionDenied("You cannot end this alert")
    if alert.ended_on is not None:
        raise ApplicationError("This alert has already ended")
    if ended_on is None:
        raise ApplicationError("Enter the date the alert ended", field="ended_on")
    check_dates(today=timezone.localdate(), ended_on=ended_on)
    if ended_on < alert.raised_on:
        raise ApplicationError("The alert cannot end before it was raised", field="ended_on")
    if not end_reason.strip():
        raise ApplicationError("Enter why the alert has ended", field="end_reason")
    before = snapshot(alert)
    alert.ended_on, alert.end_reason = ended_on, end_reason.strip()
    save_change(alert, by=by, before=before, verb=ChangeVerb.ENDED, person_id=alert.person_id)
    return alert
