"""Which families children's social care knows, and when: episodes placed on the calendar.

About 30% of children belong to families with an episode open on the as-at date, and 20%
to families whose last episode has closed. Some of those families had earlier episodes (a
re-referral when the next referral came within 12 months), and referrals decided "no
further action" make up 8% of each year's referrals. Siblings share their family's episodes:
one referral, one path and one worker for the group, each child with their own records.

An open family's episode is chosen in proportion to how long it lasts and the as-at date
falls anywhere in it, as it would for a family picked on a real day: long child protection
and child in need plans are open more often than short assessments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.core.workdays import add_working_days
from safeguard.demo.generator.common import age_on
from safeguard.demo.generator.journeys import (
    ASSESSMENT_TEAM,
    CP_TEAM,
    FORCE_ASSESSMENT,
    FORCE_CIN,
    FORCE_CP,
    FORCE_NFA,
    REFERRAL_NFA,
    Episode,
    Family,
    realise,
)
from safeguard.demo.generator.people import Borough, Household
from safeguard.people.codes import Disability
from safeguard.people.models import Person

# Shares of the children generated (approximate; see docs/demo-borough.md).
OPEN_CSC_SHARE = 0.30
CLOSED_CSC_SHARE = 0.20
# When a closed family's last episode closed: within the last year, one to two years ago,
# two to three years ago. Weighted to the past so that referrals come at a steady rate.
CLOSED_YEARS_AGO = (15, 50, 35)
# Earlier, closed episodes: how often a family had one before, and how often the next
# referral came within 12 months of it (a re-referral).
EARLIER_EPISODE = {"open": 0.4, "closed": 0.3, "earlier": 0.2}
EARLIER_EPISODE_BEFORE_PLAN = 0.5
WITHIN_12_MONTHS = 0.67
# A child starting a plan who had one before: in an earlier episode here (forced), or
# recorded as held in another authority.
EARLIER_PLAN = 0.5
PLAN_ELSEWHERE = 0.05
# Open episodes are chosen in proportion to their length, up to this many days.
LENGTH_BIAS_DAYS = 730
# Referrals before birth come in the last 26 weeks or so of pregnancy.
PRE_BIRTH_DAYS = 180
HISTORY_YEARS = 6
# The well-known social worker's caseload needs at least these open families of each kind.
MINIMUM_OPEN = {"cp": 3, "cin": 3, "assessment": 2}


@dataclass
class FamilyEpisode:
    """One episode of a sibling group (or the children of it born by then)."""

    household: Household
    children: list[Person]
    episode: Episode  # as it stood on the as-at date

    @property
    def is_open(self) -> bool:
        return self.episode.closure is None


def stage(ep: Episode) -> str:
    """The stage of an open episode: "cp", "cin", "assessment" or "other"."""
    if any(p.end is None for p in ep.plans):
        return "cp"
    if any(c.end is None for c in ep.cin_plans):
        return "cin"
    if any(a.completed is None for a in ep.assessments):
        return "assessment"
    return "other"


class Histories:
    """Places every family's episodes; all choices come from the borough's generator."""

    def __init__(self, borough: Borough) -> None:
        self.borough = borough
        self.rng = borough.rng
        self.as_at = borough.as_at
        self.earliest = self.as_at - timedelta(days=365 * HISTORY_YEARS)
        self.episodes: list[FamilyEpisode] = []

    # --- Families -----------------------------------------------------------------------------

    def family(self, children: list[Person], referral: date) -> Family:
        born = [c for c in children if c.date_of_birth is not None]
        disabled = any(d != Disability.NONE for c in born for d in c.disabilities)
        oldest = min((c.date_of_birth for c in born), default=None)
        return Family(
            unborn=not born,
            disabled=disabled,
            oldest_age=-1 if oldest is None else age_on(oldest, referral),
        )

    def lower_bound(self, children: list[Person]) -> date:
        """The earliest referral date for all of ``children``: none before its birth, and
        a pre-birth referral no more than about 26 weeks before the expected date."""
        bound = self.earliest
        for child in children:
            if child.date_of_birth is not None:
                bound = max(bound, child.date_of_birth)
            else:
                bound = max(bound, child.expected_date_of_birth - timedelta(days=PRE_BIRTH_DAYS))
        return bound

    # --- Placing one episode ------------------------------------------------------------------

    def place_in(
        self,
        children: list[Person],
        window: Callable[[Episode], tuple[date, date] | None],
        *,
        force: str | None = None,
        length_bias: bool = False,
        attempts: int = 40,
    ) -> Episode | None:
        """An episode of ``children`` placed so that the as-at date falls in ``window`` of it
        (a pair of dates, the second excluded), or None if none fits."""
        rng, as_at = self.rng, self.as_at
        lower = self.lower_bound(children)
        provisional = as_at - timedelta(days=365 * 4)
        family = self.family(children, max(lower, as_at - timedelta(days=120)))
        for _ in range(attempts):
            seed = rng.getrandbits(63)
            draft = realise(seed, provisional, family, force=force)
            span = window(draft)
            if span is None or span[1] <= span[0]:
                continue
            if length_bias:
                length = (draft.end - draft.referral).days + 1
                if rng.random() > length / LENGTH_BIAS_DAYS:
                    continue
            lo, hi = span
            target = lo + timedelta(days=rng.randrange((hi - lo).days))
            referral = max(lower, provisional + (as_at - target))
            episode = self._fit(seed, referral, family, force, window, lower)
            if episode is not None:
                return episode
        return None

    def _fit(self, seed, referral, family, force, window, lower) -> Episode | None:
        as_at = self.as_at
        for _ in range(6):
            episode = realise(seed, referral, family, force=force)
            if episode.referral > as_at:
                referral -= timedelta(days=(episode.referral - as_at).days + 3)
            else:
                span = window(episode)
                if span is None:
                    return None
                lo, hi = span
                if lo <= as_at < hi:
                    return episode
                if as_at < lo:
                    referral -= timedelta(days=(lo - as_at).days + 1)
                else:
                    referral += timedelta(days=(as_at - hi).days + 1)
                    referral = min(referral, as_at)
            if referral < lower:
                return None
        return None

    def place_before(
        self, children: list[Person], limit: date, *, within: str, force: str | None = None
    ) -> tuple[Episode, list[Person]] | None:
        """A closed episode ending before ``limit`` (the next referral, or the as-at date).

        ``within`` places its referral within 12 months of ``limit`` ("12m") or more than 12
        months before it ("older"); "closed" ends it one to three years before ``limit``,
        most often one to two (a family whose case has closed). Only the children born by
        the referral take part.
        """
        rng = self.rng
        for _ in range(12):
            seed = rng.getrandbits(63)
            family = self.family(children, limit - timedelta(days=200))
            draft = realise(seed, limit - timedelta(days=365 * 3), family, force=force)
            length = (draft.closure - draft.referral).days
            if within == "12m":
                if length >= 330:
                    continue
                distance = rng.randint(length + 1, 364)
            elif within == "older":
                distance = rng.randint(max(length + 1, 366), length + 365 * 4)
            else:
                years = rng.choices((0, 1, 2), CLOSED_YEARS_AGO)[0]
                distance = length + 365 * years + rng.randint(1, 365)
            referral = limit - timedelta(days=distance)
            included = [
                c for c in children if c.date_of_birth is not None and c.date_of_birth <= referral
            ]
            if not included or referral < self.earliest:
                continue
            family = self.family(included, referral)
            lower = self.lower_bound(included)
            for _ in range(6):
                episode = realise(seed, referral, family, force=force)
                if episode.referral < lower:
                    break
                if episode.closure >= limit:
                    referral -= timedelta(days=(episode.closure - limit).days + 1)
                    continue
                return episode, included
        return None

    # --- The borough --------------------------------------------------------------------------

    def plan(self) -> list[FamilyEpisode]:
        """Every family episode, cut at the as-at date, in a stable order."""
        borough, rng = self.borough, self.rng
        order = rng.sample(borough.households, len(borough.households))
        open_target = round(borough.target_children * OPEN_CSC_SHARE)
        closed_target = round(borough.target_children * CLOSED_CSC_SHARE)
        opened = closed = 0
        for household in order:
            if opened < open_target:
                household.csc = "open"
                opened += len(household.children)
            elif closed < closed_target and all(c.date_of_birth for c in household.children):
                household.csc = "closed"
                closed += len(household.children)
        anchors: dict[int, FamilyEpisode] = {}
        for household in order:
            if household.csc == "open":
                anchors[id(household)] = self.open_episode(household)
            elif household.csc == "closed":
                found = self.place_before(household.born, self.as_at, within="closed")
                if found is None:
                    household.csc = ""
                    continue
                anchors[id(household)] = self.add(household, found[1], found[0])
        self.ensure_open_mix(order, anchors)
        for household in order:
            anchor = anchors.get(id(household))
            if anchor is not None:
                self.earlier(household, anchor, household.csc)
        self.top_up_nfa(order)
        self.episodes.sort(key=lambda fe: (fe.episode.referral, fe.children[0].la_child_id))
        return self.episodes

    def add(self, household: Household, children: list[Person], episode: Episode):
        item = FamilyEpisode(household, children, episode.cut(self.as_at))
        self.episodes.append(item)
        return item

    def open_episode(self, household: Household, force: str | None = None) -> FamilyEpisode:
        children = household.children

        def whole(ep: Episode):
            return ep.referral, ep.end + timedelta(days=1) if ep.closure is None else ep.closure

        episode = self.place_in(children, whole, length_bias=True)
        if episode is None:
            # A family referred in the last few days, still being assessed.
            episode = self.place_in(
                children, _assessment_window, force=FORCE_ASSESSMENT, attempts=200
            )
        if episode is None:
            raise RuntimeError("could not place an open episode")  # pragma: no cover
        return self.add(household, children, episode)

    def ensure_open_mix(self, order: list[Household], anchors: dict[int, FamilyEpisode]) -> None:
        """Make sure a few open families of each stage exist, so that the well-known social
        worker's caseload can hold a mix however small the borough is."""
        forced = {
            "cp": (FORCE_CP, _plan_window),
            "cin": (FORCE_CIN, _cin_window),
            "assessment": (FORCE_ASSESSMENT, _assessment_window),
        }
        open_families = [h for h in reversed(order) if h.csc == "open"]
        stages = {id(h): stage(anchors[id(h)].episode) for h in open_families}
        counts = Counter(stages.values())
        for wanted, minimum in MINIMUM_OPEN.items():
            for household in open_families:
                if counts[wanted] >= minimum:
                    break
                current = stages[id(household)]
                if len(household.children) > 3 or counts[current] <= MINIMUM_OPEN.get(current, 0):
                    continue
                force, window = forced[wanted]
                episode = self.place_in(household.children, window, force=force, attempts=200)
                if episode is None:
                    continue
                self.episodes.remove(anchors[id(household)])
                anchors[id(household)] = self.add(household, household.children, episode)
                stages[id(household)] = wanted
                counts[current] -= 1
                counts[wanted] += 1

    def earlier(self, household: Household, anchor: FamilyEpisode, kind: str) -> None:
        """Earlier closed episodes of the family, before ``anchor``."""
        rng = self.rng
        later = anchor
        if not household.born:
            return
        chance = EARLIER_EPISODE[kind]
        has_plan = bool(anchor.episode.plans)
        if has_plan:
            chance = max(chance, EARLIER_EPISODE_BEFORE_PLAN)
        for _ in range(3):
            if rng.random() >= chance:
                break
            force = FORCE_CP if has_plan and rng.random() < EARLIER_PLAN else None
            within = "12m" if force is None and rng.random() < WITHIN_12_MONTHS else "older"
            found = self.place_before(
                household.born, later.episode.referral, within=within, force=force
            )
            if found is None:
                break
            later = self.add(household, found[1], found[0])
            chance, has_plan = EARLIER_EPISODE["earlier"], False
        # Children starting a plan after one in another authority.
        for plan in anchor.episode.plans:
            if rng.random() < PLAN_ELSEWHERE:
                plan.elsewhere = 1

    def top_up_nfa(self, order: list[Household]) -> None:
        """Referrals decided "no further action", until about 8% of each year's referrals
        are: half for families otherwise unknown, half a few months before a known family's
        first episode (so that the next referral is a re-referral)."""
        rng, as_at = self.rng, self.as_at
        unknown = [h for h in order if not h.csc and h.born]
        known: dict[int, FamilyEpisode] = {}
        for fe in self.episodes:
            first = known.get(id(fe.household))
            if first is None or fe.episode.referral < first.episode.referral:
                known[id(fe.household)] = fe
        firsts = sorted(known.values(), key=lambda fe: fe.episode.referral)
        rng.shuffle(firsts)
        for year in range(HISTORY_YEARS):
            top = as_at - timedelta(days=365 * year)
            bottom = top - timedelta(days=365)
            inside = [fe for fe in self.episodes if bottom < fe.episode.referral <= top]
            total = sum(len(fe.children) for fe in inside)
            nfa = sum(len(fe.children) for fe in inside if fe.episode.nfa)
            wanted = round((REFERRAL_NFA * total - nfa) / (1 - REFERRAL_NFA))
            while wanted > 0:
                if rng.random() < 0.5 and firsts:
                    fe = firsts.pop()
                    household = fe.household
                    referral = fe.episode.referral - timedelta(days=rng.randint(30, 330))
                elif unknown:
                    household = unknown.pop()
                    referral = bottom + timedelta(days=rng.randint(1, 365))
                elif firsts:
                    continue
                else:
                    return
                children = [c for c in household.born if c.date_of_birth <= referral]
                if not children or referral > top or referral <= bottom:
                    continue
                family = self.family(children, referral)
                episode = realise(rng.getrandbits(63), referral, family, force=FORCE_NFA)
                if episode.referral > min(top, as_at):
                    continue
                household.csc = household.csc or "nfa"
                self.add(household, children, episode)
                wanted -= len(children)

def _plan_window(ep: Episode):
    if not ep.plans:
        return None
    plan = ep.plans[-1]
    return plan.start + timedelta(days=45), plan.end


def _cin_window(ep: Episode):
    if not ep.cin_plans or ep.plans:
        return None
    plan = ep.cin_plans[-1]
    return plan.start + timedelta(days=20), plan.end


def _assessment_window(ep: Episode):
    if not ep.assessments or ep.strategies:
        return None
    first = ep.assessments[0]
    return add_working_days(first.start, 2), first.completed


def open_counts(episodes: list[FamilyEpisode]) -> dict[str, int]:
    """Children in open episodes on the as-at date, by the kind of team holding them."""
    counts = {ASSESSMENT_TEAM: 0, CP_TEAM: 0, "cp_plan": 0}
    for fe in episodes:
        slot = fe.episode.open_slot()
        if fe.is_open and slot is not None:
            counts[slot.kind] += len(fe.children)
        if fe.is_open and any(p.end is None for p in fe.episode.plans):
            counts["cp_plan"] += len(fe.children)
    return counts
