"""Information requests (issue 17 item 4, decision 0066): the demo's well-known social worker
(``sw1``) has asked the police, health and a school about children on their caseload. Some
were answered on time, some late, some are open and late, some open and not yet due, so that
the child's requests, the agencies' lists (``police1``, ``health1``, ``school1``), the home
pages and the response times by agency all show something.

Made through the real services (``partners.services``), so that every request and answer has
its change event, chronology entry and notice; the dates are then set back to before the
demo's day. Building the borough sends no email."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from random import Random

from django.db.models import Exists, OuterRef
from django.test.utils import override_settings
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.casework.models import Allocation, ChronologyEntry
from safeguard.demo.generator.common import seeded_ids
from safeguard.partners import selectors, services
from safeguard.partners.models import InformationAnswer, InformationRequest
from safeguard.people.models import Seal

ASKED = ("police1", "health1", "school1")
QUESTIONS = {
    "police1": (
        "Please check for any domestic abuse call-outs, arrests or intelligence about the "
        "adults in the household over the last two years.",
        "Is anyone in the household known to police, including any warning markers or bail "
        "conditions, and are there any current investigations?",
    ),
    "health1": (
        "Is the child registered with a GP, up to date with immunisations and developmental "
        "checks, and are there any missed appointments or A&E attendances?",
        "Please share the health visitor's view of the child's growth and the mother's "
        "mental health since the birth.",
    ),
    "school1": (
        "What is the child's attendance this year, and have staff raised any concerns about "
        "their presentation, behaviour or what they have said?",
        "Please tell us how the child is doing at school and who collects them at the end of "
        "the day.",
    ),
}
ANSWERS = {
    "police1": (
        "Two domestic incidents recorded (March and August last year), both verbal arguments, "
        "no arrests. No warning markers. No current investigations.",
        "The mother's partner has a caution for common assault (2023). No other trace.",
    ),
    "health1": (
        "Registered with Riverside Surgery. Immunisations up to date. Missed the 2-year check "
        "twice; seen at A&E once in May with a minor head injury (fall from a sofa).",
        "Growth on the 25th centile and steady. Mother treated for postnatal depression; "
        "engaging well with her GP.",
    ),
    "school1": (
        "Attendance 88% this year, mostly Mondays. Staff have noticed the child is often "
        "hungry in the morning; breakfast club offered.",
        "Doing well academically and settled with friends. Usually collected by the maternal "
        "grandmother.",
    ),
}
# The state of each request, in turn: answered on time, answered late, open and late, open.
ON_TIME, ANSWERED_LATE, OPEN_LATE, OPEN = range(4)
REQUESTS = 12  # every agency in every state


def make_information_requests(authority, *, seed: int, as_at) -> dict[str, int]:
    """Send and answer the demo's information requests; returns how many there are."""
    rng = Random(seed + 66)
    partners = User.objects.filter(username__in=ASKED).select_related("agency")
    asked = {u.username: u for u in partners}
    worker = User.objects.filter(username="sw1").first()
    if len(asked) != len(ASKED) or worker is None:
        return {"information_requests": 0}
    # Children on sw1's caseload, none of them sealed (a sealed record is closed to partners).
    sealed = Seal.objects.filter(person=OuterRef("case__child"), unsealed_at__isnull=True)
    allocations = (
        Allocation.objects.filter(Allocation.open_on(as_at), worker=worker)
        .exclude(Exists(sealed))
        .select_related("case__child")
        .order_by("case__child__la_child_id", "case_id")
    )
    cases = list({a.case.child_id: a.case for a in allocations}.values())[:6]
    if not cases:
        return {"information_requests": 0}
    made = 0
    end = timezone.make_aware(datetime.combine(as_at, time(9, 0)))
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        seeded_ids(Random(f"information-request-ids-{seed}")),
    ):
        for i in range(REQUESTS):
            username = ASKED[i % len(ASKED)]
            partner = asked[username]
            state = i % 4
            case = cases[i % len(cases)]
            at = selectors.requested_at(child=case.child, case_id=case.pk)
            which = rng.randrange(2)
            req = services.information_request_send(
                by=worker,
                child=case.child,
                agency=partner.agency,
                # The health visitor by name; the police and the school as agencies.
                practitioner=partner if username == "health1" else None,
                question=QUESTIONS[username][which],
                due_date=timezone.localdate() + timedelta(days=5),
                stage=at.stage,
                case=case,
            )
            if state in (ON_TIME, ANSWERED_LATE):
                services.information_request_answer(
                    by=partner, request=req, answer=ANSWERS[username][which]
                )
            _set_dates(req, state=state, end=end, i=i)
            made += 1
    return {"information_requests": made}


def _set_dates(req: InformationRequest, *, state: int, end, i: int) -> None:
    """Set the request back in time: sent over the four weeks before the demo's day, due five
    working days or so later, answered before, or after, the due date."""
    if state == OPEN:
        sent = end - timedelta(days=1, hours=i)
        due = end.date() + timedelta(days=4)
    elif state == OPEN_LATE:
        sent = end - timedelta(days=9, hours=i)
        due = end.date() - timedelta(days=2)
    else:
        sent = end - timedelta(days=28 - i, hours=i)
        due = timezone.localdate(sent) + timedelta(days=7)
    fields = {"sent_at": sent, "due_date": due}
    if state in (ON_TIME, ANSWERED_LATE):
        answered = (
            sent + timedelta(days=4, hours=3)
            if state == ON_TIME
            else timezone.make_aware(datetime.combine(due + timedelta(days=3), time(15, 20)))
        )
        answered = min(answered, end - timedelta(hours=1))
        fields |= {
            "answered_at": answered,
            "days_to_answer": (timezone.localdate(answered) - timezone.localdate(sent)).days,
        }
        ChronologyEntry.objects.filter(
            source_type=InformationAnswer._meta.label_lower, source_id=str(req.pk)
        ).update(event_date=timezone.localdate(answered))
    InformationRequest.objects.filter(pk=req.pk).update(**fields)
    ChronologyEntry.objects.filter(
        source_type=InformationRequest._meta.label_lower, source_id=str(req.pk)
    ).update(event_date=timezone.localdate(sent), outcome=f"Due by {due:%-d %B %Y}")
