"""Case-file audits for the demo borough (issue 15 item 4), made with the real services.

The audit programme (decision 0062) gives each of the last six months (two quarters, so that
the results show grades over time) to a team manager in turn, one open case file from each
team (but their own) a month; tm1's line, this month's, goes on. A service manager also audits
two case files a month by stage of the case from this month. A service manager draws each
month (seeded with the month, so the same borough gives the same audits). The past months'
audits are graded under every heading, with one or two actions on the child's file (most done
by now) and the worker responding to most; about two in three completed audits are moderated
by a service manager. This month's are left to do, so the well-known team manager has audits
waiting.

The first service manager also draws a dip sample of last month's front-door decisions (no
further action and threshold departures, decision 0063); the borough's managers have checked
most of them, never their own, disagreeing with a few and saying why.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from safeguard.accounts.models import Role, User
from safeguard.assurance import permissions, services
from safeguard.assurance.models import Grade, Heading, Stratum
from safeguard.core.errors import ApplicationError
from safeguard.demo.generator.common import seeded_ids

# The grades managers give, weighted as authorities report them (most "requires improvement"
# or "good"; few outstanding or inadequate).
GRADES = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
WEIGHTS = [1, 5, 4, 1]

EVIDENCE = {
    Grade.OUTSTANDING: "Consistently strong: {what}. The child is clearly better for it.",
    Grade.GOOD: "{what} is evident on file and timely; minor gaps noted in the findings.",
    Grade.REQUIRES_IMPROVEMENT: "{what} is only partly evident: gaps over several months.",
    Grade.INADEQUATE: "{what} is missing from the file; the child may be left at risk.",
}
WHAT = {
    Heading.PROFILE: "Identifiers, legal status and sibling group recorded",
    Heading.HISTORY: "A chronology of significant events with a genogram",
    Heading.THRESHOLD: "Threshold decisions explained against the borough's guidance",
    Heading.ASSESSMENT: "An assessment in time, with the child seen alone and history used",
    Heading.PLANNING: "A plan with SMART outcomes and a contingency",
    Heading.PROCESS: "Strategy, section 47, conference and core group steps in timescale",
    Heading.VISITS: "Visits at the planned frequency, the child seen alone and their bedroom seen",
    Heading.VOICE: "The child's wishes and feelings in their own words",
    Heading.MULTI_AGENCY: "School, health and police involved and sharing information",
    Heading.OVERSIGHT: "Management oversight and supervision recorded with clear direction",
    Heading.RECORDING: "Recording that is up to date, factual and written for the child",
    Heading.IMPACT: "What difference the work has made for the child",
}
NOTES = {
    True: "Agreed: the evidence supports the auditor's grade.",
    False: "Differ: on reading the file the grade does not match the evidence under planning.",
}


def _first_of_month(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def build(authority, as_at: date, seed: int) -> int:
    """Make the demo's audits; returns how many were drawn."""
    rng = random.Random(seed)
    # tm1, the well-known team manager, first: this month's draw is theirs.
    managers = sorted(
        User.objects.filter(agency__authority=authority, role=Role.TEAM_MANAGER),
        key=lambda user: (user.username != "tm1", user.username),
    )
    moderators = list(
        User.objects.filter(agency__authority=authority, role=Role.SERVICE_MANAGER).order_by(
            "username"
        )
    )
    if not managers or not moderators:
        return 0
    with seeded_ids(random.Random(f"audit-ids-{seed}")):
        drawn = _build(rng, managers, moderators, as_at)
        _dip_sample(random.Random(f"dip-{seed}"), managers + moderators, moderators[0], as_at)
    return drawn


