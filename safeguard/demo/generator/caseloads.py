"""Who holds each family's cases: a worker for every allocation, and the caseload of ``sw1``.

Open allocations go to the least-loaded worker of the right kind of team (assessment teams
while a family is assessed, the child protection and CIN teams once there is a plan), so
caseloads come out even. The well-known social worker ``sw1`` is filled first with a mix a
newcomer can learn from: one or two families on child protection plans (one with a visit
overdue), one being assessed, and families on child in need plans. About 2% of open
families are left unallocated, as a waiting list. Closed allocations name any worker of the
right kind: a past worker may since have moved team.
"""

from __future__ import annotations

import heapq
import random
from datetime import date, timedelta

from safeguard.core.workdays import add_working_days
from safeguard.demo.generator.common import Worker
from safeguard.demo.generator.histories import FamilyEpisode, stage
from safeguard.demo.generator.journeys import ASSESSMENT_TEAM, CP_TEAM, Episode, Slot
from safeguard.demo.generator.staff import Organisation

UNALLOCATED_SHARE = 0.02
# sw1's last statutory visit at which the child was seen is this many working days old.
SW1_OVERDUE_VISIT_WD = 12
# One family in each stage has not been seen for this many working days (past every default
# standard of the list of children not seen: timescales.selectors.STAGES).
UNSEEN_WD = 22


def assign_workers(
    episodes: list[FamilyEpisode], org: Organisation, rng: random.Random, as_at: date
) -> None:
    workers = {ASSESSMENT_TEAM: org.assessment_workers, CP_TEAM: org.cp_workers}
    open_families = [fe for fe in episodes if fe.is_open and fe.episode.open_slot() is not None]
    sw1 = org.cp_workers[0]
    mine = _fill_sw1(open_families, sw1, rng, as_at)
    waiting = [(fe, fe.episode.open_slot()) for fe in open_families if id(fe) not in mine]
    # At least one family waits, so that the lists of unallocated and unseen children show one.
    share = max(1, round(len(open_families) * UNALLOCATED_SHARE)) if waiting else 0
    unallocated = {id(fe) for fe, _ in rng.sample(waiting, share)}
    for kind, pool in workers.items():
        others = pool[1:] if kind == CP_TEAM else pool
        heap = [(w.load, i) for i, w in enumerate(others)]
        heapq.heapify(heap)
        for fe, slot in waiting:
            if slot.kind != kind:
                continue
            _, i = heapq.heappop(heap)
            slot.worker = others[i]
            if id(fe) in unallocated:
                _leave_unallocated(slot, rng, as_at)
            else:
                others[i].load += len(fe.children)
            heapq.heappush(heap, (others[i].load, i))
    for fe in episodes:
        for slot in fe.episode.slots:
            if slot.worker is None:
                slot.worker = rng.choice(workers[slot.kind])
    _some_unseen(open_families, as_at)


def _unseen_stage(ep: Episode) -> str:
    """The stage the list of children not seen gives an open episode (timescales.selectors)."""
    if ep.open_slot() is None:
        return "unallocated"
    if any(p.end is None for p in ep.plans):
        return "cp_plan"
    if any(e.end is None for e in ep.enquiries):
        return "section47"
    if any(a.completed is None for a in ep.assessments):
        return "assessment"
    return "cin"


def _some_unseen(families: list[FamilyEpisode], as_at: date) -> None:
    """One family in each stage the borough has open has not been seen for over
    ``UNSEEN_WD`` working days (past every default standard), so that the page of children
    not seen within their standard has someone in every stage. No random choice: the first
    family of each stage referred before then, whose completed assessments saw the child
    before then too."""
    since = add_working_days(as_at, -UNSEEN_WD)
    done: set[str] = set()
    for fe in families:
        ep = fe.episode
        kind = _unseen_stage(ep)
        if kind in done or ep.referral >= since:
            continue
        if any(a.completed is not None and a.seen and a.seen > since for a in ep.assessments):
            continue
        for assessment in ep.assessments:
            if assessment.seen and assessment.seen > since:
                assessment.seen = None
        for visit in ep.visits:
            if visit.day > since:
                visit.seen = visit.bedroom = False
        done.add(kind)


def _leave_unallocated(slot: Slot, rng: random.Random, as_at: date) -> None:
    """The worker left the case and nobody has picked it up yet."""
    first = max(slot.start + timedelta(days=1), as_at - timedelta(days=40))
    last = as_at - timedelta(days=1)
    if first <= last:
        slot.end = first + timedelta(days=rng.randint(0, (last - first).days))


def _fill_sw1(
    open_families: list[FamilyEpisode], sw1: Worker, rng: random.Random, as_at: date
) -> set[int]:
    target = rng.randint(12, 18)
    by_stage: dict[str, list[FamilyEpisode]] = {"cp": [], "cin": [], "assessment": []}
    for fe in open_families:
        kind = stage(fe.episode)
        if kind in by_stage and len(fe.children) <= 3:
            by_stage[kind].append(fe)
    settled = as_at - timedelta(days=45)
    by_stage["cp"] = [
        fe
        for fe in by_stage["cp"]
        if fe.episode.open_slot().kind == CP_TEAM
        and all(p.start <= settled for p in fe.episode.plans)
    ]
    by_stage["cin"] = [fe for fe in by_stage["cin"] if fe.episode.open_slot().kind == CP_TEAM]
    by_stage["assessment"] = [
        fe for fe in by_stage["assessment"] if not fe.episode.strategies
    ]
    chosen: list[FamilyEpisode] = []

    def take(candidates: list[FamilyEpisode], count: int) -> None:
        for fe in candidates:
            if count <= 0:
                return
            if sw1.load + len(fe.children) <= target or not chosen:
                chosen.append(fe)
                sw1.load += len(fe.children)
                count -= 1

    take(by_stage["cp"], rng.choice((1, 2)))
    take(by_stage["assessment"], 1)
    take(by_stage["cin"], len(by_stage["cin"]))
    for fe in chosen:
        slot = fe.episode.open_slot()
        # A family being assessed went straight to sw1's team: a re-referral of a family
        # the team knew, assessed by the worker who will keep it.
        slot.kind = CP_TEAM
        slot.worker = sw1
    cp = [fe for fe in chosen if stage(fe.episode) == "cp"]
    if cp:
        _visit_overdue(cp[0].episode, as_at)
    return {id(fe) for fe in chosen}


def _visit_overdue(ep: Episode, as_at: date) -> None:
    """The child has not been seen at a statutory visit for over 10 working days."""
    since = add_working_days(as_at, -SW1_OVERDUE_VISIT_WD)
    for visit in ep.visits:
        if visit.day > since:
            visit.seen = visit.bedroom = False
