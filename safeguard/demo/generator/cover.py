"""Managers' reviews of the cases waiting unallocated (issue 14): each waiting case is reviewed
by its team's manager every few working days since it began to wait, through the real
service, so that the team queues show reviews held, due and (for about a third) overdue.
"""

from __future__ import annotations

import random
from datetime import date

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.casework.services import unallocated_review_record
from safeguard.core.workdays import add_working_days
from safeguard.timescales.selectors import unallocated_page

DECISIONS = (
    "Keep waiting: the health visitor sees the family weekly and will call if anything changes.",
    "Keep waiting: school reports good attendance; duty worker to phone mother this week.",
    "Allocate as soon as a worker has room: risk is rising, duty to visit meanwhile.",
    "Keep waiting: family support worker in place; next review in a week.",
)


def review_waiting_cases(authority, rng: random.Random, as_at: date) -> int:
    """Record managers' reviews of every case waiting unallocated on ``as_at``; return how
    many were recorded."""
    page = unallocated_page(authority, on=as_at, number=1, size=10_000)
    made = 0
    for row in page.rows:
        team = row.case.team
        manager = team.manager if team is not None else None
        if manager is None:
            manager = User.objects.filter(role=Role.TEAM_MANAGER, teams=team).first()
        if manager is None:
            continue
        last = row.waiting_since
        # About a third are left unreviewed for longer than the standard.
        stop = as_at if rng.random() > 0.33 else add_working_days(as_at, -8)
        while True:
            day = add_working_days(last, rng.randint(3, authority.unallocated_review_wd))
            if day > stop or day > as_at:
                break
            unallocated_review_record(
                by=manager, case=row.case, review_date=day, decision=rng.choice(DECISIONS)
            )
            made += 1
            last = day
    return made