def _build(rng, managers, moderators, as_at: date) -> int:
    head = moderators[0]
    months = {back: _first_of_month(as_at, back) for back in (5, 4, 3, 2, 1, 0)}
    for back, month in months.items():
        services.programme_line_add(
            by=head,
            auditor=managers[back % len(managers)],
            cases_per_month=1,
            stratum=Stratum.TEAM,
            first_month=month,
            last_month=month if back else None,
        )
    services.programme_line_add(
        by=head, auditor=head, cases_per_month=2, stratum=Stratum.STAGE, first_month=months[0]
    )
    drawn = 0
    for back, month in months.items():
        # A past month draws from the cases referred by its first day, so that no audit (nor
        # the action it puts on the child's chronology) comes before the child's referral.
        result = services.programme_draw(
            by=head, month=month, seed=month.year * 100 + month.month, on=month if back else as_at
        )
        audits = [audit for line_audits in result.drawn.values() for audit in line_audits]
        drawn += len(audits)
        if back == 0:
            continue  # this month's audits are still to do
        for audit in audits:
            auditor = audit.auditor
            findings = {}
            for heading in Heading:
                grade = rng.choices(GRADES, WEIGHTS)[0]
                findings[heading] = (grade, EVIDENCE[grade].format(what=WHAT[heading]))
            overall = rng.choices(GRADES, WEIGHTS)[0]
            done = month + timedelta(days=rng.randint(5, 25))
            services.complete(
                audit=audit, by=auditor, findings=findings, overall=overall, today=done
            )
            _follow_up(rng, audit, auditor, done, as_at)
            if rng.random() < 2 / 3:
                agree = rng.random() < 0.7
                grade = overall if agree else rng.choice([g for g in GRADES if g != overall])
                moderator = moderators[rng.randrange(len(moderators))]
                services.moderate(audit=audit, by=moderator, grade=grade, note=NOTES[agree])
    return drawn


ACTIONS = [
    "Update the chronology with the significant events of the last six months",
    "Add a genogram to the child's file",
    "Record the child's views in their own words at the next visit",
    "Revise the plan so that each outcome is specific and has a date",
    "Record management oversight of the decision to step down",
    "See the child alone and record it at the next statutory visit",
]
RESPONSES = [
    "Thank you: I agree with the findings and have booked time to update the chronology.",
    "I agree in part: the child was seen alone at the last two visits but this was recorded "
    "in the case notes rather than the visit record.",
    "Agreed. Caseload pressures in the autumn delayed the plan review; it is now booked.",
]


def _follow_up(rng, audit, auditor, done: date, as_at: date) -> None:
    """Actions on the child's file and the practitioner's response, through the services."""
    owner = audit.practitioner or auditor
    for text in rng.sample(ACTIONS, rng.randint(1, 2)):
        action = services.add_action(
            audit=audit,
            by=auditor,
            description=text,
            owner=owner,
            due_date=done + timedelta(days=rng.randint(14, 42)),
            today=done,
        )
        finished = done + timedelta(days=rng.randint(3, 30))
        if finished < as_at and rng.random() < 0.7:
            services.complete_action(action=action, by=owner, today=finished)
    if audit.practitioner and rng.random() < 0.8:
        services.respond(
            audit=audit,
            by=audit.practitioner,
            response=rng.choice(RESPONSES),
            today=min(done + timedelta(days=rng.randint(1, 10)), as_at),
        )


DIP_AGREED = [
    "Agree: the rationale is clear and matches the information held at the time.",
    "Agree: proportionate, and the family was signposted appropriately.",
    "Agree with the outcome; the manager's reason for departing from the level is recorded.",
]
DIP_DISAGREED = [
    "Disagree: school and health both raised neglect; the threshold for early help was met.",
    "Disagree: the history of earlier contacts was not weighed; this should have been a "
    "referral for assessment.",
    "Disagree: the manager's reason does not explain the departure from the level chosen.",
]


def _dip_sample(rng, managers, head, as_at: date) -> None:
    """A dip sample of last month's front-door decisions, drawn by ``head``; most checked by
    a manager who neither made nor agreed the decision, a few disagreed with."""
    this_month = _first_of_month(as_at, 0)
    last_month = _first_of_month(as_at, 1)
    try:
        sample = services.dip_sample_draw(
            by=head,
            first_day=last_month,
            last_day=this_month - timedelta(days=1),
            size=6,
            seed=last_month.year * 100 + last_month.month,
            today=as_at,
        )
    except ApplicationError:
        return  # no decision of last month to draw
    items = list(sample.items.select_related("sample", "contact").order_by("why", "contact_id"))
    for n, item in enumerate(items):
        if n % 5 == 4:
            continue  # one in five still to check
        checkers = [m for m in managers if permissions.can(m, permissions.Action.CHECK_DIP, item)]
        if not checkers:
            continue
        agree = n % 4 != 1  # about one in four disagreed with
        # A disagreement always says why; an agreement usually does.
        note = rng.choice(DIP_DISAGREED) if not agree else rng.choice(["", *DIP_AGREED])
        services.dip_check_record(by=rng.choice(checkers), item=item, agree=agree, note=note)
