"""Procedures and learning (issue 15 item 6): a few procedures for the steps of the work, one
revised (so that some staff read only its first version), and a learning summary from a
synthetic serious case review; some staff have acknowledged them and others not.

Published through ``procedures.services`` by the first service manager (``sm1``); the
acknowledgements, many, go in by one bulk insert. ``sw1`` has the visits procedure and the
learning summary waiting on their home page, and ``tm1``'s report has people outstanding."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from safeguard.accounts.models import Team, User
from safeguard.procedures import selectors, services
from safeguard.procedures.models import Acknowledgement, Kind, Procedure, Step


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


ICPC = _text(
    "An initial child protection conference is held within 15 working days of the "
    "strategy discussion at which the section 47 enquiry was started.",
    "The social worker invites the parents, and the child where of an age to take "
    "part, and explains what the conference is for. The chair meets the family before"
    " the conference.",
    "Agencies send their reports to the chair two working days before the conference."
    " The social worker's report is shared with the parents first.",
    "The chair is independent of the case's line management. The conference needs "
    "children's social care, the police and at least one other agency to decide on a "
    "plan.",
)

STRATEGY_V1 = _text(
    "A strategy discussion is held whenever there is reasonable cause to suspect a "
    "child is suffering, or is likely to suffer, significant harm.",
    "Children's social care, the police and health take part as a minimum; the "
    "referring agency is invited.",
)

STRATEGY_V2 = _text(
    STRATEGY_V1,
    "From this version: the child's school or nursery is always invited, and the "
    "discussion is recorded the same day, with who took part and the reasons for each "
    "decision.",
)

VISITS = _text(
    "A child on a child protection plan is seen at least every 10 working days, and "
    "seen alone unless there is a recorded reason not to.",
    "Record what the child said, what you saw of their room and their home, and who "
    "else was present. A visit at which the child is not seen is recorded as such, "
    "with what was done to see them.",
)

CONTACT = _text(
    "Every contact is decided within one working day. Read the earlier contacts and "
    "referrals first: three or more in twelve months is itself a reason to consider a"
    " referral.",
    "Record the threshold level and the reasons; a decision of no further action "
    "needs a manager's authorisation.",
)

LEARNING = _text(
    "Child M, aged 17 months, died at home in 2008 after months of injuries. This "
    "summary of the serious case review (synthetic, for the demo) sets out what every"
    " practitioner should take from it.",
    "Seeing is not enough: Child M was seen 60 times by professionals, often with his"
    " face smeared with chocolate or with his head shaved. Ask to see the child in "
    "good light, undressed where injuries are suspected.",
    "Disguised compliance: the mother's cooperation was taken at face value. Check "
    "what you are told against what you see and against what other agencies know.",
    "Men in the household: two adult men lived in the home unknown to the agencies. "
    "Ask who lives in and visits the home at every visit, and record it.",
    "Challenge: practitioners who had concerns did not escalate them. Use the "
    "escalation procedure; the chair will record a challenge.",
)

# (title, kind, step, body, roles, front door only, days before the demo date, share read)
PUBLISHED = [
    ("Initial child protection conferences", Kind.PROCEDURE, Step.INITIAL_CONFERENCE, ICPC,
     ["social_worker", "team_manager", "service_manager", "conference_chair"], False, 150, 0.8),
    ("Strategy discussions", Kind.PROCEDURE, Step.STRATEGY_DISCUSSION, STRATEGY_V1,
     ["social_worker", "team_manager"], False, 200, 0.85),
    ("Visits to children on a plan", Kind.PROCEDURE, Step.VISIT, VISITS, [], False, 60, 0.6),
    ("Deciding contacts at the front door", Kind.PROCEDURE, Step.CONTACT_DECISION, CONTACT,
     [], True, 90, 0.7),
    ("Learning from the serious case review of Child M", Kind.LEARNING, "", LEARNING,
     ["social_worker", "team_manager", "service_manager"], False, 12, 0.35),
]  # fmt: skip
STILL_TO_READ_BY_SW1 = {
    "Visits to children on a plan",
    "Learning from the serious case review of Child M",
}


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(9)) + timedelta(minutes=rng.randint(0, 480))
    )


def publish_procedures(authority, *, seed: int, as_at: date) -> int:
    """Publish the demo's procedures and their acknowledgements; return how many were read."""
    rng = random.Random(f"{seed}:procedures")
    by = User.objects.get(username="sm1")
    front_door = Team.objects.filter(agency__authority=authority, name__startswith="Front Door")
    acks = []
    for title, kind, step, body, roles, front_door_only, days, share in PUBLISHED:
        procedure = services.procedure_publish(
            by=by, kind=kind, title=title, body=body, step=step, roles=roles,
            teams=list(front_door) if front_door_only else [],
        )  # fmt: skip
        published = as_at - timedelta(days=days)
        Procedure.objects.filter(pk=procedure.pk).update(published_at=_moment(published, rng))
        staff = list(selectors.audience(procedure).order_by("username"))
        read_first = [u for u in staff if rng.random() < share and u.username != "sw1"]
        if title == "Strategy discussions":
            # Revised 20 days ago: most had read version 1; fewer have read version 2.
            for user in read_first:
                acks.append((procedure, user, 1, published + timedelta(days=rng.randint(1, 30))))
            procedure = services.procedure_revise(
                by=by, procedure=procedure, title=title, body=STRATEGY_V2, roles=roles,
                change_summary="The school or nursery is always invited; recorded the same day",
            )  # fmt: skip
            published = as_at - timedelta(days=20)
            Procedure.objects.filter(pk=procedure.pk).update(published_at=_moment(published, rng))
            read_first = [u for u in read_first if rng.random() < 0.5]
        elif title not in STILL_TO_READ_BY_SW1:
            read_first += [u for u in staff if u.username == "sw1"]
        for user in read_first:
            day = min(as_at, published + timedelta(days=rng.randint(0, max(1, days - 1))))
            acks.append((procedure, user, procedure.edition, day))
    Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(
                procedure=p,
                user=u,
                edition=edition,
                acknowledged_at=_moment(day, rng),
                created_by=u,
                updated_by=u,
            )  # fmt: skip
            for p, u, edition, day in acks
        ]
    )
    return len(acks)
