"""Backlog review exercises for the demo borough (issue 14 item 6), made with the real
services: one finished, opened about seven weeks ago by a service manager over the team (or
the whole service) with nearest 80 open cases, reviewed by four workers over the following
weeks with an outcome mix like the 2009 task force's (about half closed, most referred to the
police, some strategy discussions, home visits and conference requests); and one under way,
opened by tm1 last week over their team's unallocated cases (or, if fewer than six wait, the
team's red and amber ones, or all its open cases), about half reviewed. Seeded, so the same
borough gives the same exercises.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.test import override_settings

from safeguard.accounts.models import Role, User
from safeguard.backlog import selectors, services
from safeguard.backlog.models import Exercise, OutcomeKind, Risk
from safeguard.casework.models import Case
from safeguard.casework.services import latest_step_date
from safeguard.core.errors import ApplicationError
from safeguard.core.workdays import add_working_days
from safeguard.demo.generator.common import seeded_ids

TARGET_CASES = 80
RISKS = [Risk.HIGH, Risk.MEDIUM, Risk.LOW]
RISK_WEIGHTS = [2, 4, 4]
FINDINGS = {
    Risk.HIGH: "Read the whole file and the police checks: injuries reported twice by the "
    "school and not followed up. The child needs to be seen and the risk shared now.",
    Risk.MEDIUM: "Read the file and spoke to the school and health visitor: concerns about "
    "neglect continue; the family has not engaged with the plan agreed.",
    Risk.LOW: "Read the file and spoke to the school: attendance and presentation are good, "
    "the family is supported by early help and nothing on file needs social care now.",
}


def _outcomes(rng: random.Random, risk: str) -> list[list[str]]:
    """The outcomes to try for a case, best first; the later ones are what a reviewer does
    when the first is refused (a case with open work cannot close)."""
    police = rng.random() < 0.75
    extra = [OutcomeKind.POLICE] if police else []
    if risk == Risk.HIGH:
        first = [rng.choice([OutcomeKind.STRATEGY, OutcomeKind.HOME_VISIT, OutcomeKind.CONFERENCE])]
        if rng.random() < 0.3:
            first.append(OutcomeKind.ALLOCATE)
        return [first + extra, [OutcomeKind.HOME_VISIT, *extra]]
    if risk == Risk.MEDIUM and rng.random() < 0.4:
        return [[OutcomeKind.HOME_VISIT, *extra], [OutcomeKind.NO_FURTHER_ACTION, *extra]]
    return [[OutcomeKind.CLOSE, *extra], [OutcomeKind.NO_FURTHER_ACTION, *extra]]


def _review(item, reviewer, rng, day, workers, as_at):
    risk = rng.choices(RISKS, RISK_WEIGHTS)[0]
    item.case = Case.objects.select_related("child", "team").get(pk=item.case_id)
    for outcomes in _outcomes(rng, risk):
        worker = None
        if OutcomeKind.ALLOCATE in outcomes:
            members = [w for w in workers if item.case.team_id in w.team_ids]
            worker = members[rng.randrange(len(members))] if members else None
            if worker is None:
                outcomes = [o for o in outcomes if o != OutcomeKind.ALLOCATE]
        when = day
        if OutcomeKind.CLOSE in outcomes:
            # A case closes on or after its last recorded step.
            when = max(day, latest_step_date(item.case))
            if when > as_at:
                continue
        try:
            services.review_record(
                by=reviewer, item=item, risk=risk, outcomes=outcomes, rationale=FINDINGS[risk],
                closure_reason="RC7", worker=worker, today=when,
            )  # fmt: skip
            return True
        except ApplicationError:
            continue
    return False


def _open(by, filters, reviewers, day) -> Exercise | None:
    try:
        return services.exercise_open(by=by, filters=filters, reviewers=reviewers, today=day)
    except ApplicationError:
        return None


def build(authority, as_at: date, seed: int) -> int:
    """Make the demo's two exercises; returns how many cases were reviewed. The reviews tell
    their tasks' owners in the app only: building the borough sends no email."""
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        seeded_ids(random.Random(f"backlog-ids-{seed}")),
    ):
        return _build(authority, as_at, seed)


def _build(authority, as_at: date, seed: int) -> int:
    rng = random.Random(seed * 7 + 14)
    service_manager = (
        User.objects.filter(agency__authority=authority, role=Role.SERVICE_MANAGER)
        .order_by("username")
        .first()
    )
    tm1 = User.objects.filter(agency__authority=authority, username="tm1").first()
    workers = list(
        User.objects.filter(
            agency__authority=authority, role=Role.SOCIAL_WORKER, is_active=True
        ).order_by("username")
    )
    for worker in workers:
        worker.team_ids = set(worker.teams.values_list("pk", flat=True))
    if service_manager is None or tm1 is None or len(workers) < 4:
        return 0
    reviewed = 0
    # The finished exercise: the team nearest TARGET_CASES open cases seven weeks ago.
    opened = add_working_days(as_at, -35)
    choices = [selectors.Filters()] + [
        selectors.Filters(team=t) for t in selectors.team_choices(authority.pk)
    ]
    sizes = [
        (abs(len(selectors.choose_cases(service_manager, f, on=opened)) - TARGET_CASES), n)
        for n, f in enumerate(choices)
    ]
    if sizes:
        filters = choices[min(sizes)[1]]
        reviewers = rng.sample(workers, 4)
        exercise = _open(service_manager, filters, reviewers, opened)
        if exercise is not None:
            items = list(exercise.cases.select_related("reviewer").order_by("position"))
            for n, item in enumerate(items):
                # Over about 25 working days, in the order given out.
                day = add_working_days(opened, 1 + n * 24 // max(len(items), 1))
                item.exercise = exercise
                reviewed += _review(item, item.reviewer, rng, min(day, as_at), workers, as_at)
    # The exercise under way: tm1's team's unallocated cases (or its red and amber ones).
    team = tm1.teams.order_by("name").first()
    started = as_at - timedelta(days=7)
    mates = [w for w in workers if team is not None and team.pk in w.team_ids][:3] or workers[:3]
    candidates = [
        selectors.Filters(team=team, unallocated=True),
        selectors.Filters(team=team, priorities=("red", "amber")),
        selectors.Filters(team=team),
    ]
    filters = next(
        (f for f in candidates if len(selectors.choose_cases(tm1, f, on=started)) >= 6),
        candidates[-1],
    )
    exercise = _open(tm1, filters, mates, started)
    if exercise is not None:
        items = list(exercise.cases.select_related("reviewer").order_by("position"))
        for n, item in enumerate(items[: len(items) // 2]):
            item.exercise = exercise
            day = min(started + timedelta(days=1 + n % 5), as_at)
            reviewed += _review(item, item.reviewer, rng, day, workers, as_at)
    return reviewed
